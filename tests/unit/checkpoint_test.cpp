// Checkpoint files: a round trip keeps every bit; every corruption, truncation and mismatch of
// identity is refused with a reason; the write replaces the file atomically.
#include <gtest/gtest.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>
#include <zlib.h>
#include <string>
#include "parkit/checkpoint.h"
#include "parkit/kernels.h"
#include "parkit/output_path.h"
#include "parkit/partition.h"

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

namespace {
// Files in path's directory whose name holds path's base name and ".tmp": temporary files left.
int temporaries_beside(const std::string &path)
{
    std::string dir = path.substr(0, path.rfind('/')), base = path.substr(path.rfind('/') + 1);
    int count = 0;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d)) {
            std::string name = e->d_name;
            if (name != base && name.find(base) != std::string::npos && name.find(".tmp") != std::string::npos) count++;
        }
        closedir(d);
    }
    return count;
}
} // namespace

TEST(Checkpoint, WriteReplacesAtomicallyAndLeavesNoTemporaryFile)
{
    Fixture f;
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    std::string before = slurp(f.path);
    // a write that cannot finish (the file size limit stops it half way) leaves the old state whole
    // and no temporary file
    struct rlimit old_limit, small = {16, 16};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    small.rlim_max = old_limit.rlim_max;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    c.next_block = 1;
    int rc = pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old_limit);
    signal(SIGXFSZ, old_handler);
    EXPECT_EQ(rc, -1);
    EXPECT_NE(std::string(err).find("cannot write"), std::string::npos) << err;
    EXPECT_EQ(slurp(f.path), before);
    EXPECT_EQ(temporaries_beside(f.path), 0) << "temporary file left behind";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    EXPECT_NE(slurp(f.path), before);
    EXPECT_EQ(temporaries_beside(f.path), 0) << "temporary file left behind";
}

// The temporary file's name cannot be guessed and it is created exclusively: a symbolic link
// planted at the name an earlier version used (FILE.tmp.PID) does not make the write go through it
// into another file.
TEST(Checkpoint, PlantedSymbolicLinkIsNotFollowed)
{
    Fixture f;
    std::string victim = f.path + "-victim";
    spit(victim, "precious\n");
    std::string planted = f.path + ".tmp." + std::to_string(getpid());
    ASSERT_EQ(symlink(victim.c_str(), planted.c_str()), 0);
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    EXPECT_EQ(slurp(victim), "precious\n");
    struct stat st;
    EXPECT_EQ(lstat(planted.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));
    std::remove(planted.c_str());
    std::remove(victim.c_str());
}

// Rewriting a checkpoint keeps the file's mode (a chmod 600 file stays 600); a new one gets 0666
// less the umask.
TEST(Checkpoint, RewriteKeepsTheFilesMode)
{
    Fixture f;
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(chmod(f.path.c_str(), 0600), 0);
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    struct stat st;
    ASSERT_EQ(stat(f.path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    std::remove(f.path.c_str());
    mode_t mask = umask(027);
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    umask(mask);
    ASSERT_EQ(stat(f.path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// A symbolic link FILE is written through (the link stays, its target gets the state); a dangling
// one is refused with a reason that says so.
TEST(Checkpoint, SymbolicLinkIsWrittenThroughAndDanglingOneRefused)
{
    Fixture f;
    std::string link = f.path + "-link";
    ASSERT_EQ(symlink(f.path.c_str(), link.c_str()), 0);
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(link.c_str(), &c, err, sizeof err), 0) << err;
    struct stat st;
    ASSERT_EQ(lstat(link.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode)) << "the link was replaced by a file";
    EXPECT_NE(slurp(f.path).find("parkit-checkpoint"), std::string::npos);
    std::remove(f.path.c_str());
    EXPECT_EQ(pk_checkpoint_write(link.c_str(), &c, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("symbolic link to a file that does not exist"), std::string::npos) << err;
    char check[512] = "";
    EXPECT_EQ(pk_output_path_check(link.c_str(), check, sizeof check), -1);
    EXPECT_NE(std::string(check).find("symbolic link"), std::string::npos) << check;
    std::remove(link.c_str());
}

// A FIFO (or a device) at the path is refused at once, before and at the write: never opened, so
// nothing blocks and no device node is replaced by a regular file.
TEST(Checkpoint, FifoAndDeviceAreRefusedWithoutBlocking)
{
    Fixture f;
    std::remove(f.path.c_str());
    ASSERT_EQ(mkfifo(f.path.c_str(), 0600), 0);
    pk_checkpoint c = f.state();
    char err[512] = "";
    EXPECT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("not a regular file"), std::string::npos) << err;
    struct stat st;
    ASSERT_EQ(lstat(f.path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_EQ(pk_output_path_check(f.path.c_str(), err, sizeof err), -1);
    EXPECT_EQ(pk_output_path_check("/dev/null", err, sizeof err), -1);
    EXPECT_NE(std::string(err).find("not a regular file"), std::string::npos) << err;
}

// A resumed checkpoint's partial must be one its blocks could give: every catalog kernel accepts its
// true partials (so no real checkpoint is ever refused) and refuses forged ones whose CRC is valid
// (a sum one off, mandel iterations near 2^64, ep counts that wrap back to the right total, more
// primes than numbers, a pi sum out of [2, 4] per term).
TEST(Checkpoint, PlausibilityAcceptsTruePartialsAndRefusesForgedOnes)
{
    struct Case {
        const char *kernel;
        uint64_t n;
    } cases[] = {{"sum", 5000000}, {"pi", 1000000}, {"mandel", 65536}, {"ep", 1 << 18}, {"primes", 3000000}};
    for (const Case &c : cases) {
        const pk_kernel *k = pk_kernel_find(c.kernel);
        ASSERT_NE(k, nullptr) << c.kernel;
        ASSERT_NE(k->plausible, nullptr) << c.kernel << " has no plausibility check";
        pk_params params;
        std::memset(&params, 0, sizeof params);
        if (k->defaults) k->defaults(&params);
        pk_job job = {c.n, &params, nullptr, 0, c.n, nullptr, nullptr};
        char err[256] = "";
        if (k->setup) {
            ASSERT_EQ(k->setup(&job, err, sizeof err), 0) << err;
        }
        uint64_t nblocks = pk_block_count(c.n, k->block);
        for (uint64_t b : {uint64_t{0}, uint64_t{1}, nblocks / 2, nblocks}) {
            pk_result part;
            pk_compute_serial(k, &job, 0, b, &part);
            uint64_t hi = b >= nblocks ? c.n : b * k->block;
            char why[256] = "";
            EXPECT_EQ(k->plausible(&job, &part, hi, why, sizeof why), 1) << c.kernel << " blocks [0, " << b << "): " << why;
        }
        pk_result full, forged;
        pk_compute_serial(k, &job, 0, nblocks, &full);
        forged = full;
        std::string name = c.kernel;
        uint64_t *words = reinterpret_cast<uint64_t *>(forged.bytes);
        if (name == "sum") {
            words[0] += 1; // the low 64 bits of the 128-bit sum
        } else if (name == "mandel") {
            words[1] = UINT64_MAX - 5; // iterations
        } else if (name == "primes") {
            words[0] = c.n; // count
        } else if (name == "ep") {
            // q[0] and q[1] moved by 2^63 each way: their sum mod 2^64 is the true total
            size_t q = (k->result_size - 10 * sizeof(uint64_t)) / sizeof(uint64_t);
            words[q] += uint64_t{1} << 63;
            words[q + 1] -= uint64_t{1} << 63;
        } else if (name == "pi") {
            pk_result none;
            k->identity(&none);
            forged = none; // a sum of 0 for c.n terms
        }
        char why[256] = "";
        EXPECT_EQ(k->plausible(&job, &forged, c.n, why, sizeof why), 0) << c.kernel << ": a forged partial accepted";
        std::printf("%s: forged partial refused: %s\n", c.kernel, why);
        EXPECT_NE(why[0], '\0') << c.kernel;
        if (k->teardown) k->teardown(&job);
    }
}

namespace {
// The file's text with `from` replaced by `to` and the CRC made valid again (zlib's crc32 over every
// byte before the crc32 line), as a forger or a careless hand edit would leave it.
std::string recrc(std::string text, const std::string &from, const std::string &to)
{
    size_t at = text.find(from);
    if (at == std::string::npos) return "";
    text.replace(at, from.size(), to);
    size_t crc_line = text.rfind("crc32 ");
    uLong crc = crc32(0L, reinterpret_cast<const Bytef *>(text.data()), static_cast<uInt>(crc_line));
    char line[32];
    std::snprintf(line, sizeof line, "crc32 %08lx\n", static_cast<unsigned long>(crc));
    return text.substr(0, crc_line) + line;
}
} // namespace

// The parser reads exactly what the writer writes: numbers without leading zeros, the CRC as 8
// lowercase hex digits (no sign, no 0x, no space), times without empty fields. Each doctored file
// below has a valid CRC, and each was accepted by a looser parser.
TEST(Checkpoint, ParserIsStrict)
{
    Fixture f;
    pk_checkpoint c = f.state();
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    std::string good = slurp(f.path);
    pk_checkpoint got;
    std::string why;
    ASSERT_EQ(f.read(&got, &why), 1) << why;
    pk_checkpoint_free(&got);
    std::string crc = good.substr(good.rfind("crc32 ") + 6, 8);
    std::string times_line = good.substr(good.find("\ntimes ") + 7);
    times_line = times_line.substr(0, times_line.find('\n'));
    const std::pair<std::string, std::string> edits[] = {
        {"\nn 1000000\n", "\nn 01000000\n"},
        {"\nrepeat 3\n", "\nrepeat 03\n"},
        {"\nnext_block ", "\nnext_block 0"},
        {"\ntimes " + times_line, "\ntimes " + times_line + ","},
        {"\ntimes " + times_line, "\ntimes ," + times_line},
    };
    for (const auto &e : edits) {
        std::string text = recrc(good, e.first, e.second);
        ASSERT_FALSE(text.empty()) << "no '" << e.first << "' in the file";
        spit(f.path, text);
        EXPECT_EQ(f.read(&got, &why), -1) << "accepted with '" << e.second << "'";
        if (why.empty()) pk_checkpoint_free(&got);
    }
    for (const std::string &bad_crc : {"0x" + crc, "+" + crc, " " + crc, "0" + crc}) {
        std::string text = good.substr(0, good.rfind("crc32 ")) + "crc32 " + bad_crc + "\n";
        spit(f.path, text);
        EXPECT_EQ(f.read(&got, &why), -1) << "accepted the checksum '" << bad_crc << "'";
    }
}

// The valid edge of a checkpoint's state: interrupted right after the last epoch of a run (every
// block done, the run not yet closed) is a state to resume from; one block further is not.
TEST(Checkpoint, StateAfterTheLastEpochIsValidAndOneBeyondIsNot)
{
    Fixture f;
    pk_checkpoint c = f.state();
    c.next_block = f.want.blocks;
    char err[512] = "";
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    pk_checkpoint got;
    std::string why;
    ASSERT_EQ(f.read(&got, &why), 1) << why;
    EXPECT_EQ(got.next_block, f.want.blocks);
    pk_checkpoint_free(&got);
    c.next_block = f.want.blocks + 1;
    ASSERT_EQ(pk_checkpoint_write(f.path.c_str(), &c, err, sizeof err), 0) << err;
    EXPECT_EQ(f.read(&got, &why), -1);
    EXPECT_NE(why.find("out of range"), std::string::npos) << why;
}
