// Checkpoint files: a round trip keeps every bit; every corruption, truncation and mismatch of
// identity is refused with a reason; the write replaces the file atomically.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include "parkit/checkpoint.h"
#include "parkit/kernels.h"

namespace {
std::string slurp(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
void spit(const std::string &path, const std::string &text)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
}

struct Fixture {
    const pk_kernel *k = pk_kernel_find("pi");
    pk_params params;
    pk_job job;
    pk_checkpoint want;
    std::string path;
    explicit Fixture(uint64_t n = 1000000)
    {
        std::memset(&params, 0, sizeof params);
        if (k->defaults) k->defaults(&params);
        job = {n, &params, nullptr, 0, 0, nullptr, nullptr};
        pk_checkpoint_init(&want, k, &job, 0, 3);
        char tmpl[] = "/tmp/parkit_ckpt_XXXXXX";
        int fd = mkstemp(tmpl);
        close(fd);
        path = tmpl;
    }
    ~Fixture() { std::remove(path.c_str()); }
    // a state in the middle of run 2 (one timed run done), with a partial of real block results
    pk_checkpoint state()
    {
        pk_checkpoint c = want;
        c.run = 1;
        c.next_block = want.blocks / 2;
        pk_result part;
        k->identity(&c.partial);
        for (uint64_t b = 0; b < c.next_block; b++) {
            uint64_t lo = b * k->block, hi = std::min(job.n, lo + k->block);
            k->partial(&job, lo, hi, &part);
            k->combine(&c.partial, &part);
        }
        c.run_seconds = 0.1234567890123;
        static double times[1] = {1.0 / 3.0};
        c.times = times;
        c.ntimes = 1;
        return c;
    }
    int read(pk_checkpoint *got, std::string *err)
    {
        char e[768] = "";
        int rc = pk_checkpoint_read(path.c_str(), &want, got, e, sizeof e);
        *err = e;
        return rc;
    }
};
} // namespace

TEST(Checkpoint, RoundTripKeepsEveryBit)
{
    Fixture f;
    ASSERT_GE(f.want.blocks, 2u);
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    pk_checkpoint got;
    std::string e;
    ASSERT_EQ(f.read(&got, &e), 1) << e;
    EXPECT_EQ(got.run, 1u);
    EXPECT_EQ(got.next_block, c.next_block);
    EXPECT_EQ(std::memcmp(got.partial.bytes, c.partial.bytes, f.k->result_size), 0);
    EXPECT_EQ(got.run_seconds, c.run_seconds) << "hex floats: exact";
    ASSERT_EQ(got.ntimes, 1u);
    EXPECT_EQ(got.times[0], 1.0 / 3.0);
    pk_checkpoint_free(&got);
}

TEST(Checkpoint, MissingFileIsAFreshStart)
{
    Fixture f;
    std::remove(f.path.c_str());
    pk_checkpoint got;
    std::string e;
    EXPECT_EQ(f.read(&got, &e), 0);
}

TEST(Checkpoint, EveryFlippedByteAndEveryTruncationIsRefused)
{
    Fixture f;
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    const std::string good = slurp(f.path);
    for (size_t i = 0; i < good.size(); i++) {
        std::string bad = good;
        bad[i] = (char)(bad[i] ^ 0x01); // one bit: "0" <-> "1", "a" <-> "`", "\n" <-> 0x0b
        spit(f.path, bad);
        pk_checkpoint got;
        std::string e;
        EXPECT_EQ(f.read(&got, &e), -1) << "byte " << i << " flipped was accepted";
        EXPECT_FALSE(e.empty());
    }
    for (size_t len = 0; len < good.size(); len++) {
        spit(f.path, good.substr(0, len));
        pk_checkpoint got;
        std::string e;
        EXPECT_EQ(f.read(&got, &e), -1) << "truncated to " << len << " bytes was accepted";
    }
    spit(f.path, good);
    pk_checkpoint got;
    std::string e;
    ASSERT_EQ(f.read(&got, &e), 1) << e;
    pk_checkpoint_free(&got);
}

TEST(Checkpoint, AnotherJobIsRefusedByName)
{
    Fixture f;
    pk_checkpoint c = f.state();
    char err[512] = "";
    struct Case {
        const char *what;
        void (*change)(pk_checkpoint *);
    } cases[] = {
        {"of kernel", [](pk_checkpoint *x) { std::snprintf(x->kernel, sizeof x->kernel, "sum"); }},
        {"of n =", [](pk_checkpoint *x) { x->n += 1; }},
        {"other parameters", [](pk_checkpoint *x) { std::snprintf(x->params, sizeof x->params, "iters=5"); }},
        {"--repeat", [](pk_checkpoint *x) { x->repeat = 7; }},
    };
    for (auto &cs : cases) {
        pk_checkpoint other = c;
        cs.change(&other);
        ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &other, err, sizeof err), 0) << err;
        pk_checkpoint got;
        std::string e;
        EXPECT_EQ(f.read(&got, &e), -1) << cs.what;
        EXPECT_NE(e.find(cs.what), std::string::npos) << e;
    }
    // another format version, with a valid checksum
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0);
    std::string text = slurp(f.path);
    text.replace(0, text.find('\n'), "parkit-checkpoint 99");
    text = text.substr(0, text.rfind("crc32 "));
    // recompute the checksum as a writer of version 99 would: no, a reader must refuse before that
    spit(f.path, text + "crc32 00000000\n");
    pk_checkpoint got;
    std::string e;
    EXPECT_EQ(f.read(&got, &e), -1);
}

TEST(Checkpoint, UnreadablePathsAreRefused)
{
    Fixture f;
    pk_checkpoint got;
    char e[512] = "";
    EXPECT_EQ(pk_checkpoint_read("/tmp", &f.want, &got, e, sizeof e), -1);
    EXPECT_NE(std::string(e).find("not a regular file"), std::string::npos) << e;
    pk_checkpoint c = f.state();
    EXPECT_EQ(pk_checkpoint_write("/nonexistent-dir/x.ckpt", &c, e, sizeof e), -1);
    EXPECT_NE(std::string(e).find("cannot create"), std::string::npos) << e;
}

TEST(Checkpoint, WriteReplacesAtomicallyAndLeavesNoTemporaryFile)
{
    Fixture f;
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    std::string before = slurp(f.path);
    // a write that cannot finish (its temporary file's name is taken by a directory) leaves the
    // old state whole
    std::string tmp = f.path + ".tmp." + std::to_string(getpid());
    ASSERT_EQ(mkdir(tmp.c_str(), 0700), 0);
    c.next_block = 1;
    EXPECT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), -1);
    EXPECT_EQ(slurp(f.path), before);
    rmdir(tmp.c_str());
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    EXPECT_NE(slurp(f.path), before);
    struct stat st;
    EXPECT_NE(stat(tmp.c_str(), &st), 0) << "temporary file left behind";
}
