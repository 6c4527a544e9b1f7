// Cast / CastLike / BitCast with the low-precision types: the kernel over every code, the
// saturate and round_mode attributes by opset, 4-/2-bit wrap-around, strings, and bad input.
#include <cmath>
#include <limits>

#include "harness.h"
#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/half.h"
#include "kernels/eltwise/lowp.h"

namespace ortl::mathtest {
namespace {

namespace lp = kernels::lowp;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

int to_code(DType t) { return static_cast<int>(t); }

Tensor floats(std::vector<float> v) {
  const auto n = static_cast<int64_t>(v.size());
  return make_tensor<float>(DType::kFloat, {n}, v);
}

std::vector<uint8_t> bytes_of(const Tensor& t) {
  return std::vector<uint8_t>(t.data_as<uint8_t>(), t.data_as<uint8_t>() + t.numel());
}

Tensor cast(const Tensor& x, DType to, int opset = 25, std::map<std::string, graph::Attribute> attrs = {}) {
  attrs["to"] = attr_i(to_code(to));
  auto out = run_op("Cast", opset, {x}, attrs);
  EXPECT_EQ(out[0].dtype(), to);
  return out[0];
}

template <class F>
void check_decode_all(DType dt) {
  SCOPED_TRACE(dtype_name(dt));
  Tensor codes(dt, {256});
  for (int c = 0; c < 256; ++c) codes.data_as<uint8_t>()[c] = static_cast<uint8_t>(c & F::kMask);
  const Tensor f = cast(codes, DType::kFloat);
  const Tensor d = cast(codes, DType::kDouble);
  const Tensor h = cast(codes, DType::kFloat16);
  const Tensor back = cast(f, dt, 25, {{"saturate", attr_i(0)}});
  for (int c = 0; c < 256; ++c) {
    const float want = lp::to_float<F>(static_cast<uint8_t>(c));
    const float got = f.data_as<float>()[c];
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(got) && std::isnan(d.data_as<double>()[c])) << c;
      continue;
    }
    EXPECT_EQ(got, want) << c;
    EXPECT_EQ(d.data_as<double>()[c], want) << c;
    EXPECT_EQ(kernels::half_bits_to_float(h.data_as<uint16_t>()[c]), want) << c;  // all exact in half
    EXPECT_EQ(back.data_as<uint8_t>()[c], c & F::kMask) << c;
  }
}

TEST(CastLowp, DecodesEveryCode) {
  check_decode_all<lp::E4M3FN>(DType::kFloat8E4M3FN);
  check_decode_all<lp::E4M3FNUZ>(DType::kFloat8E4M3FNUZ);
  check_decode_all<lp::E5M2>(DType::kFloat8E5M2);
  check_decode_all<lp::E5M2FNUZ>(DType::kFloat8E5M2FNUZ);
  check_decode_all<lp::E2M1>(DType::kFloat4E2M1);
  check_decode_all<lp::E2M3>(DType::kFloat6E2M3);
  check_decode_all<lp::E3M2>(DType::kFloat6E3M2);
}

TEST(CastLowp, SaturateByOpset) {
  const Tensor x = floats({1e6f, -kInf, kNaN, 0.4f, -0.0f});
  // Cast-13 has no saturate: float8 targets always saturate.
  auto sat = bytes_of(cast(x, DType::kFloat8E4M3FN, 13, {{"saturate", attr_i(0)}}));
  EXPECT_EQ(sat, (std::vector<uint8_t>{0x7e, 0xfe, 0x7f, 0x2d, 0x80}));
  auto nosat = bytes_of(cast(x, DType::kFloat8E4M3FN, 19, {{"saturate", attr_i(0)}}));
  EXPECT_EQ(nosat, (std::vector<uint8_t>{0x7f, 0xff, 0x7f, 0x2d, 0x80}));
  EXPECT_EQ(bytes_of(cast(x, DType::kFloat8E5M2, 21, {{"saturate", attr_i(0)}})),
            (std::vector<uint8_t>{0x7c, 0xfc, 0x7e, 0x36, 0x80}));
  EXPECT_EQ(bytes_of(cast(x, DType::kFloat8E5M2FNUZ, 23)), (std::vector<uint8_t>{0x7f, 0xff, 0x80, 0x3a, 0x00}));
  // float4e2m1 has no inf or NaN: it saturates whatever the attribute says.
  EXPECT_EQ(bytes_of(cast(x, DType::kFloat4E2M1, 25, {{"saturate", attr_i(0)}})),
            (std::vector<uint8_t>{0x7, 0xf, 0x8, 0x1, 0x8}));
  // CastLike takes saturate too.
  const Tensor like(DType::kFloat8E4M3FNUZ, {1});
  auto cl = run_op("CastLike", 19, {x, like}, {{"saturate", attr_i(0)}});
  ASSERT_EQ(cl[0].dtype(), DType::kFloat8E4M3FNUZ);
  EXPECT_EQ(bytes_of(cl[0]), (std::vector<uint8_t>{0x80, 0x80, 0x80, 0x2d + 8, 0x00}));
}

TEST(CastLowp, FromWiderTypes) {
  // double rounds once (no detour through float); int64 and float16 sources.
  const Tensor d = make_tensor<double>(DType::kDouble, {2}, {1.0 + 1.0 / 16 + std::ldexp(1.0, -40), 1.0 + 1.0 / 16});
  EXPECT_EQ(bytes_of(cast(d, DType::kFloat8E4M3FN)), (std::vector<uint8_t>{0x39, 0x38}));
  const Tensor i = make_tensor<int64_t>(DType::kInt64, {3}, {3, -100000, 448});
  EXPECT_EQ(bytes_of(cast(i, DType::kFloat8E4M3FN)), (std::vector<uint8_t>{0x44, 0xfe, 0x7e}));
  const Tensor h = make_tensor<uint16_t>(DType::kFloat16, {2}, {0x3c00, 0x7c00});  // 1, inf
  EXPECT_EQ(bytes_of(cast(h, DType::kFloat8E5M2, 19, {{"saturate", attr_i(0)}})), (std::vector<uint8_t>{0x3c, 0x7c}));
  // float8 -> float8 and -> bool / int.
  const Tensor f8 = cast(floats({-3.0f, 0.0f, 300.0f}), DType::kFloat8E4M3FN);
  EXPECT_EQ(bytes_of(cast(f8, DType::kFloat8E4M3FNUZ)), (std::vector<uint8_t>{0xcc, 0x00, 0x7f}));
  EXPECT_EQ(bytes_of(cast(f8, DType::kBool)), (std::vector<uint8_t>{1, 0, 1}));
  const Tensor i8 = cast(f8, DType::kInt32);
  EXPECT_EQ(i8.data_as<int32_t>()[0], -3);
  EXPECT_EQ(i8.data_as<int32_t>()[2], 288);  // 300 rounds to 288 in e4m3
}

TEST(CastLowp, SmallIntsWrap) {
  // The conformance inputs: floats -9..15 into int4 wrap modulo 16; the bytes are sign-extended.
  std::vector<float> v;
  for (int k = -9; k <= 15; ++k) v.push_back(static_cast<float>(k));
  const Tensor x = make_tensor<float>(DType::kFloat, {5, 5}, v);
  const Tensor i4 = cast(x, DType::kInt4);
  const Tensor u4 = cast(x, DType::kUInt4);
  const Tensor i2 = cast(x, DType::kInt2);
  const Tensor u2 = cast(x, DType::kUInt2);
  for (int k = -9, j = 0; k <= 15; ++k, ++j) {
    EXPECT_EQ(i4.data_as<int8_t>()[j], static_cast<int8_t>(lp::wrap<lp::Int4>(k))) << k;
    EXPECT_EQ(u4.data_as<uint8_t>()[j], (k + 16) % 16) << k;
    EXPECT_EQ(i2.data_as<int8_t>()[j], static_cast<int8_t>(lp::wrap<lp::Int2>(k))) << k;
    EXPECT_EQ(u2.data_as<uint8_t>()[j], (k + 16) % 4) << k;
  }
  EXPECT_EQ(i4.data_as<int8_t>()[0], 7);   // -9
  EXPECT_EQ(i4.data_as<int8_t>()[1], -8);  // -8
  EXPECT_EQ(i2.data_as<int8_t>()[7], -2);  // -2
  // Fractions truncate toward zero first; int4 -> int8 / float / float16 widen exactly.
  EXPECT_EQ(bytes_of(cast(floats({2.9f, -2.9f, kNaN}), DType::kInt4)), (std::vector<uint8_t>{2, 0xfe, 0}));
  const Tensor back = cast(i4, DType::kInt8);
  const Tensor bf = cast(i4, DType::kFloat);
  for (int j = 0; j < 25; ++j) {
    EXPECT_EQ(back.data_as<int8_t>()[j], i4.data_as<int8_t>()[j]);
    EXPECT_EQ(bf.data_as<float>()[j], i4.data_as<int8_t>()[j]);
  }
  const Tensor uf = cast(u2, DType::kFloat16);
  EXPECT_EQ(kernels::half_bits_to_float(uf.data_as<uint16_t>()[0]), 3.0f);  // -9 mod 4
  // Between small types: int4 -> uint2 keeps the low bits, int64 wraps.
  EXPECT_EQ(bytes_of(cast(cast(make_tensor<int64_t>(DType::kInt64, {2}, {-1, 1000003}), DType::kInt4), DType::kUInt2)),
            (std::vector<uint8_t>{3, 3}));
}

TEST(CastLowp, E8M0RoundModes) {
  const Tensor x = floats({0.0f, 0.124f, 1.1f, 1.5f, 8.0f});
  EXPECT_EQ(bytes_of(cast(x, DType::kFloat8E8M0)), (std::vector<uint8_t>{0, 124, 128, 128, 130}));
  EXPECT_EQ(bytes_of(cast(x, DType::kFloat8E8M0, 24, {{"round_mode", attr_s("down")}})),
            (std::vector<uint8_t>{0, 123, 127, 127, 130}));
  EXPECT_EQ(bytes_of(cast(x, DType::kFloat8E8M0, 24, {{"round_mode", attr_s("nearest")}})),
            (std::vector<uint8_t>{0, 124, 127, 128, 130}));
  const Tensor e = cast(x, DType::kFloat8E8M0);
  const Tensor f = cast(e, DType::kFloat);
  EXPECT_EQ(f.data_as<float>()[2], 2.0f);
  EXPECT_EQ(f.data_as<float>()[0], std::ldexp(1.0f, -127));
  const Tensor like(DType::kFloat8E8M0, {1});
  auto cl = run_op("CastLike", 25, {x, like}, {{"round_mode", attr_s("down")}});
  EXPECT_EQ(bytes_of(cl[0]), (std::vector<uint8_t>{0, 123, 127, 127, 130}));
  try {
    cast(x, DType::kFloat8E8M0, 24, {{"round_mode", attr_s("zero")}});
    FAIL() << "expected an error";
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(err.what()).find("round_mode"), std::string::npos);
  }
}

TEST(CastLowp, StringsAndEmpty) {
  const Tensor f8 = cast(floats({0.5f, -448.0f, kNaN}), DType::kFloat8E4M3FN);
  const Tensor s = cast(f8, DType::kString);
  EXPECT_EQ(s.data_as<std::string>()[0], "0.5");
  EXPECT_EQ(s.data_as<std::string>()[1], "-448.0");
  EXPECT_EQ(s.data_as<std::string>()[2], "nan");
  const Tensor i4 = cast(floats({-3.0f, 7.0f}), DType::kInt4);
  const Tensor si = cast(i4, DType::kString);
  EXPECT_EQ(si.data_as<std::string>()[0], "-3");
  EXPECT_EQ(bytes_of(cast(s, DType::kFloat8E5M2)), (std::vector<uint8_t>{0x38, 0xdf, 0x7e}));  // -448 -> -448
  EXPECT_EQ(bytes_of(cast(si, DType::kInt2)), (std::vector<uint8_t>{1, 0xff}));
  const Tensor empty(DType::kFloat, {0, 3});
  const Tensor e8 = cast(empty, DType::kFloat8E5M2);
  EXPECT_EQ(e8.shape(), (std::vector<int64_t>{0, 3}));
}

TEST(CastLowp, UnsupportedTypes) {
  for (int code : {14, 15, 29, 99}) {
    try {
      cast(floats({1.0f}), static_cast<DType>(code));
      FAIL() << "expected an error for " << code;
    } catch (const Error& err) {
      EXPECT_EQ(err.code(), ErrorCode::kNotImplemented) << code;
    }
  }
}

std::vector<Tensor> bitcast(const Tensor& x, DType to) {
  return run_op("BitCast", 26, {x}, {{"to", attr_i(to_code(to))}});
}

TEST(BitCast, ReinterpretsBits) {
  const Tensor f = make_tensor<float>(DType::kFloat, {2, 2}, {1.0f, -2.0f, 0.0f, kNaN});
  const auto i = bitcast(f, DType::kInt32);
  ASSERT_EQ(i[0].dtype(), DType::kInt32);
  EXPECT_EQ(i[0].shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(i[0].data_as<int32_t>()[0], 0x3f800000);
  EXPECT_EQ(static_cast<uint32_t>(i[0].data_as<int32_t>()[1]), 0xc0000000u);
  const Tensor d = make_tensor<double>(DType::kDouble, {}, {1.0});
  EXPECT_EQ(bitcast(d, DType::kUInt64)[0].data_as<uint64_t>()[0], 0x3ff0000000000000ull);
  const Tensor h = make_tensor<uint16_t>(DType::kFloat16, {1}, {0xbc00});
  EXPECT_EQ(bitcast(h, DType::kInt16)[0].data_as<int16_t>()[0], static_cast<int16_t>(0xbc00));
  // 8-bit: float8 <-> uint8 <-> bool.
  const Tensor f8 = cast(floats({-1.0f}), DType::kFloat8E4M3FN);
  EXPECT_EQ(bitcast(f8, DType::kUInt8)[0].data_as<uint8_t>()[0], 0xb8);
  EXPECT_EQ(bitcast(f8, DType::kFloat8E5M2FNUZ)[0].data_as<uint8_t>()[0], 0xb8);
  // 6-bit: float6e2m3 <-> float6e3m2 only.
  const Tensor f6 = cast(floats({-7.5f, 1.0f}), DType::kFloat6E2M3);
  EXPECT_EQ(bytes_of(f6), (std::vector<uint8_t>{0x3f, 0x08}));
  EXPECT_EQ(bytes_of(bitcast(f6, DType::kFloat6E3M2)[0]), (std::vector<uint8_t>{0x3f, 0x08}));
}

TEST(BitCast, FourAndTwoBitTypesRenormalise) {
  const Tensor i4 = make_tensor<int8_t>(DType::kInt4, {4}, {-1, -8, 7, 0});
  const auto u4 = bitcast(i4, DType::kUInt4);
  EXPECT_EQ(bytes_of(u4[0]), (std::vector<uint8_t>{15, 8, 7, 0}));
  const auto f4 = bitcast(u4[0], DType::kFloat4E2M1);
  EXPECT_EQ(bytes_of(f4[0]), (std::vector<uint8_t>{15, 8, 7, 0}));
  const auto back = bitcast(f4[0], DType::kInt4);
  EXPECT_EQ(bytes_of(back[0]), (std::vector<uint8_t>{0xff, 0xf8, 7, 0}));
  const Tensor u2 = make_tensor<uint8_t>(DType::kUInt2, {4}, {0, 1, 2, 3});
  EXPECT_EQ(bytes_of(bitcast(u2, DType::kInt2)[0]), (std::vector<uint8_t>{0, 1, 0xfe, 0xff}));
}

TEST(BitCast, RejectsBadTypes) {
  const auto expect_error = [](const Tensor& x, int to, ErrorCode code, const char* words) {
    try {
      run_op("BitCast", 26, {x}, {{"to", attr_i(to)}});
      FAIL() << "expected an error";
    } catch (const Error& err) {
      EXPECT_EQ(err.code(), code);
      EXPECT_NE(std::string(err.what()).find(words), std::string::npos) << err.what();
    }
  };
  const Tensor f = floats({1.0f});
  expect_error(f, to_code(DType::kInt64), ErrorCode::kInvalidArgument, "bit width");
  expect_error(f, to_code(DType::kString), ErrorCode::kInvalidArgument, "BitCast");
  expect_error(make_tensor<int8_t>(DType::kInt4, {1}, {1}), to_code(DType::kInt8), ErrorCode::kInvalidArgument,
               "bit width");
  expect_error(f, 14, ErrorCode::kNotImplemented, "not supported");
  Tensor s(DType::kString, {1});
  expect_error(s, to_code(DType::kInt32), ErrorCode::kInvalidArgument, "string");
}

}  // namespace
}  // namespace ortl::mathtest
