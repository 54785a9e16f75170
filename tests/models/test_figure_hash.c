/* test_figure_hash.c — one hash of every byte the figure builds (all levels, 200 people, items
 * and hair varied): built by fb_figure_lod and again in pieces taken in reverse order, the same
 * hash. It is printed, so that a change meant to keep the meshes' bits (a faster build) can be
 * checked against the commit before it: `models_figure_hash HASH` fails unless it is HASH. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "figure.h"
#include "fbtest.h"

#define N_PEOPLE 200

/* FNV-1a, 64 bits: enough to tell two builds apart, and no library needed. */
typedef struct hasher {
    uint64_t h;
} hasher;

static void eat(hasher *hs, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        hs->h = (hs->h ^ c[i]) * 1099511628211ull;
}

/* A level's meshes, field by field (a vertex's padding bytes are not the build's). */
static void eat_meshes(hasher *hs, const fb_fig_mesh *m, size_t n)
{
    eat(hs, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        const fb_fig_mesh *x = &m[i];
        eat(hs, &x->nv, sizeof x->nv);
        eat(hs, &x->nt, sizeof x->nt);
        eat(hs, &x->bone, sizeof x->bone);
        eat(hs, x->centre, sizeof x->centre);
        eat(hs, &x->radius_m, sizeof x->radius_m);
        for (uint32_t k = 0; k < x->nv; k++) {
            const fb_fig_vertex *v = &x->v[k];
            eat(hs, v->p, sizeof v->p);
            eat(hs, v->n, sizeof v->n);
            eat(hs, v->zone, sizeof v->zone);
            eat(hs, v->w, sizeof v->w);
            eat(hs, &v->spot, sizeof v->spot);
            eat(hs, &v->spot_id, sizeof v->spot_id);
            eat(hs, &v->part, sizeof v->part);
            eat(hs, &v->eps0, sizeof v->eps0);
        }
        eat(hs, x->tri, (size_t)x->nt * sizeof x->tri[0]);
        /* the SoA copy: its one block whole, padding rows included (fb_fig_soa_build) */
        size_t np = ((size_t)x->nv + FB_FIG_SOA_ALIGN - 1) / FB_FIG_SOA_ALIGN * FB_FIG_SOA_ALIGN;
        np = np ? np : FB_FIG_SOA_ALIGN;
        eat(hs, x->soa.p[0], np * (6 + FB_FIG_WEIGHTS + 2 + 2) * sizeof(float));
    }
}

/* Person k: a look drawn from its seed, with beards, long hair and baldness forced on some, and
 * every mix of glasses, mask, hat and cup in turn. */
static void person(int k, fb_figure *f)
{
    fb_rng r;
    fb_rng_seed(&r, (uint64_t)k * 7919u + 3u, 1, 0);
    fb_figure_look lk;
    fb_body_dims d;
    double height_m = 1.50 + 0.045 * (k % 11);
    fb_figure_draw(&r, height_m, &lk, &d);
    if (k % 9 == 4)
        lk.beard = true, lk.female = false;
    if (k % 13 == 5)
        lk.hair = FB_HAIR_LONG;
    if (k % 17 == 6)
        lk.hair = FB_HAIR_BALD, lk.age_y = 60.0; /* a fringe */
    fb_figure_init(f, &lk, height_m, k & 1, (k >> 1) & 1, (k >> 2) & 1, (k >> 3) & 1);
}

/* The figure's truth points and lines, then every level (built as in_pieces says). */
static int eat_person(hasher *hs, int k, bool in_pieces)
{
    fb_figure f;
    person(k, &f);
    eat(hs, f.landmark, sizeof f.landmark);
    eat(hs, f.canthus, sizeof f.canthus);
    eat(hs, &f.head_centre_z_m, sizeof f.head_centre_z_m);
    eat(hs, f.spot_az, sizeof f.spot_az);
    eat(hs, f.spot_el, sizeof f.spot_el);
    int fail = 0;
    for (int l = 0; l < FB_FIG_LODS && !fail; l++) {
        if (in_pieces) {
            fb_fig_build *b;
            int n;
            fail = fb_figure_build_begin(&f, l, &b, &n);
            for (int i = n - 1; !fail && i >= 0; i--)
                fb_figure_build_piece(b, i);
            fail = fail || fb_figure_build_end(b);
        }
        size_t n_mesh;
        const fb_fig_mesh *m = fail ? NULL : fb_figure_lod(&f, l, &n_mesh);
        fail = !m;
        if (m)
            eat_meshes(hs, m, n_mesh);
    }
    fb_figure_free(&f);
    return fail ? -1 : 0;
}

int main(int argc, char **argv)
{
    hasher whole = {14695981039346656037ull}, pieces = whole;
    int fail = 0;
    for (int k = 0; k < N_PEOPLE; k++) {
        fail |= eat_person(&whole, k, false);
        fail |= eat_person(&pieces, k, true);
    }
    CHECK_EQ_INT(fail, 0);
    CHECK(whole.h == pieces.h);
    printf("figure hash %016" PRIx64 " (%d people, %d levels)\n", whole.h, N_PEOPLE, FB_FIG_LODS);
    if (argc > 1)
        CHECK(strtoull(argv[1], NULL, 16) == whole.h);
    return FBTEST_END();
}
