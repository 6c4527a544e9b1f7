// Op-level semantics of the reduce family: axes as attribute (old opsets) or input (new),
// keepdims, noop_with_empty_axes, negative and unsorted axes, empty sets, bool Max/Min,
// ArgMax/ArgMin attributes, symbolic shape inference and error codes.
#include <gtest/gtest.h>

#include <random>

#include "kernels/eltwise/half.h"
#include "kernels/reduce/reduce.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

Tensor floats(const std::vector<int64_t>& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  return make_tensor(DType::kFloat, shape, random_vec<float>(rng, numel_of(shape), 0.1, 3));
}
Tensor ints(const std::vector<int64_t>& v) { return make_tensor(DType::kInt64, {static_cast<int64_t>(v.size())}, v); }

std::vector<float> values(const Tensor& t) { return {t.data_as<float>(), t.data_as<float>() + t.numel()}; }

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

struct OpVersions {
  const char* op;
  kernels::ReduceOp kop;
  int axes_input_since;
};
const OpVersions kReduceOps[] = {
    {"ReduceSum", kernels::ReduceOp::kSum, 13},
    {"ReduceMean", kernels::ReduceOp::kMean, 18},
    {"ReduceMax", kernels::ReduceOp::kMax, 18},
    {"ReduceMin", kernels::ReduceOp::kMin, 18},
    {"ReduceProd", kernels::ReduceOp::kProd, 18},
    {"ReduceL1", kernels::ReduceOp::kL1, 18},
    {"ReduceL2", kernels::ReduceOp::kL2, 18},
    {"ReduceLogSum", kernels::ReduceOp::kLogSum, 18},
    {"ReduceLogSumExp", kernels::ReduceOp::kLogSumExp, 18},
    {"ReduceSumSquare", kernels::ReduceOp::kSumSquare, 18},
};

// Attribute axes before the switch, input axes after: same result, keepdims on and off.
TEST(ReduceOp, AxesAttributeAndInputAgree) {
  const Tensor x = floats({2, 3, 4}, 1);
  for (const auto& o : kReduceOps) {
    std::vector<float> want(8);
    kernels::reduce_ref<float>(o.kop, {2, 3, 4}, {false, true, false}, x.data_as<float>(), want.data());
    for (int keep : {0, 1}) {
      const std::vector<int64_t> shape = keep ? std::vector<int64_t>{2, 1, 4} : std::vector<int64_t>{2, 4};
      auto a = OpCall(o.op, o.axes_input_since - 1).input(x).attr_ints("axes", {-2}).attr_int("keepdims", keep).run();
      auto b = OpCall(o.op, o.axes_input_since).input(x).input(ints({1})).attr_int("keepdims", keep).run();
      EXPECT_EQ(a[0].shape(), shape) << o.op;
      EXPECT_EQ(b[0].shape(), shape) << o.op;
      EXPECT_TRUE(all_close(a[0].data_as<float>(), want.data(), 8, 1e-5, 1e-6)) << o.op;
      EXPECT_TRUE(all_close(b[0].data_as<float>(), want.data(), 8, 1e-5, 1e-6)) << o.op;
    }
  }
}

TEST(ReduceOp, EmptyAxesReduceAllOrNothing) {
  const Tensor x = floats({2, 3}, 2);
  auto all = OpCall("ReduceSum", 13).input(x).input(ints({})).run();
  EXPECT_EQ(all[0].shape(), (std::vector<int64_t>{1, 1}));
  float sum = 0;
  for (float v : values(x)) sum += v;
  EXPECT_NEAR(all[0].data_as<float>()[0], sum, 1e-5);
  auto omitted = OpCall("ReduceSum", 13).input(x).attr_int("keepdims", 0).run();
  EXPECT_EQ(omitted[0].shape(), (std::vector<int64_t>{}));
  // noop: a reduction over no axes applies the op's map to each element.
  auto noop = OpCall("ReduceSum", 13).input(x).input(ints({})).attr_int("noop_with_empty_axes", 1).run();
  EXPECT_EQ(values(noop[0]), values(x));
  auto sq = OpCall("ReduceSumSquare", 18).input(x).attr_int("noop_with_empty_axes", 1).run();
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(sq[0].data_as<float>()[i], values(x)[i] * values(x)[i]);
}

TEST(ReduceOp, MultipleUnsortedNegativeAxes) {
  const Tensor x = floats({2, 3, 4, 5}, 3);
  auto y = OpCall("ReduceMean", 18).input(x).input(ints({-1, 0})).attr_int("keepdims", 0).run();
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{3, 4}));
  std::vector<float> want(12);
  kernels::reduce_ref<float>(kernels::ReduceOp::kMean, {2, 3, 4, 5}, {true, false, false, true}, x.data_as<float>(),
                             want.data());
  EXPECT_TRUE(all_close(y[0].data_as<float>(), want.data(), 12, 1e-5, 1e-6));
}

TEST(ReduceOp, EmptySetAndZeroSizeKeptDim) {
  const Tensor x(DType::kFloat, {2, 0, 4});
  auto y = OpCall("ReduceProd", 18).input(x).input(ints({1})).run();
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 1, 4}));
  for (float v : values(y[0])) EXPECT_EQ(v, 1.0f);
  auto z = OpCall("ReduceSum", 13).input(x).input(ints({2})).run();  // output itself is empty
  EXPECT_EQ(z[0].shape(), (std::vector<int64_t>{2, 0, 1}));
}

TEST(ReduceOp, BoolAndSmallIntegerMaxMin) {
  const Tensor b = make_tensor<uint8_t>(DType::kBool, {2, 2}, {1, 0, 0, 0});
  auto y = OpCall("ReduceMax", 20).input(b).input(ints({1})).attr_int("keepdims", 0).run();
  EXPECT_EQ(y[0].dtype(), DType::kBool);
  EXPECT_EQ(y[0].data_as<uint8_t>()[0], 1);
  EXPECT_EQ(y[0].data_as<uint8_t>()[1], 0);
  EXPECT_EQ(error_of([&] { OpCall("ReduceSum", 13).input(b).run(); }), ErrorCode::kNotImplemented);
  const Tensor i8 = make_tensor<int8_t>(DType::kInt8, {3}, {-5, 7, 2});
  auto m = OpCall("ReduceMin", 13).input(i8).attr_int("keepdims", 0).run();
  EXPECT_EQ(m[0].data_as<int8_t>()[0], -5);
  const Tensor u16(DType::kUInt16, {2});
  EXPECT_EQ(error_of([&] { OpCall("ReduceMax", 18).input(u16).run(); }), ErrorCode::kNotImplemented);
}

TEST(ReduceOp, Float16WidenedToFloat) {
  const std::vector<float> v{0.5f, 1.25f, -2.0f, 3.0f, 0.75f, -1.5f};
  std::vector<uint16_t> bits;
  for (float x : v) bits.push_back(kernels::float_to_half_bits(x));
  const Tensor h = make_tensor(DType::kFloat16, {2, 3}, bits);
  auto y = OpCall("ReduceSum", 13).input(h).input(ints({1})).attr_int("keepdims", 0).run();
  ASSERT_EQ(y[0].dtype(), DType::kFloat16);
  EXPECT_EQ(kernels::half_bits_to_float(y[0].data_as<uint16_t>()[0]), -0.25f);
  EXPECT_EQ(kernels::half_bits_to_float(y[0].data_as<uint16_t>()[1]), 2.25f);
  auto a = OpCall("ArgMin", 13).input(h).attr_int("axis", 1).run();
  EXPECT_EQ(a[0].data_as<int64_t>()[0], 2);
  EXPECT_EQ(a[0].data_as<int64_t>()[1], 2);
}

TEST(ReduceOp, InferenceWithUnknownAxesAndSymbolicDims) {
  OpCall c("ReduceSum", 13);
  c.input(floats({2, 3}, 4)).input(ints({1}));
  const auto x = graph::TypeInfo::of(DType::kFloat, {graph::Dim("n"), 3});
  const auto ax = graph::TypeInfo::of(DType::kInt64, {1});
  auto out = c.infer({x, ax});  // axes value unknown, keepdims = 1: rank known, dims not
  ASSERT_TRUE(out[0].has_shape);
  EXPECT_EQ(out[0].rank(), 2);
  c.attr_int("keepdims", 0);
  out = c.infer({x, ax});
  EXPECT_FALSE(out[0].has_shape);
  OpCall old("ReduceMean", 11);
  old.input(floats({2, 3}, 5)).attr_ints("axes", {1});
  out = old.infer({x});
  ASSERT_TRUE(out[0].has_shape);
  EXPECT_EQ(out[0].shape[0].symbol, "n");
  EXPECT_EQ(out[0].shape[1].value, 1);
  EXPECT_EQ(old.shape_inputs_of(), std::vector<int>{});
}

TEST(ReduceOp, AxisOutOfRange) {
  const Tensor x = floats({2, 3}, 6);
  EXPECT_EQ(error_of([&] { OpCall("ReduceSum", 13).input(x).input(ints({2})).run(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { OpCall("ReduceMax", 11).input(x).attr_ints("axes", {-3}).run(); }),
            ErrorCode::kInvalidArgument);
}

TEST(ArgReduceOp, AttributesAndShapes) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 3}, {1, 4, 4, 2, 2, 0});
  auto y = OpCall("ArgMax", 13).input(x).attr_int("axis", 1).run();
  EXPECT_EQ(y[0].dtype(), DType::kInt64);
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(y[0].data_as<int64_t>()[0], 1);
  EXPECT_EQ(y[0].data_as<int64_t>()[1], 0);
  y = OpCall("ArgMax", 12).input(x).attr_int("axis", -1).attr_int("keepdims", 0).attr_int("select_last_index", 1).run();
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2}));
  EXPECT_EQ(y[0].data_as<int64_t>()[0], 2);
  EXPECT_EQ(y[0].data_as<int64_t>()[1], 1);
  y = OpCall("ArgMin", 11).input(x).run();  // axis 0
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(std::vector<int64_t>(y[0].data_as<int64_t>(), y[0].data_as<int64_t>() + 3),
            (std::vector<int64_t>{0, 1, 1}));
  const Tensor empty(DType::kFloat, {2, 0});
  EXPECT_EQ(error_of([&] { OpCall("ArgMax", 13).input(empty).attr_int("axis", 1).run(); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { OpCall("ArgMax", 13).input(x).attr_int("axis", 2).run(); }), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ortl::nntest
