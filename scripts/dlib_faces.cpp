// dlib_faces.cpp — dlib's HOG frontal face detector (trained on real visible-light faces) as a
// filter for scripts/bench_faces.py: reads images from stdin, writes the boxes it finds.
// Protocol, repeated until end of input: "W H\n" then W*H bytes of 8-bit gray, row by row;
// the answer is "N\n" then N lines "x y w h". No upsampling inside (the caller scales).
// Built by bench_faces.py: g++ -O2 dlib_faces.cpp $(pkg-config --cflags --libs dlib-1).
#include <cstdio>
#include <dlib/image_processing/frontal_face_detector.h>
#include <vector>

int main()
{
    dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
    long w, h;
    while (std::scanf("%ld %ld", &w, &h) == 2) {
        if (std::getchar() != '\n' || w <= 0 || h <= 0 || w > 20000 || h > 20000)
            return 2;
        dlib::array2d<unsigned char> img(h, w);
        std::vector<unsigned char> row(static_cast<size_t>(w));
        for (long y = 0; y < h; y++) {
            if (std::fread(row.data(), 1, row.size(), stdin) != row.size())
                return 2;
            for (long x = 0; x < w; x++)
                img[y][x] = row[static_cast<size_t>(x)];
        }
        std::vector<dlib::rectangle> found = detector(img, 0.0);
        std::printf("%zu\n", found.size());
        for (const dlib::rectangle &r : found)
            std::printf("%ld %ld %ld %ld\n", r.left(), r.top(), r.width(), r.height());
        std::fflush(stdout);
    }
    return 0;
}
