/* render.c — draws the scene by depth into supersampled radiance: the room, the blackbody,
 * distractors and 3D people (models/figure.h) with grazing-angle emissivity and the air between,
 * and works out from the same samples what of each person the camera sees (truth). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../models/atmosphere.h"
#include "../models/fb_error.h"
#include "drawlist.h"
#include "render.h"
#include "vertices.h"
#include "util/clock.h"

#define WALL_EMISSIVITY 0.95 /* painted plaster; reflects the room, so it reads ~ambient */
#define PART_BLACKBODY 0xF0u
#define PART_OBJECT 0xF1u
#define PART_ROOM 0xF2u
#define PART_FLOOR 0xF3u
#define ROW_BANDS_PER_THREAD 4 /* row bands a thread for restoring, counting and resolving */

/* Emissivity of a smooth dielectric seen at angle theta from its normal (Fresnel, unpolarised),
 * with the refractive index that gives the normal emissivity eps0: n = (1 + sqrt(R0)) /
 * (1 - sqrt(R0)), R0 = 1 - eps0. Skin (0.98) keeps its emissivity to about 50-60° and falls
 * beyond (docs/sources.md: Sanchez-Marin 2009; Watmough & Oliver), so a head's limb reads cooler and
 * reflects the room. */
static double fresnel_eps(double eps0, double c)
{
    double r0 = fmax(0.0, 1.0 - eps0), s0 = sqrt(r0);
    double n = (1.0 + s0) / (1.0 - s0 + 1e-12);
    c = fmin(1.0, fmax(1e-4, c));
    double st2 = (1.0 - c * c) / (n * n);
    double ct = sqrt(fmax(0.0, 1.0 - st2));
    double rs = (c - n * ct) / (c + n * ct), rp = (n * c - ct) / (n * c + ct);
    return 1.0 - 0.5 * (rs * rs + rp * rp);
}

static bool head_part(uint8_t part);

int fb_render_init(fb_render *r, int width, int height, size_t max_subjects, bool people_3d)
{
    memset(r, 0, sizeof(*r));
    if (width <= 0 || height <= 0)
        return FB_ERR_ARG;
    r->people_3d = people_3d;
    if (!people_3d) {
        r->geo_cap = max_subjects ? max_subjects : 1;
        r->geo = calloc(r->geo_cap, sizeof(*r->geo));
        int rc2 = fb_render2d_init(&r->flat, width, height, max_subjects);
        if (rc2 || !r->geo) {
            fb_render_free(r);
            return rc2 ? rc2 : FB_ERR_NOMEM;
        }
        r->radiance = r->flat.radiance; /* borrowed from the flat renderer */
        return FB_OK;
    }
    r->width = width;
    r->height = height;
    r->radiance = malloc((size_t)width * (size_t)height * sizeof(*r->radiance));
    r->geo_cap = max_subjects ? max_subjects : 1;
    if (r->geo_cap >= FB_RENDER_OWNER_OBJECT)
        r->geo_cap = FB_RENDER_OWNER_OBJECT - 1;
    r->geo = calloc(r->geo_cap, sizeof(*r->geo));
    r->face_full = calloc(r->geo_cap, sizeof(*r->face_full));
    r->face_vis = calloc(r->geo_cap, sizeof(*r->face_vis));
    r->body_vis = calloc(r->geo_cap, sizeof(*r->body_vis));
    int rc = fb_raster_init(&r->raster, width, height);
    if (rc || !r->radiance || !r->geo || !r->face_full || !r->face_vis || !r->body_vis) {
        fb_render_free(r);
        return rc ? rc : FB_ERR_NOMEM;
    }
    for (int i = 0; i < 16; i++)
        for (int j = 0; j <= 64; j++)
            r->eps_table[i][j] = (float)fresnel_eps(0.85 + 0.01 * i, j / 64.0);
    for (int p = 0; p < 256; p++)
        r->head_parts[p] = head_part((uint8_t)p);
    r->room_ambient_c = NAN;
    return FB_OK;
}

static void free_slot(fb_person_slot *ps)
{
    fb_figure_build_abort(ps->build);
    fb_drawlist_free(ps->dl);
    free(ps->vert);
    free(ps->vpart);
    free(ps->mirror);
    memset(ps, 0, sizeof(*ps));
}

/* What fb_render_set_threads made: the pool, the plates' draw list, a slot per person. */
static void free_slots(fb_render *r)
{
    for (size_t k = 0; r->slots && k < r->geo_cap; k++)
        free_slot(&r->slots[k]);
    free(r->slots);
    free(r->lists);
    free(r->order);
    free(r->band_count);
    fb_drawlist_free(r->drawlist);
    fb_drawlist_balance_free(r->balance);
    fb_pool_free(r->pool);
    r->slots = NULL, r->lists = NULL, r->order = NULL, r->band_count = NULL;
    r->drawlist = NULL, r->balance = NULL, r->pool = NULL;
}

void fb_render_free(fb_render *r)
{
    if (r->people_3d)
        free(r->radiance);
    fb_render2d_free(&r->flat);
    free(r->geo);
    free(r->face_full);
    free(r->face_vis);
    free(r->body_vis);
    free(r->vert);
    free(r->vpart);
    free(r->tri);
    fb_raster_free(&r->raster);
    free_slots(r);
    free_slot(&r->one);
    memset(r, 0, sizeof(*r));
}

int fb_render_set_threads(fb_render *r, int n_threads)
{
    if (n_threads < 1 || n_threads > FB_POOL_MAX_THREADS)
        return FB_ERR_ARG;
    free_slots(r);
    if (n_threads == 1)
        return FB_OK;
    if (!r->people_3d) /* the flat renderer draws on one thread; the pool serves the session */
        return fb_pool_create(&r->pool, n_threads);
    int rc = fb_pool_create(&r->pool, n_threads);
    if (!rc)
        rc = fb_drawlist_create(&r->drawlist);
    if (!rc)
        rc = fb_drawlist_balance_create(&r->balance);
    r->slots = rc ? NULL : calloc(r->geo_cap, sizeof(*r->slots));
    r->lists = rc ? NULL : calloc(r->geo_cap + 1, sizeof(*r->lists));
    r->order = rc ? NULL : calloc(r->geo_cap, sizeof(*r->order));
    r->band_count = rc ? NULL : calloc((size_t)n_threads * ROW_BANDS_PER_THREAD *
                                           (2 * r->geo_cap + 1), sizeof(*r->band_count));
    if (!rc && (!r->slots || !r->lists || !r->order || !r->band_count))
        rc = FB_ERR_NOMEM;
    for (size_t k = 0; !rc && k < r->geo_cap; k++)
        rc = fb_drawlist_create(&r->slots[k].dl);
    if (rc)
        free_slots(r);
    return rc;
}

float *fb_render_swap_radiance(fb_render *r, float *next)
{
    float *last = r->radiance;
    r->radiance = next;
    if (!r->people_3d)
        r->flat.radiance = next;
    return last;
}

static void add_raster_stats(fb_raster_stats *to, const fb_raster_stats *a,
                             const fb_raster_stats *minus)
{
    to->tris_in += a->tris_in - minus->tris_in;
    to->tris_drawn += a->tris_drawn - minus->tris_drawn;
    to->rows += a->rows - minus->rows;
    to->px_tested += a->px_tested - minus->px_tested;
    to->tris_hidden += a->tris_hidden - minus->tris_hidden;
}

/* Triangles of a frame's scene (v[0..nv)): drawn now on one thread, or recorded to be drawn in
 * bands (fb_render_set_threads). covered and stats (NULL: none) are added to once drawn, so
 * they must outlive the frame's drawing. Returns FB_OK or FB_ERR_NOMEM. */
static int draw_tris(fb_render *r, struct fb_drawlist *dl, const fb_rvert *v, size_t nv,
                     const uint32_t (*tri)[3], size_t nt, uint16_t owner, const uint8_t *vpart,
                     uint8_t part, bool cull, uint32_t pass, uint32_t *covered,
                     fb_raster_stats *stats)
{
    if (dl)
        return fb_drawlist_tris(dl, &r->raster, v, nv, tri, nt, owner, vpart, part, cull, pass,
                                covered, stats);
    if (covered)
        r->raster.pass = pass;
    const fb_raster_stats before = r->raster.stats;
    fb_raster_tris(&r->raster, v, tri, nt, owner, vpart, part, cull, covered);
    if (stats) {
        static const fb_raster_stats zero = {0, 0, 0, 0, 0};
        fb_raster_stats d = zero;
        add_raster_stats(&d, &r->raster.stats, &before);
        add_raster_stats(stats, &d, &zero);
    }
    return FB_OK;
}

/* The same for a reflection added to the floor (fb_raster_tris_add). */
static int draw_tris_add(fb_render *r, struct fb_drawlist *dl, const fb_rvert *v, size_t nv,
                         const uint32_t (*tri)[3], size_t nt, uint8_t only_part, bool mirrored)
{
    if (dl)
        return fb_drawlist_tris_add(dl, v, nv, tri, nt, only_part, mirrored);
    fb_raster_tris_add(&r->raster, v, tri, nt, only_part, mirrored);
    return FB_OK;
}

/* Vertices and their parts for n (the room's in fb_render, a person's in its slot). */
static int reserve_verts_in(fb_rvert **vert, uint8_t **vpart, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    size_t c = n * 2;
    fb_rvert *v = realloc(*vert, c * sizeof(*v));
    if (!v)
        return -1;
    *vert = v;
    uint8_t *p = realloc(*vpart, c);
    if (!p)
        return -1;
    *vpart = p;
    *cap = c;
    return 0;
}

static int reserve_verts(fb_render *r, size_t n)
{
    return reserve_verts_in(&r->vert, &r->vpart, &r->vert_cap, n);
}

static int reserve_mirror(fb_person_slot *ps, size_t n)
{
    if (n <= ps->mirror_cap)
        return 0;
    fb_rvert *v = realloc(ps->mirror, 2 * n * sizeof(*v));
    if (!v)
        return -1;
    ps->mirror = v;
    ps->mirror_cap = 2 * n;
    return 0;
}

static int reserve_tris(fb_render *r, size_t n)
{
    if (n <= r->tri_cap)
        return 0;
    uint32_t(*t)[3] = realloc(r->tri, 2 * n * sizeof(*t));
    if (!t)
        return -1;
    r->tri = t;
    r->tri_cap = 2 * n;
    return 0;
}

/* Camera-frame depth and sample coordinates of a world point; false behind the camera. */
static bool project(const fb_world *w, const double p[3], fb_rvert *out, double *u_px, double *v_px)
{
    double u, v, depth;
    if (!fb_camera_project(&w->geom, p[0], p[1], p[2], &u, &v, &depth) || depth < 0.05) {
        out->inv_z = 0.0f;
        return false;
    }
    out->x = (float)u;
    out->y = (float)v;
    out->inv_z = (float)(1.0 / depth);
    if (u_px)
        *u_px = u;
    if (v_px)
        *v_px = v;
    return true;
}

/* A flat rectangle or ellipse facing the camera (the plane y = y_m), drawn with radiance rad;
 * covered (NULL: none) counts the samples it covers in a pass of its own (draw_tris). Returns
 * FB_OK or FB_ERR_NOMEM. */
static int draw_plate(fb_render *r, const fb_world *w, double x_m, double y_m, double z_m,
                      double w_m, double h_m, bool ellipse, float rad, uint16_t owner,
                      uint8_t part, uint32_t *covered)
{
    enum { N_ELL = 24 };
    fb_rvert v[N_ELL + 1];
    uint32_t tri[N_ELL][3];
    size_t nv = 0, nt = 0;
    if (!ellipse) {
        double c[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
        for (int i = 0; i < 4; i++) {
            double p[3] = {x_m + c[i][0] * w_m / 2, y_m, z_m + c[i][1] * h_m / 2};
            project(w, p, &v[nv], NULL, NULL);
            v[nv++].rad = rad;
        }
        tri[0][0] = 0, tri[0][1] = 1, tri[0][2] = 2;
        tri[1][0] = 0, tri[1][1] = 2, tri[1][2] = 3;
        nt = 2;
    } else {
        double p[3] = {x_m, y_m, z_m};
        project(w, p, &v[nv], NULL, NULL);
        v[nv++].rad = rad;
        for (int i = 0; i < N_ELL; i++) {
            double a = 2 * 3.14159265358979323846 * i / N_ELL;
            double q[3] = {x_m + cos(a) * w_m / 2, y_m, z_m + sin(a) * h_m / 2};
            project(w, q, &v[nv], NULL, NULL);
            v[nv++].rad = rad;
            tri[nt][0] = 0, tri[nt][1] = (uint32_t)(1 + i), tri[nt][2] = (uint32_t)(1 + (i + 1) % N_ELL);
            nt++;
        }
    }
    uint32_t pass = covered ? fb_raster_new_pass(&r->raster) : r->raster.pass;
    return draw_tris(r, r->drawlist, v, nv, (const uint32_t(*)[3])tri, nt, owner, NULL, part,
                     false, pass, covered, NULL);
}

/* The air between the camera and an object depth_m away (models/atmosphere.h). */
static float through_air(const fb_world *w, double depth_m, double rad)
{
    double tau = fb_atmosphere_transmission(depth_m, w->ambient_c, w->sc->rh_percent);
    double l_air = fb_radiometry_radiance(w->rad, w->ambient_c + FB_KELVIN_OFFSET);
    return (float)fb_atmosphere_apply(tau, rad, l_air);
}

/* The static layer: beyond everything a wall at the air temperature; the room's patches
 * (models/room.h) cell by cell, each vertex grey-body radiance reflecting the room, through the
 * air over its own distance. Redrawn when the air has changed. */
static int draw_room(fb_render *r, const fb_world *w)
{
    double amb_k = w->ambient_c + FB_KELVIN_OFFSET;
    float wall = (float)fb_radiometry_surface(w->rad, WALL_EMISSIVITY, amb_k, amb_k);
    fb_raster_clear(&r->raster, wall);
    fb_room_patch pt[FB_ROOM_MAX_PATCHES];
    size_t np = fb_room_patches(&w->sc->room, w->ambient_c, pt);
    for (size_t k = 0; k < np; k++) {
        const fb_room_patch *p = &pt[k];
        size_t nu = (size_t)p->nu + 1, nv = (size_t)p->nv + 1;
        if (reserve_verts(r, nu * nv) || reserve_tris(r, 2 * (size_t)p->nu * (size_t)p->nv))
            return FB_ERR_NOMEM;
        for (size_t j = 0; j < nv; j++)
            for (size_t i = 0; i < nu; i++) {
                double s = (double)i / (double)p->nu, t = (double)j / (double)p->nv, q[3];
                for (int c = 0; c < 3; c++)
                    q[c] = p->p0[c] + s * p->eu[c] + t * p->ev[c];
                fb_rvert *rv = &r->vert[j * nu + i];
                double depth = 0.0;
                if (!project(w, q, rv, NULL, NULL))
                    continue;
                depth = 1.0 / (double)rv->inv_z;
                double l = fb_radiometry_surface(w->rad, p->emissivity,
                                                 fb_room_patch_temp(p, q[2]) + FB_KELVIN_OFFSET,
                                                 amb_k);
                rv->rad = through_air(w, depth, l);
            }
        size_t nt = 0;
        for (size_t j = 0; j + 1 < nv; j++)
            for (size_t i = 0; i + 1 < nu; i++) {
                uint32_t a = (uint32_t)(j * nu + i), b = a + 1, c = (uint32_t)(a + nu + 1),
                         d = (uint32_t)(a + nu);
                r->tri[nt][0] = a, r->tri[nt][1] = b, r->tri[nt][2] = c, nt++;
                r->tri[nt][0] = a, r->tri[nt][1] = c, r->tri[nt][2] = d, nt++;
            }
        fb_raster_tris(&r->raster, r->vert, (const uint32_t(*)[3])r->tri, nt, 0, NULL,
                       p->surface == FB_ROOM_FLOOR ? PART_FLOOR : PART_ROOM, false, NULL);
    }
    fb_raster_keep_as_background(&r->raster);
    r->room_ambient_c = w->ambient_c;
    /* a glossy floor in view mirrors the people above it */
    size_t ns = (size_t)r->raster.width * (size_t)r->raster.height * FB_RASTER_SPP;
    r->floor_in_view = false;
    for (size_t i = 0; i < ns && !r->floor_in_view; i++)
        r->floor_in_view = fb_raster_part(&r->raster, i) == PART_FLOOR;
    r->floor_row0 = r->raster.height;
    for (size_t i = 0; i < ns; i++)
        if (fb_raster_part(&r->raster, i) == PART_FLOOR) {
            r->floor_row0 = (int)(i / FB_RASTER_SPP / (size_t)r->raster.width);
            break;
        }
    r->floor_reflect = (float)(1.0 - w->sc->room.floor_emissivity);
    return FB_OK;
}

/* Samples of a world point: whether the nearest surface there is this person's face skin at the
 * point's own depth (within tol_m): the point is seen. */
static bool seen_at(const fb_render *r, const fb_world *w, const double p[3], uint16_t owner,
                    double tol_m, double *u_px, double *v_px)
{
    fb_rvert pv;
    double u = NAN, v = NAN;
    bool ok = project(w, p, &pv, &u, &v);
    if (u_px)
        *u_px = u;
    if (v_px)
        *v_px = v;
    if (!ok)
        return false;
    long i = fb_raster_sample_at(&r->raster, u, v);
    if (i < 0)
        return false;
    if (fb_raster_owner(&r->raster, (size_t)i) != owner ||
        fb_raster_part(&r->raster, (size_t)i) != FB_PART_FACE)
        return false;
    double depth = 1.0 / (double)pv.inv_z, there = 1.0 / (double)r->raster.inv_z[i];
    return fabs(depth - there) <= tol_m;
}

/* Whether any of a posed mesh may fall inside the image (its bounding sphere). */
static bool mesh_in_view(const fb_world *w, const double *bm, const fb_fig_mesh *m)
{
    double lc[3] = {m->centre[0], m->centre[1], m->centre[2]}, c[3], u, v, depth;
    fb_figure_xform_point(bm, lc, c);
    double rad = m->radius_m;
    if (!fb_camera_project(&w->geom, c[0], c[1], c[2], &u, &v, &depth) || depth - rad < 0.1)
        return true; /* near or behind the camera: leave it to the triangles */
    double rpx = rad * w->geom.focal_px / (depth - rad);
    return u + rpx > 0 && u - rpx < w->geom.width && v + rpx > 0 && v - rpx < w->geom.height;
}

/* Whether the mirror image in the floor (z -> -z) of a posed mesh may reach a floor sample:
 * the cube around the mesh's bounding sphere (grown by a millimetre and a per cent against the
 * sphere's float rounding) is mirrored and its eight corners projected; a perspective image of
 * the cube lies inside their box, so when all are in front of the camera and the box (a pixel
 * wider each way against the vertices' float rounding) ends above the floor's first row or off
 * the image, no triangle of the mirror image can touch a floor sample and skipping it changes
 * nothing. */
static bool mirror_may_touch_floor(const fb_render *r, const fb_world *w, const double *bm,
                                   const fb_fig_mesh *m)
{
    double h = (double)m->radius_m * 1.01 + 0.001;
    double u0 = INFINITY, u1 = -INFINITY, v0 = INFINITY, v1 = -INFINITY;
    for (int k = 0; k < 8; k++) {
        double lp[3] = {m->centre[0] + (k & 1 ? h : -h), m->centre[1] + (k & 2 ? h : -h),
                        m->centre[2] + (k & 4 ? h : -h)};
        double p[3], u, v, depth;
        fb_figure_xform_point(bm, lp, p);
        if (!fb_camera_project(&w->geom, p[0], p[1], -p[2], &u, &v, &depth) || depth < 0.06)
            return true; /* near or behind the camera: leave it to the triangles */
        u0 = u < u0 ? u : u0, u1 = u > u1 ? u : u1;
        v0 = v < v0 ? v : v0, v1 = v > v1 ? v : v1;
    }
    return v1 + 1.0 >= (double)r->floor_row0 && u1 + 1.0 >= 0.0 && v1 + 1.0 >= 0.0 &&
           u0 - 1.0 <= (double)r->raster.width && v0 - 1.0 <= (double)r->raster.height;
}

/* The mirror image of a posed mesh in a glossy floor (z -> -z), added to the floor's samples:
 * the floor reflects 1 - emissivity of what it sees, which for the floor under a person is the
 * person instead of the room (the room's share is already in the floor's own radiance). The
 * mesh's radiances are ps->vert's, just drawn. */
static int reflect_mesh(fb_render *r, fb_person_slot *ps, const fb_world *w, const fb_fig_mesh *m,
                        const double *bm, float b_room)
{
    ps->st.mirrors++;
    if (!r->mirror_cull_off && !mirror_may_touch_floor(r, w, bm, m)) {
        ps->st.mirrors_culled++;
        return FB_OK;
    }
    if (reserve_mirror(ps, m->nv))
        return FB_ERR_NOMEM;
    for (uint32_t i = 0; i < m->nv; i++) {
        const fb_fig_vertex *fv = &m->v[i];
        double lp[3] = {fv->p[0], fv->p[1], fv->p[2]}, p[3];
        fb_figure_xform_point(bm, lp, p);
        p[2] = -p[2];
        fb_rvert *mv = &ps->mirror[i];
        if (project(w, p, mv, NULL, NULL))
            mv->rad = r->floor_reflect * (ps->vert[i].rad - b_room);
    }
    return draw_tris_add(r, ps->dl, ps->mirror, m->nv, (const uint32_t(*)[3])m->tri, m->nt, PART_FLOOR,
                         true);
}

static bool head_part(uint8_t part)
{
    return fb_part_is_head((fb_part)part);
}

/* Person k's pose this frame, its head's width on the image, the head's depth and the level of
 * detail it is drawn at; false when its head is not in front of the camera (nothing is drawn).
 * Reads only: the people's job asks it of every person before it hands them out. */
static bool person_level(const fb_render *r, const fb_world *w, size_t k, fb_figure_pose *pose,
                         double *head_px, double *hdepth, int *lod)
{
    const fb_figure *fig = &w->subjects[w->truth[k].subject].fig;
    fb_subject_place pl;
    fb_world_subject_place(w, k, r->delay_s, &pl);
    fb_figure_pose_at(fig, pl.x_m, pl.y_m, pl.gait_cycles, pl.speed_mps, pl.yaw_deg, pose);
    double hc[3];
    fb_figure_head_centre(pose, hc);
    double hu, hv;
    if (!fb_camera_project(&w->geom, hc[0], hc[1], hc[2], &hu, &hv, hdepth) || *hdepth < 0.1)
        return false;
    *head_px = fig->look.head_w_m * w->geom.focal_px / *hdepth;
    /* the face's grid step (3.2, 6.5, 13, 26 degrees: 4.3, 8.7, 17, 35 mm) stays at or under
     * about 1.5 pixels, so that the eyes, brows, nose and mouth are sampled at every distance */
    *lod = *head_px > 50.0 ? 0 : *head_px > 25.0 ? 1 : *head_px > 12.0 ? 2 : 3;
    return true;
}

/* Marks the raster's hidden-surface bounds over box (what a person has drawn so far) to be
 * raised when next read: now with one thread, recorded in ps's draw list with more. Returns
 * FB_OK or FB_ERR_NOMEM. */
static int hiz_bound(fb_render *r, fb_person_slot *ps, const fb_vert_box *box)
{
    if (!(box->bx1 >= box->bx0 && box->by1 >= 0.0 && box->by0 < (double)r->raster.height))
        return FB_OK; /* nothing on the image */
    const float x0 = (float)box->bx0, x1 = (float)box->bx1;
    const float y0 = (float)fmax(box->by0, 0.0), y1 = (float)box->by1;
    if (ps->dl)
        return fb_drawlist_hiz(ps->dl, x0, x1, y0, y1);
    fb_raster_hiz_update(&r->raster, x0, x1, (int)y0,
                         y1 < (float)r->raster.height ? (int)y1 + 1 : r->raster.height);
    return FB_OK;
}

/* Person k drawn with slot ps's scratch, its counters into ps->st: straight into the raster, or
 * recorded in ps->dl with coverage pass ps->pass (then several people may be drawn at once: this
 * reads the world and writes only person k's figure, geo and face_full and ps). Returns FB_OK
 * (drawn, or nowhere in view) or FB_ERR_NOMEM. */
static int draw_person(fb_render *r, fb_world *w, size_t k, fb_person_slot *ps)
{
    fb_subject_geo *g = &r->geo[k];
    const fb_truth_subject *ts = &w->truth[k];
    fb_world_subject *ws = &w->subjects[ts->subject];
    fb_figure *fig = &ws->fig;
    const double t_start_all = r->profile ? fb_clock_s() : 0.0;
    fb_figure_pose pose;
    double head_px, hdepth;
    int lod;
    if (!person_level(r, w, k, &pose, &head_px, &hdepth, &lod))
        return FB_OK;
    fb_render_stats *rs = &ps->st;

    size_t n_mesh;
    const bool build = !fig->lod[lod] || ps->build;
    const double t_build = r->profile && build ? fb_clock_s() : 0.0;
    if (ps->build) { /* begun before the job and its pieces built by all (build_levels) */
        fb_fig_build *b = ps->build;
        ps->build = NULL;
        if (fb_figure_build_end(b))
            return FB_ERR_NOMEM;
    }
    const fb_fig_mesh *meshes = fb_figure_lod(fig, lod, &n_mesh);
    if (!meshes)
        return FB_ERR_NOMEM;
    if (build) {
        rs->lod_builds[lod]++;
        if (r->profile)
            rs->lod_build_s[lod] += fb_clock_s() - t_build + ps->build_s;
    }

    double tp = r->profile ? fb_clock_s() : 0.0, tq;
    if (r->profile)
        rs->mesh_s += tp - t_start_all;
    /* Temperatures now, as band radiance per zone (mixing in radiance: over a few kelvin the
     * band radiance is near linear in temperature). */
    fb_surface_temps st;
    fb_world_surface(w, ws, &st);
    double zt[FB_TZ_COUNT];
    fb_figure_zone_temps(&fig->look, &st, w->t_s, w->ambient_c, zt);
    float zb[FB_TZ_COUNT];
    for (int z = 0; z < FB_TZ_COUNT; z++)
        zb[z] = (float)fb_radiometry_radiance(w->rad, zt[z] + FB_KELVIN_OFFSET);
    double t_spot[3] = {0, ws->canthus_max_right ? st.canthus_min_c : st.canthus_max_c,
                        ws->canthus_max_right ? st.canthus_max_c : st.canthus_min_c};
    float b_spot[3] = {0, (float)fb_radiometry_radiance(w->rad, t_spot[1] + FB_KELVIN_OFFSET),
                       (float)fb_radiometry_radiance(w->rad, t_spot[2] + FB_KELVIN_OFFSET)};
    const double amb_k = w->ambient_c + FB_KELVIN_OFFSET;
    const float b_refl = (float)fb_radiometry_radiance(w->rad, amb_k);
    const double tau = fb_atmosphere_transmission(hdepth, w->ambient_c, w->sc->rh_percent);
    const float l_air = (float)((1.0 - tau) * b_refl);
    const float ftau = (float)tau;
    const uint16_t owner = (uint16_t)(k + 1);
    fb_vert_ctx vc = {&w->geom, NULL, zb, b_spot, (const float(*)[65])r->eps_table, b_refl,
                      ftau, l_air};
    fb_vert_box box;
    fb_vert_box_empty(&box);
    uint32_t head_pass = ps->dl ? ps->pass : fb_raster_new_pass(&r->raster);
    uint32_t *head_covered = &r->face_full[k]; /* 0 at the frame's start */
    bool torso_done = false;
    for (size_t mi = 0; mi < n_mesh; mi++) {
        const fb_fig_mesh *m = &meshes[mi];
        if (reserve_verts_in(&ps->vert, &ps->vpart, &ps->vert_cap, m->nv))
            return FB_ERR_NOMEM;
        const double *bm = pose.m[m->bone];
        if (!mesh_in_view(w, bm, m))
            continue;
        /* the head's own surfaces: skin, glasses, mask, hat — not long hair hanging behind
         * the neck, whose outline would count as face hidden */
        bool is_head = fb_part_is_head((fb_part)m->v[0].part);
        rs->verts += m->nv;
        vc.bone = bm;
        fb_vertices_shade(&vc, m->v, &m->soa, m->nv, ps->vert, ps->vpart, &box);
        if (r->profile)
            tq = fb_clock_s(), rs->vert_s += tq - tp, tp = tq;
        if (draw_tris(r, ps->dl, ps->vert, m->nv, (const uint32_t(*)[3])m->tri, m->nt, owner,
                      ps->vpart, 0, true, head_pass, is_head ? head_covered : NULL,
                      &ps->lod_raster[lod]))
            return FB_ERR_NOMEM;
        if (m->bone == FB_BONE_TORSO && !torso_done) { /* (its own limbs behind it) */
            torso_done = true;
            if (hiz_bound(r, ps, &box))
                return FB_ERR_NOMEM;
        }
        if (r->profile)
            tq = fb_clock_s(), rs->tris_s += tq - tp, tp = tq;
        if (r->floor_in_view && r->floor_reflect > 0.0f && reflect_mesh(r, ps, w, m, bm, b_refl))
            return FB_ERR_NOMEM;
        if (r->profile)
            tq = fb_clock_s(), rs->reflect_s += tq - tp, tp = tq;
    }
    /* The person's samples now bound what lies behind them: the hidden triangles of people
     * drawn after (in the truth's order) are skipped (raster.h, hiz). */
    if (hiz_bound(r, ps, &box))
        return FB_ERR_NOMEM;
    g->drawn = box.fx1 > box.fx0;
    g->face_x = box.fx0;
    g->face_y = box.fy0;
    g->face_w = box.fx1 - box.fx0;
    g->face_h = box.fy1 - box.fy0;
    g->body_x = box.bx0;
    g->body_y = box.by0;
    g->body_w = box.bx1 - box.bx0;
    g->body_h = box.by1 - box.by0;
    rs->people[lod]++;
    rs->head_px[lod] += head_px;
    if (r->profile)
        rs->person_s[lod] += fb_clock_s() - t_start_all;
    return FB_OK;
}

/* A slot's counters for the frame, cleared ... */
static void slot_clear(fb_person_slot *ps)
{
    memset(&ps->st, 0, sizeof(ps->st));
    memset(ps->lod_raster, 0, sizeof(ps->lod_raster));
}

/* ... and, once its triangles are drawn, added to the renderer's. */
static void slot_merge(fb_render_stats *rs, const fb_person_slot *ps)
{
    const fb_render_stats *s = &ps->st;
    for (int l = 0; l < FB_FIG_LODS; l++) {
        rs->people[l] += s->people[l];
        rs->head_px[l] += s->head_px[l];
        rs->lod_builds[l] += s->lod_builds[l];
        rs->lod_build_s[l] += s->lod_build_s[l];
        rs->person_s[l] += s->person_s[l];
        rs->tris[l] += ps->lod_raster[l].tris_in;
        rs->drawn[l] += ps->lod_raster[l].tris_drawn;
        rs->px_tested[l] += ps->lod_raster[l].px_tested;
    }
    rs->verts += s->verts, rs->mirrors += s->mirrors, rs->mirrors_culled += s->mirrors_culled;
    rs->mesh_s += s->mesh_s, rs->vert_s += s->vert_s, rs->tris_s += s->tris_s;
    rs->reflect_s += s->reflect_s;
}

/* One thread: each person drawn straight into the raster in turn. */
static int draw_people(fb_render *r, fb_world *w, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        slot_clear(&r->one);
        if (draw_person(r, w, k, &r->one))
            return FB_ERR_NOMEM;
        slot_merge(&r->stats, &r->one);
    }
    return FB_OK;
}

typedef struct people_job {
    fb_render *r;
    fb_world *w;
    size_t n; /* people */
    _Atomic size_t truths_done; /* the after-draw job's truths finished so far */
} people_job;

static void restore_band(void *ctx, int b);

/* Tasks 0..n-1 pose and record person k; the rest restore a row band each of the static layer
 * (the people's tasks only record, so no task reads or writes rows another writes). */
static void person_task(void *ctx, int k)
{
    people_job *j = ctx;
    if ((size_t)k >= j->n) {
        restore_band(j->r, fb_pool_ends_take(&j->r->restore_ends));
        return;
    }
    const size_t p = j->r->order[k];
    fb_person_slot *ps = &j->r->slots[p];
    ps->rc = draw_person(j->r, j->w, p, ps);
}

/* What drawing a person at each level of detail costs, and building that level (fb_bench's
 * `people lod` lines, crowd at 256 x 192, microseconds): only the order tasks are handed out in
 * depends on them, never what is drawn. */
static const float LOD_DRAW_US[FB_FIG_LODS] = {205.0f, 93.0f, 68.0f, 47.0f};
static const float LOD_END_US[FB_FIG_LODS] = {450.0f, 170.0f, 120.0f, 45.0f}; /* its end */
static const double LOD_HEAD_PX[FB_FIG_LODS] = {70.0, 35.0, 17.0, 11.0}; /* their mean width */

typedef struct build_job {
    fb_render *r;
    size_t n;       /* people */
} build_job;

/* Task i: piece i - (the pieces of the builds before it) of the first build it falls in. */
static void build_task(void *ctx, int i)
{
    build_job *j = ctx;
    for (size_t k = 0; k < j->n; k++) {
        fb_person_slot *ps = &j->r->slots[k];
        if (!ps->build)
            continue;
        if (i < ps->build_pieces) {
            fb_figure_build_piece(ps->build, i);
            return;
        }
        i -= ps->build_pieces;
    }
}

/* The levels of detail this frame's people need and do not have yet, built by the whole pool
 * before the people's job (a finest level takes longer than the rest of a frame: built inside
 * one person's task it held up the job): each planned (fb_figure_build_begin), its pieces — the
 * body, a few rows of the head grid each — handed out as one job, and finished in its person's
 * task (fb_figure_build_end). The meshes are those fb_figure_lod builds; only which thread
 * builds what, and when, differs. Returns FB_OK or FB_ERR_NOMEM (then nothing is begun). */
static int build_levels(fb_render *r, fb_world *w, size_t n)
{
    int total = 0;
    for (size_t k = 0; k < n; k++) {
        fb_person_slot *ps = &r->slots[k];
        ps->build_s = 0.0;
        if (ps->lod < 0)
            continue;
        fb_figure *fig = &w->subjects[w->truth[k].subject].fig;
        if (fig->lod[ps->lod])
            continue;
        bool twice = false; /* a figure is one person's: never two builds of one level */
        for (size_t q = 0; q < k; q++)
            twice |= r->slots[q].build && r->slots[q].lod == ps->lod &&
                     &w->subjects[w->truth[q].subject].fig == fig;
        if (twice)
            continue;
        if (fb_figure_build_begin(fig, ps->lod, &ps->build, &ps->build_pieces)) {
            for (size_t q = 0; q < k; q++) {
                fb_figure_build_abort(r->slots[q].build);
                r->slots[q].build = NULL;
            }
            return FB_ERR_NOMEM;
        }
        if (total > FB_POOL_MAX_TASKS - ps->build_pieces) { /* its person's task builds it */
            fb_figure_build_abort(ps->build);
            ps->build = NULL;
            continue;
        }
        total += ps->build_pieces;
    }
    if (!total)
        return FB_OK;
    const double t0 = r->profile ? fb_clock_s() : 0.0;
    build_job j = {r, n};
    fb_pool_run(r->pool, build_task, &j, total);
    if (r->profile) { /* the job's time shared among its builds by their pieces */
        const double dt = fb_clock_s() - t0;
        for (size_t k = 0; k < n; k++)
            if (r->slots[k].build)
                r->slots[k].build_s = dt * r->slots[k].build_pieces / total;
    }
    return FB_OK;
}

/* r->order[0..n): the people, costliest first by level of detail, the head's width on the image
 * (more of the image to fill) and whether the level's build is to be finished in its task
 * (fb_figure_build_end: longer than drawing a far person); ties in person order. Sets each
 * slot's lod (-1: not in front of the camera). Only which thread draws whom, and when, depends
 * on it. */
static void order_people(fb_render *r, const fb_world *w, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        fb_figure_pose pose;
        double head_px, hdepth;
        int lod;
        float c = 0.0f;
        r->slots[k].lod = -1;
        if (person_level(r, w, k, &pose, &head_px, &hdepth, &lod)) {
            r->slots[k].lod = lod;
            /* half of a person's time goes with the pixels its head's width stands for */
            c = LOD_DRAW_US[lod] * (float)(0.5 + 0.5 * head_px / LOD_HEAD_PX[lod]);
            if (!w->subjects[w->truth[k].subject].fig.lod[lod]) /* what build_levels leaves */
                c += LOD_END_US[lod];
        }
        r->slots[k].cost = c;
        /* insertion: a few tens of people at most */
        size_t i = k;
        for (; i > 0 && r->slots[r->order[i - 1]].cost < c; i--)
            r->order[i] = r->order[i - 1];
        r->order[i] = (uint32_t)k;
    }
}

static int n_row_bands(const fb_render *r);

/* Several threads: the people posed and their triangles recorded at once, a slot each, while
 * the last frame's drawing is restored in row bands (one pool job); then every list (the
 * plates', then person by person) drawn in row bands; counters merged in person order. The
 * coverage passes are handed out in person order first. */
static int draw_people_threads(fb_render *r, fb_world *w, size_t n)
{
    r->lists[0] = r->drawlist;
    for (size_t k = 0; k < n; k++) {
        fb_person_slot *ps = &r->slots[k];
        slot_clear(ps);
        fb_drawlist_clear(ps->dl);
        ps->pass = fb_raster_new_pass(&r->raster);
        ps->rc = FB_OK;
        r->lists[k + 1] = ps->dl;
    }
    double q0 = fb_pool_trace_now();
    order_people(r, w, n);
    fb_pool_trace_span("people ordered", q0);
    q0 = fb_pool_trace_now();
    if (build_levels(r, w, n))
        return FB_ERR_NOMEM;
    fb_pool_trace_span("levels built", q0);
    q0 = fb_pool_trace_now();
    people_job j = {r, w, n, 0};
    fb_pool_ends_reset(&r->restore_ends, n_row_bands(r));
    fb_pool_run(r->pool, person_task, &j, (int)n + n_row_bands(r));
    fb_pool_trace_span("people job", q0);
    q0 = fb_pool_trace_now();
    int rc = FB_OK;
    for (size_t k = 0; k < n; k++) {
        fb_figure_build_abort(r->slots[k].build); /* left by a task that failed first */
        r->slots[k].build = NULL;
        if (r->slots[k].rc && !rc)
            rc = r->slots[k].rc;
    }
    if (rc)
        return rc;
    if (fb_drawlist_run_balanced(r->lists, n + 1, &r->raster, r->pool, r->balance))
        return FB_ERR_NOMEM;
    fb_pool_trace_span("bands job", q0);
    for (size_t k = 0; k < n; k++)
        slot_merge(&r->stats, &r->slots[k]);
    return FB_OK;
}

/* After everything is drawn and counted: how much of person k's head and body is seen ... */
static void person_truth_counts(fb_render *r, size_t k, const uint32_t *face_vis,
                                const uint32_t *body_vis)
{
    fb_subject_geo *g = &r->geo[k];
    g->face_visible = r->face_full[k] ? (double)face_vis[k] / (double)r->face_full[k] : 0.0;
    g->body_visible_px = (body_vis[k] + FB_RASTER_SPP / 2) / FB_RASTER_SPP;
}

/* ... and which of its landmarks and how much of its canthus spot (reads the finished raster,
 * writes geo[k]'s landmark and canthus fields only). */
static void person_truth(fb_render *r, fb_world *w, size_t k)
{
    fb_subject_geo *g = &r->geo[k];
    const fb_truth_subject *ts = &w->truth[k];
    fb_world_subject *ws = &w->subjects[ts->subject];
    if (!g->drawn)
        return;
    fb_subject_place pl;
    fb_world_subject_place(w, k, r->delay_s, &pl);
    fb_figure_pose pose;
    fb_figure_pose_at(&ws->fig, pl.x_m, pl.y_m, pl.gait_cycles, pl.speed_mps, pl.yaw_deg, &pose);
    const double *hm = pose.m[FB_BONE_HEAD];
    const uint16_t owner = (uint16_t)(k + 1);
    /* landmarks: 2.5 cm of depth, as a coarse level of detail flattens the nose tip by ~1 cm */
    for (int i = 0; i < FB_TRUTH_LANDMARKS; i++) {
        double p[3];
        fb_figure_xform_point(hm, ws->fig.landmark[i], p);
        g->landmark_seen[i] = seen_at(r, w, p, owner, 0.025, &g->landmark_u[i], &g->landmark_v[i]);
    }
    /* The canthus spot (12 x 8 mm) sampled 5 x 3 on the face around each inner canthus: the
     * share whose nearest surface is this face at the spot's depth. */
    int hot = ws->canthus_max_right ? 1 : 0;
    for (int s = 0; s < 2; s++) {
        double p[3];
        fb_figure_xform_point(hm, ws->fig.canthus[s], p);
        g->canthus_seen[s] = seen_at(r, w, p, owner, 0.008, &g->canthus_u[s], &g->canthus_v[s]);
        if (s != hot)
            continue;
        int seen = 0, n = 0;
        for (int j = -1; j <= 1; j++)
            for (int i = -2; i <= 2; i++) {
                double lp[3] = {ws->fig.canthus[s][0] + 0.003 * i, ws->fig.canthus[s][1],
                                ws->fig.canthus[s][2] + 0.004 * j};
                double q[3];
                fb_figure_xform_point(hm, lp, q);
                seen += seen_at(r, w, q, owner, 0.010, NULL, NULL);
                n++;
            }
        g->canthus_visible = (double)seen / n;
    }
}

/* The flat renderer's frame and its truth in the form fb_world_finish_truth takes. */
static void flat_frame(fb_render *r, fb_world *w)
{
    size_t n = w->n_truth < r->geo_cap ? w->n_truth : r->geo_cap;
    memset(r->geo, 0, n * sizeof(*r->geo));
    fb_render2d_frame(&r->flat, w, r->geo);
    r->bb_full_px = r->flat.bb_full_px;
    r->bb_visible_px = r->flat.bb_visible_px;
    for (size_t k = 0; k < n; k++) {
        const fb_truth_subject *ts = &w->truth[k]; /* the template's head box (sim/world/world.c) */
        fb_subject_geo *g = &r->geo[k];
        g->drawn = ts->face_w > 0;
        g->face_x = ts->face_x;
        g->face_y = ts->face_y;
        g->face_w = ts->face_w;
        g->face_h = ts->face_h;
        double area = 3.14159265358979323846 / 4 * ts->face_w * ts->face_h; /* the head ellipse */
        g->face_visible = area > 0 ? fmin(1.0, r->flat.visible_px[k] / area) : 0.0;
        g->canthus_visible = r->flat.canthus_visible[k];
    }
}

/* Row-local work in bands of rows on the pool (ROW_BANDS_PER_THREAD a thread): restoring the
 * static layer, counting who holds the samples, resolving. */
static int n_row_bands(const fb_render *r)
{
    return fb_pool_threads(r->pool) * ROW_BANDS_PER_THREAD;
}

static void rows_of_band(const fb_render *r, int b, int *lo, int *hi)
{
    int n = n_row_bands(r);
    int rows = (r->raster.height + n - 1) / n;
    *lo = b * rows;
    *hi = *lo + rows;
}

/* Row band b's counts in r->band_count: the blackbody's samples, then per person those its
 * head holds, then those any part of it holds (2 geo_cap + 1 words a band). */
static uint32_t *band_counts(const fb_render *r, int b)
{
    return r->band_count + (size_t)b * (2 * r->geo_cap + 1);
}

/* Row band b counted (into band_counts) and resolved in one pass over its drawn blocks, and
 * restored to the static layer in that same pass when every truth has read the samples it needs
 * (the truths, tasks 0..n-1 of the job, are handed out first and are short, so they mostly
 * have): the band's lines are in cache then, where the next frame's people job (restore_band),
 * which restores what is left, would read them back from further away. Which pass restores a
 * row never changes a sample. */
static void count_resolve_band(people_job *j, int b)
{
    if (b < 0)
        return; /* not reached: one take a task, as many tasks as bands */
    fb_render *r = j->r;
    int lo, hi;
    rows_of_band(r, b, &lo, &hi);
    uint32_t *c = band_counts(r, b);
    memset(c, 0, (2 * j->n + 1) * sizeof(*c));
    const fb_raster_tally tally = {j->n, c + 1 + j->n, c + 1, r->head_parts,
                                   FB_RENDER_OWNER_BLACKBODY, c};
    const bool restore = atomic_load_explicit(&j->truths_done, memory_order_acquire) == j->n;
    fb_raster_finish_rows(&r->raster, lo, hi, r->radiance, &tally, restore);
}

/* With threads, once everything is drawn (one pool job): tasks 0..n-1 person k's truth
 * (person_truth), then a row band each counted and resolved; all read the finished raster and
 * write disjoint memory (a band restores its rows only once every truth is done). */
static void after_draw_task(void *ctx, int i)
{
    people_job *j = ctx;
    if ((size_t)i < j->n) {
        person_truth(j->r, j->w, (size_t)i);
        atomic_fetch_add_explicit(&j->truths_done, 1, memory_order_release);
    } else {
        count_resolve_band(j, fb_pool_ends_take(&j->r->finish_ends));
    }
}

static void restore_band(void *ctx, int b)
{
    if (b < 0)
        return; /* not reached: one take a task, as many tasks as bands */
    fb_render *r = ctx;
    int lo, hi;
    rows_of_band(r, b, &lo, &hi);
    fb_raster_restore_rows(&r->raster, lo, hi);
}

int fb_render_frame(fb_render *r, fb_world *w)
{
    if (!r->people_3d) {
        flat_frame(r, w);
        return FB_OK;
    }
    fb_raster *ra = &r->raster;
    double q3 = fb_pool_trace_now();
    if (!(fabs(w->ambient_c - r->room_ambient_c) < 0.02) && draw_room(r, w))
        return FB_ERR_NOMEM;
    fb_render_stats *rs = &r->stats;
    double t0 = r->profile ? fb_clock_s() : 0.0, t1;
    if (r->pool)
        fb_raster_begin_reflections(ra); /* the rows are restored with the people's job */
    else
        fb_raster_begin(ra);
    rs->frames++;
    if (r->profile)
        t1 = fb_clock_s(), rs->begin_s += t1 - t0, t0 = t1;
    size_t n = w->n_truth < r->geo_cap ? w->n_truth : r->geo_cap;
    memset(r->geo, 0, n * sizeof(*r->geo));
    memset(r->face_full, 0, n * sizeof(*r->face_full));
    double amb_k = w->ambient_c + FB_KELVIN_OFFSET;

    /* The blackbody's face, its cover, distractors. */
    r->bb_full_px = r->bb_visible_px = 0;
    uint32_t *bb_cov = &r->bb_covered;
    *bb_cov = 0;
    if (r->drawlist)
        fb_drawlist_clear(r->drawlist);
    if (w->sc->blackbody.enabled) {
        const fb_blackbody_params *bp = &w->sc->blackbody;
        double depth = 0;
        fb_camera_project(&w->geom, w->bb_x_m, w->bb_y_m, w->bb_z_m, NULL, NULL, &depth);
        float rad = through_air(w, depth,
                                fb_radiometry_surface(w->rad, bp->emissivity,
                                                      w->blackbody_c + FB_KELVIN_OFFSET, amb_k));
        if (draw_plate(r, w, w->bb_x_m, w->bb_y_m, w->bb_z_m, bp->aperture_m, bp->aperture_m,
                       false, rad, FB_RENDER_OWNER_BLACKBODY, PART_BLACKBODY, bb_cov))
            return FB_ERR_NOMEM;
        if (w->bb_occluder) {
            /* an "occluded" failure: a cloth cover at room temperature 15 cm in front, 2.5 x */
            float crad = through_air(w, depth - 0.15, fb_radiometry_surface(w->rad, 0.95, amb_k, amb_k));
            if (draw_plate(r, w, w->bb_x_m, w->bb_y_m - 0.15, w->bb_z_m, 2.5 * bp->aperture_m,
                           2.5 * bp->aperture_m, false, crad, FB_RENDER_OWNER_OBJECT,
                           PART_OBJECT, NULL))
                return FB_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < w->sc->n_distractors && i < FB_MAX_DISTRACTORS; i++) {
        const fb_distractor *d = &w->sc->distractors[i];
        double depth = 0;
        if (!fb_camera_project(&w->geom, d->x_m, d->y_m, d->z_m, NULL, NULL, &depth))
            continue;
        double t_c = d->has_temp ? d->temp_c : w->ambient_c;
        double refl_c = d->has_reflected ? d->reflected_c : w->ambient_c;
        float rad = through_air(w, depth,
                                fb_radiometry_surface(w->rad, d->emissivity, t_c + FB_KELVIN_OFFSET,
                                                      refl_c + FB_KELVIN_OFFSET));
        if (draw_plate(r, w, d->x_m, d->y_m, d->z_m, d->w_m, d->h_m, d->ellipse, rad,
                       FB_RENDER_OWNER_OBJECT, PART_OBJECT, NULL))
            return FB_ERR_NOMEM;
    }
    if (r->profile)
        t1 = fb_clock_s(), rs->plates_s += t1 - t0, t0 = t1;
    fb_pool_trace_span("room and plates", q3);
    if (r->pool ? draw_people_threads(r, w, n) : draw_people(r, w, n))
        return FB_ERR_NOMEM;
    if (r->profile)
        t1 = fb_clock_s(), rs->people_s += t1 - t0, t0 = t1;

    /* Count, per owner, the samples it holds now; what of each person is seen. */
    uint32_t *fv = r->face_vis, *bv = r->body_vis, bb_vis = 0;
    memset(fv, 0, n * sizeof(uint32_t));
    memset(bv, 0, n * sizeof(uint32_t));
    if (r->pool) {
        /* truth, counting and resolving in one job; the bands' integer counts summed after */
        double q0 = fb_pool_trace_now();
        people_job j = {r, w, n, 0};
        int nb = n_row_bands(r);
        fb_pool_ends_reset(&r->finish_ends, nb);
        fb_pool_run(r->pool, after_draw_task, &j, (int)n + nb);
        for (int b = 0; b < nb; b++) {
            const uint32_t *c = band_counts(r, b);
            bb_vis += c[0];
            for (size_t k = 0; k < n; k++)
                fv[k] += c[1 + k], bv[k] += c[1 + n + k];
        }
        fb_pool_trace_span("after-draw job", q0);
    } else {
        /* the truth's points read the finished samples first; then, in one pass over the drawn
         * blocks, they are counted, resolved and restored for the next frame */
        for (size_t k = 0; k < n; k++)
            person_truth(r, w, k);
        if (r->profile)
            t1 = fb_clock_s(), rs->truth_s += t1 - t0, t0 = t1;
        const fb_raster_tally tally = {n, bv, fv, r->head_parts, FB_RENDER_OWNER_BLACKBODY,
                                       &bb_vis};
        fb_raster_finish_rows(ra, 0, ra->height, r->radiance, &tally, true);
        if (r->profile)
            t1 = fb_clock_s(), rs->rows_s += t1 - t0, t0 = t1;
    }
    for (size_t k = 0; k < n; k++)
        person_truth_counts(r, k, fv, bv);
    if (*bb_cov) {
        r->bb_full_px = (*bb_cov + FB_RASTER_SPP - 1) / FB_RASTER_SPP;
        r->bb_visible_px = (uint32_t)((double)bb_vis / *bb_cov * r->bb_full_px + 0.5);
    }
    for (size_t k = 0; k < n; k++)
        rs->samples_held += bv[k];
    if (r->profile)
        rs->truth_s += fb_clock_s() - t0;
    rs->raster = ra->stats;
    return FB_OK;
}
