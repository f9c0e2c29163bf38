// The PNG writer: chunks, CRCs, a zlib stream that decodes to the very pixels, compression that
// pays on the pictures the kit draws, and one error line for a path that cannot be written.
#include <gtest/gtest.h>

#include <cstdlib>
#include <utility>
#include <vector>

#include "parkit/png.h"
#include "png_decode.h"

using png_decode::be32;

TEST(Png, EncodesChunksThatDecodeToThePixels)
{
    for (auto wh : {std::pair<uint32_t, uint32_t>{1, 1}, {3, 2}, {200, 120}, {1024, 40}}) {
        const uint32_t w = wh.first, h = wh.second;
        std::vector<uint8_t> rgb(3 * (size_t)w * h);
        for (size_t i = 0; i < rgb.size(); i++) rgb[i] = (uint8_t)(i * 7 + i / 13);
        uint8_t *png = nullptr;
        size_t len = pk_png_encode_rgb(rgb.data(), w, h, &png);
        ASSERT_GT(len, 0u);
        std::vector<png_decode::Chunk> chunks = png_decode::parse_png(png, len);
        std::free(png);
        ASSERT_EQ(chunks.size(), 3u);
        EXPECT_EQ(chunks[0].type, "IHDR");
        EXPECT_EQ(chunks[1].type, "IDAT");
        EXPECT_EQ(chunks[2].type, "IEND");
        ASSERT_EQ(chunks[0].data.size(), 13u);
        EXPECT_EQ(be32(chunks[0].data.data()), w);
        EXPECT_EQ(be32(chunks[0].data.data() + 4), h);
        EXPECT_EQ(chunks[0].data[8], 8) << "bit depth";
        EXPECT_EQ(chunks[0].data[9], 2) << "RGB";
        EXPECT_EQ(chunks[0].data[10] | chunks[0].data[11] | chunks[0].data[12], 0);
        EXPECT_TRUE(chunks[2].data.empty());
        EXPECT_EQ(png_decode::decode_rgb(chunks[1].data, w, h), rgb) << w << "x" << h;
    }
    uint8_t *png = nullptr;
    uint8_t px[3] = {0, 0, 0};
    EXPECT_EQ(pk_png_encode_rgb(px, 0, 1, &png), 0u) << "empty image";
    EXPECT_EQ(png, nullptr);
}

TEST(Png, FlatBandsCompressWell)
{
    // bands of one colour, like the escape-time picture: the file must be far below the raw size
    const uint32_t w = 500, h = 500;
    std::vector<uint8_t> rgb(3 * (size_t)w * h);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) rgb[3 * ((size_t)y * w + x) + c] = (uint8_t)(((x * x + y * y) / 900) * (c + 1));
    uint8_t *png = nullptr;
    size_t len = pk_png_encode_rgb(rgb.data(), w, h, &png);
    ASSERT_GT(len, 0u);
    std::vector<png_decode::Chunk> chunks = png_decode::parse_png(png, len);
    std::free(png);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(png_decode::decode_rgb(chunks[1].data, w, h), rgb);
    EXPECT_LT(len, rgb.size() / 10) << "compressed: " << len << " bytes for " << rgb.size() << " raw";
}

TEST(Png, WriteFailsWithOneLine)
{
    uint8_t px[3] = {1, 2, 3};
    char err[256] = "";
    EXPECT_EQ(pk_png_write_rgb("/nonexistent-dir/a.png", px, 1, 1, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("cannot write /nonexistent-dir/a.png"), std::string::npos) << err;
    EXPECT_EQ(std::string(err).find('\n'), std::string::npos);
}
