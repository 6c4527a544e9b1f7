// QuantizeLinear / DequantizeLinear on the low-precision types (float8 flavours, float4e2m1,
// int4 / uint4 / int2 / uint2): every code round-trips through dequantize -> quantize, ties round
// to even, out-of-range values saturate (or give inf / NaN with saturate = 0 for float8), the
// zero point applies, and a type newer than the model's opset is rejected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/eltwise/lowp.h"
#include "tests/linalg/op_harness.h"

namespace ortl::testing {
namespace {

namespace lowp = kernels::lowp;

Tensor floats(std::vector<int64_t> shape, const std::vector<float>& v) {
  Tensor t(DType::kFloat, std::move(shape));
  for (size_t i = 0; i < v.size(); ++i) t.data_as<float>()[i] = v[i];
  return t;
}

Tensor scalar_f(float v) { return floats({}, {v}); }

Tensor bytes(DType dt, std::vector<int64_t> shape, const std::vector<uint8_t>& v) {
  Tensor t(dt, std::move(shape));
  for (size_t i = 0; i < v.size(); ++i) t.data_as<uint8_t>()[i] = v[i];
  return t;
}

OpSpec spec(const char* op, int opset, std::map<std::string, graph::Attribute> attrs = {}) {
  return {op, opset, std::move(attrs)};
}

// output_dtype exists from opset 21.
OpSpec quantize_to(DType dt, int opset = 25, int saturate = 1) {
  return spec("QuantizeLinear", std::max(opset, 21),
              {{"output_dtype", int_attr(static_cast<int>(dt))}, {"saturate", int_attr(saturate)}});
}

std::vector<uint8_t> codes(const Tensor& t) {
  return std::vector<uint8_t>(t.data_as<uint8_t>(), t.data_as<uint8_t>() + t.numel());
}

bool same_float(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// Every byte the format can hold dequantizes to its value (scale 2) and, quantized back with
// scale 2, gives the same code (NaN and inf codes are covered by Float8SaturateOnAndOff).
template <class F>
void check_float_round_trip(DType dt, int opset) {
  const int n = 1 << F::kBits;
  std::vector<uint8_t> all(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) all[static_cast<size_t>(i)] = static_cast<uint8_t>(i);
  const Tensor x = bytes(dt, {n}, all), s = scalar_f(2.f);
  const Tensor y = run_op(spec("DequantizeLinear", opset), {&x, &s});
  ASSERT_EQ(y.dtype(), DType::kFloat);
  for (int i = 0; i < n; ++i) {
    const float want = lowp::to_float<F>(static_cast<uint8_t>(i)) * 2.f;
    ASSERT_TRUE(same_float(y.data_as<float>()[i], want)) << dtype_name(dt) << " code " << i;
  }
  const Tensor q = run_op(quantize_to(dt, opset), {&y, &s});
  ASSERT_EQ(q.dtype(), dt);
  for (int i = 0; i < n; ++i) {
    const uint8_t c = static_cast<uint8_t>(i);
    const float v = lowp::to_float<F>(c);
    if (std::isnan(v) || std::isinf(v)) continue;                              // inf saturates by default
    ASSERT_EQ(q.data_as<uint8_t>()[i], c) << dtype_name(dt) << " code " << i;  // -0 keeps its sign
  }
}

TEST(QuantLowp, FloatRoundTripEveryCode) {
  check_float_round_trip<lowp::E4M3FN>(DType::kFloat8E4M3FN, 19);
  check_float_round_trip<lowp::E4M3FNUZ>(DType::kFloat8E4M3FNUZ, 21);
  check_float_round_trip<lowp::E5M2>(DType::kFloat8E5M2, 23);
  check_float_round_trip<lowp::E5M2FNUZ>(DType::kFloat8E5M2FNUZ, 25);
  check_float_round_trip<lowp::E2M1>(DType::kFloat4E2M1, 23);
}

template <class I>
void check_int_round_trip(DType dt) {
  std::vector<uint8_t> all;
  for (int v = I::kMin; v <= I::kMax; ++v) all.push_back(static_cast<uint8_t>(static_cast<int8_t>(v)));
  const auto n = static_cast<int64_t>(all.size());
  const Tensor x = bytes(dt, {n}, all), s = scalar_f(0.5f);
  const Tensor y = run_op(spec("DequantizeLinear", 25), {&x, &s});
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(y.data_as<float>()[i], (I::kMin + i) * 0.5f) << dtype_name(dt);
  const Tensor q = run_op(quantize_to(dt), {&y, &s});
  ASSERT_EQ(q.dtype(), dt);
  EXPECT_EQ(codes(q), all) << dtype_name(dt);
}

TEST(QuantLowp, IntRoundTripEveryValue) {
  check_int_round_trip<lowp::Int4>(DType::kInt4);
  check_int_round_trip<lowp::UInt4>(DType::kUInt4);
  check_int_round_trip<lowp::Int2>(DType::kInt2);
  check_int_round_trip<lowp::UInt2>(DType::kUInt2);
}

TEST(QuantLowp, IntTiesToEvenSaturationAndZeroPoint) {
  // x / 1: ties go to the even neighbour, then the zero point adds and the result clamps.
  const Tensor x = floats({9}, {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 100.f, -100.f, NAN});
  const Tensor s = scalar_f(1.f);
  const Tensor q4 = run_op(quantize_to(DType::kInt4), {&x, &s});
  EXPECT_EQ(codes(q4), (std::vector<uint8_t>{0xfe, 0xfe, 0, 0, 2, 2, 7, 0xf8, 0xf8}));
  const Tensor zp = bytes(DType::kUInt4, {}, {3});
  const Tensor qu4 = run_op(spec("QuantizeLinear", 21), {&x, &s, &zp});
  ASSERT_EQ(qu4.dtype(), DType::kUInt4);
  EXPECT_EQ(codes(qu4), (std::vector<uint8_t>{1, 1, 3, 3, 5, 5, 15, 0, 0}));
  const Tensor q2 = run_op(quantize_to(DType::kInt2), {&x, &s});
  EXPECT_EQ(codes(q2), (std::vector<uint8_t>{0xfe, 0xfe, 0, 0, 1, 1, 1, 0xfe, 0xfe}));
  const Tensor zu2 = bytes(DType::kUInt2, {}, {1});
  const Tensor qu2 = run_op(spec("QuantizeLinear", 25), {&x, &s, &zu2});
  EXPECT_EQ(codes(qu2), (std::vector<uint8_t>{0, 0, 1, 1, 3, 3, 3, 0, 0}));
  // Dequantize with a zero point; a stray high bit in an int4 byte is ignored.
  const Tensor xi = bytes(DType::kInt4, {3}, {0xf9, 0x07, 0x17}), zi = bytes(DType::kInt4, {}, {0xff});
  const Tensor yi = run_op(spec("DequantizeLinear", 21), {&xi, &s, &zi});
  EXPECT_EQ(yi.data_as<float>()[0], -6.f);
  EXPECT_EQ(yi.data_as<float>()[1], 8.f);
  EXPECT_EQ(yi.data_as<float>()[2], 8.f);
}

TEST(QuantLowp, Float8SaturateOnAndOff) {
  const Tensor x = floats({6}, {1000.f, -1000.f, INFINITY, -INFINITY, 448.f, NAN});
  const Tensor s = scalar_f(1.f);
  // E4M3FN: max 448 = 0x7e; NaN 0x7f.
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat8E4M3FN, 19, 1), {&x, &s})),
            (std::vector<uint8_t>{0x7e, 0xfe, 0x7e, 0xfe, 0x7e, 0x7f}));
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat8E4M3FN, 19, 0), {&x, &s})),
            (std::vector<uint8_t>{0x7f, 0xff, 0x7f, 0xff, 0x7e, 0x7f}));
  // E5M2: max 57344 = 0x7b; without saturation overflow is inf (0x7c).
  const Tensor big = floats({6}, {1e6f, -1e6f, INFINITY, -INFINITY, 57344.f, NAN});
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat8E5M2, 19, 1), {&big, &s})),
            (std::vector<uint8_t>{0x7b, 0xfb, 0x7b, 0xfb, 0x7b, 0x7e}));
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat8E5M2, 19, 0), {&big, &s})),
            (std::vector<uint8_t>{0x7c, 0xfc, 0x7c, 0xfc, 0x7b, 0x7e}));
  // FNUZ: one NaN, 0x80.
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat8E4M3FNUZ, 19, 0), {&x, &s})),
            (std::vector<uint8_t>{0x80, 0x80, 0x80, 0x80, 0x80, 0x80}));
  // float4e2m1 has no inf or NaN: it saturates whatever `saturate` says.
  const Tensor f4 = floats({3}, {100.f, -100.f, 6.f});
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat4E2M1, 23, 0), {&f4, &s})), (std::vector<uint8_t>{0x7, 0xf, 0x7}));
}

TEST(QuantLowp, FloatTiesToEven) {
  const Tensor s = scalar_f(1.f);
  // E4M3FN near 1: step 1/8. 1.0625 ties 1 (even) / 1.125 -> 1; 1.1875 ties 1.125 / 1.25 -> 1.25.
  // Past the tie by a hair rounds up.
  const Tensor x = floats({3}, {1.0625f, 1.1875f, 1.0625f + 1e-6f});
  const Tensor q = run_op(quantize_to(DType::kFloat8E4M3FN, 19), {&x, &s});
  EXPECT_EQ(codes(q), (std::vector<uint8_t>{0x38, 0x3a, 0x39}));
  // E2M1: codes 0, 0.5, 1, 1.5, 2, 3, 4, 6. 2.5 ties 2 (even mantissa) / 3 -> 2; 5 ties 4 / 6 -> 4;
  // 0.25 ties 0 / 0.5 -> 0; 0.75 ties 0.5 / 1 -> 1.
  const Tensor x4 = floats({4}, {2.5f, 5.f, 0.25f, -0.75f});
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat4E2M1, 23), {&x4, &s})), (std::vector<uint8_t>{0x4, 0x6, 0x0, 0xa}));
  // The division happens first: 3 / 2 = 1.5 exactly in E2M1 (code 3).
  const Tensor three = floats({1}, {3.f}), two = scalar_f(2.f);
  EXPECT_EQ(codes(run_op(quantize_to(DType::kFloat4E2M1, 23), {&three, &two}))[0], 0x3);
}

TEST(QuantLowp, BlockedInt4) {
  // x [2, 4], blocks of 2 along axis 1: scales [2, 2].
  const Tensor x = floats({2, 4}, {1.f, 2.f, 30.f, -30.f, 4.f, 5.f, 6.f, 7.f});
  const Tensor s = floats({2, 2}, {1.f, 10.f, 2.f, 0.5f});
  const Tensor q = run_op(spec("QuantizeLinear", 21,
                               {{"axis", int_attr(1)},
                                {"block_size", int_attr(2)},
                                {"output_dtype", int_attr(static_cast<int>(DType::kInt4))}}),
                          {&x, &s});
  EXPECT_EQ(codes(q), (std::vector<uint8_t>{1, 2, 3, 0xfd, 2, 2, 7, 7}));
}

TEST(QuantLowp, Errors) {
  const Tensor x = floats({2}, {1.f, 2.f}), s = scalar_f(1.f);
  auto expect = [](const OpSpec& sp, const std::vector<const Tensor*>& in, ErrorCode code, const char* needle) {
    try {
      run_op(sp, in);
      FAIL() << "expected an error containing '" << needle << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  // Types newer than the model's opset.
  const Tensor z4 = bytes(DType::kInt4, {}, {0}), z2 = bytes(DType::kUInt2, {}, {0});
  const Tensor zf8 = bytes(DType::kFloat8E4M3FN, {}, {0});
  expect(spec("QuantizeLinear", 19), {&x, &s, &z4}, ErrorCode::kInvalidArgument, "needs opset 21");
  expect(spec("QuantizeLinear", 24), {&x, &s, &z2}, ErrorCode::kInvalidArgument, "needs opset 25");
  expect(spec("QuantizeLinear", 13), {&x, &s, &zf8}, ErrorCode::kInvalidArgument, "needs opset 19");
  const Tensor xf4 = bytes(DType::kFloat4E2M1, {2}, {1, 2});
  expect(spec("DequantizeLinear", 21), {&xf4, &s}, ErrorCode::kInvalidArgument, "needs opset 23");
  // Zero point type must match x.
  const Tensor xi4 = bytes(DType::kInt4, {2}, {1, 2});
  expect(spec("DequantizeLinear", 21), {&xi4, &s, &z2}, ErrorCode::kInvalidArgument, "x_zero_point");
  // float8e8m0 is no quantized type.
  expect(quantize_to(DType::kFloat8E8M0, 25), {&x, &s}, ErrorCode::kNotImplemented, "not supported");
}

}  // namespace
}  // namespace ortl::testing
