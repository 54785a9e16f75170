/* figure.h — a person in 3D: a generated parametric head (skull, jaw, brow, eye sockets, eyes,
 * nose, cheeks, lips, ears, hair) and a body of rigid tubes (neck, torso, arms, hands, legs),
 * posed for a frame, with a smooth skin-temperature field per vertex. Pure geometry and
 * physiology: no I/O, no drawing (sim/world/render.c rasterises what this builds).
 *
 * Why meshes of a generated parametric head (docs/people.md): the head is a star-shaped
 * surface r(azimuth, elevation) around its centre — an ellipsoid narrowed at the jaw, with
 * Gaussian bumps and dents for each feature — sampled on a grid that is dense over the face and
 * keeps grid lines through the inner canthi, so every feature and the measurement site are
 * exact vertices. A mesh rasterised with a depth buffer gives exact visibility (who hides
 * whom, glasses over the canthus, a nose over the far canthus at yaw) at a cost that grows
 * with the pixels covered, not with the number of features; levels of detail keep far people
 * cheap. Signed-distance fields would need many evaluations per pixel. */
#ifndef FB_FIGURE_H
#define FB_FIGURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "body.h"
#include "physiology.h"
#include "rng.h"

/* What a surface is, for its emissivity and for the truth (which parts belong to the head).
 * Append only. */
typedef enum fb_part {
    FB_PART_NONE = 0,
    FB_PART_FACE,  /* head skin and eyes (hair blends in per vertex) */
    FB_PART_LENS,  /* spectacles: lenses, rims, bridge, temples */
    FB_PART_MASK,
    FB_PART_HAT,
    FB_PART_BODY,  /* clothing of torso, arms and legs */
    FB_PART_SKIN,  /* bare skin off the head: neck, hands, forearms */
    FB_PART_CUP,
    FB_PART_HAIR,  /* long hair falling behind the neck and shoulders */
    FB_PART_COUNT
} fb_part;

/* Whether a part is the head's (the face box, face_visible). */
bool fb_part_is_head(fb_part p);

/* The temperature field's anchors: each vertex's base temperature is a weighted mix of these
 * (weights precomputed from where the vertex is on the body), then drawn toward the canthus
 * temperature by the canthus spot's weight (1 at the inner canthus itself). */
typedef enum fb_tzone {
    FB_TZ_FOREHEAD = 0, /* forehead centre (FDA "forehead centre") */
    FB_TZ_FOREHEAD_WARM, /* inner brows and temples: the forehead maximum */
    FB_TZ_PERIORBITAL,
    FB_TZ_EYE,           /* cornea and eyelids' edge */
    FB_TZ_CHEEK,
    FB_TZ_NOSE,          /* nose tip and alae, the coolest and most variable */
    FB_TZ_NOSTRIL,       /* warmed by exhaled air */
    FB_TZ_LIP,           /* lips, warm at the corners, cooler lower lip */
    FB_TZ_CHIN,
    FB_TZ_EAR,
    FB_TZ_SCALP,         /* skin under hair, behind the head */
    FB_TZ_NECK,
    FB_TZ_HAIR,
    FB_TZ_CLOTH,
    FB_TZ_CLOTH_WARM,    /* cloth touching skin: shoulders, collar, upper back */
    FB_TZ_CLOTH_COOL,    /* loose folds and hems away from the body */
    FB_TZ_HAND,
    FB_TZ_LENS,
    FB_TZ_MASK,
    FB_TZ_MASK_WARM,     /* over the mouth and nostrils */
    FB_TZ_HAT,
    FB_TZ_CUP,
    FB_TZ_COUNT
} fb_tzone;

#define FB_FIG_WEIGHTS 4 /* zones mixed per vertex */

/* A vertex in its part's frame (metres; head frame: origin at the head centre, x to the image
 * right of a person facing the camera, y away from the camera (the face looks along -y), z up). */
typedef struct fb_fig_vertex {
    float p[3], n[3];
    uint8_t zone[FB_FIG_WEIGHTS];
    float w[FB_FIG_WEIGHTS]; /* sum 1 */
    float spot;              /* weight of the canthus temperature against the zones' mix, 0..1 */
    uint8_t spot_id;         /* 0 none, 1 image-left inner canthus, 2 image-right */
    uint8_t part;            /* fb_part */
    float eps0;              /* emissivity along the normal */
} fb_fig_vertex;

/* The same vertices field by field (structure of arrays), each array padded with zeros to a
 * multiple of FB_FIG_SOA_ALIGN vertices: what shading reads eight or sixteen at a time with plain
 * loads instead of gathering every field (sim/world/vertices.c). One allocation, at p[0]. */
#define FB_FIG_SOA_ALIGN 16
typedef struct fb_fig_soa {
    float *p[3], *n[3];
    float *w[FB_FIG_WEIGHTS];
    float *spot, *eps0;
    uint32_t *zone; /* zone[0] | zone[1] << 8 | zone[2] << 16 | zone[3] << 24 */
    uint32_t *sp;   /* spot_id | part << 8 */
} fb_fig_soa;

/* Fills *soa with v[0..n)'s fields (freed with free(soa->p[0])). Returns 0, or -1 when out of
 * memory (then *soa holds nothing to free). */
int fb_fig_soa_build(const fb_fig_vertex *v, uint32_t n, fb_fig_soa *soa);

/* A rigid piece attached to one bone. Triangles are counter-clockwise seen from outside. */
typedef struct fb_fig_mesh {
    fb_fig_vertex *v;
    fb_fig_soa soa; /* v again, field by field */
    uint32_t nv;
    uint32_t (*tri)[3];
    uint32_t nt;
    int bone; /* fb_fig_bone */
    float centre[3], radius_m; /* a sphere holding every vertex (for culling) */
} fb_fig_mesh;

typedef enum fb_fig_bone {
    FB_BONE_HEAD = 0,
    FB_BONE_TORSO,
    FB_BONE_UPPER_ARM_L, FB_BONE_UPPER_ARM_R,
    FB_BONE_FOREARM_L, FB_BONE_FOREARM_R,
    FB_BONE_THIGH_L, FB_BONE_THIGH_R,
    FB_BONE_SHIN_L, FB_BONE_SHIN_R,
    FB_BONE_COUNT
} fb_fig_bone;

typedef enum fb_hair_style {
    FB_HAIR_SHORT = 0,
    FB_HAIR_LONG,
    FB_HAIR_BALD,
    FB_HAIR_COUNT
} fb_hair_style;

/* How a person is built and dressed; drawn once (fb_figure_draw). Lengths in metres. */
typedef struct fb_figure_look {
    bool female;
    double age_y;
    double head_w_m, head_d_m, head_h_m; /* breadth, length (glabella-occiput), chin-vertex */
    double jaw_w;           /* jaw breadth as a share of head breadth, 0.7..0.9 */
    double chin_m;          /* chin projection */
    double nose_len_m, nose_proj_m, nose_w_m;
    double brow_m;          /* brow ridge projection */
    double canthus_sep_m;   /* between the inner canthi */
    double eye_w_m;         /* palpebral fissure length */
    double ear_m;           /* ear length */
    double lip_m;           /* lip fullness */
    fb_hair_style hair;
    bool beard;
    double hair_m;          /* hair thickness on top */
    double hairline_m;      /* hairline height above the brow */
    double recession;       /* temple recession 0..1 */
    double shoulder_w_m, hip_w_m, chest_d_m;
    double neck_r_m;
    bool short_sleeves;
    bool jacket;            /* an open jacket over a shirt: a warmer band down the front */
    double fold_phase;      /* clothing folds' phase and spacing (the same person looks the same) */
    double fold_m;
    uint32_t hair_seed;     /* the hair's texture */
    double pitch_deg, roll_deg; /* habitual head pitch (+ looks down) and roll (+ tilts toward image right) */
    double forehead_max_c;  /* forehead maximum (inner brows, temples) above the forehead centre */
    double nose_cool_c;     /* extra cooling of the nose tip (stress, arousal), >= 0 */
    double breath_phase;    /* breathing cycle phase, rad */
} fb_figure_look;

/* Draws a look with one fixed sequence of draws from r (adults, men and women equally likely,
 * ages 18-75). height_m scales the body; the head breadth and height scale dims (for the old
 * truth fields and lanes: dims->head_w_m, head_h_m, shoulder_w_m, canthus_sep_m are set). */
void fb_figure_draw(fb_rng *r, double height_m, fb_figure_look *look, fb_body_dims *dims);

/* Levels of detail: 0 finest (heads over 100 px) to 3 (heads under 22 px). */
#define FB_FIG_LODS 4
/* Grid lines through each inner canthus and its spot's edges, each way (fb_figure.spot_az). */
#define FB_FIG_SPOT_LINES 5

/* The person's geometry at FB_FIG_LODS levels of detail (0 finest), built on first use. Owned. */
typedef struct fb_figure {
    fb_figure_look look;
    double height_m;
    bool glasses, mask, hat, cup;
    fb_fig_mesh *lod[FB_FIG_LODS]; /* each an array of n_mesh[l] meshes */
    size_t n_mesh[FB_FIG_LODS];
    /* Head-frame landmarks on the surface (truth): fb_truth order eyes L/R, nose, mouth L/R;
     * inner canthi [0] image-left, [1] image-right. */
    double landmark[5][3];
    double canthus[2][3];
    double head_centre_z_m; /* standing height of the head centre over the floor */
    /* The head grid's lines through the canthus spot, head-frame radians, the same at every
     * level (solved once here rather than at each build): azimuths, image-left inner canthus's
     * five then the right's; elevations. */
    double spot_az[2 * FB_FIG_SPOT_LINES], spot_el[FB_FIG_SPOT_LINES];
} fb_figure;

/* Sets up a figure and its truth points; no mesh is built until fb_figure_lod asks. Items:
 * glasses, mask (any kind), hat, cup in the right hand. Returns 0 (-1 is kept for out of
 * memory; fb_figure_free is safe either way). */
int fb_figure_init(fb_figure *f, const fb_figure_look *look, double height_m, bool glasses,
                    bool mask, bool hat, bool cup);
/* The meshes of level l (0..FB_FIG_LODS - 1), built now if needed. Returns NULL when out of memory. */
const fb_fig_mesh *fb_figure_lod(fb_figure *f, int l, size_t *n_mesh);

/* Level l built in pieces, so that several threads may share one build (fb_figure_lod builds
 * the same meshes, bit for bit, by the same calls on one thread):
 *   fb_figure_build_begin  plans it (the head grid's axes, its nodes' memory): 0, with *b and
 *                          *n_pieces set, or -1 out of memory (*b NULL);
 *   fb_figure_build_piece  piece i of 0..n_pieces-1 (the body's meshes, or a few rows of the
 *                          head grid); pieces may run in any order and at once on different
 *                          threads (each writes only its own part of *b);
 *   fb_figure_build_end    once every piece has returned: the face's triangles, normals and
 *                          worn shells, then the level stored in the figure; frees *b. 0, or -1
 *                          out of memory (nothing kept: fb_figure_lod tries again).
 *   fb_figure_build_abort  frees *b without storing anything (NULL is a no-op).
 * Between begin and end the figure's level l must not be asked for (fb_figure_lod) by anyone. */
typedef struct fb_fig_build fb_fig_build;
int fb_figure_build_begin(fb_figure *f, int l, fb_fig_build **b, int *n_pieces);
void fb_figure_build_piece(fb_fig_build *b, int i);
int fb_figure_build_end(fb_fig_build *b);
void fb_figure_build_abort(fb_fig_build *b);
void fb_figure_free(fb_figure *f);
/* Frees the levels of detail built so far (a person gone for good: a long run's memory stays
 * flat); the truth points stay, and fb_figure_lod builds any level again, the same meshes. */
void fb_figure_release(fb_figure *f);

/* A pose for one frame: where the feet stand and the bones' rigid transforms. */
typedef struct fb_figure_pose {
    double m[FB_BONE_COUNT][12]; /* row-major 3x4: world = R * local + t */
} fb_figure_pose;

/* Poses the figure standing at (x_m, y_m) on the floor facing the camera (-y): gait phase in
 * cycles (arms and legs swing, the body bobs twice per cycle; walking: speed_mps > 0, standing:
 * 0), head yaw (+ toward the image right), pitch and roll in degrees on top of the habitual
 * ones. */
void fb_figure_pose_at(const fb_figure *f, double x_m, double y_m, double gait_cycles,
                       double speed_mps, double yaw_deg, fb_figure_pose *pose);

/* The head centre in the world for a pose (bone HEAD's origin). */
void fb_figure_head_centre(const fb_figure_pose *pose, double out[3]);

/* Applies a bone transform to a point and to a direction (inline: every vertex, every frame). */
static inline void fb_figure_xform_point(const double *m, const double p[3], double out[3])
{
    for (int i = 0; i < 3; i++)
        out[i] = m[4 * i] * p[0] + m[4 * i + 1] * p[1] + m[4 * i + 2] * p[2] + m[4 * i + 3];
}

static inline void fb_figure_xform_dir(const double *m, const double d[3], double out[3])
{
    for (int i = 0; i < 3; i++)
        out[i] = m[4 * i] * d[0] + m[4 * i + 1] * d[1] + m[4 * i + 2] * d[2];
}

/* Temperatures of each zone now, from the region temperatures (physiology + confounders), the
 * look and the time (breathing). */
void fb_figure_zone_temps(const fb_figure_look *look, const fb_surface_temps *st, double t_s,
                          double ambient_c, double out_c[FB_TZ_COUNT]);

/* Gait: stride length (two steps) for a standing height, and the cycles walked over a distance. */
double fb_figure_stride_m(double height_m);

#endif
