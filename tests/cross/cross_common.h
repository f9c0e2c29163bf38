// Shared by the cross-model tests: the cases (every kernel of the catalog, plus option variants)
// and a job set up for any share of the blocks, so that every model can be compared with the
// serial reference on the canonical "result" text.
#pragma once
#include <gtest/gtest.h>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>
#include "parkit/kernels.h"
#include "parkit/partition.h"

struct CrossCase {
    const pk_kernel *kernel;
    std::string option, value; // one kernel option, or empty for the defaults
    std::string name() const
    {
        std::string s = kernel->name;
        if (!option.empty()) s += "_" + option + "_" + value;
        return s;
    }
};

// Every kernel with its defaults, plus the variants that change the code path.
inline std::vector<CrossCase> cross_cases()
{
    std::vector<CrossCase> cases;
    for (size_t i = 0; i < pk_kernel_count(); i++) cases.push_back({pk_kernel_at(i), "", ""});
    if (const pk_kernel *k = pk_kernel_find("sum")) cases.push_back({k, "source", "array"});
    return cases;
}

// gtest prints parameters in test names; a readable one instead of the struct's bytes
inline void PrintTo(const CrossCase &c, std::ostream *os) { *os << c.name(); }

inline std::string cross_case_name(const testing::TestParamInfo<CrossCase> &info) { return info.param.name(); }

// A kernel job over [0, n) holding the data of blocks [b0, b1) (memory-bound kernels).
struct CrossJob {
    const pk_kernel *k;
    pk_params params;
    pk_job job;
    uint64_t nblocks = 0;
    bool ok = false;
    std::string error;

    CrossJob(const CrossCase &c, uint64_t n, bool n_given = true) : k(c.kernel)
    {
        std::memset(&params, 0, sizeof params);
        if (k->defaults) k->defaults(&params);
        char err[512] = "";
        if (!c.option.empty()) {
            for (int i = 0; i < PK_KERNEL_MAX_OPTS && k->opts[i].name; i++)
                if (c.option == k->opts[i].name && k->opts[i].set(&params, c.value.c_str(), err, sizeof err) != 0)
                    error = err;
        }
        if (!n_given) n = k->default_n;
        if (error.empty() && k->finish && k->finish(&params, &n, n_given, err, sizeof err) != 0) error = err;
        job = {n, &params, nullptr, 0, 0, nullptr, nullptr};
        nblocks = pk_block_count(n, k->block);
        ok = error.empty();
    }
    // Sets up data for blocks [b0, b1); returns false (with error) when setup fails.
    bool setup(uint64_t b0, uint64_t b1)
    {
        job.data_lo = b0 < b1 ? b0 * k->block : 0;
        job.data_hi = b0 < b1 ? (b1 >= nblocks ? job.n : b1 * k->block) : 0;
        char err[512] = "";
        if (k->setup && k->setup(&job, err, sizeof err) != 0) {
            error = err;
            return false;
        }
        return true;
    }
    std::string text(const void *result)
    {
        char buf[PK_REPORT_MAX_TEXT];
        pk_result_text(k, &job, result, buf, sizeof buf);
        return buf;
    }
    // Serial reference over all blocks (sets up its own data).
    std::string serial()
    {
        if (!setup(0, nblocks)) return "setup failed: " + error;
        pk_touch_serial(k, &job, 0, nblocks);
        pk_result r;
        pk_compute_serial(k, &job, 0, nblocks, &r);
        std::string t = text(&r);
        teardown();
        return t;
    }
    void teardown()
    {
        if (k->teardown) k->teardown(&job);
    }
};

// Sizes for a kernel: edge sizes, fewer blocks than workers, and the kernel's test size.
// A size the kernel refuses (finish fails) is left out; test_n must always be accepted.
inline std::vector<uint64_t> cross_sizes(const pk_kernel *k)
{
    return {0, 1, 2, k->block - 1, k->block + 1, 3 * k->block + 7, k->test_n};
}
