// Unary kernels against the double-precision reference on random values and edge values (NaN,
// +-inf, +-0, subnormals, huge), and the fast exp/tanh/erf against libm over their whole range.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>

#include "harness.h"
#include "kernels/base/isa.h"
#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/fast_math.h"

namespace ortl::mathtest {
namespace {

using kernels::UnaryOp;

struct OpCase {
  UnaryOp op;
  const char* name;
  float lo, hi;  // random domain
  kernels::UnaryParams prm;
  double abs_tol;     // absolute slack for ops with cancellation near 0 (exp(x) - 1 and friends)
  double ulps = 10;   // libm ~1 ulp, fast exp/tanh/erf <= 8 (fast_math.h), a little more composed
  bool tail = false;  // error grows like x^2: exp(-x^2)-shaped tails (the Gelus)
};

const OpCase kFloatOps[] = {
    {UnaryOp::kAbs, "Abs", -10, 10, {}, 0},
    {UnaryOp::kNeg, "Neg", -10, 10, {}, 0},
    {UnaryOp::kSign, "Sign", -10, 10, {}, 0},
    {UnaryOp::kRelu, "Relu", -10, 10, {}, 0},
    {UnaryOp::kExp, "Exp", -90, 90, {}, 0},
    {UnaryOp::kLog, "Log", 0, 100, {}, 0},
    {UnaryOp::kSqrt, "Sqrt", 0, 100, {}, 0},
    {UnaryOp::kReciprocal, "Reciprocal", -10, 10, {}, 0},
    {UnaryOp::kFloor, "Floor", -10, 10, {}, 0},
    {UnaryOp::kCeil, "Ceil", -10, 10, {}, 0},
    {UnaryOp::kRound, "Round", -10, 10, {}, 0},
    {UnaryOp::kSin, "Sin", -10, 10, {}, 1e-7},
    {UnaryOp::kCos, "Cos", -10, 10, {}, 1e-7},
    {UnaryOp::kTan, "Tan", -1.5f, 1.5f, {}, 1e-7},
    {UnaryOp::kAsin, "Asin", -1, 1, {}, 0},
    {UnaryOp::kAcos, "Acos", -1, 1, {}, 0},
    {UnaryOp::kAtan, "Atan", -10, 10, {}, 0},
    {UnaryOp::kSinh, "Sinh", -10, 10, {}, 0},
    {UnaryOp::kCosh, "Cosh", -10, 10, {}, 0},
    {UnaryOp::kAsinh, "Asinh", -10, 10, {}, 0},
    {UnaryOp::kAcosh, "Acosh", 1, 10, {}, 0},
    {UnaryOp::kAtanh, "Atanh", -1, 1, {}, 0},
    {UnaryOp::kErf, "Erf", -5, 5, {}, 1e-7},
    {UnaryOp::kSigmoid, "Sigmoid", -30, 30, {}, 0},
    {UnaryOp::kTanh, "Tanh", -10, 10, {}, 1e-7},
    {UnaryOp::kLeakyRelu, "LeakyRelu", -10, 10, {0.1f, 0, 0}, 0},
    {UnaryOp::kElu, "Elu", -10, 10, {0.7f, 0, 0}, 1e-7},
    {UnaryOp::kSelu, "Selu", -10, 10, {1.6732632f, 0, 1.0507009f}, 2e-7},
    {UnaryOp::kCelu, "Celu", -10, 10, {1.5f, 0, 0}, 2e-7},
    {UnaryOp::kThresholdedRelu, "ThresholdedRelu", -3, 3, {1.0f, 0, 0}, 0},
    {UnaryOp::kHardSigmoid, "HardSigmoid", -5, 5, {0.2f, 0.5f, 0}, 1e-7},
    {UnaryOp::kHardSwish, "HardSwish", -5, 5, {}, 1e-7},
    {UnaryOp::kSoftplus, "Softplus", -20, 20, {}, 1e-7},
    {UnaryOp::kSoftsign, "Softsign", -10, 10, {}, 0},
    // Gelu's tail: rounding z = x / sqrt 2 (and z^2 inside exp) costs ~2 z^2 ulp relative, in any
    // precision; at x = -8 that is ~64 ulp of a 1e-15 value.
    {UnaryOp::kGelu, "Gelu", -8, 6, {}, 0, 16, true},
    {UnaryOp::kGeluTanh, "GeluTanh", -8, 6, {}, 0, 16, true},
    {UnaryOp::kMish, "Mish", -20, 30, {}, 1e-7},
    {UnaryOp::kSwish, "Swish", -20, 20, {1.0f, 0, 0}, 1e-7},
    {UnaryOp::kShrink, "Shrink", -3, 3, {0.5f, 0.25f, 0}, 0},
};

template <class T>
double ulp_of(T v) {
  const T a = std::fabs(v);
  if (!std::isfinite(a)) return 0;
  return std::max<double>(std::nextafter(a, std::numeric_limits<T>::infinity()) - a,
                          std::numeric_limits<T>::denorm_min());
}

// got is within `ulps` ulp (+ abs_tol) of want; NaN matches NaN, inf matches inf.
template <class T>
::testing::AssertionResult close(T got, T want, double ulps, double abs_tol) {
  if (std::isnan(want) && std::isnan(got)) return ::testing::AssertionSuccess();
  if (std::isinf(want) || std::isinf(got)) {
    if (got == want) return ::testing::AssertionSuccess();
  } else if (std::fabs(want) < std::numeric_limits<T>::min() && std::fabs(got) <= 2 * std::numeric_limits<T>::min()) {
    return ::testing::AssertionSuccess();  // subnormal results: flushing to 0 is fine
  } else if (std::fabs(static_cast<double>(got) - want) <= ulps * ulp_of(want) + abs_tol) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "got " << got << " want " << want;
}

template <class T>
std::vector<T> edge_values() {
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  return {T(0),     T(-0.0), T(1),     T(-1),     T(0.5),
          T(-0.5),  T(1.5),  T(2.5),   T(-2.5),   inf,
          -inf,     nan,     T(1e-30), T(-1e-30), std::numeric_limits<T>::denorm_min(),
          T(88),    T(-88),  T(100),   T(-100),   T(1e30),
          T(-1e30), T(1e-4), T(-1e-4)};
}

// Runs the op through `impl` for float (each ISA variant), through unary<double> otherwise.
template <class T>
void run_unary(const kernels::UnaryF32Impl* impl, UnaryOp op, const kernels::UnaryParams& prm, const T* x, T* y,
               int64_t n, kernels::Parallel& par) {
  if constexpr (std::is_same_v<T, float>) {
    kernels::unary_f32(*impl, op, prm, x, y, n, par);
  } else {
    kernels::unary<T>(op, prm, x, y, n, par);
  }
}

template <class T>
void check_float_ops(uint32_t seed, const kernels::UnaryF32Impl* impl = nullptr) {
  std::mt19937 rng(seed);
  ChunkedParallel par(3);
  for (const OpCase& c : kFloatOps) {
    std::uniform_real_distribution<double> dist(c.lo, c.hi);
    std::vector<T> x;
    for (int i = 0; i < 997; ++i) x.push_back(static_cast<T>(dist(rng)));
    for (T e : edge_values<T>()) x.push_back(e);
    std::vector<T> got(x.size()), want(x.size());
    run_unary<T>(impl, c.op, c.prm, x.data(), got.data(), static_cast<int64_t>(x.size()), par);
    kernels::unary_ref<T>(c.op, c.prm, x.data(), want.data(), static_cast<int64_t>(x.size()));
    for (size_t i = 0; i < x.size(); ++i)
      ASSERT_TRUE(close(got[i], want[i], c.ulps * (c.tail ? 1 + double(x[i]) * x[i] : 1.0), c.abs_tol))
          << c.name << "(" << x[i] << ") seed " << seed;
    // In place.
    std::vector<T> inplace = x;
    run_unary<T>(impl, c.op, c.prm, inplace.data(), inplace.data(), static_cast<int64_t>(x.size()), par);
    ASSERT_EQ(0, std::memcmp(inplace.data(), got.data(), x.size() * sizeof(T))) << c.name << " in place";
  }
}

// Every float implementation in kernels.inc that the host can run.
TEST(UnaryKernel, FloatMatchesReference) {
  const uint32_t masks[] = {0, kernels::kIsaAvx2, kernels::kIsaAvx2 | kernels::kIsaAvx512};
  for (uint32_t mask : masks) {
    if ((kernels::host_isa() & mask) != mask) {
      std::printf("skipping ISA mask %u: host lacks it\n", mask);
      continue;
    }
    const kernels::UnaryF32Impl& impl = kernels::select_unary_f32(mask);
    SCOPED_TRACE(impl.name);
    check_float_ops<float>(11, &impl);
  }
  EXPECT_STREQ(kernels::select_unary_f32(0).name, "unary_f32_generic");
}
TEST(UnaryKernel, DoubleMatchesReference) { check_float_ops<double>(12); }

TEST(UnaryKernel, EdgeValuesExact) {
  ChunkedParallel par;
  const float inf = std::numeric_limits<float>::infinity();
  auto one = [&](UnaryOp op, float x, kernels::UnaryParams prm = {}) {
    float y;
    kernels::unary<float>(op, prm, &x, &y, 1, par);
    return y;
  };
  EXPECT_TRUE(std::signbit(one(UnaryOp::kNeg, 0.0f)));
  EXPECT_TRUE(std::signbit(one(UnaryOp::kAbs, -0.0f)) == false);
  EXPECT_EQ(one(UnaryOp::kRound, 2.5f), 2.0f);  // half to even
  EXPECT_EQ(one(UnaryOp::kRound, -2.5f), -2.0f);
  EXPECT_EQ(one(UnaryOp::kRound, 3.5f), 4.0f);
  EXPECT_EQ(one(UnaryOp::kExp, -inf), 0.0f);
  EXPECT_EQ(one(UnaryOp::kExp, inf), inf);
  EXPECT_EQ(one(UnaryOp::kSigmoid, -inf), 0.0f);
  EXPECT_EQ(one(UnaryOp::kSigmoid, inf), 1.0f);
  EXPECT_EQ(one(UnaryOp::kTanh, inf), 1.0f);
  EXPECT_EQ(one(UnaryOp::kTanh, -inf), -1.0f);
  EXPECT_TRUE(std::signbit(one(UnaryOp::kTanh, -0.0f)));
  EXPECT_EQ(one(UnaryOp::kErf, -inf), -1.0f);
  EXPECT_EQ(one(UnaryOp::kLog, 0.0f), -inf);
  EXPECT_TRUE(std::isnan(one(UnaryOp::kLog, -1.0f)));
  EXPECT_EQ(one(UnaryOp::kReciprocal, -0.0f), -inf);
  EXPECT_TRUE(std::isnan(one(UnaryOp::kRelu, std::nanf(""))));
  EXPECT_TRUE(std::isnan(one(UnaryOp::kSign, std::nanf(""))));
  EXPECT_EQ(one(UnaryOp::kMish, inf), inf);
  EXPECT_EQ(one(UnaryOp::kSoftplus, 100.0f), 100.0f);
}

template <class T>
void check_int_ops(uint32_t seed) {
  std::mt19937 rng(seed);
  ChunkedParallel par;
  const UnaryOp ops[] = {UnaryOp::kAbs,    UnaryOp::kNeg, UnaryOp::kSign,  UnaryOp::kRelu,
                         UnaryOp::kBitNot, UnaryOp::kNot, UnaryOp::kShrink};
  std::vector<T> x = {0, 1, std::numeric_limits<T>::max(), std::numeric_limits<T>::min()};
  for (int i = 0; i < 61; ++i) x.push_back(static_cast<T>(static_cast<int>(rng() % 21) - 10));
  for (UnaryOp op : ops) {
    const kernels::UnaryParams prm{1.5f, 1.0f, 0};
    std::vector<T> got(x.size()), want(x.size());
    kernels::unary<T>(op, prm, x.data(), got.data(), static_cast<int64_t>(x.size()), par);
    kernels::unary_ref<T>(op, prm, x.data(), want.data(), static_cast<int64_t>(x.size()));
    // Shrink goes through double, where 64-bit min/max are not exact: skip those.
    const size_t start = op == UnaryOp::kShrink ? 4 : 0;
    for (size_t i = start; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << static_cast<int>(op) << " x=" << +x[i];
  }
}

TEST(UnaryKernel, IntegersMatchReference) {
  check_int_ops<int8_t>(21);
  check_int_ops<int32_t>(22);
  check_int_ops<int64_t>(23);
  check_int_ops<uint8_t>(24);
}

TEST(UnaryKernel, ClipIsNanIsInf) {
  ChunkedParallel par;
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const std::vector<float> x = {-2, -1, 0, 1, 2, nan, inf, -inf};
  std::vector<float> y(x.size());
  kernels::clip<float>(x.data(), y.data(), 8, -1.0f, 1.0f, par);
  EXPECT_EQ(y[0], -1.0f);
  EXPECT_EQ(y[4], 1.0f);
  EXPECT_TRUE(std::isnan(y[5]));
  EXPECT_EQ(y[6], 1.0f);
  kernels::clip<float>(x.data(), y.data(), 8, 1.0f, -1.0f, par);  // lo > hi: hi wins (numpy)
  EXPECT_EQ(y[0], -1.0f);
  EXPECT_EQ(y[4], -1.0f);
  std::vector<uint8_t> m(8);
  kernels::is_nan(x.data(), m.data(), 8);
  EXPECT_EQ(m, (std::vector<uint8_t>{0, 0, 0, 0, 0, 1, 0, 0}));
  kernels::is_inf(x.data(), m.data(), 8, true, false);
  EXPECT_EQ(m, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 1, 0}));
  kernels::is_inf(x.data(), m.data(), 8, false, true);
  EXPECT_EQ(m, (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 1}));
  kernels::is_inf(x.data(), m.data(), 8, false, false);
  EXPECT_EQ(m, (std::vector<uint8_t>(8, 0)));
}

// Sweeps every 97th float bit pattern in [lo, hi] and returns the largest error in ulp of the
// correctly rounded result (from double libm), ignoring results whose magnitude is below `floor`.
template <class F, class R>
double max_ulp_error(F fast, R ref, float lo, float hi, double floor) {
  double worst = 0;
  for (float x = lo; x < hi;) {
    const double want = ref(static_cast<double>(x));
    const float wf = static_cast<float>(want);
    const float got = fast(x);
    if (std::fabs(want) >= floor && std::isfinite(wf)) worst = std::max(worst, std::fabs(got - want) / ulp_of(wf));
    uint32_t b;
    std::memcpy(&b, &x, 4);
    b = x < 0 ? (b >= 0x80000000u + 97 ? b - 97 : 0) : b + 97;
    std::memcpy(&x, &b, 4);
  }
  return worst;
}

TEST(FastMath, ExpWithin2Ulp) {
  const double e = max_ulp_error(
      kernels::fastmath::exp_f32, [](double x) { return std::exp(x); }, -87.0f, 88.7f, 0);
  EXPECT_LE(e, 2.0);
  EXPECT_EQ(kernels::fastmath::exp_f32(-104.0f), 0.0f);
  EXPECT_GT(kernels::fastmath::exp_f32(-100.0f), 0.0f);  // subnormal, not flushed
  EXPECT_NEAR(kernels::fastmath::exp_f32(-100.0f), std::exp(-100.0), 2e-45);
}

TEST(FastMath, ErfcRelativeInTails) {
  for (float x = -4; x < 9; x += 0.001f) {
    const double want = std::erfc(static_cast<double>(x));
    const double rel = std::fabs(kernels::fastmath::erfc_f32(x) - want) / want;
    ASSERT_LE(rel, 1.2e-7 * (4 + x * x)) << x;
  }
}

TEST(FastMath, TanhAndErfAccurate) {
  const double t = max_ulp_error(
      kernels::fastmath::tanh_f32, [](double x) { return std::tanh(x); }, -10, 10, 1e-3);
  EXPECT_LE(t, 8.0);
  const double e = max_ulp_error(
      kernels::fastmath::erf_f32, [](double x) { return std::erf(x); }, -5, 5, 1e-3);
  EXPECT_LE(e, 8.0);
  // Tiny arguments: relative accuracy, not just absolute.
  for (float x : {1e-5f, -3e-4f, 5e-4f, 1e-3f}) {
    EXPECT_NEAR(kernels::fastmath::tanh_f32(x), std::tanh(static_cast<double>(x)), 4 * ulp_of(x)) << x;
    EXPECT_NEAR(kernels::fastmath::erf_f32(x), std::erf(static_cast<double>(x)), 4 * ulp_of(x)) << x;
  }
}

}  // namespace
}  // namespace ortl::mathtest
