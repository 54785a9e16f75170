/* fbp.h — the feverbench link protocol codec (docs/protocol.md): framing, CRC, messages.
 *
 * Used by the bench (sim/) and by every firmware port (firmware-under-test/), and usable by a
 * vendor as is. Plain C11, libc only (memcpy, memset, memchr), allocates nothing: every buffer is
 * the caller's, every length is checked against FBP_MAX_*. Builds for a host and for a Cortex-M.
 *
 * Wire format: each packet is COBS-encoded and followed by one 0x00 byte. Decoded, a packet is
 *   type u8 | reserved u8 (0) | payload length u16 | payload | CRC-32C u32 (over all before it)
 * with every multi-byte integer little-endian. docs/protocol.md is the normative text.
 */
#ifndef FBP_H
#define FBP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FBP_MAGIC         0x31504246u /* "FBP1" as the bytes 46 42 50 31 */
#define FBP_VERSION_MAJOR 1u
#define FBP_VERSION_MINOR 0u

#define FBP_HEADER_SIZE       4u
#define FBP_CRC_SIZE          4u
#define FBP_CHUNK_HEADER      8u    /* frame_no, index, reserved */
#define FBP_CHUNK_MAX_DATA    1024u /* pixel bytes in one FRAME_CHUNK */
#define FBP_MAX_PAYLOAD       (FBP_CHUNK_HEADER + FBP_CHUNK_MAX_DATA) /* 1032 */
#define FBP_MIN_PAYLOAD_LIMIT 64u /* a receiver must accept payloads at least this long */
#define FBP_MAX_RAW           (FBP_HEADER_SIZE + FBP_MAX_PAYLOAD + FBP_CRC_SIZE) /* 1040 */
/* COBS adds one byte per 254 (and one at the start) plus the 0x00 delimiter. */
#define FBP_MAX_WIRE             (FBP_MAX_RAW + (FBP_MAX_RAW + 253u) / 254u + 1u) /* 1046 */
#define FBP_NAME_MAX             63u   /* HELLO_ACK firmware name, bytes */
#define FBP_TEXT_MAX             64u   /* ERROR text, bytes */
#define FBP_MAX_EVENTS_PER_FRAME 64u   /* EVENT messages a DUT may send for one frame */
#define FBP_MAX_DIM              4096u /* largest width or height */

/* Capabilities (HELLO.caps offered by the bench, HELLO_ACK.caps offered by the DUT). */
#define FBP_CAP_FRAME_PORT 0x1u /* frames may travel on a separate frame port */
/* CONFIG.flags */
#define FBP_CFG_FRAME_PORT 0x1u /* this session sends frames on the frame port */
/* FRAME_START.flags (same bit as FBFW_FRAME_FROZEN) */
#define FBP_FRAME_FROZEN 0x1u

/* Message types. 0x01..0x07 are sent by the bench, 0x81..0x87 by the DUT. */
typedef enum fbp_type {
    FBP_HELLO = 0x01,
    FBP_CONFIG = 0x02,
    FBP_FRAME_START = 0x03,
    FBP_FRAME_CHUNK = 0x04,
    FBP_PING = 0x05,
    FBP_BYE = 0x06,
    FBP_ERROR_BENCH = 0x07,
    FBP_HELLO_ACK = 0x81,
    FBP_CONFIG_ACK = 0x82,
    FBP_EVENT = 0x83,
    FBP_FRAME_DONE = 0x84,
    FBP_STATUS = 0x85,
    FBP_BYE_ACK = 0x86,
    FBP_ERROR_DUT = 0x87
} fbp_type;
#define FBP_FROM_DUT 0x80u /* type bit: sent by the DUT */

/* Errors (0 is success). fbp_strerror names them. */
typedef enum fbp_err {
    FBP_OK = 0,
    FBP_ERR_OVERSIZE = -1,   /* decoded packet longer than FBP_MAX_RAW (or the caller's limit) */
    FBP_ERR_COBS = -2,       /* COBS block runs past the delimiter */
    FBP_ERR_TRUNCATED = -3,  /* shorter than a header + CRC, or than its length field says */
    FBP_ERR_LENGTH = -4,     /* longer than its length field says */
    FBP_ERR_CRC = -5,        /* CRC mismatch */
    FBP_ERR_HEADER = -6,     /* reserved header byte not 0 */
    FBP_ERR_TYPE = -7,       /* unknown message type */
    FBP_ERR_PAYLOAD = -8,    /* payload size wrong for the type, or a field out of bounds */
    FBP_ERR_SEQUENCE = -9,   /* chunk out of order, of another frame, or frame incomplete */
    FBP_ERR_FRAME_CRC = -10, /* assembled frame does not match FRAME_START.crc32 */
    FBP_ERR_ARG = -11        /* caller error: NULL, buffer too small, value out of range */
} fbp_err;
#define FBP_ERR_COUNT 12 /* number of codes including FBP_OK, for counters indexed by -code */

/* ---- messages --------------------------------------------------------------------------- */

typedef struct fbp_hello { /* bench -> DUT, 12 bytes */
    uint32_t magic;        /* FBP_MAGIC */
    uint8_t major, minor;  /* protocol version */
    uint16_t max_payload;  /* largest payload the bench accepts */
    uint32_t caps;         /* FBP_CAP_* the bench can use */
} fbp_hello;

typedef struct fbp_hello_ack { /* DUT -> bench, 12 + name bytes */
    uint32_t magic;
    uint8_t major, minor;
    uint16_t max_payload;        /* largest payload the DUT accepts, >= FBP_MIN_PAYLOAD_LIMIT */
    uint32_t caps;               /* FBP_CAP_* the DUT can use */
    char name[FBP_NAME_MAX + 1]; /* 1..63 printable ASCII bytes on the wire; NUL-terminated here */
} fbp_hello_ack;

typedef struct fbp_config { /* bench -> DUT, 36 bytes: the camera as installed */
    uint32_t api_version;   /* FBFW_API_VERSION */
    uint16_t width, height; /* 1..FBP_MAX_DIM */
    uint32_t fps_milli;
    uint32_t focal_px_milli;
    uint16_t bb_x, bb_y, bb_w, bb_h;
    uint16_t bb_set_ck;
    uint16_t alarm_threshold_ck;
    uint16_t body_offset_ck;
    uint16_t chunk_bytes; /* pixel bytes per FRAME_CHUNK: even, 2..FBP_CHUNK_MAX_DATA */
    uint32_t flags;       /* FBP_CFG_* */
} fbp_config;

typedef struct fbp_config_ack { /* DUT -> bench, 8 bytes */
    int32_t result;             /* 0, or the firmware's negative error */
    uint32_t state_bytes;       /* memory the firmware uses for this configuration */
} fbp_config_ack;

typedef struct fbp_frame_start { /* bench -> DUT, 16 bytes */
    uint32_t frame_no;
    uint32_t flags;    /* FBP_FRAME_* */
    uint16_t n_chunks; /* FRAME_CHUNKs that follow; 0 when on the frame port */
    uint32_t crc32;    /* frame port: CRC-32C of the frame's width*height*2 pixel bytes;
                        * chunks: 0 (each chunk's packet has its CRC) */
} fbp_frame_start;

typedef struct fbp_frame_chunk { /* bench -> DUT, 8 + n_bytes */
    uint32_t frame_no;
    uint16_t index;      /* 0 .. n_chunks-1, in order */
    uint16_t n_bytes;    /* even, 2..FBP_CHUNK_MAX_DATA */
    const uint8_t *data; /* pixels, u16 LE each; points into the packet buffer */
} fbp_frame_chunk;

typedef struct fbp_ping { /* bench -> DUT, 4 bytes */
    uint32_t nonce;
} fbp_ping;

typedef struct fbp_bye { /* bench -> DUT, 4 bytes */
    uint32_t reason;     /* 0 run complete, 1 run aborted */
} fbp_bye;

typedef struct fbp_error {       /* either way, 8 + text bytes */
    uint16_t code;               /* FBP error as a positive number (-fbp_err), or >= 100 */
    uint8_t fatal;               /* 0 or 1: the sender cannot go on */
    uint32_t frame_no;           /* frame concerned, 0xFFFFFFFF if none */
    char text[FBP_TEXT_MAX + 1]; /* 0..64 printable ASCII bytes; NUL-terminated here */
} fbp_error;

typedef struct fbp_event { /* DUT -> bench, 24 bytes: one fbfw_event */
    uint8_t kind;          /* 1 measurement, 2 status */
    uint8_t alarm;         /* 0 or 1 */
    uint16_t status;
    uint32_t frame;
    uint32_t track_id;
    uint16_t box_x, box_y, box_w, box_h;
    uint16_t skin_ck, body_ck;
} fbp_event;

typedef struct fbp_frame_done { /* DUT -> bench, 12 bytes */
    uint32_t frame_no;
    uint16_t n_events; /* EVENT messages sent for this frame, <= 64 */
    int16_t result;    /* 0, or the firmware's negative error */
    uint32_t proc_us;  /* time the DUT spent on the frame, 0xFFFFFFFF if unknown */
} fbp_frame_done;

typedef struct fbp_status { /* DUT -> bench, 24 bytes: the answer to PING */
    uint32_t nonce;
    uint32_t uptime_ms;
    uint32_t frames_done;
    uint32_t rx_packets;
    uint32_t rx_errors; /* malformed packets the DUT received */
    uint32_t tx_packets;
} fbp_status;

typedef struct fbp_bye_ack { /* DUT -> bench, 4 bytes */
    uint32_t frames_done;
} fbp_bye_ack;

typedef struct fbp_msg {
    uint8_t type; /* fbp_type */
    union {
        fbp_hello hello;
        fbp_hello_ack hello_ack;
        fbp_config config;
        fbp_config_ack config_ack;
        fbp_frame_start frame_start;
        fbp_frame_chunk chunk;
        fbp_ping ping;
        fbp_bye bye;
        fbp_error error; /* FBP_ERROR_BENCH and FBP_ERROR_DUT */
        fbp_event event;
        fbp_frame_done frame_done;
        fbp_status status;
        fbp_bye_ack bye_ack;
    } u;
} fbp_msg;

/* ---- functions ---------------------------------------------------------------------------- */

/* CRC-32C (Castagnoli, as in iSCSI and ext4): reflected poly 0x82F63B78, init and final XOR
 * 0xFFFFFFFF. Start with crc = 0 and chain: fbp_crc32(fbp_crc32(0, a, n), b, m) equals the CRC of
 * a then b. fbp_crc32(0, "123456789", 9) == 0xE3069283. Uses the x86-64 SSE4.2 instruction when
 * the CPU has it (same result; define FBP_NO_HW_CRC to build without). */
uint32_t fbp_crc32(uint32_t crc, const void *data, size_t n);

/* Name of a message type ("FRAME_DONE"), or NULL when the type is unknown. */
const char *fbp_type_name(uint8_t type);
/* Name of an error ("bad CRC"); never NULL. */
const char *fbp_strerror(int err);

/* Packs m into a decoded packet (header, payload, CRC) in out[0..cap). Returns its length or
 * FBP_ERR_ARG (unknown type, field out of bounds, cap too small). The packet never exceeds
 * FBP_MAX_RAW bytes. */
int fbp_pack(const fbp_msg *m, uint8_t *out, size_t cap);

/* COBS-encodes n bytes of in into out and appends the 0x00 delimiter. Returns the number of
 * bytes written, or FBP_ERR_ARG when cap is too small (n + n/254 + 2 always suffices). in and
 * out must not overlap. */
int fbp_cobs_encode(const uint8_t *in, size_t n, uint8_t *out, size_t cap);

/* fbp_pack then fbp_cobs_encode: the bytes to put on the wire (at most FBP_MAX_WIRE).
 * scratch holds the decoded packet on the way (>= FBP_MAX_RAW bytes). */
int fbp_encode(const fbp_msg *m, uint8_t *out, size_t cap, uint8_t *scratch, size_t scratch_cap);

/* Checks and decodes a decoded packet (what fbp_decoder_put delivers): length, CRC, header,
 * type and every field's bounds. On success fills *m (a chunk's data points into pkt) and
 * returns FBP_OK; else a negative fbp_err and *m is unspecified. */
int fbp_unpack(const uint8_t *pkt, size_t len, fbp_msg *m);

/* Incremental COBS receiver over a caller's buffer. Bytes go in one at a time; nothing is
 * ever written past buf[cap-1], however long the input. */
typedef struct fbp_decoder {
    uint8_t *buf;
    size_t cap;        /* limit of a decoded packet, <= FBP_MAX_RAW makes sense */
    size_t len;        /* decoded bytes of the packet being received */
    uint8_t left;      /* data bytes left in the current COBS block */
    bool zero_pending; /* the current block ends in an implicit 0x00 */
    bool started;      /* at least one byte of this packet seen */
    bool overflow;     /* packet longer than cap: dropped at the delimiter */
} fbp_decoder;

void fbp_decoder_init(fbp_decoder *d, uint8_t *buf, size_t cap);
/* Feeds one byte. Returns 0 while a packet is incomplete (or for an empty packet, which is
 * ignored), the decoded length (> 0, packet in d->buf until the next call) when a delimiter
 * completes one, or FBP_ERR_OVERSIZE / FBP_ERR_COBS when the packet that just ended is dropped. */
int fbp_decoder_put(fbp_decoder *d, uint8_t byte);

/* The same for a run of bytes: consumes in[0..n) until a packet ends (returns as
 * fbp_decoder_put does for that delimiter) or the input is used up (returns 0); *used tells how
 * many bytes were consumed. Feed the rest in the next call. Copies block data with memcpy. */
int fbp_decoder_feed(fbp_decoder *d, const uint8_t *in, size_t n, size_t *used);

/* Frame assembly on the receiving side: checks that chunks come in order, belong to the
 * frame announced and have the agreed size (each is CRC-checked as a packet already). */
typedef struct fbp_frame_rx {
    bool active;
    uint32_t frame_no;
    uint16_t n_chunks, next;
    uint16_t chunk_bytes;
    uint32_t frame_bytes, got;
} fbp_frame_rx;

/* Number of FRAME_CHUNKs for a frame of frame_bytes in chunks of chunk_bytes. */
uint32_t fbp_chunk_count(uint32_t frame_bytes, uint16_t chunk_bytes);
/* Starts a frame in chunks. Returns FBP_OK, or FBP_ERR_SEQUENCE when n_chunks does not match
 * frame_bytes / chunk_bytes or crc32 is not 0 (a frame on the frame port has n_chunks 0 and is
 * checked against crc32 by whoever reads the port). */
int fbp_frame_rx_start(fbp_frame_rx *rx, const fbp_frame_start *fs, uint32_t frame_bytes,
                       uint16_t chunk_bytes);
/* Copies one chunk into frame (frame_bytes long). Returns 0 (more to come), 1 (frame complete)
 * or FBP_ERR_SEQUENCE (wrong frame, index or size: the frame is dropped). */
int fbp_frame_rx_chunk(fbp_frame_rx *rx, const fbp_frame_chunk *c, uint8_t *frame);

#endif
