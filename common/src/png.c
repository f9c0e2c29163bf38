/* Minimal PNG writer (see png.h): stored deflate blocks, CRC-32, Adler-32, written from the specs
 * (PNG: ISO/IEC 15948, zlib: RFC 1950, deflate: RFC 1951). */
#include "parkit/png.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t pk_crc32(uint32_t crc, const uint8_t *buf, size_t len)
{
    /* bitwise form of the reflected polynomial 0xEDB88320: a few cycles per bit, fine for pictures */
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= buf[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

uint32_t pk_adler32(uint32_t adler, const uint8_t *buf, size_t len)
{
    uint32_t a = adler & 0xFFFF, b = adler >> 16;
    while (len) {
        size_t n = len < 5552 ? len : 5552; /* the most bytes before the sums can overflow 32 bits */
        for (size_t i = 0; i < n; i++) {
            a += buf[i];
            b += a;
        }
        a %= 65521;
        b %= 65521;
        buf += n;
        len -= n;
    }
    return (b << 16) | a;
}

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
    uint32_t crc = pk_crc32(0, p + 4, 4 + datalen);
    return put32(p + 8 + datalen, crc);
}

size_t pk_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, uint8_t **out)
{
    *out = NULL;
    if (width == 0 || height == 0 || width > (1u << 20) || height > (1u << 20)) return 0;
    const size_t row = 1 + 3 * (size_t)width;          /* filter byte + pixels */
    const size_t raw = row * height;                    /* the zlib stream's uncompressed data */
    const size_t blocks = (raw + 65534) / 65535;        /* stored blocks hold at most 65535 bytes */
    const size_t zlen = 2 + raw + 5 * blocks + 4;       /* header, blocks (5-byte heads), Adler-32 */
    if (zlen > 0x7FFFFFFFu) return 0;                   /* a chunk length is 31 bits */
    const size_t total = 8 + (12 + 13) + (12 + zlen) + 12;
    uint8_t *png = malloc(total);
    if (!png) return 0;

    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    memcpy(png, signature, 8);
    uint8_t *p = png + 8;

    uint8_t *d = p + 8; /* IHDR data */
    d = put32(d, width);
    d = put32(d, height);
    d[0] = 8; /* bit depth */
    d[1] = 2; /* colour type: RGB */
    d[2] = 0; /* compression: deflate */
    d[3] = 0; /* filter method 0 */
    d[4] = 0; /* no interlace */
    p = close_chunk(p, "IHDR", 13);

    d = p + 8; /* IDAT data: the zlib stream */
    d[0] = 0x78; /* CM = 8 (deflate), CINFO = 7 (32 KiB window) */
    d[1] = 0x01; /* FLEVEL 0, no dictionary; 0x7801 % 31 == 0 */
    d += 2;
    uint32_t adler = 1;
    size_t left = raw, y = 0, x = 0; /* position in the raw stream: row y, byte x of that row */
    while (left) {
        size_t n = left < 65535 ? left : 65535;
        d[0] = n == left ? 1 : 0; /* BFINAL, BTYPE = 00 (stored) */
        d[1] = (uint8_t)n;
        d[2] = (uint8_t)(n >> 8);
        d[3] = (uint8_t)~n;
        d[4] = (uint8_t)(~n >> 8);
        d += 5;
        for (size_t done = 0; done < n;) { /* copy n raw bytes: filter bytes and pixel rows */
            if (x == 0) {
                *d++ = 0;
                x = 1;
                done++;
                continue;
            }
            size_t take = row - x < n - done ? row - x : n - done;
            memcpy(d, rgb + y * 3 * (size_t)width + (x - 1), take);
            d += take;
            x += take;
            done += take;
            if (x == row) {
                x = 0;
                y++;
            }
        }
        left -= n;
    }
    /* Adler-32 over the raw stream, row by row */
    static const uint8_t zero = 0;
    for (size_t r = 0; r < height; r++) {
        adler = pk_adler32(adler, &zero, 1);
        adler = pk_adler32(adler, rgb + r * 3 * (size_t)width, 3 * (size_t)width);
    }
    put32(d, adler);
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
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        free(png);
        return -1;
    }
    size_t wrote = fwrite(png, 1, len, f);
    int werr = wrote == len ? 0 : errno;
    free(png);
    if (fclose(f) != 0 && !werr) werr = errno ? errno : EIO;
    if (wrote != len || werr) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(werr ? werr : EIO));
        return -1;
    }
    return 0;
}
