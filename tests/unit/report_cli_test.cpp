// The report (text and JSON carry the same fields; JSON is well formed) and the CLI parser.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <string>
#include <vector>
#include "parkit/cli.h"
#include "parkit/report.h"
#include "parkit/stats.h"

TEST(Report, JsonFieldsAndTypes)
{
    pk_report r;
    pk_report_init(&r, "title");
    pk_report_str(&r, "program", "sum_omp");
    pk_report_num(&r, "n", "%d", 42);
    pk_report_bool(&r, "dynamic", 0);
    pk_report_str(&r, "verification", "PASS");
    char buf[1024];
    pk_report_json(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "{\"program\": \"sum_omp\", \"n\": 42, \"dynamic\": false, \"verification\": \"PASS\"}");
}

TEST(Report, JsonEscapesStrings)
{
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_report_str(&r, "why", "a \"quoted\" back\\slash\nnewline\ttab");
    char buf[512];
    pk_report_json(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "{\"why\": \"a \\\"quoted\\\" back\\\\slash\\u000anewline\\u0009tab\"}");
}

TEST(Report, ReplacingAFieldKeepsItsPlace)
{
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_report_num(&r, "a", "1");
    pk_report_num(&r, "b", "2");
    pk_report_num(&r, "a", "3");
    char buf[256];
    pk_report_json(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "{\"a\": 3, \"b\": 2}");
}

TEST(Report, TruncatesSafelyAndReportsNeededLength)
{
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_report_str(&r, "key", "value");
    char small[8];
    size_t need = pk_report_json(&r, small, sizeof small);
    EXPECT_EQ(need, std::string("{\"key\": \"value\"}").size());
    EXPECT_EQ(std::string(small), "{\"key\":");
}

TEST(Report, TextHasTheSameFields)
{
    pk_report r;
    pk_report_init(&r, "t");
    pk_report_str(&r, "verification", "PASS");
    pk_report_num(&r, "time_median_s", "0.5");
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pk_report_print_text(&r, f);
    fclose(f);
    EXPECT_EQ(std::string(buf), "# t\nverification: PASS\ntime_median_s: 0.5\n");
    free(buf);
}

// Values quote file names, argv[0] and the environment: a newline or another control character in
// one of them is escaped in the text report, so it can never add a line (a forged verdict).
TEST(Report, TextEscapesControlCharactersInKeysAndValues)
{
    pk_report r;
    pk_report_init(&r, "title\nverification: PASS");
    pk_report_str(&r, "checkpoint", "%s", "/tmp/x\nverification: PASS\r\x1b[2J\\n");
    pk_report_str(&r, "verification", "%s", "FAIL");
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pk_report_print_text(&r, f);
    fclose(f);
    std::string text(buf, len);
    free(buf);
    EXPECT_EQ(text, "# title\\nverification: PASS\n"
                    "checkpoint: /tmp/x\\nverification: PASS\\r\\x1b[2J\\\\n\n"
                    "verification: FAIL\n");
}

TEST(Stats, MinMedianMax)
{
    double v[] = {3, 1, 2, 10};
    pk_stats s = pk_stats_of(v, 4);
    EXPECT_EQ(s.min, 1);
    EXPECT_EQ(s.max, 10);
    EXPECT_EQ(s.median, 2.5);
    EXPECT_EQ(v[0], 3) << "input must stay unsorted";
    double odd[] = {5, 1, 9};
    EXPECT_EQ(pk_stats_of(odd, 3).median, 5);
    EXPECT_EQ(pk_stats_of(odd, 0).count, 0u);
}

namespace {
struct Cli {
    uint64_t n = 7, repeat = 5;
    int json = 0, n_given = 0;
    const char *mode = "a";
    std::vector<pk_opt> opts;
    Cli()
    {
        opts.push_back({"n", "N", "size", PK_OPT_SIZE, &n, 0, 0, nullptr, nullptr, nullptr, &n_given});
        opts.push_back({"repeat", "K", "runs", PK_OPT_SIZE, &repeat, 1, 100, nullptr, nullptr, nullptr, nullptr});
        opts.push_back({"json", nullptr, "json", PK_OPT_FLAG, &json, 0, 0, nullptr, nullptr, nullptr, nullptr});
        opts.push_back({"mode", "M", "mode", PK_OPT_CHOICE, &mode, 0, 0, "a|bb|c", nullptr, nullptr, nullptr});
    }
    std::vector<std::string> store; // argv must outlive the parse: STRING options point into it
    pk_cli_status parse(std::vector<std::string> args, std::string *err_out = nullptr)
    {
        store = std::move(args);
        auto &args_ref = store;
        std::vector<char *> argv;
        std::string prog = "prog";
        argv.push_back(prog.data());
        for (auto &a : args_ref) argv.push_back(a.data());
        char err[256] = "";
        pk_cli_status st = pk_cli_parse((int)argv.size(), argv.data(), opts.data(), opts.size(), err, sizeof err);
        if (err_out) *err_out = err;
        return st;
    }
};
} // namespace

TEST(Cli, AcceptsBothValueForms)
{
    Cli c;
    ASSERT_EQ(c.parse({"--n", "1e6", "--repeat=3", "--json", "--mode", "bb"}), PK_CLI_OK);
    EXPECT_EQ(c.n, 1000000u);
    EXPECT_EQ(c.n_given, 1);
    EXPECT_EQ(c.repeat, 3u);
    EXPECT_EQ(c.json, 1);
    EXPECT_STREQ(c.mode, "bb");
}

TEST(Cli, HelpAndVersion)
{
    Cli c;
    EXPECT_EQ(c.parse({"--help"}), PK_CLI_HELP);
    EXPECT_EQ(c.parse({"--version"}), PK_CLI_VERSION);
}

TEST(Cli, RejectsWithAReasonNamingTheArgument)
{
    struct Case {
        std::vector<std::string> args;
        const char *must_mention;
    } cases[] = {
        {{"--bogus"}, "--bogus"},
        {{"--n", "-5"}, "negative"},
        {{"--n", "abc"}, "abc"},
        {{"--n", "1.5"}, "not an integer"},
        {{"--n"}, "needs a value"},
        {{"--repeat", "0"}, "out of range"},
        {{"--repeat", "101"}, "out of range"},
        {{"--json=1"}, "takes no value"},
        {{"--mode", "b"}, "a|bb|c"},
        {{"positional"}, "positional"},
        {{"-n", "5"}, "-n"},
        {{"--"}, "--"},
    };
    for (auto &c : cases) {
        Cli cli;
        std::string err;
        EXPECT_EQ(cli.parse(c.args, &err), PK_CLI_ERROR) << c.args[0];
        EXPECT_NE(err.find(c.must_mention), std::string::npos) << "'" << err << "' lacks " << c.must_mention;
        EXPECT_EQ(err.find('\n'), std::string::npos) << "one line only: " << err;
    }
}

TEST(Cli, ProgramName)
{
    EXPECT_STREQ(pk_program_name("/a/b/sum_omp"), "sum_omp");
    EXPECT_STREQ(pk_program_name("sum_mpi"), "sum_mpi");
}

#include "parkit/limits.h"

TEST(Limits, ReadsNumbersFromAFlatJsonObject)
{
    const char *json = "{\"program\": \"parkit_limits\", \"read_1t_bytes_per_s\": 2.5e10,\n"
                       " \"note\": \"cpus\", \"cpus\": 2, \"fma_1t_flops_per_s\":5.8e10}";
    double v = 0;
    EXPECT_EQ(pk_limits_number(json, "read_1t_bytes_per_s", &v), 0);
    EXPECT_EQ(v, 2.5e10);
    EXPECT_EQ(pk_limits_number(json, "cpus", &v), 0) << "a string value \"cpus\" is not the key";
    EXPECT_EQ(v, 2);
    EXPECT_EQ(pk_limits_number(json, "fma_1t_flops_per_s", &v), 0);
    EXPECT_EQ(v, 5.8e10);
    EXPECT_EQ(pk_limits_number(json, "read_all_bytes_per_s", &v), -1);
    EXPECT_EQ(pk_limits_number(json, "program", &v), -1) << "not a number";
}

// A limit is a positive, finite, normal number: nan, inf, 1e999, 1e-320, 0 and negative values are
// damage or forgery and read as absent, as is anything past 1e18 per second.
TEST(Limits, RefusesValuesNoMachineHas)
{
    double v = 7;
    for (const char *bad : {"nan", "inf", "-inf", "1e999", "1e-320", "0", "-5e9", "2e18", "0x1p1030"}) {
        std::string json = std::string("{\"read_1t_bytes_per_s\": ") + bad + "}";
        EXPECT_EQ(pk_limits_number(json.c_str(), "read_1t_bytes_per_s", &v), -1) << "accepted " << bad;
    }
    EXPECT_EQ(pk_limits_number("{\"cpus\": 1e18}", "cpus", &v), 0);
    EXPECT_EQ(pk_limits_number("{\"cpus\": 2.2250738585072014e-308}", "cpus", &v), 0) << "the smallest normal";
}

// PARKIT_LIMITS is checked before the work: a FIFO (reading it would wait forever), a directory, a
// missing file or one too large to be a limits file is one line; unset or a regular file is fine.
TEST(Limits, CheckRefusesWhatIsNotALimitsFile)
{
    char err[512];
    unsetenv("PARKIT_LIMITS");
    EXPECT_EQ(pk_limits_check(err, sizeof err), 0);
    char dir[] = "/tmp/parkit-limits-dir-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    std::string fifo = std::string(dir) + "/fifo", big = std::string(dir) + "/big.json",
                good = std::string(dir) + "/limits.json";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    FILE *f = fopen(big.c_str(), "w");
    ASSERT_NE(f, nullptr);
    for (int i = 0; i < 70000; i++) fputc(' ', f);
    fclose(f);
    f = fopen(good.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("{\"cpus\": 2}", f);
    fclose(f);
    struct {
        std::string path;
        const char *why;
    } cases[] = {{fifo, "not a regular file"}, {dir, "not a regular file"}, {big, "larger than 64 KiB"},
                 {std::string(dir) + "/missing", "No such file"}};
    for (const auto &c : cases) {
        setenv("PARKIT_LIMITS", c.path.c_str(), 1);
        EXPECT_EQ(pk_limits_check(err, sizeof err), -1) << c.path;
        EXPECT_NE(std::string(err).find(c.why), std::string::npos) << err;
    }
    setenv("PARKIT_LIMITS", good.c_str(), 1);
    EXPECT_EQ(pk_limits_check(err, sizeof err), 0) << err;
    unsetenv("PARKIT_LIMITS");
    unlink(fifo.c_str());
    unlink(big.c_str());
    unlink(good.c_str());
    rmdir(dir);
}

TEST(Limits, ReportsTheFractionOfTheLimit)
{
    char path[] = "/tmp/parkit-limits-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    const char *json = "{\"cpus\": 2, \"read_1t_bytes_per_s\": 2e10, \"read_all_bytes_per_s\": 4e10,"
                       " \"fma_1t_flops_per_s\": 5e10}";
    ASSERT_EQ(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    setenv("PARKIT_LIMITS", path, 1);
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_report_num(&r, "bytes_per_s", "3e10");
    pk_report_num(&r, "flops_per_s", "5e10");
    pk_limits_report(&r, 2);
    ASSERT_NE(pk_report_get(&r, "bytes_per_s_of_read_limit"), nullptr);
    EXPECT_STREQ(pk_report_get(&r, "bytes_per_s_of_read_limit")->text, "0.750");
    EXPECT_STREQ(pk_report_get(&r, "flops_per_s_of_fma_peak")->text, "0.500");
    pk_report_init(&r, nullptr);
    pk_report_num(&r, "bytes_per_s", "1e10");
    pk_limits_report(&r, 1);
    EXPECT_STREQ(pk_report_get(&r, "bytes_per_s_of_read_limit")->text, "0.500") << "one worker: 1-thread limit";
    unsetenv("PARKIT_LIMITS");
    unlink(path);
}

// Bounds are inclusive: exactly the minimum and the maximum are accepted, one past is not.
TEST(Cli, AcceptsExactlyTheBoundsOfAnOption)
{
    Cli lo, hi, max64;
    ASSERT_EQ(lo.parse({"--repeat", "1"}), PK_CLI_OK);
    EXPECT_EQ(lo.repeat, 1u);
    ASSERT_EQ(hi.parse({"--repeat", "100"}), PK_CLI_OK);
    EXPECT_EQ(hi.repeat, 100u);
    ASSERT_EQ(max64.parse({"--n", "18446744073709551615"}), PK_CLI_OK); // max 0 = UINT64_MAX
    EXPECT_EQ(max64.n, UINT64_MAX);
    Cli over;
    EXPECT_EQ(over.parse({"--repeat", "1e2"}), PK_CLI_OK) << "100 written as 1e2 is still 100";
    EXPECT_EQ(over.parse({"--repeat", "100.0000000001"}), PK_CLI_ERROR);
}

// Numbers that are not JSON numbers (nan, inf) print as null: the object must still parse.
TEST(Report, NonFiniteNumbersAreNullInJson)
{
    pk_report r;
    pk_report_init(&r, nullptr);
    pk_report_num(&r, "a", "%g", std::nan(""));
    pk_report_num(&r, "b", "%g", -HUGE_VAL);
    pk_report_num(&r, "c", "%.3e", 1.5);
    pk_report_num(&r, "d", "%s", "01");
    char buf[256];
    pk_report_json(&r, buf, sizeof buf);
    EXPECT_STREQ(buf, "{\"a\": null, \"b\": null, \"c\": 1.500e+00, \"d\": null}");
}

// A field that does not fit is not lost silently: stderr says so and the report counts it.
TEST(Report, FieldsPastTheLimitAreDroppedLoudly)
{
    pk_report r;
    pk_report_init(&r, nullptr);
    testing::internal::CaptureStderr();
    for (int i = 0; i < PK_REPORT_MAX_FIELDS + 2; i++) pk_report_num(&r, ("f" + std::to_string(i)).c_str(), "%d", i);
    std::string err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(r.count, (size_t)PK_REPORT_MAX_FIELDS);
    EXPECT_EQ(r.dropped, 2u);
    EXPECT_NE(err.find("report field 'f" + std::to_string(PK_REPORT_MAX_FIELDS) + "' dropped"), std::string::npos) << err;
    std::vector<char> buf(pk_report_json(&r, nullptr, 0) + 1);
    pk_report_json(&r, buf.data(), buf.size());
    EXPECT_NE(std::string(buf.data()).find("\"report_fields_dropped\": 2}"), std::string::npos);
}

#include "parkit/progress.h"

// After a resume the rate and the ETA count only this session's blocks over this session's time:
// resumed at block 50 of 100, at block 75 one second later, the rate is 25 blocks/s (x the block
// size in elements) and 1 s is left -- not 75 blocks in 1 s and 0.3 s left.
TEST(Progress, RateAndEtaAfterAResume)
{
    pk_progress p = {};
    p.program = "t";
    p.enabled = 1;
    p.runs = 1;
    p.nblocks = 100;
    p.block = 1000;
    p.n = 100000;
    p.interval = 1.0;
    p.t_last = -1;
    pk_progress_run(&p, 0, 50, 10.0);
    testing::internal::CaptureStderr();
    pk_progress_update(&p, 75, 11.0, 0);
    std::string line = testing::internal::GetCapturedStderr();
    EXPECT_EQ(line, "t: progress: run 1/1 (timed 1/1): 75.0% of 100 blocks, 2.5e+04 elements/s, 1.0 s, ETA 1.0 s\n");
    // the pace holds over runs: a second update within the interval prints nothing
    testing::internal::CaptureStderr();
    pk_progress_update(&p, 80, 11.5, 0);
    EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}
