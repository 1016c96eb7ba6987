// libvips (Debian's libvips-dev) for the media library's pictures. Its API takes NULL-terminated
// option lists through C varargs, which Swift cannot call; these inline functions make the calls
// with fixed arguments. Only the JPEG, PNG and WebP loaders are ever used (never the sniffing
// loader), and untrusted loaders are blocked at start.
#ifndef EDUPORTAL_CVIPS_SHIM_H
#define EDUPORTAL_CVIPS_SHIM_H

#include <vips/vips.h>

/// 0 on success. Blocks the loaders libvips marks untrusted (ImageMagick, PDF, SVG, …), keeps no
/// operation cache (an upload is processed once) and works on one thread per picture.
static inline int edu_vips_start(void) {
    if (VIPS_INIT("eduportal")) return -1;
    vips_block_untrusted_set(TRUE);
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    return 0;
}

/// Opens a picture of a known format (1 JPEG, 2 PNG, 3 WebP) from memory, failing on truncated or
/// damaged data. The header is read; pixels are decoded when used.
static inline VipsImage *edu_vips_load(const void *bytes, size_t length, int format) {
    VipsImage *image = NULL;
    int failed = -1;
    switch (format) {
    case 1: failed = vips_jpegload_buffer((void *)bytes, length, &image, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
    case 2: failed = vips_pngload_buffer((void *)bytes, length, &image, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
    case 3: failed = vips_webpload_buffer((void *)bytes, length, &image, "fail_on", VIPS_FAIL_ON_ERROR, NULL); break;
    default: return NULL;
    }
    return failed ? NULL : image;
}

/// The picture turned upright by its EXIF orientation (the tag is then removed).
static inline VipsImage *edu_vips_upright(VipsImage *image) {
    VipsImage *out = NULL;
    return vips_autorot(image, &out, NULL) ? NULL : out;
}

/// At most `width` pixels wide (never enlarged), in sRGB, alpha flattened on white when asked.
static inline VipsImage *edu_vips_fit(VipsImage *image, int width, int flatten) {
    VipsImage *scaled = NULL, *colour = NULL, *flat = NULL;
    if (vips_thumbnail_image(image, &scaled, width, "height", 100000, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL)) return NULL;
    if (vips_colourspace(scaled, &colour, VIPS_INTERPRETATION_sRGB, NULL)) { g_object_unref(scaled); return NULL; }
    g_object_unref(scaled);
    if (!flatten || !vips_image_hasalpha(colour)) return colour;
    double white[3] = {255, 255, 255};
    VipsArrayDouble *background = vips_array_double_new(white, 3);
    int failed = vips_flatten(colour, &flat, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    g_object_unref(colour);
    return failed ? NULL : flat;
}

/// Encodes without any metadata (EXIF with its GPS position, XMP, IPTC, comments are dropped;
/// the sRGB profile is not needed once converted). 1 JPEG (progressive), 2 PNG, 3 WebP.
/// The buffer is freed with `edu_vips_free`.
static inline int edu_vips_save(VipsImage *image, int format, int quality, void **bytes, size_t *length) {
    // The blocks are also taken off the image itself: libvips 8.14's WebP writer ignores `strip`.
    VipsImage *bare = NULL;
    if (vips_copy(image, &bare, NULL)) return -1;
    const char *blocks[] = {"exif-data", "xmp-data", "iptc-data", "icc-profile-data", "orientation", NULL};
    for (int i = 0; blocks[i]; i++) vips_image_remove(bare, blocks[i]);
    int failed = -1;
    switch (format) {
    case 1: failed = vips_jpegsave_buffer(bare, bytes, length, "Q", quality, "strip", TRUE, "interlace", TRUE, "optimize_coding", TRUE, NULL); break;
    case 2: failed = vips_pngsave_buffer(bare, bytes, length, "strip", TRUE, "compression", 6, NULL); break;
    case 3: failed = vips_webpsave_buffer(bare, bytes, length, "Q", quality, "strip", TRUE, NULL); break;
    default: break;
    }
    g_object_unref(bare);
    return failed;
}

static inline int edu_vips_width(VipsImage *image) { return vips_image_get_width(image); }
static inline int edu_vips_height(VipsImage *image) { return vips_image_get_height(image); }
static inline int edu_vips_has_alpha(VipsImage *image) { return vips_image_hasalpha(image); }
static inline void edu_vips_release(VipsImage *image) { if (image) g_object_unref(image); }
static inline void edu_vips_free(void *bytes) { g_free(bytes); }

/// The last error's text (libvips keeps one buffer per process), then cleared.
static inline const char *edu_vips_error(void) { return vips_error_buffer(); }
static inline void edu_vips_clear_error(void) { vips_error_clear(); }

/// A photograph-like JPEG made on the machine for the demo (nothing downloaded): a sky graded
/// from `seed`'s colours, a hill, a building with windows, a flag and a crowd, softened and
/// grained like a phone's picture. Freed with `edu_vips_free`.
static inline int edu_vips_demo_photo(int width, int height, unsigned int seed, void **bytes, size_t *length) {
    VipsImage *xyz = NULL, *y = NULL, *sky = NULL, *canvas = NULL, *soft = NULL, *noise = NULL, *grained = NULL, *out = NULL;
    int failed = -1;
    unsigned int state = seed * 2654435761u + 1;
#define EDU_NEXT(limit) ((state = state * 1103515245u + 12345u), (int)((state >> 8) % (unsigned int)(limit)))
    double top[3] = {60 + EDU_NEXT(80), 110 + EDU_NEXT(80), 190 + EDU_NEXT(60)};
    double bottom[3] = {200 + EDU_NEXT(50), 210 + EDU_NEXT(40), 225 + EDU_NEXT(30)};
    double slope[3], base[3];
    for (int i = 0; i < 3; i++) { slope[i] = (bottom[i] - top[i]) / height; base[i] = top[i]; }
    if (vips_xyz(&xyz, width, height, NULL)) goto done;
    if (vips_extract_band(xyz, &y, 1, NULL)) goto done;
    if (vips_linear(y, &sky, slope, base, 3, "uchar", TRUE, NULL)) goto done;
    if (!(canvas = vips_image_copy_memory(sky))) goto done;
    double hill[3] = {40 + EDU_NEXT(40), 110 + EDU_NEXT(60), 40 + EDU_NEXT(30)};
    vips_draw_circle(canvas, hill, 3, width / 3 + EDU_NEXT(width / 3), height * 2, height * 13 / 10, "fill", TRUE, NULL);
    double wall[3] = {200 + EDU_NEXT(50), 170 + EDU_NEXT(60), 90 + EDU_NEXT(60)};
    int bx = width / 8 + EDU_NEXT(width / 4), bw = width / 2, by = height * 2 / 5, bh = height * 2 / 5;
    vips_draw_rect(canvas, wall, 3, bx, by, bw, bh, "fill", TRUE, NULL);
    double roof[3] = {150 + EDU_NEXT(60), 40 + EDU_NEXT(30), 30 + EDU_NEXT(30)};
    vips_draw_rect(canvas, roof, 3, bx - width / 40, by - height / 14, bw + width / 20, height / 14, "fill", TRUE, NULL);
    double glass[3] = {70, 110 + EDU_NEXT(40), 150 + EDU_NEXT(50)};
    for (int row = 0; row < 3; row++)
        for (int col = 0; col < 6; col++)
            vips_draw_rect(canvas, glass, 3, bx + bw * (2 * col + 1) / 13, by + bh * (3 * row + 1) / 11, bw / 16, bh / 7, "fill", TRUE, NULL);
    double pole[3] = {90, 90, 90}, red[3] = {218, 37, 29}, star[3] = {255, 221, 0};
    int fx = bx + bw + width / 12;
    vips_draw_rect(canvas, pole, 3, fx, height / 5, width / 200 + 2, height * 3 / 5, "fill", TRUE, NULL);
    vips_draw_rect(canvas, red, 3, fx, height / 5, width / 9, width / 14, "fill", TRUE, NULL);
    vips_draw_circle(canvas, star, 3, fx + width / 18, height / 5 + width / 28, width / 90 + 1, "fill", TRUE, NULL);
    for (int person = 0; person < 18; person++) {
        double shirt[3] = {EDU_NEXT(2) ? 255 : 30 + EDU_NEXT(200), EDU_NEXT(2) ? 255 : 30 + EDU_NEXT(200), EDU_NEXT(2) ? 255 : 60 + EDU_NEXT(190)};
        double skin[3] = {200 + EDU_NEXT(40), 160 + EDU_NEXT(30), 120 + EDU_NEXT(30)}, hair[3] = {25, 20, 20};
        int px = EDU_NEXT(width), py = height * 4 / 5 + EDU_NEXT(height / 8), size = height / 22 + EDU_NEXT(height / 30);
        vips_draw_rect(canvas, shirt, 3, px - size / 2, py, size, size * 2, "fill", TRUE, NULL);
        vips_draw_circle(canvas, skin, 3, px, py - size / 2, size / 2, "fill", TRUE, NULL);
        vips_draw_rect(canvas, hair, 3, px - size / 2, py - size, size, size / 3, "fill", TRUE, NULL);
    }
    if (vips_gaussblur(canvas, &soft, 1.1, NULL)) goto done;
    if (vips_gaussnoise(&noise, width, height, "sigma", 5.0, "mean", 0.0, NULL)) goto done;
    if (vips_add(soft, noise, &grained, NULL)) goto done;
    if (vips_cast(grained, &out, VIPS_FORMAT_UCHAR, NULL)) goto done;
    failed = vips_jpegsave_buffer(out, bytes, length, "Q", 86, NULL);
#undef EDU_NEXT
done:
    VIPS_UNREF(xyz); VIPS_UNREF(y); VIPS_UNREF(sky); VIPS_UNREF(canvas);
    VIPS_UNREF(soft); VIPS_UNREF(noise); VIPS_UNREF(grained); VIPS_UNREF(out);
    return failed;
}

/// For tests: a JPEG whose left half is red and right half blue (orientation shows in where the red went).
static inline int edu_vips_test_pattern(int width, int height, void **bytes, size_t *length) {
    VipsImage *black = NULL, *canvas = NULL;
    double red[3] = {230, 20, 20}, blue[3] = {20, 20, 230};
    if (vips_black(&black, width, height, "bands", 3, NULL)) return -1;
    VipsImage *cast = NULL;
    if (vips_cast(black, &cast, VIPS_FORMAT_UCHAR, NULL)) { g_object_unref(black); return -1; }
    g_object_unref(black);
    canvas = vips_image_copy_memory(cast);
    g_object_unref(cast);
    if (!canvas) return -1;
    vips_draw_rect(canvas, red, 3, 0, 0, width / 2, height, "fill", TRUE, NULL);
    vips_draw_rect(canvas, blue, 3, width / 2, 0, width - width / 2, height, "fill", TRUE, NULL);
    int failed = vips_jpegsave_buffer(canvas, bytes, length, "Q", 95, NULL);
    g_object_unref(canvas);
    return failed;
}

/// For tests: the colour at (x, y) of a picture, and whether it carries EXIF, XMP or IPTC
/// metadata (`has_gps`: a GPS tag among its EXIF fields).
static inline int edu_vips_inspect(const void *bytes, size_t length, int format, int x, int y, double rgb[3], int *has_metadata, int *has_gps) {
    VipsImage *image = edu_vips_load(bytes, length, format);
    if (!image) return -1;
    double *values = NULL;
    int count = 0;
    if (vips_getpoint(image, &values, &count, x, y, NULL)) { g_object_unref(image); return -1; }
    for (int i = 0; i < 3; i++) rgb[i] = count > i ? values[i] : values[0];
    g_free(values);
    *has_metadata = vips_image_get_typeof(image, "exif-data") || vips_image_get_typeof(image, "xmp-data") || vips_image_get_typeof(image, "iptc-data");
    *has_gps = vips_image_get_typeof(image, "exif-ifd3-GPSLatitude") != 0;
    g_object_unref(image);
    return 0;
}

#endif
