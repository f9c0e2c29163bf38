// The mandel kernel: known points, vector rows against the scalar loop, counts across block splits,
// option checks (zero iterations rejected), verification, --image, and the PNG writer.
#include <gtest/gtest.h>

#include "png_decode.h"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>
#include "parkit/kernels.h"
#include "parkit/mandel_core.h"
#include "parkit/partition.h"
#include "parkit/png.h"

namespace {
const pk_kernel *mandel() { return pk_kernel_find("mandel"); }

struct MandelResult { // mirrors mandel.c's result
    uint64_t inside, iterations, sample_inside[16], sample_iterations[16];
};

const pk_kernel_opt *option(const char *name)
{
    for (int i = 0; i < PK_KERNEL_MAX_OPTS && mandel()->opts[i].name; i++)
        if (std::strcmp(mandel()->opts[i].name, name) == 0) return &mandel()->opts[i];
    return nullptr;
}

struct Job { // a mandel job with options applied
    pk_params params;
    pk_job job;
    // n: points (finish rounds it down to a square)
    explicit Job(uint64_t n, const char *iters = nullptr, const char *image = nullptr)
    {
        std::memset(&params, 0, sizeof params);
        mandel()->defaults(&params);
        char err[256];
        if (iters) {
            EXPECT_EQ(option("iters")->set(&params, iters, err, sizeof err), 0) << err;
        }
        if (image) {
            EXPECT_EQ(option("image")->set(&params, image, err, sizeof err), 0) << err;
        }
        EXPECT_EQ(mandel()->finish(&params, &n, 1, err, sizeof err), 0) << err;
        job = {n, &params, nullptr, 0, n, nullptr, nullptr};
    }
    uint64_t blocks() const { return pk_block_count(job.n, mandel()->block); }
    MandelResult run(uint64_t b0, uint64_t b1) const // blocks [b0, b1)
    {
        pk_result r;
        pk_compute_serial(mandel(), &job, b0, b1, &r);
        MandelResult out;
        std::memcpy(&out, r.bytes, sizeof out);
        return out;
    }
    MandelResult all() const { return run(0, blocks()); }
    MandelResult points(uint64_t lo, uint64_t hi) const // one partial over any point range
    {
        pk_result r;
        mandel()->partial(&job, lo, hi, &r);
        MandelResult out;
        std::memcpy(&out, r.bytes, sizeof out);
        return out;
    }
};

} // namespace

TEST(Mandel, KnownPoints)
{
    EXPECT_EQ(pk_mandel_point(0.0, 0.0, 1000), 0u) << "0 is inside";
    EXPECT_EQ(pk_mandel_point(-1.0, 0.0, 1000), 0u) << "-1: the 2-cycle 0, -1, 0, ...";
    EXPECT_EQ(pk_mandel_point(0.25, 0.0, 1000), 0u) << "the cusp: z -> 1/2";
    EXPECT_EQ(pk_mandel_point(-2.0, 0.0, 1000), 0u) << "-2: 0, -2, 2, 2, ... never |z| > 2";
    EXPECT_EQ(pk_mandel_point(1.0, 1.0, 1000), 2u) << "z1 = 1+i (|z|^2 = 2), z2 = 1+3i (10 > 4)";
    EXPECT_EQ(pk_mandel_point(3.0, 0.0, 1000), 1u);
    // just right of the cusp the orbit creeps through the gap: about pi / sqrt(eps) steps
    uint32_t k = pk_mandel_point(0.25 + 1e-4, 0.0, 100000);
    EXPECT_GT(k, 250u);
    EXPECT_LT(k, 400u);
    EXPECT_EQ(pk_mandel_point(0.25 + 1e-4, 0.0, 100), 0u) << "counted inside with too few steps";
    EXPECT_NE(pk_mandel_point(-2.0 - 1e-9, 0.0, 1000), 0u);
}

TEST(Mandel, VectorLinesEqualScalarLoop)
{
    // sides that are not multiples of any vector width, long enough lines that lanes are refilled
    // many times (300), limits below, at and around a window of steps (16) and its multiples
    for (uint64_t side : {1ull, 2ull, 7ull, 37ull, 64ull, 101ull, 300ull})
        for (uint32_t iters : {1u, 2u, 13u, 15u, 16u, 17u, 33u, 100u, 1000u}) {
            pk_mandel_grid g = pk_mandel_grid_make(side, iters);
            std::vector<uint32_t> steps(side);
            for (uint64_t line = 0; line < side; line++) {
                pk_mandel_counts v = pk_mandel_line(&g, line, 0, side, steps.data());
                pk_mandel_counts s = pk_mandel_line_scalar(&g, line);
                ASSERT_EQ(v.inside, s.inside) << side << " " << iters << " line " << line;
                ASSERT_EQ(v.iterations, s.iterations) << side << " " << iters << " line " << line;
                for (uint64_t k = 0; k < side; k++)
                    ASSERT_EQ(steps[k], pk_mandel_point(pk_mandel_x(&g, line), pk_mandel_y(&g, k), iters));
                pk_mandel_counts again = pk_mandel_line(&g, line, 0, side, nullptr);
                EXPECT_EQ(again.inside, v.inside);
                EXPECT_EQ(again.iterations, v.iterations);
                // a line in two pieces, cut anywhere, sums to the whole line
                const uint64_t cut = (line * 7) % (side + 1);
                pk_mandel_counts a = pk_mandel_line(&g, line, 0, cut, nullptr);
                pk_mandel_counts b = pk_mandel_line(&g, line, cut, side, steps.data());
                EXPECT_EQ(a.inside + b.inside, v.inside);
                EXPECT_EQ(a.iterations + b.iterations, v.iterations);
                if (cut < side) {
                    EXPECT_EQ(steps[0], pk_mandel_point(pk_mandel_x(&g, line), pk_mandel_y(&g, cut), iters));
                }
            }
        }
}

TEST(Mandel, GridCoversTheRegion)
{
    pk_mandel_grid g = pk_mandel_grid_make(4, 10);
    EXPECT_DOUBLE_EQ(pk_mandel_x(&g, 0), -2.0 + 0.3125);
    EXPECT_DOUBLE_EQ(pk_mandel_x(&g, 3), 0.5 - 0.3125);
    EXPECT_DOUBLE_EQ(pk_mandel_y(&g, 0), -1.25 + 0.3125);
    EXPECT_DOUBLE_EQ(pk_mandel_y(&g, 3), 1.25 - 0.3125);
    // --n is a number of points, rounded down to a square
    for (auto nm : {std::pair<uint64_t, uint64_t>{0, 0}, {1, 1}, {2, 1}, {99, 81}, {100, 100}, {100000, 99856}}) {
        Job j(nm.first);
        EXPECT_EQ(j.job.n, nm.second) << nm.first;
    }
}

TEST(Mandel, CountsAcrossBlockSplits)
{
    Job j(200 * 200, "300"); // 40000 points: 40 blocks, lines of 200 points straddle block edges
    const uint64_t nb = j.blocks();
    ASSERT_EQ(nb, 40u);
    MandelResult all = j.all();
    EXPECT_GT(all.inside, 0u);
    EXPECT_GT(all.iterations, all.inside * 300);
    for (uint64_t cut = 0; cut <= nb; cut++) {
        MandelResult a = j.run(0, cut), b = j.run(cut, nb);
        EXPECT_EQ(a.inside + b.inside, all.inside) << cut;
        EXPECT_EQ(a.iterations + b.iterations, all.iterations) << cut;
        for (int s = 0; s < 16; s++) {
            EXPECT_EQ(a.sample_inside[s] + b.sample_inside[s], all.sample_inside[s]);
            EXPECT_EQ(a.sample_iterations[s] + b.sample_iterations[s], all.sample_iterations[s]);
        }
    }
    for (uint64_t cut : {1ull, 199ull, 200ull, 201ull, 12345ull, 39999ull}) { // partials at any point
        MandelResult a = j.points(0, cut), b = j.points(cut, 40000);
        EXPECT_EQ(a.inside + b.inside, all.inside) << cut;
        EXPECT_EQ(a.iterations + b.iterations, all.iterations) << cut;
    }
    // and the totals equal the scalar loop over every point
    pk_mandel_grid g = pk_mandel_grid_make(200, 300);
    uint64_t inside = 0, its = 0;
    for (uint64_t line = 0; line < 200; line++)
        for (uint64_t k = 0; k < 200; k++) {
            uint32_t s = pk_mandel_point(pk_mandel_x(&g, line), pk_mandel_y(&g, k), 300);
            inside += s == 0;
            its += s ? s : 300;
        }
    EXPECT_EQ(all.inside, inside);
    EXPECT_EQ(all.iterations, its);
    // the left half of [0, n) (x < -0.75) holds far less of the set than the right half
    MandelResult left = j.points(0, 20000), right = j.points(20000, 40000);
    EXPECT_GT(right.iterations, 3 * left.iterations) << "the schedule matters even on 2 threads";
}

TEST(Mandel, IterationsOption)
{
    pk_params p;
    mandel()->defaults(&p);
    char err[256] = "";
    const pk_kernel_opt *o = option("iters");
    ASSERT_NE(o, nullptr);
    EXPECT_NE(o->set(&p, "0", err, sizeof err), 0) << "zero iterations is a usage error";
    EXPECT_NE(std::string(err).find("1.."), std::string::npos) << err;
    EXPECT_NE(o->set(&p, "-5", err, sizeof err), 0);
    EXPECT_NE(o->set(&p, "abc", err, sizeof err), 0);
    EXPECT_NE(o->set(&p, "1.5", err, sizeof err), 0);
    EXPECT_NE(o->set(&p, "1000001", err, sizeof err), 0);
    EXPECT_EQ(o->set(&p, "1", err, sizeof err), 0);
    EXPECT_EQ(o->set(&p, "1e6", err, sizeof err), 0);
    EXPECT_NE(option("image")->set(&p, "", err, sizeof err), 0) << "an empty file name";
}

TEST(Mandel, VerifyPassesAndCatchesWrongCounts)
{
    char why[512];
    pk_result res;
    for (uint64_t n : {0ull, 1ull, 2ull, 100ull, 4096ull, 65536ull}) {
        Job j(n);
        MandelResult r = j.all();
        std::memcpy(res.bytes, &r, sizeof r);
        EXPECT_EQ(mandel()->verify(&j.job, &res, why, sizeof why), 1) << "n=" << n << ": " << why;
        if (n == 0) continue;
        MandelResult bad = r;
        bad.iterations++;
        std::memcpy(res.bytes, &bad, sizeof bad);
        EXPECT_EQ(mandel()->verify(&j.job, &res, why, sizeof why), 0) << "n=" << n;
    }
    // above the full-recomputation budget the sample lines are recomputed: a wrong sample fails
    Job big(512 * 512, "2000");
    MandelResult r = big.all();
    std::memcpy(res.bytes, &r, sizeof r);
    ASSERT_EQ(mandel()->verify(&big.job, &res, why, sizeof why), 1) << why;
    EXPECT_NE(std::string(why).find("sample lines"), std::string::npos) << why;
    r.sample_inside[7]++;
    std::memcpy(res.bytes, &r, sizeof r);
    EXPECT_EQ(mandel()->verify(&big.job, &res, why, sizeof why), 0);
    // a total that the sample lines cannot see is caught by the area check
    r.sample_inside[7]--;
    r.inside /= 2;
    std::memcpy(res.bytes, &r, sizeof r);
    EXPECT_EQ(mandel()->verify(&big.job, &res, why, sizeof why), 0) << why;
    EXPECT_NE(std::string(why).find("published"), std::string::npos) << why;
    // a correct run passes for every iteration limit, even the tiniest (the bias bound holds)
    for (const char *iters : {"1", "2", "3", "4", "6", "10", "30"}) {
        Job j(200 * 200, iters);
        MandelResult c = j.all();
        std::memcpy(res.bytes, &c, sizeof c);
        EXPECT_EQ(mandel()->verify(&j.job, &res, why, sizeof why), 1) << "iters " << iters << ": " << why;
    }
}

TEST(Mandel, ResultTextCoversSamples)
{
    Job j(32 * 32);
    MandelResult r = j.all(), s = r;
    s.sample_iterations[3]++;
    pk_result a, b;
    std::memcpy(a.bytes, &r, sizeof r);
    std::memcpy(b.bytes, &s, sizeof s);
    char ta[PK_REPORT_MAX_TEXT], tb[PK_REPORT_MAX_TEXT];
    pk_result_text(mandel(), &j.job, &a, ta, sizeof ta);
    pk_result_text(mandel(), &j.job, &b, tb, sizeof tb);
    EXPECT_NE(std::string(ta), std::string(tb));
    EXPECT_NE(std::string(ta).find("inside="), std::string::npos) << ta;
}

TEST(Mandel, ImageWrittenAndBadPathFails)
{
    char path[] = "/tmp/parkit_mandel_test_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    Job j(40 * 40, "50", path);
    char err[512] = "";
    ASSERT_EQ(mandel()->emit(&j.job, nullptr, err, sizeof err), 0) << err;
    FILE *f = std::fopen(path, "rb");
    ASSERT_NE(f, nullptr);
    std::vector<uint8_t> png(1 << 16);
    size_t len = std::fread(png.data(), 1, png.size(), f);
    std::fclose(f);
    std::remove(path);
    std::vector<png_decode::Chunk> chunks = png_decode::parse_png(png.data(), len);
    ASSERT_EQ(chunks.size(), 3u);
    EXPECT_EQ(png_decode::be32(chunks[0].data.data()), 40u) << "min(side, 1024) pixels a side";
    std::vector<uint8_t> rgb = png_decode::decode_rgb(chunks[1].data, 40, 40);
    ASSERT_EQ(rgb.size(), 40u * 3 * 40);
    // the centre row holds the main cardioid: black there (x = 0); the top-left corner escapes
    const uint8_t *mid = rgb.data() + 20 * 3 * 40;
    EXPECT_EQ(mid[3 * 30] | mid[3 * 30 + 1] | mid[3 * 30 + 2], 0) << "c = (0.0, ~0) is inside";
    EXPECT_NE(rgb[0] | rgb[1] | rgb[2], 0) << "c = (-2, 1.25) escapes";

    // a path that cannot be written is a usage error of finish, before any work ...
    pk_params params;
    std::memset(&params, 0, sizeof params);
    mandel()->defaults(&params);
    ASSERT_EQ(option("image")->set(&params, "/nonexistent-dir/x.png", err, sizeof err), 0);
    uint64_t n = 64;
    EXPECT_EQ(mandel()->finish(&params, &n, 1, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("cannot write '/nonexistent-dir/x.png'"), std::string::npos) << err;
    // ... and emit still fails cleanly if the path goes bad during the run
    pk_job bad = {64, &params, nullptr, 0, 64, nullptr, nullptr};
    EXPECT_EQ(mandel()->emit(&bad, nullptr, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("cannot write /nonexistent-dir/x.png"), std::string::npos) << err;
    Job none(64);
    EXPECT_EQ(mandel()->emit(&none.job, nullptr, err, sizeof err), 0) << "no --image: nothing to do";
}

// The picture's orientation: the set is symmetric about the real axis only, so a check that
// mirrors left and right is the one that sees a flipped grid. Lines are vertical and run left to
// right (x from -2 to 0.5): the left half (x < -0.75) holds only the thin antenna and the period-2
// bulb's left part, the right half the main cardioid; the leftmost line (x near -2) has hardly any
// point inside, a line at x near -0.25 runs through the cardioid.
TEST(Mandel, OrientationLeftToRight)
{
    Job j(250000); // 500 x 500
    uint64_t side = 500, n = j.job.n;
    ASSERT_EQ(n, side * side);
    MandelResult left = j.points(0, n / 2), right = j.points(n / 2, n);
    EXPECT_GT(right.inside, 4 * left.inside) << "left " << left.inside << ", right " << right.inside;
    MandelResult first_line = j.points(0, side);
    uint64_t cardioid = (uint64_t)((-0.25 + 2.0) / 2.5 * (double)side); // the line at x near -0.25
    MandelResult through = j.points(cardioid * side, (cardioid + 1) * side);
    EXPECT_LE(first_line.inside, 1u);
    EXPECT_GT(through.inside, side / 4) << "line " << cardioid << " should cross the main cardioid";
}
