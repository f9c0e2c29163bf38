// pk_parse_size: every accepted form, every rejected form.
#include <gtest/gtest.h>
#include <cstdint>
#include "parkit/size.h"

namespace {
uint64_t ok(const char *s)
{
    uint64_t v = 12345;
    char err[128] = "";
    EXPECT_EQ(pk_parse_size(s, &v, err, sizeof err), 0) << s << ": " << err;
    return v;
}
void bad(const char *s)
{
    uint64_t v = 777;
    char err[128] = "";
    EXPECT_EQ(pk_parse_size(s, &v, err, sizeof err), -1) << "accepted '" << s << "' as " << v;
    EXPECT_NE(err[0], '\0') << "no reason given for '" << s << "'";
    EXPECT_EQ(v, 777u) << "output written on error for '" << s << "'";
}
} // namespace

TEST(Size, PlainIntegers)
{
    EXPECT_EQ(ok("0"), 0u);
    EXPECT_EQ(ok("1"), 1u);
    EXPECT_EQ(ok("1000000"), 1000000u);
    EXPECT_EQ(ok("007"), 7u);
    EXPECT_EQ(ok("18446744073709551615"), UINT64_MAX);
}

TEST(Size, ScientificNotation)
{
    EXPECT_EQ(ok("1e6"), 1000000u);
    EXPECT_EQ(ok("1E9"), 1000000000u);
    EXPECT_EQ(ok("1e10"), 10000000000u);
    EXPECT_EQ(ok("2.5e3"), 2500u);
    EXPECT_EQ(ok("1.5e6"), 1500000u);
    EXPECT_EQ(ok("0e5"), 0u);
    EXPECT_EQ(ok("1.0"), 1u);
    EXPECT_EQ(ok("1.8446744073709551615e19"), UINT64_MAX);
    EXPECT_EQ(ok("1e19"), 10000000000000000000u);
}

TEST(Size, Suffixes)
{
    EXPECT_EQ(ok("10M"), 10000000u);
    EXPECT_EQ(ok("3k"), 3000u);
    EXPECT_EQ(ok("3K"), 3000u);
    EXPECT_EQ(ok("2G"), 2000000000u);
    EXPECT_EQ(ok("1T"), 1000000000000u);
    EXPECT_EQ(ok("1P"), 1000000000000000u);
    EXPECT_EQ(ok("4Ki"), 4096u);
    EXPECT_EQ(ok("64Mi"), 64u << 20);
    EXPECT_EQ(ok("1Gi"), 1u << 30);
    EXPECT_EQ(ok("1Ti"), 1ull << 40);
    EXPECT_EQ(ok("1.5Ki"), 1536u);
    EXPECT_EQ(ok("2.5M"), 2500000u);
}

TEST(Size, Powers)
{
    EXPECT_EQ(ok("2^20"), 1u << 20);
    EXPECT_EQ(ok("2^0"), 1u);
    EXPECT_EQ(ok("10^3"), 1000u);
    EXPECT_EQ(ok("2^63"), 1ull << 63);
    EXPECT_EQ(ok("0^5"), 0u);
    EXPECT_EQ(ok("1^99999999999"), 1u);
}

TEST(Size, RejectsNegativeAndSigns)
{
    bad("-1");
    bad("-0");
    bad("+5");
    bad("-1e6");
}

TEST(Size, RejectsJunk)
{
    bad("");
    bad("abc");
    bad("12abc");
    bad("1e");
    bad("e6");
    bad(" 5");
    bad("5 ");
    bad("0x10");
    bad("1.");
    bad(".5");
    bad("1..2");
    bad("1e-3");
    bad("1e+3");
    bad("2^");
    bad("^2");
    bad("2^-1");
    bad("2^2^2");
    bad("10Q");
    bad("10m");
    bad("10MB");
    bad("inf");
    bad("nan");
    bad("1,000");
}

TEST(Size, RejectsFractions)
{
    bad("1.5");
    bad("0.1");
    bad("1.25e1");
    bad("1.0001k");
    bad("0.3Ki");
}

TEST(Size, RejectsOverflow)
{
    bad("18446744073709551616");
    bad("99999999999999999999999");
    bad("2^64");
    bad("1e20");
    bad("1e30");
    bad("20E");
    bad("17Pi" "0");
    bad("16385Pi");
    bad("1e999");
}

// A mantissa of many digits times a large power of ten: the 128-bit product must not wrap (the
// first one wrapped to 1572864 and ran with it).
TEST(Size, RejectsMantissaTimesPowerThatWouldWrap128Bits)
{
    bad("190715222875735008551772013554239e19");
    bad("99999999999999999999999999999999999999e19");
    bad("18446744073709551616e0");
    bad("1844674407370955162e1");
    EXPECT_EQ(ok("1844674407370955161e1"), 18446744073709551610ull);
    EXPECT_EQ(ok("18446744073709551615e0"), UINT64_MAX);
    EXPECT_EQ(ok("1.8446744073709551615e19"), UINT64_MAX);
}

// Every exact value in range is accepted, however it is written (an outside audit found these
// refused): long zero padding, a zero mantissa with any exponent, B^0 and 0^E/1^E with huge
// operands, binary suffixes whose intermediate product exceeds 64 bits.
TEST(Size, AcceptsEveryExactValueInRange)
{
    std::string padded(70, '0');
    EXPECT_EQ(ok((padded + "123").c_str()), 123u);
    EXPECT_EQ(ok((padded + "18446744073709551615").c_str()), UINT64_MAX);
    EXPECT_EQ(ok((padded + "1.5" + padded + "Ki").c_str()), 1536u);
    EXPECT_EQ(ok("0e41"), 0u);
    EXPECT_EQ(ok("0.000e99999999999999999999999"), 0u);
    EXPECT_EQ(ok("18446744073709551616^0"), 1u);
    EXPECT_EQ(ok("99999999999999999999999^0"), 1u);
    EXPECT_EQ(ok("1^99999999999999999999"), 1u);
    EXPECT_EQ(ok("0^99999999999999999999"), 0u);
    EXPECT_EQ(ok("0^0"), 1u);
    EXPECT_EQ(ok("18014398509481983.5Ki"), 18446744073709551104u);
    EXPECT_EQ(ok("17592186044415.9990234375Ki"), 18014398509481983u);
    EXPECT_EQ(ok("0.0009765625Ki"), 1u);
    EXPECT_EQ(ok("0.00000000001e30"), 10000000000000000000u);
    EXPECT_EQ(ok("1.8446744073709551615e19"), UINT64_MAX);
    EXPECT_EQ(ok(("18446744073709551615." + padded).c_str()), UINT64_MAX);
    EXPECT_EQ(ok("15.9990234375Pi"), 18013298997854208u); // (16 - 1/1024) x 2^50
    EXPECT_EQ(ok("16Pi"), 18014398509481984u);
}

TEST(Size, RejectsWhatIsNotExactOrInRange)
{
    bad("2^99999999999999999999");
    bad("18446744073709551616^1");
    bad("1.8446744073709551616e19");
    bad("1e99999999999999999999");
    bad("0.1Ki");                       // 102.4
    bad("0.0000000000000000000000000000000000000000000000000001Pi");
    bad("1.000000000000000000000000000000000000001"); // 40 significant digits
    bad("15.999999999999999999Pi");     // (16 - 1e-18) x 2^50 is not an integer
    bad("16384Pi");                     // 2^64
}
