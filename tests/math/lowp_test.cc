// The low-precision converters of kernels/eltwise/lowp.h: every code of every format round-trips,
// narrowing matches a brute-force nearest-code oracle (ties to even, overflow by `saturate`),
// NaN / inf / -0 follow each flavour's rules, float8e8m0 follows the onnx reference's rounding,
// and 4-/2-bit integers wrap and saturate.
#include "kernels/eltwise/lowp.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "harness.h"

namespace ortl::mathtest {
namespace {

namespace lp = kernels::lowp;

constexpr float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

template <class F>
constexpr int num_codes() {
  return 1 << F::kBits;
}

template <class F>
bool is_nan_code(uint8_t c) {
  return std::isnan(lp::to_float<F>(c));
}

// The spec's rounding, literally: the nearest finite code of x's sign (ties to the even code),
// where the code just above max stands for "overflow". Returns -1 for overflow.
template <class F>
int oracle(double x) {
  const uint8_t sign = std::signbit(x) ? F::kSign : 0;
  const double ax = std::fabs(x);
  const double vmax = lp::to_float<F>(F::kMaxEnc);
  const double beyond = vmax + (vmax - lp::to_float<F>(static_cast<uint8_t>(F::kMaxEnc - 1)));
  if (ax >= beyond) return -1;  // (where differences below would lose x's low bits)
  int best = -1;
  double best_err = 0;
  for (int m = 0; m <= F::kMaxEnc + 1; ++m) {
    // Code kMaxEnc + 1 read as if the format went on (its value: max plus one ulp at max's scale).
    const double v = m <= F::kMaxEnc ? lp::to_float<F>(static_cast<uint8_t>(m)) : beyond;
    const double err = std::fabs(v - ax);
    if (best < 0 || err < best_err || (err == best_err && (m & 1) == 0)) {
      best = m;
      best_err = err;
    }
  }
  if (best > F::kMaxEnc) return -1;
  if (F::kSpecial == lp::Special::kFnuz && best == 0) return 0;
  return sign | best;
}

template <class F>
void check_format(const char* name) {
  SCOPED_TRACE(name);
  // Every code decodes and encodes back to itself (NaNs to a NaN).
  int nans = 0;
  for (int c = 0; c < num_codes<F>(); ++c) {
    const float v = lp::to_float<F>(static_cast<uint8_t>(c));
    if (std::isnan(v)) {
      ++nans;
      EXPECT_TRUE(is_nan_code<F>(lp::from_float<F>(v, false))) << c;
      continue;
    }
    for (bool sat : {true, false}) {
      const uint8_t back = lp::from_float<F>(v, sat);
      if (std::isinf(v)) {
        EXPECT_EQ(back, sat ? ((c & F::kSign) | F::kMaxEnc) : c) << c;
      } else {
        EXPECT_EQ(back, c) << c << " value " << v;
      }
    }
  }
  EXPECT_EQ(nans, F::kSpecial == lp::Special::kIeee   ? 6
                  : F::kSpecial == lp::Special::kFn   ? 2
                  : F::kSpecial == lp::Special::kFnuz ? 1
                                                      : 0);
  // Midpoints between neighbouring codes (ties), and a hair either side, against the oracle.
  std::vector<double> probes;
  for (int m = 0; m < F::kMaxEnc; ++m) {
    const double a = lp::to_float<F>(static_cast<uint8_t>(m)), b = lp::to_float<F>(static_cast<uint8_t>(m + 1));
    const double mid = (a + b) / 2;
    probes.insert(probes.end(), {mid, std::nextafter(mid, 0.0), std::nextafter(mid, 1e9), a, b});
  }
  const double vmax = lp::to_float<F>(F::kMaxEnc);
  const double ulp = vmax - lp::to_float<F>(static_cast<uint8_t>(F::kMaxEnc - 1));
  probes.insert(probes.end(), {vmax + ulp / 2, std::nextafter(vmax + ulp / 2, 0.0), vmax * 4, 1e30});
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> mag(std::log2(lp::to_float<F>(1)) - 3, std::log2(vmax) + 2);
  for (int i = 0; i < 20000; ++i) probes.push_back(std::exp2(mag(rng)));
  for (double p : probes) {
    for (double x : {p, -p}) {
      const float xf = static_cast<float>(x);  // float inputs: what Cast sees most
      for (double in : {x, static_cast<double>(xf)}) {
        const int want = oracle<F>(in);
        for (bool sat : {true, false}) {
          const uint8_t got = lp::from_double<F>(in, sat);
          if (want >= 0) {
            ASSERT_EQ(got, want) << std::hexfloat << in << " saturate " << sat;
          } else if (sat || F::kSpecial == lp::Special::kNone) {
            ASSERT_EQ(got, (std::signbit(in) ? F::kSign : 0) | F::kMaxEnc) << std::hexfloat << in;
          } else if (F::kSpecial == lp::Special::kIeee) {
            ASSERT_TRUE(std::isinf(lp::to_float<F>(got)) && std::signbit(lp::to_float<F>(got)) == std::signbit(in))
                << std::hexfloat << in;
          } else {
            ASSERT_TRUE(is_nan_code<F>(got)) << std::hexfloat << in;
          }
        }
      }
    }
  }
}

TEST(Lowp, E4M3FN) { check_format<lp::E4M3FN>("e4m3fn"); }
TEST(Lowp, E4M3FNUZ) { check_format<lp::E4M3FNUZ>("e4m3fnuz"); }
TEST(Lowp, E5M2) { check_format<lp::E5M2>("e5m2"); }
TEST(Lowp, E5M2FNUZ) { check_format<lp::E5M2FNUZ>("e5m2fnuz"); }
TEST(Lowp, E2M1) { check_format<lp::E2M1>("e2m1"); }
TEST(Lowp, E2M3) { check_format<lp::E2M3>("e2m3"); }
TEST(Lowp, E3M2) { check_format<lp::E3M2>("e3m2"); }

// Hand-checked values and the flavour tables of the Cast spec.
TEST(Lowp, KnownValuesAndSpecials) {
  EXPECT_EQ(lp::to_float<lp::E4M3FN>(0x7e), 448.0f);
  EXPECT_EQ(lp::to_float<lp::E4M3FN>(0x01), std::ldexp(1.0f, -9));
  EXPECT_EQ(lp::to_float<lp::E4M3FN>(0x38), 1.0f);
  EXPECT_EQ(lp::to_float<lp::E4M3FNUZ>(0x7f), 240.0f);
  EXPECT_EQ(lp::to_float<lp::E4M3FNUZ>(0x40), 1.0f);
  EXPECT_EQ(lp::to_float<lp::E5M2>(0x7b), 57344.0f);
  EXPECT_EQ(lp::to_float<lp::E5M2>(0x7c), kInf);
  EXPECT_EQ(lp::to_float<lp::E5M2>(0x01), std::ldexp(1.0f, -16));
  EXPECT_EQ(lp::to_float<lp::E5M2FNUZ>(0x7f), 57344.0f);
  EXPECT_EQ(lp::to_float<lp::E5M2FNUZ>(0x01), std::ldexp(1.0f, -17));
  const float e2m1[8] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
  for (int c = 0; c < 8; ++c) {
    EXPECT_EQ(lp::to_float<lp::E2M1>(static_cast<uint8_t>(c)), e2m1[c]);
    EXPECT_EQ(lp::to_float<lp::E2M1>(static_cast<uint8_t>(c | 8)), -e2m1[c]);
  }
  EXPECT_EQ(lp::to_float<lp::E2M3>(0x1f), 7.5f);
  EXPECT_EQ(lp::to_float<lp::E2M3>(0x01), 0.125f);
  EXPECT_EQ(lp::to_float<lp::E3M2>(0x1f), 28.0f);
  EXPECT_EQ(lp::to_float<lp::E3M2>(0x0c), 1.0f);
  EXPECT_EQ(lp::to_float<lp::E3M2>(0x01), 0.0625f);
  EXPECT_EQ(lp::from_float<lp::E3M2>(-kInf, false), 0x3f);
  EXPECT_EQ(lp::from_float<lp::E2M3>(kNaN), 0x20);
  // -0: kept by FN / IEEE / E2M1, dropped by FNUZ.
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(-0.0f), 0x80);
  EXPECT_EQ(lp::from_float<lp::E5M2>(-0.0f), 0x80);
  EXPECT_EQ(lp::from_float<lp::E2M1>(-0.0f), 0x8);
  EXPECT_EQ(lp::from_float<lp::E4M3FNUZ>(-0.0f), 0x00);
  EXPECT_EQ(lp::from_float<lp::E5M2FNUZ>(-1e-30f), 0x00);
  // inf: saturate -> +-max; else NaN (FN, FNUZ) or inf (E5M2); E2M1 always max.
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(-kInf, true), 0xfe);
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(kInf, false), 0x7f);
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(-kInf, false), 0xff);
  EXPECT_EQ(lp::from_float<lp::E4M3FNUZ>(-kInf, false), 0x80);
  EXPECT_EQ(lp::from_float<lp::E5M2>(-kInf, false), 0xfc);
  EXPECT_EQ(lp::from_float<lp::E5M2>(1e6f, false), 0x7c);
  EXPECT_EQ(lp::from_float<lp::E5M2FNUZ>(1e6f, false), 0x80);
  EXPECT_EQ(lp::from_float<lp::E2M1>(kInf, false), 0x7);
  EXPECT_EQ(lp::from_float<lp::E2M1>(-1e6f, false), 0xf);
  // NaN: the format's NaN (ml_dtypes' codes), E2M1 a signed zero.
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(kNaN), 0x7f);
  EXPECT_EQ(lp::from_float<lp::E5M2>(kNaN), 0x7e);
  EXPECT_EQ(lp::from_float<lp::E5M2FNUZ>(-kNaN), 0x80);
  EXPECT_EQ(lp::from_float<lp::E2M1>(kNaN), 0x8);
  // Ties to even: 0.25 between E2M1's 0 and 0.5; 3.5 between 3 and 4; 5 between 4 and 6.
  EXPECT_EQ(lp::from_float<lp::E2M1>(0.25f), 0x0);
  EXPECT_EQ(lp::from_float<lp::E2M1>(-3.5f), 0xe);
  EXPECT_EQ(lp::from_float<lp::E2M1>(5.0f), 0x6);
  // E4M3FN: 464 ties between 448 and (NaN) 480 -> 448; just above overflows.
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(464.0f, false), 0x7e);
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(464.5f, false), 0x7f);
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(464.5f, true), 0x7e);
  // A double that a float would round onto a tie rounds once, correctly.
  const double just_above_tie = 1.0 + 1.0 / 16 + std::ldexp(1.0, -40);  // E4M3: 1.0 | 1.125
  EXPECT_EQ(lp::from_double<lp::E4M3FN>(just_above_tie), 0x39);
  EXPECT_EQ(lp::from_float<lp::E4M3FN>(static_cast<float>(1.0 + 1.0 / 16)), 0x38);
}

TEST(Lowp, E8M0) {
  for (int c = 0; c < 255; ++c) {
    const float v = lp::e8m0_to_float(static_cast<uint8_t>(c));
    EXPECT_EQ(v, std::ldexp(1.0f, c - 127)) << c;
    // 2^-127 is a float subnormal (exponent field 0, a fraction): the reference's "up" takes it to 1.
    for (auto mode : {lp::E8M0Round::kUp, lp::E8M0Round::kDown, lp::E8M0Round::kNearest})
      EXPECT_EQ(lp::e8m0_from_float(v, true, mode), c == 0 && mode == lp::E8M0Round::kUp ? 1 : c) << c;
  }
  EXPECT_TRUE(std::isnan(lp::e8m0_to_float(0xff)));
  EXPECT_EQ(lp::e8m0_from_float(kNaN), 0xff);
  EXPECT_EQ(lp::e8m0_from_float(kInf, true), 0xff);  // the reference keeps inf as NaN
  // The reference's cases (test_cast_e8m0_*): 0 -> 2^-127, 0.124 -> 0.125, 1.1 -> 2 (up).
  EXPECT_EQ(lp::e8m0_from_float(0.0f), 0);
  EXPECT_EQ(lp::e8m0_from_float(0.124f), 124);
  EXPECT_EQ(lp::e8m0_from_float(1.1f), 128);
  EXPECT_EQ(lp::e8m0_from_float(1.1f, true, lp::E8M0Round::kDown), 127);
  EXPECT_EQ(lp::e8m0_from_float(1.1f, true, lp::E8M0Round::kNearest), 127);
  EXPECT_EQ(lp::e8m0_from_float(1.5f, true, lp::E8M0Round::kNearest), 128);  // ties up
  EXPECT_EQ(lp::e8m0_from_float(1.49f, true, lp::E8M0Round::kNearest), 127);
  EXPECT_EQ(lp::e8m0_from_float(-4.0f), 129);  // the sign is ignored
  // Past the largest power: saturate stops at 2^127 (0xfe), else NaN.
  const float big = std::ldexp(1.5f, 127);
  EXPECT_EQ(lp::e8m0_from_float(big, true), 0xfe);
  EXPECT_EQ(lp::e8m0_from_float(big, false), 0xff);
  EXPECT_EQ(lp::e8m0_from_float(big, false, lp::E8M0Round::kDown), 0xfe);
  // Float subnormals: exponent field 0; up gives 2^-126, nearest rounds half down.
  const float sub = std::ldexp(1.0f, -130);
  EXPECT_EQ(lp::e8m0_from_float(sub), 1);
  EXPECT_EQ(lp::e8m0_from_float(sub, true, lp::E8M0Round::kNearest), 0);
}

TEST(Lowp, SmallInts) {
  for (int v = -40; v <= 40; ++v) {
    const int i4 = ((v % 16) + 16 + 8) % 16 - 8, u4 = ((v % 16) + 16) % 16;
    const int i2 = ((v % 4) + 4 + 2) % 4 - 2, u2 = ((v % 4) + 4) % 4;
    EXPECT_EQ(static_cast<int8_t>(lp::wrap<lp::Int4>(v)), i4) << v;
    EXPECT_EQ(lp::wrap<lp::UInt4>(v), u4) << v;
    EXPECT_EQ(static_cast<int8_t>(lp::wrap<lp::Int2>(v)), i2) << v;
    EXPECT_EQ(lp::wrap<lp::UInt2>(v), u2) << v;
    EXPECT_EQ(static_cast<int8_t>(lp::saturate<lp::Int4>(v)), std::clamp(v, -8, 7));
    EXPECT_EQ(lp::saturate<lp::UInt2>(v), std::clamp(v, 0, 3));
  }
  // Every stored byte reads back as its value; stray high bits are ignored.
  for (int c = 0; c < 256; ++c) {
    EXPECT_EQ(lp::value<lp::Int4>(static_cast<uint8_t>(c)), static_cast<int8_t>(c << 4) >> 4);
    EXPECT_EQ(lp::value<lp::UInt2>(static_cast<uint8_t>(c)), c & 3);
  }
  EXPECT_EQ(static_cast<int8_t>(lp::round_saturate<lp::Int4>(2.5f)), 2);  // ties to even
  EXPECT_EQ(static_cast<int8_t>(lp::round_saturate<lp::Int4>(-7.5f)), -8);
  EXPECT_EQ(static_cast<int8_t>(lp::round_saturate<lp::Int4>(100.f)), 7);
  EXPECT_EQ(lp::round_saturate<lp::UInt4>(-3.f), 0);
  EXPECT_EQ(lp::round_saturate<lp::UInt4>(kNaN), 0);
  EXPECT_EQ(static_cast<int8_t>(lp::round_saturate<lp::Int2>(-kInf)), -2);
}

}  // namespace
}  // namespace ortl::mathtest
