#!/usr/bin/python3
"""null_dut.py - a DUT in Python (standard library only) that speaks the feverbench link protocol
(docs/protocol.md) on stdin/stdout and measures nobody: every frame is answered with FRAME_DONE
and no events. A skeleton to put a real screener into (docs/dut-other-languages.md)."""
import struct
import sys
import time

# CRC-32C (Castagnoli), reflected, init and final XOR 0xFFFFFFFF (docs/protocol.md section 2).
_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def cobs_encode(data):
    """COBS (section 1) plus the 0x00 delimiter. After a final full 254-byte block this writes a
    0x01 block the shortest form leaves out: receivers accept both."""
    out, block = bytearray(), bytearray()
    for b in data:
        if b == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
        else:
            block.append(b)
            if len(block) == 254:
                out += b"\xff" + block
                block = bytearray()
    return bytes(out + bytes([len(block) + 1]) + block + b"\x00")


def cobs_decode(enc):
    """One packet's bytes between delimiters, decoded; ValueError when a block runs past them."""
    out, i = bytearray(), 0
    while i < len(enc):
        code = enc[i]
        if i + code > len(enc):
            raise ValueError("broken COBS framing")
        out += enc[i + 1:i + code]
        i += code
        if code != 0xFF and i < len(enc):
            out.append(0)
    return bytes(out)


def packet(mtype, payload):
    body = struct.pack("<BBH", mtype, 0, len(payload)) + payload
    return cobs_encode(body + struct.pack("<I", crc32c(body)))


HELLO, CONFIG, FRAME_START, FRAME_CHUNK, PING, BYE = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
HELLO_ACK, CONFIG_ACK, FRAME_DONE, STATUS, BYE_ACK = 0x81, 0x82, 0x84, 0x85, 0x86
MAGIC, NAME = 0x31504246, b"python-null 1.0"


def main():
    out = sys.stdout.buffer
    rx, tx = {"ok": 0, "bad": 0}, [0]
    frame = {"no": None, "left": 0}
    frames_done, t0 = 0, time.monotonic()

    def send(mtype, payload):
        out.write(packet(mtype, payload))
        out.flush()
        tx[0] += 1

    def answer(frame_no):
        nonlocal frames_done
        frames_done += 1
        send(FRAME_DONE, struct.pack("<IHhI", frame_no, 0, 0, 0xFFFFFFFF))

    buf = bytearray()
    while True:
        chunk = sys.stdin.buffer.read1(65536)
        if not chunk:
            return 1  # the bench closed the link without BYE
        buf += chunk
        while b"\x00" in buf:
            enc, _, rest = bytes(buf).partition(b"\x00")
            buf = bytearray(rest)
            if not enc:
                continue  # a lone 0x00: no packet
            try:
                pkt = cobs_decode(enc)
                mtype, reserved, n = struct.unpack_from("<BBH", pkt)
                if len(pkt) != 4 + n + 4 or reserved != 0:
                    raise ValueError("length")
                if struct.unpack_from("<I", pkt, 4 + n)[0] != crc32c(pkt[:4 + n]):
                    raise ValueError("crc")
            except (ValueError, struct.error):
                rx["bad"] += 1
                continue
            rx["ok"] += 1
            p = pkt[4:4 + n]
            if mtype == HELLO:
                send(HELLO_ACK, struct.pack("<IBBHI", MAGIC, 1, 0, 1032, 0) + NAME)
            elif mtype == CONFIG:
                frames_done = 0
                send(CONFIG_ACK, struct.pack("<iI", 0, 0))
            elif mtype == FRAME_START:
                frame_no, _flags, n_chunks = struct.unpack_from("<IIH", p)
                frame.update(no=frame_no, left=n_chunks)
                if n_chunks == 0:
                    answer(frame_no)
            elif mtype == FRAME_CHUNK and frame["left"] > 0:
                frame["left"] -= 1  # the pixels are p[8:]: a screener would use them here
                if frame["left"] == 0:
                    answer(frame["no"])
            elif mtype == PING:
                nonce = struct.unpack_from("<I", p)[0]
                uptime = int((time.monotonic() - t0) * 1000) & 0xFFFFFFFF
                send(STATUS, struct.pack("<IIIIII", nonce, uptime, frames_done, rx["ok"],
                                         rx["bad"], tx[0]))
            elif mtype == BYE:
                send(BYE_ACK, struct.pack("<I", frames_done))
                return 0


if __name__ == "__main__":
    sys.exit(main())
