/* fb_rtl_regs.h — register map of rtl/fb_fe_top.v (byte addresses of 32-bit words), shared by the
 * harness, tests and firmware-style drivers. */
#ifndef FB_RTL_REGS_H
#define FB_RTL_REGS_H

/* Region 0: control and status. */
/* CTRL: bit0 SRST (write 1: reset the stream, self-clearing), bit1 DISCARD_EN (reset 1). */
#define FB_RTL_REG_ID          0x00u /* RO  0xFBFE0002: "FB FE" v2 (two pixels per clock) */
#define FB_RTL_REG_CTRL        0x04u /* RW  FB_RTL_CTRL_* */
#define FB_RTL_REG_STATUS      0x08u /* RO  bit0 frame open at the input, bit1 busy, bit2 error */
#define FB_RTL_REG_ERROR       0x0Cu /* RW1C sticky FB_RTL_ERR_* bits */
#define FB_RTL_REG_CAPACITY    0x10u /* RO  [31:16] HEIGHT, [15:0] WIDTH parameters */
#define FB_RTL_REG_FRAME_SIZE  0x14u /* RW  [31:16] height, [15:0] width (even); reset: capacity */
#define FB_RTL_REG_IN_POS      0x18u /* RO  [31:16] row, [15:0] column of the next input pixel */
#define FB_RTL_REG_FRAME_COUNT 0x1Cu /* RO  frames sent (last packet out) since reset */
#define FB_RTL_REG_PACKETS     0x20u /* RO  [27:16] packets per segment P, [15:0] packets N */
#define FB_RTL_REG_SIM_CTRL    0x7Cu /* WO  simulation only: 0xF1F1 runs $finish, 0x5709 $stop */

#define FB_RTL_ID_VALUE        0xFBFE0002u
#define FB_RTL_CTRL_SRST       0x1u
#define FB_RTL_CTRL_DISCARD_EN 0x2u

#define FB_RTL_ERR_SOF  0x01u /* in_sof missing at a frame's first pixel or set elsewhere */
#define FB_RTL_ERR_EOL  0x02u /* in_eol missing at a row's last pixel or set elsewhere */
#define FB_RTL_ERR_ADDR 0x04u /* access to an unmapped or unaligned address (ignored) */
#define FB_RTL_ERR_DATA 0x08u /* write data outside the field's range (ignored) */
#define FB_RTL_ERR_BUSY 0x10u /* coefficient, table or size write while a frame is in flight */
#define FB_RTL_ERR_SIZE 0x20u /* FRAME_SIZE out of range (ignored) */
#define FB_RTL_ERR_ALL  0x3Fu

/* Regions 1..4: one 32-bit word per entry; pixel i = row * width + column of the active frame. */
#define FB_RTL_OFFSET_BASE   0x01000000u /* int16 offset, sign-extended to 32 bits */
#define FB_RTL_GAIN_BASE     0x02000000u /* Q2.14 gain, 0..0xFFFF */
#define FB_RTL_BAD_BASE      0x03000000u /* 0 good, 1 bad */
#define FB_RTL_CAL_BASE      0x04000000u /* 257 entries, centikelvin 0..0xFFFF */
#define FB_RTL_ADDR(base, i) ((base) + 4u * (uint32_t)(i))

#endif
