// Quant ops through the registry: granularity resolution (per-tensor, per-axis with negative
// axes, blocked with a short last block), output type rules, matmul batch broadcasting with
// per-row / per-column parameters, the conv geometry, against naive loops written here; and the
// errors bad inputs and attributes raise.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kernels/eltwise/half.h"
#include "kernels/quant/qconv.h"
#include "tests/linalg/op_harness.h"

namespace ortl::testing {
namespace {

template <class T>
Tensor random_tensor(DType dt, std::vector<int64_t> shape, std::mt19937& rng) {
  Tensor t(dt, std::move(shape));
  std::uniform_int_distribution<int> d(std::numeric_limits<T>::min(), std::numeric_limits<T>::max());
  for (int64_t i = 0; i < t.numel(); ++i) t.data_as<T>()[i] = static_cast<T>(d(rng));
  return t;
}

Tensor floats(std::vector<int64_t> shape, std::mt19937& rng, float lo, float hi) {
  Tensor t(DType::kFloat, std::move(shape));
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_as<float>()[i] = d(rng);
  return t;
}

Tensor scalar_f(float v) {
  Tensor t(DType::kFloat, {});
  *t.data_as<float>() = v;
  return t;
}

template <class T>
Tensor scalar_of(DType dt, T v) {
  Tensor t(dt, {});
  *t.data_as<T>() = v;
  return t;
}

double sat(double v, double lo, double hi) { return std::min(std::max(v, lo), hi); }

OpSpec spec(const char* op, int opset, std::map<std::string, graph::Attribute> attrs = {}) {
  return {op, opset, std::move(attrs)};
}

void expect_error(const OpSpec& s, const std::vector<const Tensor*>& in, ErrorCode code, const char* needle) {
  try {
    run_op(s, in);
    FAIL() << s.op_type << ": expected an error containing '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(QuantizeLinearOp, PerAxisNegativeAxis) {
  std::mt19937 rng(1);
  const Tensor x = floats({2, 3, 5}, rng, -300, 300), s = floats({3}, rng, 0.5f, 2.f);
  const Tensor zp = random_tensor<uint8_t>(DType::kUInt8, {3}, rng);
  const Tensor y = run_op(spec("QuantizeLinear", 13, {{"axis", int_attr(-2)}}), {&x, &s, &zp});
  ASSERT_EQ(y.dtype(), DType::kUInt8);
  ASSERT_EQ(y.shape(), x.shape());
  for (int64_t i = 0; i < x.numel(); ++i) {
    const int64_t c = i / 5 % 3;
    const float q = x.data_as<float>()[i] / s.data_as<float>()[c];
    const double want = sat(std::nearbyint(q) + zp.data_as<uint8_t>()[c], 0, 255);
    ASSERT_EQ(y.data_as<uint8_t>()[i], want) << i;
  }
}

TEST(QuantizeLinearOp, BlockedWithShortLastBlockAndOutputDtype) {
  std::mt19937 rng(2);
  // x [3, 7], axis 1, block 3: scale [3, 3], the last block one column wide.
  const Tensor x = floats({3, 7}, rng, -1000, 1000), s = floats({3, 3}, rng, 0.1f, 1.f);
  const Tensor y = run_op(spec("QuantizeLinear", 21,
                               {{"axis", int_attr(1)},
                                {"block_size", int_attr(3)},
                                {"output_dtype", int_attr(static_cast<int>(DType::kInt16))}}),
                          {&x, &s});
  ASSERT_EQ(y.dtype(), DType::kInt16);
  for (int64_t r = 0; r < 3; ++r) {
    for (int64_t c = 0; c < 7; ++c) {
      const float q = x.data_as<float>()[r * 7 + c] / s.data_as<float>()[r * 3 + c / 3];
      ASSERT_EQ(y.data_as<int16_t>()[r * 7 + c], sat(std::nearbyint(q), -32768, 32767)) << r << "," << c;
    }
  }
  // Without zero point or output_dtype the output is uint8.
  const Tensor s1 = scalar_f(4.f);
  EXPECT_EQ(run_op(spec("QuantizeLinear", 21), {&x, &s1}).dtype(), DType::kUInt8);
}

TEST(QuantizeLinearOp, Float16InputAndPrecision) {
  // x float16 1804, scale float 3: the quotient in float is 601.33 -> 601; with precision
  // float16 it rounds to 601.5 first -> 602.
  Tensor x(DType::kFloat16, {1});
  x.data_as<uint16_t>()[0] = kernels::float_to_half_bits(1804.f);
  const Tensor s = scalar_f(3.f);
  const Tensor zp = scalar_of<int16_t>(DType::kInt16, 0);
  EXPECT_EQ(run_op(spec("QuantizeLinear", 21), {&x, &s, &zp}).data_as<int16_t>()[0], 601);
  const auto half = static_cast<int>(DType::kFloat16);
  EXPECT_EQ(run_op(spec("QuantizeLinear", 23, {{"precision", int_attr(half)}}), {&x, &s, &zp}).data_as<int16_t>()[0],
            602);
}

TEST(QuantizeLinearOp, Errors) {
  std::mt19937 rng(3);
  const Tensor x = floats({2, 4}, rng, -1, 1), s3 = floats({3}, rng, 1, 2), s4 = floats({4}, rng, 1, 2);
  const Tensor zp2 = random_tensor<uint8_t>(DType::kUInt8, {2}, rng);
  expect_error(spec("QuantizeLinear", 13, {{"axis", int_attr(1)}}), {&x, &s3}, ErrorCode::kInvalidArgument,
               "per-axis scale");
  expect_error(spec("QuantizeLinear", 13, {{"axis", int_attr(2)}}), {&x, &s4}, ErrorCode::kInvalidArgument,
               "out of range");
  expect_error(spec("QuantizeLinear", 13, {{"axis", int_attr(1)}}), {&x, &s4, &zp2}, ErrorCode::kInvalidArgument,
               "zero point shape");
  const Tensor sb = floats({2, 3}, rng, 1, 2);  // block 2 on 4 columns needs 2, not 3
  expect_error(spec("QuantizeLinear", 21, {{"axis", int_attr(1)}, {"block_size", int_attr(2)}}), {&x, &sb},
               ErrorCode::kInvalidArgument, "blocked scale");
  expect_error(spec("QuantizeLinear", 21, {{"block_size", int_attr(-1)}}), {&x, &s4}, ErrorCode::kInvalidModel,
               "block_size");
  // float8e8m0 (24): no quantized type (a scale type only).
  expect_error(spec("QuantizeLinear", 25, {{"output_dtype", int_attr(24)}}), {&x, &s4}, ErrorCode::kNotImplemented,
               "quantized type");
  const Tensor zp8 = scalar_of<int8_t>(DType::kInt8, 0);
  expect_error(spec("QuantizeLinear", 21, {{"output_dtype", int_attr(static_cast<int>(DType::kUInt8))}}),
               {&x, &s4, &zp8}, ErrorCode::kInvalidArgument, "output_dtype");
}

TEST(DequantizeLinearOp, PerAxisBlockedAndOutputTypes) {
  std::mt19937 rng(4);
  const Tensor x = random_tensor<int8_t>(DType::kInt8, {4, 5}, rng);
  const Tensor s = floats({4}, rng, 0.01f, 1.f), zp = random_tensor<int8_t>(DType::kInt8, {4}, rng);
  const Tensor y = run_op(spec("DequantizeLinear", 13, {{"axis", int_attr(-2)}}), {&x, &s, &zp});
  ASSERT_EQ(y.dtype(), DType::kFloat);
  for (int64_t i = 0; i < 20; ++i) {
    const int64_t r = i / 5;
    const float want = static_cast<float>((x.data_as<int8_t>()[i] - zp.data_as<int8_t>()[r]) *
                                          static_cast<double>(s.data_as<float>()[r]));
    ASSERT_EQ(y.data_as<float>()[i], want) << i;
  }
  // Blocked along axis 0 (block 3 over 4 rows: scale [2, 5]), output_dtype float16.
  const Tensor sb = floats({2, 5}, rng, 0.01f, 1.f);
  const Tensor zb = random_tensor<int8_t>(DType::kInt8, {2, 5}, rng);
  const Tensor yb = run_op(spec("DequantizeLinear", 23,
                                {{"axis", int_attr(0)},
                                 {"block_size", int_attr(3)},
                                 {"output_dtype", int_attr(static_cast<int>(DType::kFloat16))}}),
                           {&x, &sb, &zb});
  ASSERT_EQ(yb.dtype(), DType::kFloat16);
  for (int64_t i = 0; i < 20; ++i) {
    const int64_t p = i / 5 / 3 * 5 + i % 5;
    const double want =
        (x.data_as<int8_t>()[i] - zb.data_as<int8_t>()[p]) * static_cast<double>(sb.data_as<float>()[p]);
    ASSERT_EQ(yb.data_as<uint16_t>()[i], kernels::double_to_half_bits(want)) << i;
  }
  // int32 without zero point, per tensor; uint16 with one.
  Tensor xi(DType::kInt32, {3});
  xi.data_as<int32_t>()[0] = -7, xi.data_as<int32_t>()[1] = 0, xi.data_as<int32_t>()[2] = 1 << 20;
  const Tensor half = scalar_f(0.5f);
  const Tensor yi = run_op(spec("DequantizeLinear", 10), {&xi, &half});
  EXPECT_EQ(yi.data_as<float>()[0], -3.5f);
  EXPECT_EQ(yi.data_as<float>()[2], 524288.f);
  const Tensor xu = random_tensor<uint16_t>(DType::kUInt16, {3}, rng);
  const Tensor zu = scalar_of<uint16_t>(DType::kUInt16, 40000);
  const Tensor yu = run_op(spec("DequantizeLinear", 21), {&xu, &half, &zu});
  for (int64_t i = 0; i < 3; ++i) EXPECT_EQ(yu.data_as<float>()[i], (xu.data_as<uint16_t>()[i] - 40000) * 0.5f);
}

TEST(DequantizeLinearOp, Errors) {
  std::mt19937 rng(5);
  const Tensor x = random_tensor<uint8_t>(DType::kUInt8, {2, 3}, rng), s = scalar_f(1.f);
  const Tensor zi = scalar_of<int8_t>(DType::kInt8, 0);
  expect_error(spec("DequantizeLinear", 21), {&x, &s, &zi}, ErrorCode::kInvalidArgument, "x_zero_point");
  const Tensor f = floats({2, 3}, rng, 0, 1);
  expect_error(spec("DequantizeLinear", 21), {&f, &s}, ErrorCode::kNotImplemented, "quantized type float");
  const Tensor s2 = floats({2, 2}, rng, 1, 2);
  expect_error(spec("DequantizeLinear", 21), {&x, &s2}, ErrorCode::kInvalidArgument, "block_size");
  expect_error(spec("DequantizeLinear", 23, {{"output_dtype", int_attr(static_cast<int>(DType::kInt32))}}), {&x, &s},
               ErrorCode::kInvalidModel, "output_dtype");
}

TEST(DynamicQuantizeLinearOp, ThreeOutputs) {
  auto kernel = build_op(spec("DynamicQuantizeLinear", 11));
  Tensor x(DType::kFloat, {2, 2});
  const float v[] = {-1.f, 0.f, 1.f, 3.f};
  std::copy(v, v + 4, x.data_as<float>());
  FakeInfer ictx({graph::TypeInfo::of(DType::kFloat, graph::from_concrete(x.shape()))}, 3);
  kernel->infer(ictx);
  EXPECT_EQ(ictx.output(0).dtype, DType::kUInt8);
  EXPECT_EQ(ictx.output(1).dtype, DType::kFloat);
  EXPECT_EQ(ictx.output(2).dtype, DType::kUInt8);
  FakeRun rctx({&x}, {Tensor(DType::kUInt8, {2, 2}), Tensor(DType::kFloat, {}), Tensor(DType::kUInt8, {})},
               kernels::serial());
  kernel->run(rctx);
  // Range [-1, 3]: scale 4 / 255, zero point round(255 / 4) = round(63.75) = 64.
  EXPECT_FLOAT_EQ(*rctx.outputs()[1].data_as<float>(), 4.f / 255.f);
  EXPECT_EQ(*rctx.outputs()[2].data_as<uint8_t>(), 64);
  const uint8_t want[] = {0, 64, 128, 255};  // -63.75 + 64 -> 0, 63.75 + 64 -> 128 (127.75)
  for (int i = 0; i < 4; ++i) EXPECT_EQ(rctx.outputs()[0].data_as<uint8_t>()[i], want[i]) << i;
  Tensor xi(DType::kInt32, {2});
  expect_error(spec("DynamicQuantizeLinear", 11), {&xi}, ErrorCode::kNotImplemented, "int32");
}

// Naive matmul of A [Ba, 1, M, K] and B [Bb, K, N] broadcast to [Ba, Bb, M, N], with per-row
// zero points of A ([M]) and per-column ones of B ([1, N]).
TEST(MatMulIntegerOp, BatchBroadcastPerRowAndColumn) {
  std::mt19937 rng(6);
  const int64_t ba = 2, bb = 3, m = 5, k = 7, n = 4;
  const Tensor a = random_tensor<uint8_t>(DType::kUInt8, {ba, 1, m, k}, rng);
  const Tensor b = random_tensor<int8_t>(DType::kInt8, {bb, k, n}, rng);
  const Tensor az = random_tensor<uint8_t>(DType::kUInt8, {m}, rng);
  const Tensor bz = random_tensor<int8_t>(DType::kInt8, {1, n}, rng);
  const Tensor y = run_op(spec("MatMulInteger", 10), {&a, &b, &az, &bz});
  ASSERT_EQ(y.dtype(), DType::kInt32);
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{ba, bb, m, n}));
  for (int64_t i = 0; i < ba; ++i) {
    for (int64_t j = 0; j < bb; ++j) {
      for (int64_t r = 0; r < m; ++r) {
        for (int64_t c = 0; c < n; ++c) {
          int32_t want = 0;
          for (int64_t t = 0; t < k; ++t) {
            want += (a.data_as<uint8_t>()[(i * m + r) * k + t] - az.data_as<uint8_t>()[r]) *
                    (b.data_as<int8_t>()[(j * k + t) * n + c] - bz.data_as<int8_t>()[c]);
          }
          ASSERT_EQ(y.data_as<int32_t>()[((i * bb + j) * m + r) * n + c], want);
        }
      }
    }
  }
  // 1-D operands, no zero points: a dot product.
  const Tensor v = random_tensor<int8_t>(DType::kInt8, {k}, rng), w = random_tensor<int8_t>(DType::kInt8, {k}, rng);
  const Tensor dot = run_op(spec("MatMulInteger", 10), {&v, &w});
  ASSERT_EQ(dot.shape(), std::vector<int64_t>{});
  int32_t want = 0;
  for (int64_t t = 0; t < k; ++t) want += v.data_as<int8_t>()[t] * w.data_as<int8_t>()[t];
  EXPECT_EQ(dot.data_as<int32_t>()[0], want);
}

TEST(MatMulIntegerOp, Errors) {
  std::mt19937 rng(7);
  const Tensor a = random_tensor<uint8_t>(DType::kUInt8, {3, 4}, rng),
               b = random_tensor<uint8_t>(DType::kUInt8, {5, 2}, rng);
  expect_error(spec("MatMulInteger", 10), {&a, &b}, ErrorCode::kInvalidArgument, "inner dims");
  const Tensor b2 = random_tensor<uint8_t>(DType::kUInt8, {4, 2}, rng),
               zbad = random_tensor<uint8_t>(DType::kUInt8, {4}, rng);
  expect_error(spec("MatMulInteger", 10), {&a, &b2, &zbad}, ErrorCode::kInvalidArgument, "per row");
  const Tensor zi = random_tensor<int8_t>(DType::kInt8, {3}, rng);
  expect_error(spec("MatMulInteger", 10), {&a, &b2, &zi}, ErrorCode::kInvalidArgument, "a_zero_point");
  Tensor f(DType::kFloat, {3, 4});
  expect_error(spec("MatMulInteger", 10), {&f, &b2}, ErrorCode::kNotImplemented, "float");
}

TEST(QLinearMatMulOp, PerRowAndColumnRequantize) {
  std::mt19937 rng(8);
  const int64_t m = 5, k = 9, n = 3;
  const Tensor a = random_tensor<int8_t>(DType::kInt8, {2, m, k}, rng),
               b = random_tensor<int8_t>(DType::kInt8, {k, n}, rng);
  const Tensor as = floats({2, m, 1}, rng, 0.01f, 0.1f), az = random_tensor<int8_t>(DType::kInt8, {2, m, 1}, rng);
  const Tensor bs = floats({n}, rng, 0.01f, 0.1f), bz = random_tensor<int8_t>(DType::kInt8, {n}, rng);
  const Tensor ys = scalar_f(0.37f), yz = scalar_of<uint8_t>(DType::kUInt8, 120);
  const Tensor y = run_op(spec("QLinearMatMul", 21), {&a, &as, &az, &b, &bs, &bz, &ys, &yz});
  ASSERT_EQ(y.dtype(), DType::kUInt8);
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{2, m, n}));
  for (int64_t i = 0; i < 2 * m; ++i) {
    for (int64_t c = 0; c < n; ++c) {
      int32_t acc = 0;
      for (int64_t t = 0; t < k; ++t) {
        acc += (a.data_as<int8_t>()[i * k + t] - az.data_as<int8_t>()[i]) *
               (b.data_as<int8_t>()[t * n + c] - bz.data_as<int8_t>()[c]);
      }
      const float mult = as.data_as<float>()[i] * bs.data_as<float>()[c] / 0.37f;
      const double want = sat(std::nearbyint(acc * static_cast<double>(mult)) + 120, 0, 255);
      ASSERT_EQ(y.data_as<uint8_t>()[i * n + c], want) << i << "," << c;
    }
  }
  const Tensor ys2 = floats({2}, rng, 1, 2);
  expect_error(spec("QLinearMatMul", 21), {&a, &as, &az, &b, &bs, &bz, &ys2, &yz}, ErrorCode::kInvalidArgument,
               "y_scale");
}

// ConvInteger and QLinearConv against conv_integer_ref with the geometry worked out by hand:
// x [2, 4, 6, 5], w [6, 2, 3, 2], group 2, strides (2, 1), pads (1, 0, 1, 1): out [2, 6, 3, 5].
TEST(ConvIntegerOps, MatchReference) {
  std::mt19937 rng(9);
  const Tensor x = random_tensor<uint8_t>(DType::kUInt8, {2, 4, 6, 5}, rng);
  const Tensor w = random_tensor<int8_t>(DType::kInt8, {6, 2, 3, 2}, rng);
  const Tensor xz = scalar_of<uint8_t>(DType::kUInt8, 131);
  const Tensor wz = random_tensor<int8_t>(DType::kInt8, {6}, rng);
  std::map<std::string, graph::Attribute> attrs = {
      {"group", int_attr(2)}, {"strides", ints_attr({2, 1})}, {"pads", ints_attr({1, 0, 1, 1})}};
  const Tensor y = run_op(spec("ConvInteger", 10, attrs), {&x, &w, &xz, &wz});
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{2, 6, 3, 5}));
  kernels::ConvParams p;
  p.batch = 2, p.c_in = 4, p.c_out = 6, p.group = 2, p.in = {6, 5}, p.out = {3, 5}, p.kernel = {3, 2};
  p.strides = {2, 1}, p.dilations = {1, 1}, p.pads_begin = {1, 0};
  std::vector<int32_t> want(static_cast<size_t>(y.numel()));
  std::vector<int32_t> wzv(wz.data_as<int8_t>(), wz.data_as<int8_t>() + 6);
  kernels::conv_integer_ref(p, x.data_as<uint8_t>(), 131, w.data_as<int8_t>(), wzv.data(), 1, want.data());
  for (int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.data_as<int32_t>()[i], want[static_cast<size_t>(i)]) << i;

  // QLinearConv on the same data: + bias, per-channel w_scale, int8 output.
  const Tensor xs = scalar_f(0.02f), ys = scalar_f(0.5f), yz = scalar_of<int8_t>(DType::kInt8, -3);
  const Tensor ws = floats({6}, rng, 0.01f, 0.05f);
  Tensor bias(DType::kInt32, {6});
  for (int i = 0; i < 6; ++i) bias.data_as<int32_t>()[i] = (i - 3) * 1000;
  const Tensor q = run_op(spec("QLinearConv", 10, attrs), {&x, &xs, &xz, &w, &ws, &wz, &ys, &yz, &bias});
  ASSERT_EQ(q.dtype(), DType::kInt8);
  for (int64_t i = 0; i < q.numel(); ++i) {
    const int64_t co = i / 15 % 6;
    const float mult = 0.02f * ws.data_as<float>()[co] / 0.5f;
    const double acc = want[static_cast<size_t>(i)] + bias.data_as<int32_t>()[co];
    ASSERT_EQ(q.data_as<int8_t>()[i], sat(std::nearbyint(acc * static_cast<double>(mult)) - 3, -128, 127)) << i;
  }
}

TEST(ConvIntegerOps, Errors) {
  std::mt19937 rng(10);
  const Tensor x = random_tensor<uint8_t>(DType::kUInt8, {1, 2, 4, 4}, rng);
  const Tensor w3 = random_tensor<uint8_t>(DType::kUInt8, {3, 2, 2}, rng);
  expect_error(spec("ConvInteger", 10), {&x, &w3}, ErrorCode::kInvalidArgument, "ConvInteger");
  const Tensor w = random_tensor<uint8_t>(DType::kUInt8, {3, 2, 2, 2}, rng);
  const Tensor wz = random_tensor<uint8_t>(DType::kUInt8, {2}, rng);
  const Tensor xz = scalar_of<uint8_t>(DType::kUInt8, 1);
  expect_error(spec("ConvInteger", 10), {&x, &w, &xz, &wz}, ErrorCode::kInvalidArgument, "w_zero_point");
  const Tensor xz2 = random_tensor<uint8_t>(DType::kUInt8, {2}, rng);
  expect_error(spec("ConvInteger", 10), {&x, &w, &xz2}, ErrorCode::kInvalidArgument, "x_zero_point");
  expect_error(spec("ConvInteger", 10, {{"auto_pad", string_attr("BOGUS")}}), {&x, &w}, ErrorCode::kInvalidModel,
               "auto_pad");
  const Tensor s = scalar_f(1.f), ws2 = floats({2}, rng, 1, 2);
  expect_error(spec("QLinearConv", 10), {&x, &s, &xz, &w, &ws2, &xz, &s, &xz}, ErrorCode::kInvalidArgument, "w_scale");
  Tensor bias(DType::kInt32, {2});
  expect_error(spec("QLinearConv", 10), {&x, &s, &xz, &w, &s, &xz, &s, &xz, &bias}, ErrorCode::kInvalidArgument,
               "B must be");
}

TEST(QuantOps, ZeroSizeDims) {
  std::mt19937 rng(11);
  const Tensor x(DType::kFloat, {0, 3}), s = floats({3}, rng, 1, 2);
  EXPECT_EQ(run_op(spec("QuantizeLinear", 13), {&x, &s}).shape(), (std::vector<int64_t>{0, 3}));
  const Tensor a(DType::kUInt8, {2, 0}), b(DType::kUInt8, {0, 3}), az = scalar_of<uint8_t>(DType::kUInt8, 7);
  const Tensor y = run_op(spec("MatMulInteger", 10), {&a, &b, &az});
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{2, 3}));
  for (int64_t i = 0; i < y.numel(); ++i) EXPECT_EQ(y.data_as<int32_t>()[i], 0);  // empty sums
  const Tensor xc(DType::kInt8, {0, 2, 4, 4}), w = random_tensor<int8_t>(DType::kInt8, {3, 2, 2, 2}, rng);
  EXPECT_EQ(run_op(spec("ConvInteger", 10), {&xc, &w}).shape(), (std::vector<int64_t>{0, 3, 3, 3}));
}

}  // namespace
}  // namespace ortl::testing
