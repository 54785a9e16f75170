/* test_body.c — the person template: shape count and painter order, canthus size and placement, and
 * its pixel span at screening distance. */
#include <math.h>
#include <string.h>
#include "body.h"
#include "fbtest.h"

static const fb_shape *find(const fb_shape *s, size_t n, fb_region reg)
{
    for (size_t i = 0; i < n; i++)
        if (s[i].region == reg)
            return &s[i];
    return NULL;
}

/* Whether the rectangle of s lies inside the ellipse e. */
static int rect_in_ellipse(const fb_shape *s, const fb_shape *e)
{
    for (int cx = -1; cx <= 1; cx += 2)
        for (int cz = -1; cz <= 1; cz += 2) {
            double x = (s->dx_m + cx * s->half_w_m - e->dx_m) / e->half_w_m;
            double z = (s->dz_m + cz * s->half_h_m - e->dz_m) / e->half_h_m;
            if (x * x + z * z > 1.0)
                return 0;
        }
    return 1;
}

/* Width of the part of s's x-span not covered by the x-span of cover. */
static double uncovered_w(const fb_shape *s, const fb_shape *cover)
{
    double lo = s->dx_m - s->half_w_m, hi = s->dx_m + s->half_w_m;
    double c0 = cover->dx_m - cover->half_w_m, c1 = cover->dx_m + cover->half_w_m;
    double vis = fmax(0.0, fmin(hi, c0) - lo) + fmax(0.0, hi - fmax(lo, c1));
    return fmin(vis, hi - lo);
}

/* The shape of region reg painted last (what shows), and the index of it. */
static const fb_shape *find_last(const fb_shape *s, size_t n, fb_region reg, size_t *at)
{
    for (size_t i = n; i-- > 0;)
        if (s[i].region == reg) {
            if (at)
                *at = i;
            return &s[i];
        }
    return NULL;
}

static void test_posed(void)
{
    fb_body_dims d;
    fb_shape a[FB_BODY_MAX_SHAPES], b[FB_BODY_MAX_SHAPES];
    fb_body_defaults(&d);
    /* A zero pose is the frontal template, bit for bit. */
    fb_body_pose pose = {0};
    size_t n = fb_body_shapes(&d, 1, a), m = fb_body_shapes_posed(&d, 1, &pose, b);
    CHECK_EQ_INT(m, n);
    CHECK(memcmp(a, b, n * sizeof a[0]) == 0);

    /* Yaw 30°: the forehead [-0.05, 0.05] on a cylinder of radius 0.08 m turns to
     * [0.08 sin(-38.68° + 30°), 0.08 sin(38.68° + 30°)] = [-0.012074, 0.074523] (hand-worked). */
    pose.yaw_deg = 30;
    m = fb_body_shapes_posed(&d, 1, &pose, b);
    CHECK(m <= FB_BODY_MAX_SHAPES);
    const fb_shape *fh = find(b, m, FB_REGION_FOREHEAD);
    CHECK(fh != NULL);
    if (fh) {
        CHECK_NEAR(fh->dx_m, 0.031225, 1e-6);
        CHECK_NEAR(fh->half_w_m, 0.043301, 1e-6);
        CHECK_NEAR(fh->dz_m, 0.055, 1e-12); /* heights do not change */
    }
    /* The back of the head shows as hair on the image left: [-0.08, -0.08 cos 30°]. */
    CHECK_EQ_INT(b[5].region, FB_REGION_HAIR);
    CHECK_EQ_INT(b[6].region, FB_REGION_HAIR);
    CHECK_NEAR(b[6].dx_m - b[6].half_w_m, -0.08, 1e-12);
    CHECK_NEAR(b[6].dx_m + b[6].half_w_m, -0.08 * cos(30 * 3.14159265358979323846 / 180), 1e-12);

    /* The inner canthus on the side the face turns to (hotter one on the right, yaw > 0) narrows
     * and slides under the nasal bridge, painted after it: share of its frontal 12 mm left
     * visible (hand-worked: 0.87 at 20°, 0.69 at 30°, 0.43 at 40°, 0.15 at 50°, 0 at 60°). */
    static const double yaw[] = {20, 30, 40, 50, 60}, share[] = {0.87, 0.69, 0.43, 0.15, 0.0};
    for (size_t i = 0; i < sizeof yaw / sizeof yaw[0]; i++) {
        pose.yaw_deg = yaw[i];
        m = fb_body_shapes_posed(&d, 1, &pose, b);
        size_t ic = 0, ib = 0;
        const fb_shape *c = find_last(b, m, FB_REGION_CANTHUS_MAX, &ic);
        const fb_shape *br = find_last(b, m, FB_REGION_PERIORBITAL, &ib);
        CHECK(c && br && ib > ic);
        if (c && br)
            CHECK_NEAR(uncovered_w(c, br) / 0.012, share[i], 0.01);
        /* The other canthus turns toward the middle and stays in view (foreshortened). */
        const fb_shape *o = find(b, m, FB_REGION_CANTHUS_MIN);
        CHECK(o && br && uncovered_w(o, br) > 0.006);
    }
    /* Turned the other way the cooler canthus (image left) is the one hidden. */
    pose.yaw_deg = -60;
    m = fb_body_shapes_posed(&d, 1, &pose, b);
    {
        const fb_shape *c = find(b, m, FB_REGION_CANTHUS_MIN);
        const fb_shape *br = find_last(b, m, FB_REGION_PERIORBITAL, NULL);
        CHECK(c && br && uncovered_w(c, br) < 1e-9);
    }
    /* Turned fully (90°) the far half of the face is gone: no feature left of the centre. */
    pose.yaw_deg = 90;
    m = fb_body_shapes_posed(&d, 1, &pose, b);
    for (size_t i = 7; i < m; i++)
        CHECK(b[i].dx_m - b[i].half_w_m >= -1e-12);

    /* Glasses, mask, hat and cup: every item present, within the shape budget. */
    pose = (fb_body_pose){.yaw_deg = 0, .glasses = true, .mask = true, .hat = true, .cup = true};
    m = fb_body_shapes_posed(&d, 1, &pose, b);
    CHECK(m <= FB_BODY_MAX_SHAPES);
    pose.yaw_deg = 45;
    CHECK(fb_body_shapes_posed(&d, 1, &pose, a) <= FB_BODY_MAX_SHAPES);
    pose.yaw_deg = 0;
    const fb_shape *cmax = find(b, m, FB_REGION_CANTHUS_MAX),
                   *cmin = find(b, m, FB_REGION_CANTHUS_MIN);
    size_t ic = 0;
    find_last(b, m, FB_REGION_CANTHUS_MIN, &ic);
    /* Each inner canthus lies inside a lens painted after it. */
    int covered = 0;
    for (size_t i = ic + 1; i < m; i++)
        if (b[i].region == FB_REGION_LENS)
            for (int k = 0; k < 2; k++) {
                const fb_shape *c = k ? cmin : cmax;
                covered += c->dx_m - c->half_w_m >= b[i].dx_m - b[i].half_w_m &&
                           c->dx_m + c->half_w_m <= b[i].dx_m + b[i].half_w_m &&
                           c->dz_m - c->half_h_m >= b[i].dz_m - b[i].half_h_m &&
                           c->dz_m + c->half_h_m <= b[i].dz_m + b[i].half_h_m;
            }
    CHECK_EQ_INT(covered, 2);
    /* The mask starts below the periorbital band (the eyes stay free) and covers the nose tip. */
    const fb_shape *mask = find(b, m, FB_REGION_MASK), *peri = find(b, m, FB_REGION_PERIORBITAL);
    const fb_shape *nose = find(b, m, FB_REGION_NOSE);
    CHECK(mask && peri && nose);
    if (mask && peri && nose) {
        CHECK(mask->dz_m + mask->half_h_m < peri->dz_m - peri->half_h_m);
        CHECK(mask->dz_m - mask->half_h_m < nose->dz_m - nose->half_h_m);
    }
    /* The hat covers the forehead above +0.05 m, not the eyes. */
    const fb_shape *hat = find(b, m, FB_REGION_HAT), *fh2 = find(b, m, FB_REGION_FOREHEAD);
    CHECK(hat && fh2);
    if (hat && fh2) {
        CHECK_NEAR(hat->dz_m - hat->half_h_m, 0.05, 1e-12);
        CHECK(hat->dz_m - hat->half_h_m < fh2->dz_m + fh2->half_h_m);
        CHECK(hat->dz_m - hat->half_h_m > peri->dz_m + peri->half_h_m);
    }
    /* The cup (8 x 11 cm) is held at chest height in the image-right hand, outside the head. */
    const fb_shape *cup = find(b, m, FB_REGION_CUP);
    CHECK(cup != NULL);
    if (cup) {
        CHECK_NEAR(2 * cup->half_w_m, 0.08, 1e-12);
        CHECK_NEAR(2 * cup->half_h_m, 0.11, 1e-12);
        CHECK(cup->dx_m > 0.1 && cup->dz_m < -0.3 && cup->dz_m > -0.6);
        CHECK_EQ_INT(b[m - 1].region, FB_REGION_CUP); /* painted last */
        CHECK(b[2].dz_m > -0.6);                      /* the right hand went up with it */
    }
    CHECK(!fb_region_is_head(FB_REGION_CUP) && !fb_region_is_head(FB_REGION_CLOTHING) &&
          !fb_region_is_head(FB_REGION_HANDS) && !fb_region_is_head(FB_REGION_NECK));
    CHECK(fb_region_is_head(FB_REGION_LENS) && fb_region_is_head(FB_REGION_MASK) &&
          fb_region_is_head(FB_REGION_HAT) && fb_region_is_head(FB_REGION_HAIR) &&
          fb_region_is_head(FB_REGION_CANTHUS_MAX));
}

int main(void)
{
    fb_body_dims d;
    fb_shape s[FB_BODY_MAX_SHAPES];
    fb_body_defaults(&d);
    CHECK(d.head_w_m == 0.16 && d.head_h_m == 0.23 && d.shoulder_w_m == 0.45 &&
          d.torso_h_m == 0.65 && d.canthus_w_m == 0.012 && d.canthus_h_m == 0.008 &&
          d.canthus_sep_m == 0.032);

    size_t n = fb_body_shapes(&d, 1, s);
    /* Back to front: torso, 2 hands, neck, head, hair, forehead, cheeks, nose, periorbital,
     * canthus max, canthus min. */
    static const fb_region order[] = {
        FB_REGION_CLOTHING, FB_REGION_HANDS,       FB_REGION_HANDS,       FB_REGION_NECK,
        FB_REGION_CHEEKS,   FB_REGION_HAIR,        FB_REGION_FOREHEAD,    FB_REGION_CHEEKS,
        FB_REGION_NOSE,     FB_REGION_PERIORBITAL, FB_REGION_CANTHUS_MAX, FB_REGION_CANTHUS_MIN};
    CHECK_EQ_INT(n, sizeof(order) / sizeof(order[0]));
    CHECK(n <= FB_BODY_MAX_SHAPES);
    for (size_t i = 0; i < n && i < sizeof(order) / sizeof(order[0]); i++)
        CHECK_EQ_INT(s[i].region, order[i]);

    /* Head: an ellipse 0.16 x 0.23 m at the origin (the face box). */
    const fb_shape *head = &s[4];
    CHECK_EQ_INT(head->kind, FB_SHAPE_ELLIPSE);
    CHECK(head->dx_m == 0 && head->dz_m == 0);
    CHECK_NEAR(head->half_w_m, 0.08, 1e-12);
    CHECK_NEAR(head->half_h_m, 0.115, 1e-12);

    /* Canthi: 12 x 8 mm, 32 mm apart at eye level (+0.02 m), the hotter one image right. */
    const fb_shape *cmax = find(s, n, FB_REGION_CANTHUS_MAX),
                   *cmin = find(s, n, FB_REGION_CANTHUS_MIN);
    CHECK(cmax && cmin);
    if (cmax && cmin) {
        CHECK_NEAR(2 * cmax->half_w_m, 0.012, 1e-12);
        CHECK_NEAR(2 * cmax->half_h_m, 0.008, 1e-12);
        CHECK_NEAR(2 * cmin->half_w_m, 0.012, 1e-12);
        CHECK_NEAR(cmax->dx_m - cmin->dx_m, 0.032, 1e-12);
        CHECK_NEAR(cmax->dz_m, 0.02, 1e-12);
        CHECK(cmax->dz_m == cmin->dz_m);
        CHECK(rect_in_ellipse(cmax, head) && rect_in_ellipse(cmin, head));
        const fb_shape *peri = find(s, n, FB_REGION_PERIORBITAL);
        CHECK(peri && fabs(cmax->dx_m) + cmax->half_w_m <= peri->half_w_m &&
              cmax->dz_m + cmax->half_h_m <= peri->dz_m + peri->half_h_m &&
              cmax->dz_m - cmax->half_h_m >= peri->dz_m - peri->half_h_m);
        /* At 2.5 m with a 584 px focal length: 12e-3 * 584 / 2.5 = 2.80 px across. */
        CHECK_NEAR(2 * cmax->half_w_m * 584.0 / 2.5, 2.8032, 1e-9);
    }
    fb_shape t[FB_BODY_MAX_SHAPES];
    CHECK_EQ_INT(fb_body_shapes(&d, 0, t), n);
    CHECK(find(t, n, FB_REGION_CANTHUS_MAX)->dx_m < 0 &&
          find(t, n, FB_REGION_CANTHUS_MIN)->dx_m > 0);

    /* Hair cap covers the top of the head; forehead inside the head below it. */
    const fb_shape *hair = find(s, n, FB_REGION_HAIR), *fh = find(s, n, FB_REGION_FOREHEAD);
    CHECK(hair->dz_m + hair->half_h_m >= head->half_h_m);
    CHECK(hair->dz_m > 0);
    CHECK(rect_in_ellipse(fh, head));
    CHECK(fh->dz_m > cmax->dz_m);

    /* Torso: 0.45 x 0.65 m from the shoulders 0.2 m below the head centre; the neck bridges
     * the head's bottom (-0.115) and the shoulders; hands at hip height (-0.85). */
    CHECK_NEAR(s[0].half_w_m * 2, 0.45, 1e-12);
    CHECK_NEAR(s[0].half_h_m * 2, 0.65, 1e-12);
    CHECK_NEAR(s[0].dz_m + s[0].half_h_m, -0.20, 1e-12);
    CHECK(s[3].dz_m + s[3].half_h_m > -0.115 && s[3].dz_m - s[3].half_h_m < -0.20);
    CHECK_NEAR(s[1].dz_m, -0.85, 1e-12);
    CHECK(s[1].dx_m < -0.225 && s[2].dx_m > 0.225);

    test_posed();

    /* A smaller head scales the face but keeps the canthus size. */
    d.head_w_m = 0.14;
    d.head_h_m = 0.20;
    n = fb_body_shapes(&d, 1, t);
    CHECK_NEAR(t[4].half_w_m, 0.07, 1e-12);
    CHECK_NEAR(find(t, n, FB_REGION_CANTHUS_MAX)->half_w_m, 0.006, 1e-12);
    return FBTEST_END();
}
