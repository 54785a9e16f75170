// fb_fe_tb.v — Icarus Verilog test bench for fb_fe_top: runs a command file ($readmemh) of bus writes/reads and frames, logs every output word.
//
// Files in +dir=<path> (written by rtl/tb/tbvec.c):
//   meta.hex    4 words: number of commands, number of pixels, cycle budget, 0
//   cmds.hex    3 words per command: op, a, b
//                 op 1: bus write  (address a, data b)
//                 op 2: push the next b pixel pairs; then wait until a data packets (in total)
//                       came out
//                 op 3: bus read of address a, logged as "R aaaaaaaa dddddddd"
//   pixels.hex  one word per pixel pair: {eol, sof, odd column counts, even column counts}
// Output <dir>/out.txt: "W xxxxxxxxx" per output word ({sop, eop, data[31:0]}), the reads, then
// "DONE <stream cycles>" or "TIMEOUT ...".
// +stress=1 drives valid and ready from an LFSR (random gaps and back-pressure);
// +skipstream=1 runs the bus commands only (the benchmark's baseline).
`default_nettype none

module fb_fe_tb;
    parameter integer CAP_W = 160;
    parameter integer CAP_H = 120;
    localparam integer MAXPIX = 4 * CAP_W * CAP_H;  // pixel pairs
    localparam integer MAXCMD = 3 * (4 * CAP_W * CAP_H + 4096);

    reg clk = 1'b0;
    always #5 clk = !clk;

    reg         rst = 1'b1;
    reg  [31:0] bus_addr = 32'd0, bus_wdata = 32'd0;
    reg         bus_we = 1'b0, bus_re = 1'b0;
    wire [31:0] bus_rdata;
    reg         in_valid = 1'b0;
    wire        in_ready;
    reg  [31:0] in_data = 32'd0;
    reg         in_sof = 1'b0, in_eol = 1'b0;
    wire        out_valid;
    reg         out_ready = 1'b0;
    wire [31:0] out_data;
    wire        out_sop, out_eop, err, frame_open;

    fb_fe_top #(.WIDTH(CAP_W), .HEIGHT(CAP_H)) dut (
        .clk(clk), .rst(rst),
        .bus_addr(bus_addr), .bus_wdata(bus_wdata), .bus_we(bus_we), .bus_re(bus_re),
        .bus_rdata(bus_rdata),
        .in_valid(in_valid), .in_ready(in_ready), .in_data(in_data), .in_sof(in_sof),
        .in_eol(in_eol),
        .out_valid(out_valid), .out_ready(out_ready), .out_data(out_data), .out_sop(out_sop),
        .out_eop(out_eop), .err(err), .frame_open(frame_open));

    reg [31:0] meta [0:3];
    reg [31:0] cmds [0:MAXCMD-1];
    reg [33:0] pix  [0:MAXPIX-1];

    reg [8*1024-1:0] dir, fname;
    integer fo, stress, skip, ncmd, npix, budget;
    integer c, i;
    reg [31:0] op, a, b;

    // ---- random flow control ----
    reg [31:0] lfsr = 32'h1234_5678;
    always @(posedge clk)
        lfsr <= {lfsr[30:0], lfsr[31] ^ lfsr[21] ^ lfsr[1] ^ lfsr[0]};
    wire offer_ok = (stress == 0) || (lfsr[2:0] != 3'd0);   // 7 in 8
    wire take_ok  = (stress == 0) || (lfsr[6:4] > 3'd1);    // 6 in 8

    // ---- pixel driver: offers pixels [pix_ptr, pix_limit) ----
    integer pix_ptr = 0, pix_limit = 0;
    integer stream_cycles = 0;
    reg streaming = 1'b0;
    always @(posedge clk) begin
        if (streaming)
            stream_cycles <= stream_cycles + 1;
        if (in_valid && in_ready) begin
            pix_ptr = pix_ptr + 1;
            in_valid <= 1'b0;
        end
        if (!(in_valid && !in_ready)) begin  // not holding an unaccepted pixel
            if (pix_ptr < pix_limit && offer_ok) begin
                in_valid <= 1'b1;
                in_data <= pix[pix_ptr][31:0];
                in_sof <= pix[pix_ptr][32];
                in_eol <= pix[pix_ptr][33];
            end else
                in_valid <= 1'b0;
        end
    end

    // ---- output monitor ----
    integer data_pkts = 0, wpos = 0;
    reg     cur_discard = 1'b0;
    always @(posedge clk) begin
        out_ready <= streaming && take_ok;
        if (out_valid && out_ready) begin
            $fwrite(fo, "W %09x\n", {out_sop, out_eop, out_data});
            if (out_sop)
                cur_discard = (out_data[27:24] == 4'hF);
            if (out_eop && !cur_discard)
                data_pkts = data_pkts + 1;
        end
    end

    initial begin
        if (!$value$plusargs("dir=%s", dir)) begin
            $display("fb_fe_tb: +dir=<vector directory> missing");
            $finish;
        end
        if (!$value$plusargs("stress=%d", stress))
            stress = 0;
        if (!$value$plusargs("skipstream=%d", skip))
            skip = 0;
        $sformat(fname, "%0s/meta.hex", dir);
        $readmemh(fname, meta);
        ncmd = meta[0];
        npix = meta[1];
        budget = meta[2];
        if (ncmd < 1 || ncmd > MAXCMD / 3 || npix > MAXPIX) begin
            $display("fb_fe_tb: %0d commands / %0d pixels exceed the bench's arrays", ncmd, npix);
            $finish;
        end
        $sformat(fname, "%0s/cmds.hex", dir);
        $readmemh(fname, cmds, 0, 3 * ncmd - 1);
        if (npix > 0) begin
            $sformat(fname, "%0s/pixels.hex", dir);
            $readmemh(fname, pix, 0, npix - 1);
        end
        $sformat(fname, "%0s/out.txt", dir);
        fo = $fopen(fname, "w");

        repeat (4) @(posedge clk);
        rst <= 1'b0;
        @(posedge clk);
        for (c = 0; c < ncmd; c = c + 1) begin
            op = cmds[3 * c];
            a = cmds[3 * c + 1];
            b = cmds[3 * c + 2];
            if (op == 1) begin
                bus_addr <= a;
                bus_wdata <= b;
                bus_we <= 1'b1;
                @(posedge clk);
                bus_we <= 1'b0;
            end else if (op == 3) begin
                bus_addr <= a;
                bus_re <= 1'b1;
                @(posedge clk);
                bus_re <= 1'b0;
                @(posedge clk);
                $fwrite(fo, "R %08x %08x\n", a, bus_rdata);
            end else if (op == 2 && !skip) begin
                streaming <= 1'b1;
                pix_limit = pix_limit + b;
                i = 0;
                while (data_pkts < a && i < budget) begin
                    @(posedge clk);
                    i = i + 1;
                end
                if (data_pkts < a) begin
                    $fwrite(fo, "TIMEOUT after %0d cycles: %0d of %0d packets\n", i, data_pkts,
                            a);
                    $fclose(fo);
                    $finish;
                end
                // let the last word's handshake settle, then pause the stream
                streaming <= 1'b0;
                @(posedge clk);
                @(posedge clk);
            end
        end
        $fwrite(fo, "DONE %0d\n", stream_cycles);
        $fclose(fo);
        $finish;
    end
endmodule

`default_nettype wire
