/* test_figure.c — the 3D figure's life cycle: truth points and the canthus grid lines without a
 * mesh, levels of detail built on first use the same in any order, and in pieces (any order) the
 * same, and let go and built again the same (a long run's memory); the face mesh closed, with the
 * canthi as vertices. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "figure.h"
#include "fbtest.h"

static fb_figure_look look_of(uint64_t seed)
{
    fb_rng r;
    fb_rng_seed(&r, seed, 1, 0);
    fb_figure_look lk;
    fb_body_dims d;
    fb_figure_draw(&r, 1.72, &lk, &d);
    return lk;
}

/* Whether two levels' meshes are the same, vertex for vertex and triangle for triangle. */
static bool same_meshes(const fb_fig_mesh *a, size_t na, const fb_fig_mesh *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (a[i].nv != b[i].nv || a[i].nt != b[i].nt || a[i].bone != b[i].bone ||
            memcmp(a[i].tri, b[i].tri, a[i].nt * sizeof(a[i].tri[0])) != 0)
            return false;
        for (uint32_t k = 0; k < a[i].nv; k++) {
            const fb_fig_vertex *p = &a[i].v[k], *q = &b[i].v[k];
            if (memcmp(p->p, q->p, sizeof p->p) || memcmp(p->n, q->n, sizeof p->n) ||
                memcmp(p->zone, q->zone, sizeof p->zone) || memcmp(p->w, q->w, sizeof p->w) ||
                p->spot != q->spot || p->spot_id != q->spot_id || p->part != q->part ||
                p->eps0 != q->eps0)
                return false;
        }
    }
    return true;
}

/* A pole of the head grid (el = +-90 deg): every node of the row lies on the head's vertical axis. */
static bool at_pole(const fb_fig_vertex *v)
{
    return fabsf(v->p[0]) < 1e-6f && fabsf(v->p[1]) < 1e-6f;
}

static int cmp_edge(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Whether the face mesh (a grid over the head's directions, refined around the canthi) is closed:
 * every edge, but for those along the poles, met once each way by the triangles next to it — a
 * refined line that ended without its neighbours' triangles taking its node would leave an edge
 * met once (a crack). Every vertex is used, no triangle repeats a vertex. */
static bool face_closed(const fb_fig_mesh *m)
{
    uint64_t *fwd = malloc((size_t)m->nt * 3 * sizeof(*fwd));
    uint64_t *rev = malloc((size_t)m->nt * 3 * sizeof(*rev));
    bool *used = calloc(m->nv, sizeof(*used));
    bool ok = fwd && rev && used;
    size_t n = 0;
    for (uint32_t t = 0; ok && t < m->nt; t++) {
        const uint32_t *v = m->tri[t];
        ok = v[0] != v[1] && v[1] != v[2] && v[0] != v[2] && v[0] < m->nv && v[1] < m->nv &&
             v[2] < m->nv;
        for (int k = 0; ok && k < 3; k++) {
            uint32_t a = v[k], b = v[(k + 1) % 3];
            used[a] = true;
            if (at_pole(&m->v[a]) && at_pole(&m->v[b]))
                continue;
            fwd[n] = (uint64_t)a << 32 | b;
            rev[n++] = (uint64_t)b << 32 | a;
        }
    }
    if (ok) {
        qsort(fwd, n, sizeof(*fwd), cmp_edge);
        qsort(rev, n, sizeof(*rev), cmp_edge);
        for (size_t i = 0; ok && i < n; i++)
            ok = fwd[i] == rev[i] && (i == 0 || fwd[i] != fwd[i - 1]);
        for (uint32_t i = 0; ok && i < m->nv; i++)
            ok = used[i];
    }
    free(fwd);
    free(rev);
    free(used);
    return ok;
}

/* Whether some vertex of the face mesh lies within tol_m of point p (head frame). */
static bool has_vertex_at(const fb_fig_mesh *m, const double p[3], double tol_m)
{
    for (uint32_t i = 0; i < m->nv; i++) {
        double d2 = 0.0;
        for (int q = 0; q < 3; q++)
            d2 += ((double)m->v[i].p[q] - p[q]) * ((double)m->v[i].p[q] - p[q]);
        if (d2 < tol_m * tol_m)
            return true;
    }
    return false;
}

int main(void)
{
    for (uint64_t seed = 1; seed <= 6; seed++) {
        fb_figure_look lk = look_of(seed);
        bool glasses = seed % 3 == 0, mask = seed % 2 == 0, hat = seed == 5;
        fb_figure a, b;
        CHECK_EQ_INT(fb_figure_init(&a, &lk, 1.72, glasses, mask, hat, seed == 4), 0);
        CHECK_EQ_INT(fb_figure_init(&b, &lk, 1.72, glasses, mask, hat, seed == 4), 0);
        /* nothing is built until asked; the truth points are there already: the inner canthi
         * half the canthal separation either side of the midline, on the face (y < 0) */
        for (int l = 0; l < FB_FIG_LODS; l++)
            CHECK(a.lod[l] == NULL);
        CHECK_NEAR(a.canthus[0][0], -lk.canthus_sep_m / 2, 1e-6);
        CHECK_NEAR(a.canthus[1][0], lk.canthus_sep_m / 2, 1e-6);
        CHECK(a.canthus[0][1] < -0.05 && a.canthus[1][1] < -0.05);
        CHECK_NEAR(a.canthus[0][2], a.canthus[1][2], 1e-9);
        /* the canthus patch's grid lines, solved once here for every level: each side's
         * azimuths rising (spot edge, plateau edge, canthus, ...) on its own side of the midline
         * and mirrored by the other's (the head is symmetric), the elevations rising; the lines
         * through the canthi point at the truth's canthi (the same solve) */
        for (int k = 0; k < FB_FIG_SPOT_LINES; k++) {
            const double *az = a.spot_az;
            CHECK(az[k] < 0.0 && az[FB_FIG_SPOT_LINES + k] > 0.0);
            CHECK_NEAR(az[k], -az[2 * FB_FIG_SPOT_LINES - 1 - k], 1e-12);
            if (k > 0)
                CHECK(az[k] > az[k - 1] && a.spot_el[k] > a.spot_el[k - 1]);
        }
        for (int side = 0; side < 2; side++) {
            const double *p = a.canthus[side];
            CHECK_NEAR(atan2(p[0], -p[1]), a.spot_az[side * FB_FIG_SPOT_LINES + 2], 1e-12);
            CHECK_NEAR(asin(p[2] / sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2])), a.spot_el[2],
                       1e-12);
        }
        /* levels built coarse to fine in one, fine to coarse in the other: the same meshes */
        size_t na[FB_FIG_LODS], nb[FB_FIG_LODS];
        const fb_fig_mesh *ma[FB_FIG_LODS], *mb[FB_FIG_LODS];
        for (int l = FB_FIG_LODS - 1; l >= 0; l--)
            ma[l] = fb_figure_lod(&a, l, &na[l]);
        for (int l = 0; l < FB_FIG_LODS; l++)
            mb[l] = fb_figure_lod(&b, l, &nb[l]);
        for (int l = 0; l < FB_FIG_LODS; l++) {
            CHECK(ma[l] && mb[l] && na[l] >= 12);
            CHECK(same_meshes(ma[l], na[l], mb[l], nb[l]));
        }
        /* built in pieces (fb_figure_build_*), the pieces in reverse order: the same meshes
         * and bounding spheres as fb_figure_lod's; a build aborted keeps nothing */
        fb_figure c;
        CHECK_EQ_INT(fb_figure_init(&c, &lk, 1.72, glasses, mask, hat, seed == 4), 0);
        for (int l = 0; l < FB_FIG_LODS; l++) {
            fb_fig_build *bl;
            int np;
            CHECK_EQ_INT(fb_figure_build_begin(&c, l, &bl, &np), 0);
            fb_figure_build_abort(bl);
            CHECK(c.lod[l] == NULL);
            CHECK_EQ_INT(fb_figure_build_begin(&c, l, &bl, &np), 0);
            CHECK(np >= 2); /* the body and at least one piece of head rows */
            for (int i = np - 1; i >= 0; i--)
                fb_figure_build_piece(bl, i);
            CHECK_EQ_INT(fb_figure_build_end(bl), 0);
            CHECK(c.lod[l] && same_meshes(c.lod[l], c.n_mesh[l], mb[l], nb[l]));
            bool spheres = c.n_mesh[l] == nb[l];
            for (size_t i = 0; spheres && i < nb[l]; i++)
                spheres = memcmp(c.lod[l][i].centre, mb[l][i].centre,
                                 sizeof mb[l][i].centre) == 0 &&
                          c.lod[l][i].radius_m == mb[l][i].radius_m;
            CHECK(spheres);
        }
        fb_figure_build_abort(NULL);
        CHECK_EQ_INT(fb_figure_build_end(NULL), -1);
        fb_figure_free(&c);
        /* the face closed at every level, the inner canthi on vertices (the measurement site;
         * fb_figure_init's truth points lie on the skin, the mesh's vertices on hair or skin,
         * the same point where no hair covers it) */
        for (int l = 0; l < FB_FIG_LODS; l++) {
            CHECK(ma[l][0].bone == FB_BONE_HEAD && face_closed(&ma[l][0]));
            CHECK(has_vertex_at(&ma[l][0], a.canthus[0], 1e-4));
            CHECK(has_vertex_at(&ma[l][0], a.canthus[1], 1e-4));
        }
        /* finer levels have more triangles */
        uint32_t nt_prev = 0;
        for (int l = FB_FIG_LODS - 1; l >= 0; l--) {
            uint32_t nt = 0;
            for (size_t i = 0; i < na[l]; i++)
                nt += ma[l][i].nt;
            CHECK(nt > nt_prev);
            nt_prev = nt;
        }
        /* let go: nothing held, the truth points kept; built again: the same meshes */
        double canthus[2][3];
        memcpy(canthus, a.canthus, sizeof canthus);
        fb_figure_release(&a);
        for (int l = 0; l < FB_FIG_LODS; l++)
            CHECK(a.lod[l] == NULL && a.n_mesh[l] == 0);
        CHECK(memcmp(canthus, a.canthus, sizeof canthus) == 0);
        size_t n1;
        const fb_fig_mesh *m1 = fb_figure_lod(&a, 1, &n1);
        CHECK(m1 && same_meshes(m1, n1, mb[1], nb[1]));
        fb_figure_free(&a);
        fb_figure_free(&b);
    }
    return FBTEST_END();
}
