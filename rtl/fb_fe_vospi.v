// fb_fe_vospi.v — Lepton-style VoSPI packetizer, two pixels per clock: 80 pixels -> one 164-byte packet (41 x 32-bit words), discard packets when idle.
//
// Packet = 164 bytes, big-endian: ID, CRC, 80 pixels (docs/sources.md "Sensor facts"); on this port
// 41 words of 32 bits: word 0 = {ID, CRC}, word j = {pixel 2j-2, pixel 2j-1}.
// ID = {1'b0, segment[2:0], number[11:0]}: the flattened frame is cut into N = ceil(W*H/80)
// packets (the last one zero-padded), grouped into 4 segments of P = ceil(N/4) packets
// (segment 1..4, number 0..P-1 inside its segment), as a Lepton 3 numbers its 4 x 60 packets.
// CRC-16 (x^16+x^12+x^5+1, initial 0, no reflection, no final xor) over the whole packet with
// the ID's top 4 bits and the CRC field taken as zero. A discard packet (ID 0x0FFF, 80 zero
// pixels, valid CRC) goes out whenever the output is free and no packet is complete.
// Two packet buffers: one fills (40 pixel pairs) while the other is sent (41 words).
`default_nettype none

// Clock edge: see fb_fe_top.v (posedge, or every toggle in the Verilated build).
`ifndef FB_FE_CLK_EDGE
`ifdef FB_FE_BOTH_EDGES
`define FB_FE_CLK_EDGE edge clk
`else
`define FB_FE_CLK_EDGE posedge clk
`endif
`endif

module fb_fe_vospi (
    input  wire        clk,
    input  wire        rst,
    input  wire [11:0] cfg_p,      // packets per segment, 1..3839
    input  wire        disc_en,    // send discard packets when idle
    // pixel pairs (centikelvin), d0 first; last = last pair of the frame
    input  wire        px_v,
    output wire        px_ready,
    input  wire [15:0] px_d0,
    input  wire [15:0] px_d1,
    input  wire        px_last,
    // packet words
    output reg         o_v,
    input  wire        o_ready,
    output reg  [31:0] o_d,
    output reg         o_sop,
    output reg         o_eop,
    output reg         frame_done, // one-cycle pulse: last word of a frame's last packet loaded
    output wire        busy        // a data packet is being filled, is waiting or is being sent
);
    localparam [15:0] DISCARD_ID = 16'h0FFF;
    localparam [5:0]  LAST_POS   = 6'd39;   // pairs per packet - 1
    localparam [5:0]  LAST_WORD  = 6'd40;   // words per packet - 1

    // CRC-16/XMODEM of one byte, MSB first (the classic shift-free byte update).
    function [15:0] crc_byte(input [15:0] c, input [7:0] b);
        reg [7:0] x;
        begin
            x = c[15:8] ^ b;
            x = x ^ {4'd0, x[7:4]};
            crc_byte = {c[7:0], 8'd0} ^ {x[3:0], 12'd0} ^ {3'd0, x, 5'd0} ^ {8'd0, x};
        end
    endfunction

    function [15:0] crc_word(input [15:0] c, input [15:0] w);
        begin
            crc_word = crc_byte(crc_byte(c, w[15:8]), w[7:0]);
        end
    endfunction

    function [15:0] discard_crc(input integer n);
        integer i;
        reg [15:0] c;
        begin
            c = crc_word(crc_word(16'd0, DISCARD_ID), 16'd0);
            for (i = 0; i < n; i = i + 1)
                c = crc_word(c, 16'd0);
            discard_crc = c;
        end
    endfunction

    localparam [15:0] DISCARD_CRC = discard_crc(80);

    // ---- fill side ----
    reg [31:0] pbuf [0:127];      // {buffer, pair 0..39}: {first pixel, second pixel}
    reg [1:0]  rts;               // buffer complete, ready to send
    reg        fb;                // buffer being filled
    reg [5:0]  pos;               // next pair in it
    reg        pad;               // frame's last pair written: zero-fill the rest
    reg [15:0] crc_f;             // running CRC of the packet being filled (header included)
    reg [2:0]  seg;               // ID of the packet being filled
    reg [11:0] num;
    reg [15:0] bid0, bid1, bcrc0, bcrc1;
    reg        blast0, blast1;

    wire        fill_ok  = !rts[fb];
    assign      px_ready = fill_ok && !pad;
    wire        wr       = fill_ok && (pad || px_v);
    wire [31:0] wd       = pad ? 32'd0 : {px_d0, px_d1};
    wire [15:0] id_f     = {1'b0, seg, num};
    wire        pkt_end  = (pos == LAST_POS);
    wire        fin      = pad || px_last;  // with pkt_end: this packet ends the frame

    // ---- send side ----
    reg [5:0]  wc;                // next word of the packet being sent (0 = none started)
    reg        eb;                // buffer being sent
    reg        kind_data;         // packet being sent is data (else discard)

    wire        ld      = !o_v || o_ready;
    wire [5:0]  wc_px   = wc - 6'd1;
    wire [31:0] px_word = pbuf[{eb, wc_px}];
    wire        rts_eb  = eb ? rts[1] : rts[0];
    wire        sent    = ld && (wc == LAST_WORD) && kind_data;  // last word of a data packet loaded

    // One block for both sides, written so that every register is read before it is assigned
    // (the send side first, the fill side, the buffer flags, the reset last: the last
    // nonblocking assignment wins). Same behaviour as reset-first; Verilator then needs no shadow
    // copy of a register that is read after an assignment to it in the same pass.
    always @(`FB_FE_CLK_EDGE) begin : ctl
        reg [15:0] crc_nx;
        reg [2:0]  seg_nx;
        reg [11:0] num_nx;
        reg [1:0]  rts_nx;
        reg        last_w, kd, e_b;
        reg [5:0]  wc_inc;
        // A buffer is set complete by the filler and freed by the sender, never both at once.
        rts_nx[0] = (rts[0] && !(sent && !eb)) || (wr && pkt_end && !fb);
        rts_nx[1] = (rts[1] && !(sent && eb)) || (wr && pkt_end && fb);
        last_w = (wc == LAST_WORD);
        kd = kind_data;
        e_b = eb;
        wc_inc = wc + 6'd1;

        // send
        frame_done <= 1'b0;
        if (ld) begin
            if (wc == 6'd0) begin
                o_sop <= 1'b1;
                o_eop <= 1'b0;
                if (rts_eb) begin
                    o_v <= 1'b1;
                    o_d <= e_b ? {bid1, bcrc1} : {bid0, bcrc0};
                    kind_data <= 1'b1;
                    wc <= 6'd1;
                end else if (disc_en) begin
                    o_v <= 1'b1;
                    o_d <= {DISCARD_ID, DISCARD_CRC};
                    kind_data <= 1'b0;
                    wc <= 6'd1;
                end else begin
                    o_v <= 1'b0;
                    o_sop <= 1'b0;
                end
            end else begin
                o_v <= 1'b1;
                o_sop <= 1'b0;
                o_eop <= last_w;
                o_d <= kd ? px_word : 32'd0;
                if (last_w) begin
                    wc <= 6'd0;
                    if (kd) begin
                        frame_done <= e_b ? blast1 : blast0;
                        eb <= !e_b;
                    end
                end else
                    wc <= wc_inc;
            end
        end

        // fill
        if (wr) begin
            pbuf[{fb, pos}] <= wd;
            crc_nx = crc_word(crc_word(crc_f, wd[31:16]), wd[15:0]);
            pad <= !pkt_end && (pad || px_last);  // zero-fill after the frame's last pair
            if (pkt_end) begin
                if (fb) begin
                    bid1 <= id_f;
                    bcrc1 <= crc_nx;
                    blast1 <= fin;
                end else begin
                    bid0 <= id_f;
                    bcrc0 <= crc_nx;
                    blast0 <= fin;
                end
                seg_nx = seg;
                num_nx = num + 12'd1;
                if (fin) begin
                    seg_nx = 3'd1;
                    num_nx = 12'd0;
                end else if (num == cfg_p - 12'd1) begin
                    seg_nx = seg + 3'd1;
                    num_nx = 12'd0;
                end
                seg <= seg_nx;
                num <= num_nx;
                // the next packet's CRC starts with its ID (top 4 bits zero) and a zero CRC field
                crc_f <= crc_word(crc_word(16'd0, {4'd0, num_nx}), 16'd0);
                fb <= !fb;
                pos <= 6'd0;
            end else begin
                crc_f <= crc_nx;
                pos <= pos + 6'd1;
            end
        end
        rts <= rts_nx;

        if (rst) begin
            rts <= 2'b00;
            fb <= 1'b0;
            pos <= 6'd0;
            pad <= 1'b0;
            crc_f <= 16'd0;  // CRC of packet 0's header: ID 0x?000 and the CRC field, all zero
            seg <= 3'd1;
            num <= 12'd0;
            bid0 <= 16'd0;
            bid1 <= 16'd0;
            bcrc0 <= 16'd0;
            bcrc1 <= 16'd0;
            blast0 <= 1'b0;
            blast1 <= 1'b0;
            wc <= 6'd0;
            eb <= 1'b0;
            kind_data <= 1'b0;
            o_v <= 1'b0;
            o_d <= 32'd0;
            o_sop <= 1'b0;
            o_eop <= 1'b0;
            frame_done <= 1'b0;
        end
    end

    assign busy = (pos != 6'd0) || pad || (rts != 2'b00) || (wc != 6'd0 && kind_data);
endmodule

`default_nettype wire
