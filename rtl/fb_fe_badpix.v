// fb_fe_badpix.v — bad-pixel replacement over a two-bank line buffer, two pixels per clock (models/frontend.h, pass 2).
//
// A bad pixel takes floor((left + right) / 2) of the nearest good pixels in its row, the one
// side that exists at a row end, or keeps its own value if the row has no good pixel. Only
// good pixels are read, so replacements never feed each other.
//
// The writer stores each NUC'd row into one bank ({bad, y} per pixel, even and odd columns in
// separate memories). For every run of bad pixels closed by a good pixel it also stores, at the
// run's first column, that good pixel's value; a run still open at the row end is remembered
// per bank (trail_*: it has no right neighbour). The reader then knows both neighbours of every
// bad pixel while it streams the row out left to right. A row is read only after it has been
// completely written: latency is one row (W/2 clocks) plus 2 clocks.
`default_nettype none

// Clock edge: see fb_fe_top.v (posedge, or every toggle in the Verilated build).
`ifndef FB_FE_CLK_EDGE
`ifdef FB_FE_BOTH_EDGES
`define FB_FE_CLK_EDGE edge clk
`else
`define FB_FE_CLK_EDGE posedge clk
`endif
`endif

module fb_fe_badpix #(
    parameter integer WIDTH = 640,                                   // largest row, even, >= 4
    parameter integer CW    = (WIDTH > 4) ? $clog2(WIDTH / 2) : 1   // pair-column bits (derived)
) (
    input  wire          clk,
    input  wire          rst,         // synchronous: drops every row held
    input  wire [15:0]   cfg_hw,      // active row length in pixel pairs, 1..WIDTH/2
    // accept side: the pair the top accepts this cycle reaches the write port next cycle
    input  wire          acc,
    input  wire          acc_eol,
    output wire          acc_ready,   // the bank the next accepted pair goes to is free
    // write port (NUC output), never stalls; lane 0 = even column 2*wr_col, lane 1 = odd
    input  wire          wr_v,
    input  wire [CW-1:0] wr_col,
    input  wire          wr_bad0,
    input  wire          wr_bad1,
    input  wire [13:0]   wr_y0,
    input  wire [13:0]   wr_y1,
    input  wire          wr_eol,
    input  wire          wr_lastrow,  // the row is the last of its frame
    // output stream (registered)
    output reg           o_v,
    input  wire          o_ready,
    output reg  [13:0]   o_y0,
    output reg  [13:0]   o_y1,
    output reg           o_last,      // last pair of the frame
    output wire          busy
);
    localparam integer AW = CW + 1;   // {bank, pair column}

    reg [14:0] pix0 [0:(1 << AW) - 1];  // even columns: {bad, y}
    reg [14:0] pix1 [0:(1 << AW) - 1];  // odd columns
    reg [13:0] nxt0 [0:(1 << AW) - 1];  // at an even run start: y of the good pixel closing it
    reg [13:0] nxt1 [0:(1 << AW) - 1];  // at an odd run start

    // ---- write side ----
    reg          ab;           // bank of the next accepted pair
    reg          wb;           // bank being written
    reg  [1:0]   full;         // bank holds a complete row not yet read
    reg  [1:0]   lastrow;
    reg          run_open;     // a bad run is open (its start column in run_start)
    reg [CW:0]   run_start;    // pixel column
    reg  [1:0]   trail_v;      // per bank: the row ends in a bad run ...
    reg [CW:0]   trail0, trail1; // ... starting at this pixel column

    assign acc_ready = !full[ab];

    // lane 0 then lane 1: at most one run closes per pair (a good lane 0 leaves none open)
    wire [CW:0] col0    = {wr_col, 1'b0};
    wire [CW:0] col1    = {wr_col, 1'b1};
    wire        close0  = !wr_bad0 && run_open;
    wire        open_a  = wr_bad0;
    wire [CW:0] start_a = run_open ? run_start : col0;
    wire        close1  = !wr_bad1 && open_a;
    wire        open_b  = wr_bad1;
    wire [CW:0] start_b = open_a ? start_a : col1;
    wire [CW:0] nxt_col = close0 ? run_start : start_a;
    wire [13:0] nxt_y   = close0 ? wr_y0 : wr_y1;
    wire        nxt_we  = wr_v && (close0 || close1);

    // ---- read side: r1 = registered line-buffer read, o = replaced values ----
    reg          rb;
    reg [15:0]   rcol;
    reg          r1_v, r1_first, r1_last, r1_bank;
    reg [CW-1:0] r1_col;
    reg [14:0]   r1_p0, r1_p1;
    reg [13:0]   r1_n0, r1_n1;
    reg          prev_bad, pv, nv;
    reg [13:0]   pval, nval;

    wire o_adv  = !o_v || o_ready;
    wire r1_adv = !r1_v || o_adv;
    wire rd     = full[rb] && r1_adv;
    wire rd_eol = (rcol == cfg_hw - 16'd1);
    wire [AW-1:0] rd_addr = {rb, rcol[CW-1:0]};

    // floor mean of the neighbours that exist, else the pixel's own value
    function [13:0] rep(input pvf, input [13:0] pvv, input nvf, input [13:0] nvv,
                        input [13:0] own);
        /* verilator lint_off UNUSEDSIGNAL */  // bit 0 is dropped: floor of the mean
        reg [14:0] sum;
        /* verilator lint_on UNUSEDSIGNAL */
        begin
            sum = {1'b0, pvv} + {1'b0, nvv};
            rep = (pvf && nvf) ? sum[14:1] : pvf ? pvv : nvf ? nvv : own;
        end
    endfunction

    wire        b0 = r1_p0[14], b1 = r1_p1[14];
    wire [13:0] y0 = r1_p0[13:0], y1 = r1_p1[13:0];
    wire [CW:0] c0 = {r1_col, 1'b0}, c1 = {r1_col, 1'b1};
    wire [CW:0] trail = r1_bank ? trail1 : trail0;
    wire        tv    = r1_bank ? trail_v[1] : trail_v[0];
    // lane 0
    wire        pv0   = !r1_first && pv;
    wire        rh0   = b0 && (r1_first || !prev_bad);      // a run starts here
    wire        nv0   = rh0 ? !(tv && trail == c0) : nv;
    wire [13:0] nval0 = rh0 ? r1_n0 : nval;
    wire [13:0] y0_o  = b0 ? rep(pv0, pval, nv0, nval0, y0) : y0;
    wire        pv1   = b0 ? pv0 : 1'b1;
    wire [13:0] pval1 = b0 ? pval : y0;
    // lane 1
    wire        rh1   = b1 && !b0;
    wire        nv1   = rh1 ? !(tv && trail == c1) : nv0;
    wire [13:0] nval1 = rh1 ? r1_n1 : nval0;
    wire [13:0] y1_o  = b1 ? rep(pv1, pval1, nv1, nval1, y1) : y1;

    // All registers and both memories in one block, written so that every register is read
    // before it is assigned: the output stage, the read stage, the read pointer, the write side,
    // the reset last (the last nonblocking assignment wins: the same behaviour as reset-first),
    // so the Verilated model needs no shadow copy of a register read after an assignment to it.
    always @(`FB_FE_CLK_EDGE) begin : seq
        reg [1:0] full_nx;
        // A bank is filled by the writer and emptied by the reader, never both at once.
        full_nx[0] = (full[0] && !(rd && rd_eol && !rb)) || (wr_v && wr_eol && !wb);
        full_nx[1] = (full[1] && !(rd && rd_eol && rb)) || (wr_v && wr_eol && wb);

        // output stage: the replaced pair
        if (o_adv) begin
            o_v <= r1_v;
            if (r1_v) begin
                o_y0 <= y0_o;
                o_y1 <= y1_o;
                o_last <= r1_last;
                prev_bad <= b1;
                nv <= nv1;
                nval <= nval1;
                pv <= b1 ? pv1 : 1'b1;
                pval <= b1 ? pval1 : y1;
            end
        end

        // read stage: registered line-buffer read
        if (r1_adv) begin
            r1_v <= full[rb];
            r1_first <= (rcol == 16'd0);
            r1_last <= lastrow[rb] && rd_eol;
            r1_bank <= rb;
            r1_col <= rcol[CW-1:0];
        end
        if (rd) begin
            r1_p0 <= pix0[rd_addr];
            r1_p1 <= pix1[rd_addr];
            r1_n0 <= nxt0[rd_addr];
            r1_n1 <= nxt1[rd_addr];
            if (rd_eol) begin
                rcol <= 16'd0;
                rb <= !rb;
            end else
                rcol <= rcol + 16'd1;
        end

        // write side
        if (wr_v) begin
            pix0[{wb, wr_col}] <= {wr_bad0, wr_y0};
            pix1[{wb, wr_col}] <= {wr_bad1, wr_y1};
        end
        if (nxt_we && !nxt_col[0])
            nxt0[{wb, nxt_col[CW:1]}] <= nxt_y;
        if (nxt_we && nxt_col[0])
            nxt1[{wb, nxt_col[CW:1]}] <= nxt_y;
        if (acc && acc_eol)
            ab <= !ab;
        if (wr_v) begin
            if (wr_eol) begin
                lastrow[wb] <= wr_lastrow;
                trail_v[wb] <= open_b;
                if (wb)
                    trail1 <= start_b;
                else
                    trail0 <= start_b;
                run_open <= 1'b0;
                wb <= !wb;
            end else begin
                run_open <= open_b;
                run_start <= start_b;
            end
        end
        full <= full_nx;

        if (rst) begin
            ab <= 1'b0;
            wb <= 1'b0;
            full <= 2'b00;
            lastrow <= 2'b00;
            run_open <= 1'b0;
            run_start <= {(CW + 1){1'b0}};
            trail_v <= 2'b00;
            trail0 <= {(CW + 1){1'b0}};
            trail1 <= {(CW + 1){1'b0}};
            rb <= 1'b0;
            rcol <= 16'd0;
            r1_v <= 1'b0;
            r1_first <= 1'b0;
            r1_last <= 1'b0;
            r1_bank <= 1'b0;
            r1_col <= {CW{1'b0}};
            o_v <= 1'b0;
            o_y0 <= 14'd0;
            o_y1 <= 14'd0;
            o_last <= 1'b0;
            prev_bad <= 1'b0;
            pv <= 1'b0;
            nv <= 1'b0;
            pval <= 14'd0;
            nval <= 14'd0;
        end
    end

    assign busy = (full != 2'b00) || r1_v || o_v;
endmodule

`default_nettype wire
