/* A minimal PNG writer: 8-bit RGB, no compression (zlib "stored" deflate blocks), so it needs no
 * library: signature, IHDR, one IDAT holding the zlib stream (header, stored blocks of at most
 * 65535 bytes, Adler-32), IEND; every chunk with its CRC-32. Rows use filter type 0 (none). */
#ifndef PARKIT_PNG_H
#define PARKIT_PNG_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/* CRC-32 (ISO 3309 / PNG), continuing from crc (start with 0). */
uint32_t pk_crc32(uint32_t crc, const uint8_t *buf, size_t len);
/* Adler-32 (zlib), continuing from adler (start with 1). */
uint32_t pk_adler32(uint32_t adler, const uint8_t *buf, size_t len);

/* The PNG file of an RGB image (rgb: height rows of 3*width bytes) in a malloc'd buffer;
 * returns its size, or 0 (and *out = NULL) when out of memory or the image is empty/too big. */
size_t pk_png_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height, uint8_t **out);

/* Writes the PNG file to path. Returns 0, or -1 with one line in err ("cannot write ...: reason"). */
int pk_png_write_rgb(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height, char *err,
                     size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
