/* test_body.c — the person template: shape count and painter order, canthus size and placement, and its pixel span at screening distance. */
#include <math.h>
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
    const fb_shape *cmax = find(s, n, FB_REGION_CANTHUS_MAX), *cmin = find(s, n, FB_REGION_CANTHUS_MIN);
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
    CHECK(find(t, n, FB_REGION_CANTHUS_MAX)->dx_m < 0 && find(t, n, FB_REGION_CANTHUS_MIN)->dx_m > 0);

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

    /* A smaller head scales the face but keeps the canthus size. */
    d.head_w_m = 0.14;
    d.head_h_m = 0.20;
    n = fb_body_shapes(&d, 1, t);
    CHECK_NEAR(t[4].half_w_m, 0.07, 1e-12);
    CHECK_NEAR(find(t, n, FB_REGION_CANTHUS_MAX)->half_w_m, 0.006, 1e-12);
    return FBTEST_END();
}
