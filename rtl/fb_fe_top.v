// fb_fe_top.v — feverbench sensor front-end: raw 14-bit counts -> centikelvin VoSPI packets, two pixels per clock, bit-exact with models/frontend.h.
//
// Pipeline (valid/ready everywhere, see docs/rtl.md):
//   input framing check -> NUC (offset, Q2.14 gain, round, clamp) -> fb_fe_badpix (line buffer,
//   bad-pixel replacement) -> calibration table with linear interpolation -> fb_fe_vospi
//   (164-byte packets, discard packets when idle).
// Each transfer carries a pair of horizontally adjacent pixels, so frame widths are even.
// Coefficients, the table and the control/status registers sit behind a word-wide
// address/data/write-enable bus. WIDTH x HEIGHT is the capacity (memory sizes); the active frame
// size is a register (FRAME_SIZE), so one build serves every camera profile up to it.
//
// Timing contract for drivers: in_ready, out_valid/out_data/out_sop/out_eop, err and
// frame_open are functions of registers only (never of this cycle's inputs).
`default_nettype none

// The clock edge every flop of the front-end uses: the rising edge, except in the Verilated
// build (rtl/CMakeLists.txt defines FB_FE_BOTH_EDGES), where every toggle of clk is one clock
// cycle. The logic is the same; Verilator then needs one eval() per cycle instead of two (a
// rising edge is only seen after an eval() with clk low). Icarus and synthesis use posedge.
`ifndef FB_FE_CLK_EDGE
`ifdef FB_FE_BOTH_EDGES
`define FB_FE_CLK_EDGE edge clk
`else
`define FB_FE_CLK_EDGE posedge clk
`endif
`endif

module fb_fe_top #(
    parameter integer WIDTH  = 640,  // capacity, even, >= 4
    parameter integer HEIGHT = 512   // capacity, >= 1
) (
    input  wire        clk,
    input  wire        rst,          // synchronous, active high: registers and stream state
    // register / memory bus: byte addresses of 32-bit words
    input  wire [31:0] bus_addr,
    input  wire [31:0] bus_wdata,
    input  wire        bus_we,
    input  wire        bus_re,
    output reg  [31:0] bus_rdata,    // the cycle after bus_re
    // raw counts, two pixels per transfer, row-major: [15:0] even column, [31:16] the next
    input  wire        in_valid,
    output wire        in_ready,
    input  wire [31:0] in_data,
    input  wire        in_sof,       // first pair of a frame
    input  wire        in_eol,       // last pair of a row
    // VoSPI packets: 41 words of 32 bits = 164 bytes, big-endian
    output wire        out_valid,
    input  wire        out_ready,
    output wire [31:0] out_data,
    output wire        out_sop,      // word 0: {ID, CRC}
    output wire        out_eop,      // word 40: the last two pixels
    output wire        err,          // ERROR register != 0
    output wire        frame_open    // the input is inside a frame (IN_POS != 0)
);
    localparam integer NPIX  = WIDTH * HEIGHT;
    localparam integer NPAIR = NPIX / 2;
    localparam integer IW    = $clog2(NPAIR);                       // pair index bits
    localparam integer CW    = (WIDTH > 4) ? $clog2(WIDTH / 2) : 1; // pair column bits
    localparam integer NPK   = (NPIX + 79) / 80;
    localparam integer PPS   = (NPK + 3) / 4;
    localparam [15:0]  W16   = WIDTH[15:0];
    localparam [15:0]  H16   = HEIGHT[15:0];
    localparam [31:0]  NPIX32 = NPIX;

    localparam [31:0] ID_VALUE = 32'hFBFE_0002;

    // CSR word indexes (byte address / 4) in region 0
    localparam [21:0] R_ID = 22'd0, R_CTRL = 22'd1, R_STATUS = 22'd2, R_ERROR = 22'd3,
                      R_CAPACITY = 22'd4, R_FRAME_SIZE = 22'd5, R_IN_POS = 22'd6,
                      R_FRAME_COUNT = 22'd7, R_PACKETS = 22'd8, R_SIM_CTRL = 22'd31;
    // regions (address bits 27:24)
    localparam [3:0] G_CSR = 4'd0, G_OFFSET = 4'd1, G_GAIN = 4'd2, G_BAD = 4'd3, G_CAL = 4'd4;
    // ERROR bits
    localparam integer E_SOF = 0, E_EOL = 1, E_ADDR = 2, E_DATA = 3, E_BUSY = 4, E_SIZE = 5;

    // ---------------------------------------------------------------- memories
    // Per-pixel coefficients, even and odd columns in separate memories (one read each per pair).
    reg [15:0] off0  [0:NPAIR-1];  // int16 offsets
    reg [15:0] off1  [0:NPAIR-1];
    reg [15:0] gain0 [0:NPAIR-1];  // Q2.14 gains
    reg [15:0] gain1 [0:NPAIR-1];
    reg        bad0  [0:NPAIR-1];
    reg        bad1  [0:NPAIR-1];
    reg [15:0] cal_mem [0:256];

    // ---------------------------------------------------------------- registers
    reg [15:0] cfg_w, cfg_hw, cfg_h, cfg_n;  // width, width in pairs, height, packets
    reg [11:0] cfg_p;
    reg        disc_en;
    reg        srst_q;
    reg [5:0]  err_q;
    reg [31:0] frame_count;

    wire srst = rst || srst_q;
    wire busy;   // a frame is somewhere in the pipeline (coefficients and size are in use)

    // ---------------------------------------------------------------- input framing
    reg [15:0]   in_row, in_col;   // in_col counts pairs
    reg [IW-1:0] in_idx;           // pair index in the frame
    wire bp_acc_ready;
    assign in_ready = bp_acc_ready && !srst_q;
    wire acc    = in_valid && in_ready;
    wire at_sof = (in_row == 16'd0) && (in_col == 16'd0);
    wire at_eol = (in_col == cfg_hw - 16'd1);
    wire at_lastrow = (in_row == cfg_h - 16'd1);
    assign frame_open = !at_sof;

    // NUC stage registers (A): the accepted pair and its coefficients
    reg          a_v;
    reg [31:0]   a_c;
    reg [CW-1:0] a_col;
    reg          a_eol, a_lastrow;
    reg [15:0]   a_off0, a_off1, a_gain0, a_gain1;
    reg          a_bad0, a_bad1;

    // (loaded from the coefficient memories in the stream-state block below)

    // y = clamp(floor((x * gain + 8192) / 2^14), 0, 16383), x = counts - offset
    function [13:0] nuc(input [15:0] c, input [15:0] off, input [15:0] gain);
        reg signed [17:0] x;
        /* verilator lint_off UNUSEDSIGNAL */  // the low 14 bits are shifted out: floor division
        reg signed [34:0] p;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            x = $signed({2'b00, c}) - $signed({{2{off[15]}}, off});
            p = x * $signed({1'b0, gain}) + 35'sd8192;
            // p[34:14] is the floor shift; negative -> 0, above 16383 -> 16383
            nuc = p[34] ? 14'd0 : (|p[33:28]) ? 14'h3FFF : p[27:14];
        end
    endfunction

    wire [13:0] nuc_y0 = nuc(a_c[15:0], a_off0, a_gain0);
    wire [13:0] nuc_y1 = nuc(a_c[31:16], a_off1, a_gain1);

    // ---------------------------------------------------------------- bad pixels
    wire        bp_v, bp_ready, bp_last, bp_busy;
    wire [13:0] bp_y0, bp_y1;

    fb_fe_badpix #(.WIDTH(WIDTH), .CW(CW)) u_badpix (
        .clk(clk), .rst(srst), .cfg_hw(cfg_hw),
        .acc(acc), .acc_eol(at_eol), .acc_ready(bp_acc_ready),
        .wr_v(a_v), .wr_col(a_col), .wr_bad0(a_bad0), .wr_bad1(a_bad1),
        .wr_y0(nuc_y0), .wr_y1(nuc_y1), .wr_eol(a_eol), .wr_lastrow(a_lastrow),
        .o_v(bp_v), .o_ready(bp_ready), .o_y0(bp_y0), .o_y1(bp_y1), .o_last(bp_last),
        .busy(bp_busy));

    // ---------------------------------------------------------------- calibration table
    // ck = cal[k] + floor(((cal[k+1] - cal[k]) * f + 32) / 64), k = y >> 6, f = y & 63
    reg         c_v, c_last;
    reg [5:0]   c_f0, c_f1;
    reg [15:0]  c00, c01, c10, c11;  // lane 0: cal[k], cal[k+1]; lane 1: same
    wire        pk_ready;
    wire        c_adv = !c_v || pk_ready;
    assign bp_ready = c_adv;

    always @(`FB_FE_CLK_EDGE) begin
        if (c_adv && bp_v) begin
            c00 <= cal_mem[{1'b0, bp_y0[13:6]}];
            c01 <= cal_mem[{1'b0, bp_y0[13:6]} + 9'd1];
            c10 <= cal_mem[{1'b0, bp_y1[13:6]}];
            c11 <= cal_mem[{1'b0, bp_y1[13:6]} + 9'd1];
        end
    end

    function [15:0] interp(input [15:0] lo, input [15:0] hi, input [5:0] f);
        reg signed [16:0] d;
        /* verilator lint_off UNUSEDSIGNAL */  // floor shift; the top bits are sign copies
        reg signed [23:0] m;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            d = $signed({1'b0, hi}) - $signed({1'b0, lo});
            m = d * $signed({1'b0, f}) + 24'sd32;
            interp = lo + m[21:6];  // floor shift; the result always fits 0..65535
        end
    endfunction

    wire [15:0] ck0 = interp(c00, c01, c_f0);
    wire [15:0] ck1 = interp(c10, c11, c_f1);

    // ---------------------------------------------------------------- packetizer
    wire pk_busy, pk_frame_done;

    fb_fe_vospi u_vospi (
        .clk(clk), .rst(srst), .cfg_p(cfg_p), .disc_en(disc_en),
        .px_v(c_v), .px_ready(pk_ready), .px_d0(ck0), .px_d1(ck1), .px_last(c_last),
        .o_v(out_valid), .o_ready(out_ready), .o_d(out_data), .o_sop(out_sop), .o_eop(out_eop),
        .frame_done(pk_frame_done), .busy(pk_busy));

    assign busy = frame_open || a_v || bp_busy || c_v || pk_busy;
    assign err = (err_q != 6'd0);

    // ---------------------------------------------------------------- stream state
    // Every register is read before it is assigned and the reset comes last (the last
    // nonblocking assignment wins: the same behaviour as reset-first), so the Verilated model
    // needs no shadow copies (same style in fb_fe_badpix.v and fb_fe_vospi.v).
    always @(`FB_FE_CLK_EDGE) begin
        if (acc) begin  // coefficients of the accepted pair
            a_off0  <= off0[in_idx];
            a_off1  <= off1[in_idx];
            a_gain0 <= gain0[in_idx];
            a_gain1 <= gain1[in_idx];
            a_bad0  <= bad0[in_idx];
            a_bad1  <= bad1[in_idx];
        end
        a_v <= acc;
        if (acc) begin
            a_c <= in_data;
            a_col <= in_col[CW-1:0];
            a_eol <= at_eol;
            a_lastrow <= at_lastrow;
            in_idx <= (at_eol && at_lastrow) ? {IW{1'b0}} : in_idx + {{(IW-1){1'b0}}, 1'b1};
            if (at_eol) begin
                in_row <= at_lastrow ? 16'd0 : in_row + 16'd1;
                in_col <= 16'd0;
            end else
                in_col <= in_col + 16'd1;
        end
        if (c_adv) begin
            c_v <= bp_v;
            if (bp_v) begin
                c_f0 <= bp_y0[5:0];
                c_f1 <= bp_y1[5:0];
                c_last <= bp_last;
            end
        end
        if (srst) begin
            in_row <= 16'd0;
            in_col <= 16'd0;
            in_idx <= {IW{1'b0}};
            a_v <= 1'b0;
            a_c <= 32'd0;
            a_col <= {CW{1'b0}};
            a_eol <= 1'b0;
            a_lastrow <= 1'b0;
            c_v <= 1'b0;
            c_last <= 1'b0;
            c_f0 <= 6'd0;
            c_f1 <= 6'd0;
        end
    end

    // ---------------------------------------------------------------- control / status
    // The bus is decoded only in cycles that carry an access (the decode sits inside the
    // clocked block rather than in continuous assigns): an idle bus costs the simulation
    // nothing per pixel.
    always @(`FB_FE_CLK_EDGE) begin : control
        reg [3:0]    region;
        reg [21:0]   widx;
        reg [IW-1:0] midx;
        reg          odd;
        reg [8:0]    cidx;
        reg          addr_ok, data_ok;
        reg [15:0]   fs_w, fs_h;
        reg [31:0]   fs_n, fs_p;
        reg [5:0]    e, clr;

        e = 6'd0;
        e[E_SOF] = acc && (in_sof != at_sof);  // framing: flags where the RTL expects them
        e[E_EOL] = acc && (in_eol != at_eol);
        clr = 6'd0;
        srst_q <= 1'b0;
        if ((bus_we || bus_re) && !rst) begin
            region = bus_addr[27:24];
            widx = bus_addr[23:2];
            midx = widx[IW:1];   // pixel i lives in memory (i & 1) at pair index i >> 1
            odd = widx[0];
            cidx = widx[8:0];
            case (region)
                G_CSR:    addr_ok = (widx <= R_PACKETS) || (widx == R_SIM_CTRL);
                G_OFFSET, G_GAIN, G_BAD: addr_ok = ({10'd0, widx} < NPIX32);
                G_CAL:    addr_ok = (widx < 22'd257);
                default:  addr_ok = 1'b0;
            endcase
            if (bus_addr[31:28] != 4'd0 || bus_addr[1:0] != 2'd0)
                addr_ok = 1'b0;
            case (region)  // write data range per field
                G_OFFSET:      data_ok = (bus_wdata[31:16] == {16{bus_wdata[15]}});  // int16
                G_GAIN, G_CAL: data_ok = (bus_wdata[31:16] == 16'd0);
                G_BAD:         data_ok = (bus_wdata[31:1] == 31'd0);
                default:       data_ok = 1'b1;
            endcase
            // reads first: a register is read before this cycle's write to it
            if (bus_re) begin
                bus_rdata <= 32'd0;
                if (addr_ok)
                    case (region)
                        G_CSR:
                            case (widx)
                                R_ID:          bus_rdata <= ID_VALUE;
                                R_CTRL:        bus_rdata <= {30'd0, disc_en, 1'b0};
                                R_STATUS:      bus_rdata <= {29'd0, err, busy, frame_open};
                                R_ERROR:       bus_rdata <= {26'd0, err_q};
                                R_CAPACITY:    bus_rdata <= {H16, W16};
                                R_FRAME_SIZE:  bus_rdata <= {cfg_h, cfg_w};
                                R_IN_POS:      bus_rdata <= {in_row, in_col[14:0], 1'b0};
                                R_FRAME_COUNT: bus_rdata <= frame_count;
                                R_PACKETS:     bus_rdata <= {4'd0, cfg_p, cfg_n};
                                default:       bus_rdata <= 32'd0;
                            endcase
                        G_OFFSET: bus_rdata <= odd ? {{16{off1[midx][15]}}, off1[midx]}
                                                   : {{16{off0[midx][15]}}, off0[midx]};
                        G_GAIN:   bus_rdata <= {16'd0, odd ? gain1[midx] : gain0[midx]};
                        G_BAD:    bus_rdata <= {31'd0, odd ? bad1[midx] : bad0[midx]};
                        default:  bus_rdata <= {16'd0, cal_mem[cidx]};
                    endcase
            end
            if (!addr_ok)
                e[E_ADDR] = 1'b1;
            else if (bus_we && region != G_CSR) begin
                if (!data_ok)
                    e[E_DATA] = 1'b1;
                else if (busy)
                    e[E_BUSY] = 1'b1;
                else
                    case (region)
                        G_OFFSET:
                            if (odd) off1[midx] <= bus_wdata[15:0];
                            else     off0[midx] <= bus_wdata[15:0];
                        G_GAIN:
                            if (odd) gain1[midx] <= bus_wdata[15:0];
                            else     gain0[midx] <= bus_wdata[15:0];
                        G_BAD:
                            if (odd) bad1[midx] <= bus_wdata[0];
                            else     bad0[midx] <= bus_wdata[0];
                        default:
                            cal_mem[cidx] <= bus_wdata[15:0];
                    endcase
            end else if (bus_we) begin
                case (widx)
                    R_CTRL: begin
                        srst_q <= bus_wdata[0];
                        disc_en <= bus_wdata[1];
                    end
                    R_ERROR:
                        clr = bus_wdata[5:0];
                    R_FRAME_SIZE: begin
                        // {height, width}: width even; packets per segment below the discard IDs
                        fs_w = bus_wdata[15:0];
                        fs_h = bus_wdata[31:16];
                        fs_n = ({16'd0, fs_w} * {16'd0, fs_h} + 32'd79) / 32'd80;
                        fs_p = (fs_n + 32'd3) >> 2;
                        if (busy)
                            e[E_BUSY] = 1'b1;
                        else if (fs_w == 16'd0 || fs_w[0] || fs_w > W16 || fs_h == 16'd0 ||
                                 fs_h > H16 || fs_p > 32'd3839)
                            e[E_SIZE] = 1'b1;
                        else begin
                            cfg_w <= fs_w;
                            cfg_hw <= {1'b0, fs_w[15:1]};
                            cfg_h <= fs_h;
                            cfg_n <= fs_n[15:0];
                            cfg_p <= fs_p[11:0];
                        end
                    end
`ifndef SYNTHESIS
                    R_SIM_CTRL:
                        // Simulation hook: lets the harness prove that $finish / $stop end
                        // the run without ending the process. Not part of the hardware.
                        if (bus_wdata == 32'h0000_F1F1)
                            $finish;
                        else if (bus_wdata == 32'h0000_5709)
                            $stop;
`endif
                    default: ;
                endcase
            end
        end
        err_q <= (err_q & ~clr) | e;
        if (pk_frame_done)
            frame_count <= frame_count + 32'd1;
        if (rst) begin  // last: overrides everything above
            cfg_w <= W16;
            cfg_hw <= {1'b0, W16[15:1]};
            cfg_h <= H16;
            cfg_n <= NPK[15:0];
            cfg_p <= PPS[11:0];
            disc_en <= 1'b1;
            err_q <= 6'd0;
            frame_count <= 32'd0;
        end
    end
endmodule

`default_nettype wire
