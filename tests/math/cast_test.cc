// float16 / bfloat16 conversions (exhaustive over the 16-bit patterns, nearest-even checked
// against neighbours) and Cast between types.
#include <cmath>
#include <cstring>
#include <random>

#include "harness.h"
#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/half.h"

namespace ortl::mathtest {
namespace {

using kernels::BFloat16;
using kernels::Bool;
using kernels::Half;

TEST(Half, RoundTripsEveryPattern) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = kernels::half_bits_to_float(static_cast<uint16_t>(h));
    const uint16_t back = kernels::float_to_half_bits(f);
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(kernels::half_bits_to_float(back)));
    } else {
      EXPECT_EQ(back, h) << std::hex << h;
      EXPECT_EQ(kernels::double_to_half_bits(f), h);
    }
    const float b = kernels::bf16_bits_to_float(static_cast<uint16_t>(h));
    if (!std::isnan(b)) {
      EXPECT_EQ(kernels::float_to_bf16_bits(b), h);
      EXPECT_EQ(kernels::double_to_bf16_bits(b), h);
    }
  }
}

// The chosen half is the nearest one, ties to the even pattern.
TEST(Half, RoundsToNearestEven) {
  std::mt19937 rng(31);
  for (int i = 0; i < 200000; ++i) {
    uint32_t bits = rng();
    // Concentrate on the half range (exponents 100..145) with some outside.
    if (i % 4) bits = (bits & 0x807fffffu) | ((100u + rng() % 46) << 23);
    float x;
    std::memcpy(&x, &bits, 4);
    if (std::isnan(x)) continue;
    const uint16_t h = kernels::float_to_half_bits(x);
    const double got = kernels::half_bits_to_float(h);
    if (std::isinf(got)) {
      EXPECT_GE(std::fabs(x), 65520.0f) << x;  // overflow threshold: max + half an ulp
      continue;
    }
    for (int d : {-1, 1}) {
      const uint16_t nb = static_cast<uint16_t>(h + d);
      const double other = kernels::half_bits_to_float(nb);
      if (std::isnan(other) || ((nb ^ h) & 0x8000)) continue;
      const double eg = std::fabs(got - x), eo = std::fabs(other - x);
      EXPECT_TRUE(eg < eo || (eg == eo && (h & 1) == 0)) << x << " -> " << got << " vs " << other;
    }
  }
  EXPECT_EQ(kernels::float_to_half_bits(65519.0f), 0x7bff);  // just below the overflow tie
  EXPECT_EQ(kernels::float_to_half_bits(65520.0f), 0x7c00);
  EXPECT_EQ(kernels::float_to_half_bits(-0.0f), 0x8000);
  EXPECT_EQ(kernels::float_to_half_bits(2.98023224e-08f), 0x0000);  // exactly half the min subnormal: even
  EXPECT_EQ(kernels::float_to_half_bits(2.99e-08f), 0x0001);
}

// The branch-free float -> half against the exact generic rounding, over a dense sample of
// floats (every 61st pattern: all exponents, many mantissas, both signs).
TEST(Half, FastMatchesExactRounding) {
  for (uint64_t b = 0; b <= 0xffffffffu; b += 61) {
    const float x = kernels::f32_from_bits(static_cast<uint32_t>(b));
    const uint16_t fast = kernels::float_to_half_bits(x);
    if (std::isnan(x)) {
      ASSERT_EQ(fast & 0x7e00, 0x7e00);
      continue;
    }
    ASSERT_EQ(fast, kernels::double_to_half_bits(x)) << std::hexfloat << x;
  }
}

// The bulk conversions (F16C on AVX2 hosts) agree with the scalar ones, NaN payloads aside.
TEST(Half, BulkMatchesScalar) {
  std::vector<uint16_t> h(0x10000);
  for (uint32_t i = 0; i < 0x10000; ++i) h[i] = static_cast<uint16_t>(i);
  std::vector<float> f(h.size());
  kernels::half_to_float(h.data(), f.data(), static_cast<int64_t>(h.size()));
  for (uint32_t i = 0; i < 0x10000; ++i) {
    const float want = kernels::half_bits_to_float(h[i]);
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(f[i]));
    } else {
      ASSERT_EQ(kernels::f32_bits(f[i]), kernels::f32_bits(want)) << std::hex << i;
    }
  }
  std::mt19937 rng(7);
  std::vector<float> x(100003);
  for (auto& v : x) v = kernels::f32_from_bits(static_cast<uint32_t>(rng()));
  std::vector<uint16_t> got(x.size());
  kernels::float_to_half(x.data(), got.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i])) {
      ASSERT_EQ(got[i] & 0x7e00, 0x7e00);
    } else {
      ASSERT_EQ(got[i], kernels::float_to_half_bits(x[i])) << std::hexfloat << x[i];
    }
  }
}

TEST(Half, DoubleRoundsOnce) {
  // 1 + 2^-11 + 2^-40: float rounding first would give the tie 1 + 2^-11 and then round to even
  // (1.0); a single rounding goes up.
  const double x = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  EXPECT_EQ(kernels::double_to_half_bits(x), 0x3c01);
}

template <class S, class D>
std::vector<D> cast_vec(const std::vector<S>& src) {
  std::vector<D> dst(src.size());
  ChunkedParallel par;
  kernels::cast<S, D>(src.data(), dst.data(), static_cast<int64_t>(src.size()), par);
  return dst;
}

TEST(CastKernel, FloatToIntTruncatesAndSaturates) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const auto i32 = cast_vec<float, int32_t>({1.9f, -1.9f, nan, inf, -inf, 3e9f});
  EXPECT_EQ(i32[0], 1);
  EXPECT_EQ(i32[1], -1);
  EXPECT_EQ(i32[2], 0);
  const auto i64 = cast_vec<float, int64_t>({inf, -inf, 1e30f});
  EXPECT_EQ(i64[0], INT64_MAX);
  EXPECT_EQ(i64[1], INT64_MIN);
  EXPECT_EQ(i64[2], INT64_MAX);
  const auto u8 = cast_vec<double, uint8_t>({255.5, 256.0, -1.0});
  EXPECT_EQ(u8[0], 255);
  EXPECT_EQ(u8[1], 0);  // wraps like int -> uint8
  EXPECT_EQ(u8[2], 255);
  const auto u64 = cast_vec<double, uint64_t>({1.8446744073709552e19, 1e19});
  EXPECT_EQ(u64[0], UINT64_MAX);
  EXPECT_EQ(u64[1], 10000000000000000000ull);
}

TEST(CastKernel, BoolAndHalf) {
  const auto b = cast_vec<float, Bool>({0.0f, -0.0f, 2.0f, std::nanf("")});
  EXPECT_EQ(b[0].v, 0);
  EXPECT_EQ(b[1].v, 0);
  EXPECT_EQ(b[2].v, 1);
  EXPECT_EQ(b[3].v, 1);
  const auto f = cast_vec<Bool, float>({Bool{0}, Bool{1}, Bool{7}});
  EXPECT_EQ(f, (std::vector<float>{0, 1, 1}));
  const auto h = cast_vec<int32_t, Half>({1, 2048, 65504, 100000});
  EXPECT_EQ(h[0].bits, 0x3c00);
  EXPECT_EQ(h[2].bits, 0x7bff);
  EXPECT_EQ(h[3].bits, 0x7c00);
  const auto bf = cast_vec<Half, BFloat16>({Half{0x3c00}, Half{0xfc00}});
  EXPECT_EQ(bf[0].bits, 0x3f80);
  EXPECT_EQ(bf[1].bits, 0xff80);
  const auto i8 = cast_vec<BFloat16, int8_t>({BFloat16{0x4040}, BFloat16{0xc0a0}});  // 3, -5
  EXPECT_EQ(i8, (std::vector<int8_t>{3, -5}));
  const auto wrap = cast_vec<int64_t, int8_t>({300, -129});
  EXPECT_EQ(wrap, (std::vector<int8_t>{44, 127}));
}

TEST(CastOp, StringsAndCastLike) {
  const Tensor f = make_tensor<float>(DType::kFloat, {5}, {1.0f, 0.1f, -2.5f, std::nanf(""), 1e-5f});
  auto out = run_op("Cast", 19, {f}, {{"to", attr_i(static_cast<int>(DType::kString))}});
  ASSERT_EQ(out[0].dtype(), DType::kString);
  const auto* s = out[0].data_as<std::string>();
  EXPECT_EQ(s[0], "1.0");
  EXPECT_EQ(s[1], "0.1");
  EXPECT_EQ(s[2], "-2.5");
  EXPECT_EQ(s[3], "nan");
  EXPECT_EQ(s[4], "1e-05");
  auto back = run_op("Cast", 19, {out[0]}, {{"to", attr_i(static_cast<int>(DType::kFloat))}});
  EXPECT_EQ(back[0].data_as<float>()[1], 0.1f);
  EXPECT_TRUE(std::isnan(back[0].data_as<float>()[3]));
  auto ints = run_op("Cast", 13, {out[0]}, {{"to", attr_i(static_cast<int>(DType::kInt64))}});
  EXPECT_EQ(ints[0].data_as<int64_t>()[2], -2);
  // CastLike takes the target type from input 1.
  const Tensor like = make_tensor<uint16_t>(DType::kFloat16, {1}, {0});
  auto h = run_op("CastLike", 15, {f, like});
  ASSERT_EQ(h[0].dtype(), DType::kFloat16);
  EXPECT_EQ(h[0].data_as<uint16_t>()[0], 0x3c00);
  // Opset 1-5 names the type with a string.
  auto legacy = run_op("Cast", 1, {f}, {{"to", attr_s("INT32")}});
  EXPECT_EQ(legacy[0].dtype(), DType::kInt32);
  EXPECT_EQ(legacy[0].data_as<int32_t>()[2], -2);
  // Unsupported target types (complex64 = 14) are reported, not crashed on.
  try {
    run_op("Cast", 19, {f}, {{"to", attr_i(14)}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotImplemented);
  }
}

}  // namespace
}  // namespace ortl::mathtest
