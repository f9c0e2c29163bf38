// Test helper: reads back the PNG files the kit writes. Chunks and CRCs are checked here with a
// table CRC written independently of zlib's; the image data is inflated by zlib (which checks the
// Adler-32) and the row filters are undone here.
#ifndef PARKIT_TESTS_PNG_DECODE_H
#define PARKIT_TESTS_PNG_DECODE_H
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace png_decode {

inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

// CRC-32 by the textbook 256-entry table.
inline uint32_t crc32_ref(const uint8_t *p, size_t n)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

struct Chunk {
    std::string type;
    std::vector<uint8_t> data;
};

// Splits a PNG file into chunks, checking the signature and every CRC.
inline std::vector<Chunk> parse_png(const uint8_t *png, size_t len)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<Chunk> chunks;
    EXPECT_GE(len, 8u);
    EXPECT_EQ(std::memcmp(png, sig, 8), 0) << "signature";
    for (size_t i = 8; i < len;) {
        EXPECT_LE(i + 12, len);
        uint32_t n = be32(png + i);
        EXPECT_LE(i + 12 + n, len);
        EXPECT_EQ(be32(png + i + 8 + n), crc32_ref(png + i + 4, 4 + n)) << "CRC of chunk at " << i;
        chunks.push_back({std::string((const char *)png + i + 4, 4), std::vector<uint8_t>(png + i + 8, png + i + 8 + n)});
        i += 12 + n;
    }
    return chunks;
}

// The RGB pixels of a w x h image from its IDAT data: inflate, then undo filters 0 (None) and
// 2 (Up), the two the writer uses; any other filter type fails the test.
inline std::vector<uint8_t> decode_rgb(const std::vector<uint8_t> &idat, uint32_t w, uint32_t h)
{
    const size_t stride = 3 * (size_t)w, row = 1 + stride;
    std::vector<uint8_t> raw(row * h + 1); // one spare byte: a longer stream is an error
    uLongf got = (uLongf)raw.size();
    EXPECT_EQ(uncompress(raw.data(), &got, idat.data(), (uLong)idat.size()), Z_OK) << "a valid zlib stream";
    EXPECT_EQ((size_t)got, row * h) << "filter byte + 3 bytes per pixel, every row";
    std::vector<uint8_t> rgb(stride * h);
    for (size_t y = 0; y < h && (size_t)got == row * h; y++) {
        const uint8_t filter = raw[y * row], *in = &raw[y * row + 1];
        EXPECT_TRUE(filter == 0 || (filter == 2 && y > 0)) << "row " << y << " filter " << (int)filter;
        for (size_t x = 0; x < stride; x++)
            rgb[y * stride + x] = (uint8_t)(in[x] + (filter == 2 ? rgb[(y - 1) * stride + x] : 0));
    }
    return rgb;
}

} // namespace png_decode
#endif
