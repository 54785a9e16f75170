/* imgstat.c — prints "WxH colours=N" for a PNG or an xwd dump: the viewer's shell tests check a picture with it. */
#include "imgread.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: imgstat FILE.png|FILE.xwd\n");
        return 2;
    }
    img im;
    size_t n = strlen(argv[1]);
    int rc = n > 4 && strcmp(argv[1] + n - 4, ".xwd") == 0 ? img_read_xwd(argv[1], &im)
                                                             : img_read_png(argv[1], &im);
    if (rc) {
        fprintf(stderr, "imgstat: %s: cannot read the picture\n", argv[1]);
        return 1;
    }
    printf("%dx%d colours=%zu\n", im.w, im.h, img_colours(&im, 0, 0, im.w, im.h, 4096));
    free(im.px);
    return 0;
}
