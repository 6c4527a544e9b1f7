// Quant kernels: the int16-packed GEMM and im2col convolution against their spec-literal twins
// (exact int32 equality) on odd shapes, every int8 / uint8 mix, per-row / per-column /
// per-channel zero points, threaded; wrap-around accumulation; and the quantize / dequantize /
// requantize loops on hand-checked values (ties to even, saturation, blocked layouts).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/quant/qconv.h"
#include "kernels/quant/qgemm.h"
#include "kernels/quant/quantize.h"
#include "tests/linalg/test_parallel.h"

namespace ortl::testing {
namespace {

template <class T>
std::vector<T> random_vec(int64_t n, std::mt19937& rng) {
  std::uniform_int_distribution<int> d(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  std::vector<T> v(static_cast<size_t>(n));
  for (auto& x : v) x = static_cast<T>(d(rng));
  return v;
}

// Zero points drawn from T's range, widened to int32 as the ops pass them.
template <class T>
std::vector<int32_t> random_zp(int64_t n, std::mt19937& rng) {
  const std::vector<T> z = random_vec<T>(n, rng);
  return std::vector<int32_t>(z.begin(), z.end());
}

template <class TA, class TB>
void check_qgemm(int64_t m, int64_t n, int64_t k, bool per_row, bool per_col, uint32_t seed) {
  std::mt19937 rng(seed);
  const int64_t lda = k + 3, ldb = n + 2, ldc = n + 1;  // padded rows: strides must be honoured
  const std::vector<TA> a = random_vec<TA>(m * lda, rng);
  const std::vector<TB> b = random_vec<TB>(k * ldb, rng);
  const std::vector<int32_t> azp = random_zp<TA>(per_row ? m : 1, rng), bzp = random_zp<TB>(per_col ? n : 1, rng);
  kernels::QGemmArgs<TA, TB> g;
  g.m = m, g.n = n, g.k = k, g.a = a.data(), g.lda = lda, g.b = b.data(), g.ldb = ldb, g.ldc = ldc;
  g.a_zp = azp.data(), g.a_zp_stride = per_row ? 1 : 0;
  g.b_zp = bzp.data(), g.b_zp_stride = per_col ? 1 : 0;
  std::vector<int32_t> want(static_cast<size_t>(m * ldc), -7), got(want);
  g.c = want.data();
  kernels::qgemm_ref(g);
  g.c = got.data();
  ThreadedParallel par(3);
  kernels::qgemm_s32(g, par);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      ASSERT_EQ(got[i * ldc + j], want[i * ldc + j]) << "m " << m << " n " << n << " k " << k << " seed " << seed;
    }
    for (int64_t j = n; j < ldc; ++j) ASSERT_EQ(got[i * ldc + j], -7) << "wrote past the row";
  }
}

TEST(QGemm, MatchesReference) {
  const int64_t dims[][3] = {{1, 1, 1},    {7, 5, 3}, {13, 17, 29}, {3, 600, 11},
                             {31, 2, 257}, {0, 4, 4}, {4, 0, 4},    {5, 6, 0}};
  uint32_t seed = 1;
  for (const auto& d : dims) {
    for (int zp_mode = 0; zp_mode < 2; ++zp_mode) {
      check_qgemm<uint8_t, uint8_t>(d[0], d[1], d[2], zp_mode, !zp_mode, seed++);
      check_qgemm<uint8_t, int8_t>(d[0], d[1], d[2], zp_mode, zp_mode, seed++);
      check_qgemm<int8_t, uint8_t>(d[0], d[1], d[2], !zp_mode, zp_mode, seed++);
      check_qgemm<int8_t, int8_t>(d[0], d[1], d[2], !zp_mode, !zp_mode, seed++);
    }
  }
}

TEST(QGemm, NullZeroPointsAndHandValues) {
  // [[1, 2], [3, 4]] - 1 times [[5], [6]] - 2: [0*3 + 1*4, 2*3 + 3*4] = [4, 18].
  const uint8_t a[] = {1, 2, 3, 4}, b[] = {5, 6};
  const int32_t azp = 1, bzp = 2;
  int32_t c[2];
  kernels::QGemmArgs<uint8_t, uint8_t> g;
  g.m = 2, g.n = 1, g.k = 2, g.a = a, g.lda = 2, g.b = b, g.ldb = 1, g.c = c, g.ldc = 1;
  g.a_zp = &azp, g.b_zp = &bzp;
  kernels::qgemm_s32(g);
  EXPECT_EQ(c[0], 4);
  EXPECT_EQ(c[1], 18);
  g.a_zp = g.b_zp = nullptr;  // [1*5 + 2*6, 3*5 + 4*6]
  kernels::qgemm_s32(g);
  EXPECT_EQ(c[0], 17);
  EXPECT_EQ(c[1], 39);
}

TEST(QGemm, AccumulationWrapsIn32Bits) {
  // 40000 products of (-128) * (-128) = 16384: 655,360,000 fits; of 255 * 255 with zp 0 over
  // 40000 terms = 2,601,000,000 wraps to 2,601,000,000 - 2^32.
  const int64_t k = 40000;
  std::vector<uint8_t> a(k, 255), b(k, 255);
  int32_t c = 0;
  kernels::QGemmArgs<uint8_t, uint8_t> g;
  g.m = 1, g.n = 1, g.k = k, g.a = a.data(), g.lda = k, g.b = b.data(), g.ldb = 1, g.c = &c, g.ldc = 1;
  kernels::qgemm_s32(g);
  EXPECT_EQ(c, static_cast<int32_t>(int64_t{2601000000} - (int64_t{1} << 32)));
  int32_t want = 0;
  g.c = &want;
  kernels::qgemm_ref(g);
  EXPECT_EQ(c, want);
}

struct ConvCase {
  int64_t batch, c_in, c_out, group;
  std::vector<int64_t> in, kernel, strides, dilations, pads_begin, pads_end;
};

template <class TX, class TW>
void check_conv(const ConvCase& c, bool per_channel, uint32_t seed) {
  kernels::ConvParams p;
  p.batch = c.batch, p.c_in = c.c_in, p.c_out = c.c_out, p.group = c.group;
  p.in = c.in, p.kernel = c.kernel, p.strides = c.strides, p.dilations = c.dilations, p.pads_begin = c.pads_begin;
  int64_t in_size = 1, out_size = 1, k_size = 1;
  for (size_t d = 0; d < c.in.size(); ++d) {
    const int64_t dk = (c.kernel[d] - 1) * c.dilations[d] + 1;
    p.out.push_back((c.in[d] + c.pads_begin[d] + c.pads_end[d] - dk) / c.strides[d] + 1);
    in_size *= c.in[d], out_size *= p.out[d], k_size *= c.kernel[d];
  }
  std::mt19937 rng(seed);
  const std::vector<TX> x = random_vec<TX>(c.batch * c.c_in * in_size, rng);
  const std::vector<TW> w = random_vec<TW>(c.c_out * (c.c_in / c.group) * k_size, rng);
  const int32_t xz = random_zp<TX>(1, rng)[0];
  const std::vector<int32_t> wz = random_zp<TW>(per_channel ? c.c_out : 1, rng);
  std::vector<int32_t> want(static_cast<size_t>(c.batch * c.c_out * out_size)), got(want.size(), -1);
  kernels::conv_integer_ref(p, x.data(), xz, w.data(), wz.data(), per_channel ? 1 : 0, want.data());
  ThreadedParallel par(2);
  kernels::conv_integer_s32(p, x.data(), xz, w.data(), wz.data(), per_channel ? 1 : 0, got.data(), par);
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got[i], want[i]) << "at " << i << ", seed " << seed;
}

TEST(QConv, MatchesReference) {
  const std::vector<ConvCase> cases = {
      {1, 1, 1, 1, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, {1, 1}},
      {2, 3, 5, 1, {7, 9}, {3, 3}, {1, 2}, {1, 1}, {1, 0}, {2, 1}},
      {1, 6, 9, 3, {11, 5}, {3, 2}, {2, 1}, {2, 1}, {2, 1}, {0, 1}},
      {3, 7, 7, 7, {13}, {5}, {3}, {1}, {2}, {2}},                                     // depthwise, 1-D
      {1, 4, 6, 2, {5, 6, 7}, {2, 3, 3}, {1, 2, 1}, {1, 1, 2}, {1, 1, 0}, {0, 1, 2}},  // 3-D
      {1, 2, 3, 1, {300}, {1}, {1}, {1}, {0}, {0}},                                    // 1x1, several chunks
      {2, 3, 4, 1, {4, 4}, {5, 5}, {1, 1}, {1, 1}, {2, 2}, {2, 2}},                    // kernel larger than input
  };
  uint32_t seed = 100;
  for (const ConvCase& c : cases) {
    check_conv<uint8_t, uint8_t>(c, true, seed++);
    check_conv<uint8_t, int8_t>(c, false, seed++);
    check_conv<int8_t, uint8_t>(c, true, seed++);
    check_conv<int8_t, int8_t>(c, false, seed++);
  }
}

TEST(QConv, PaddingReadsAsZeroPoint) {
  // x = 3 everywhere with zero point 3: every tap (padding included) contributes 0.
  kernels::ConvParams p;
  p.c_in = 1, p.c_out = 1, p.in = {2, 2}, p.out = {3, 3}, p.kernel = {2, 2}, p.strides = {1, 1};
  p.dilations = {1, 1}, p.pads_begin = {1, 1};
  const uint8_t x[4] = {3, 3, 3, 3}, w[4] = {9, 9, 9, 9};
  int32_t y[9];
  kernels::conv_integer_s32(p, x, 3, w, nullptr, 0, y);
  for (int32_t v : y) EXPECT_EQ(v, 0);
}

TEST(Quantize, TiesToEvenAndSaturation) {
  const float x[] = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 300.f, -300.f, 127.4f};
  uint8_t yu[8];
  int8_t yi[8];
  kernels::QuantLayout l;
  l.inner = 8;
  const double scale = 1.0;
  const uint8_t zu = 10;
  kernels::quantize_linear<kernels::IntCodec<uint8_t>>(l, x, &scale, &zu, kernels::Precision::kFloat, true, yu);
  const uint8_t want_u[] = {10, 12, 12, 10, 8, 255, 0, 137};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(yu[i], want_u[i]) << i;
  kernels::quantize_linear<kernels::IntCodec<int8_t>>(l, x, &scale, nullptr, kernels::Precision::kFloat, true, yi);
  const int8_t want_i[] = {0, 2, 2, 0, -2, 127, -128, 127};
  for (int i = 0; i < 8; ++i) EXPECT_EQ(yi[i], want_i[i]) << i;
}

TEST(Quantize, BlockedLayoutAndDequantize) {
  // x [2, 5], axis 1, block 2: scales [2, 3] (the last block holds one column).
  kernels::QuantLayout l;
  l.outer = 2, l.axis_len = 5, l.inner = 1, l.block = 2, l.s_outer = 3, l.s_axis = 1, l.s_inner = 1;
  const float x[10] = {2, 4, 6, 8, 10, -2, -4, -6, -8, -10};
  const double scale[6] = {2, 4, 5, 1, 2, 10};
  const int8_t zp[6] = {0, 1, 2, 3, 4, 5};
  int8_t y[10];
  kernels::quantize_linear<kernels::IntCodec<int8_t>>(l, x, scale, zp, kernels::Precision::kFloat, true, y);
  // 2/2, 4/2 | 6/4=1.5->2, 8/4 | 10/5 ; -2/1+3, -4/1+3 | -6/2+4, -8/2+4 | -10/10+5
  const int8_t want[10] = {1, 2, 3, 3, 4, 1, -1, 1, 0, 4};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(y[i], want[i]) << i;
  float back[10];
  kernels::dequantize_linear<kernels::IntCodec<int8_t>>(l, y, scale, zp, back);
  const float want_back[10] = {2, 4, 8, 8, 10, -2, -4, -6, -8, -10};  // 6 -> 1.5 -> 2 -> 8
  for (int i = 0; i < 10; ++i) EXPECT_EQ(back[i], want_back[i]) << i;
}

TEST(Quantize, HalfPrecisionDivision) {
  // 1804 / 3 = 601.33 rounds to 601.5 in float16, then to 602 (ties to even); in float it is 601.
  kernels::QuantLayout l;
  const float x = 1804.f;
  const double s = 3.0;
  int16_t y = 0;
  kernels::quantize_linear<kernels::IntCodec<int16_t>>(l, &x, &s, nullptr, kernels::Precision::kHalf, true, &y);
  EXPECT_EQ(y, 602);
  kernels::quantize_linear<kernels::IntCodec<int16_t>>(l, &x, &s, nullptr, kernels::Precision::kFloat, true, &y);
  EXPECT_EQ(y, 601);
}

TEST(Requantize, RoundsAndSaturates) {
  const int32_t acc[4] = {5, -5, 1000, 3};
  const double rs = 0.5, cs = 1.0;
  uint8_t y[4];
  // acc * 0.5 + 100: 102.5 -> 102, 97.5 -> 98, 600 -> 255, 101.5 -> 102.
  kernels::requantize<kernels::IntCodec<uint8_t>>(2, 2, acc, &rs, 0, &cs, 0, 1.0, 100, kernels::Precision::kFloat, y);
  const uint8_t want[4] = {102, 98, 255, 102};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(y[i], want[i]) << i;
}

TEST(DynamicQuantize, RangeIncludesZero) {
  // The onnx reference on x = [0, 2, -3, -2.5, 1.34, 0.5]: scale 5 / 255, zero point 153.
  const float x[] = {0.f, 2.f, -3.f, -2.5f, 1.34f, 0.5f};
  uint8_t y[6], zp = 0;
  float scale = 0;
  kernels::dynamic_quantize_u8(x, 6, y, &scale, &zp);
  EXPECT_FLOAT_EQ(scale, 5.f / 255.f);
  EXPECT_EQ(zp, 153);
  const uint8_t want[6] = {153, 255, 0, 26, 221, 179};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(y[i], want[i]) << i;
  kernels::dynamic_quantize_u8(x, 0, y, &scale, &zp);  // empty: range [0, 0]
  EXPECT_FLOAT_EQ(scale, 1.f / 255.f);
  EXPECT_EQ(zp, 0);
}

}  // namespace
}  // namespace ortl::testing
