// Conv and ConvTranspose ops: auto_pad / pads / output_shape / output_padding resolution into
// kernel geometry (checked against the reference kernel given the padding worked out by hand
// from the spec), kernel_shape inferred from W, symbolic shape inference, dtypes and errors.
#include <gtest/gtest.h>

#include <random>

#include "kernels/conv/conv.h"
#include "tests/linalg/op_harness.h"

namespace ortl::testing {
namespace {

using graph::Dim;
using graph::TypeInfo;

Tensor filled(std::vector<int64_t> shape, uint32_t seed, DType dt = DType::kFloat) {
  Tensor t(dt, std::move(shape));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-3, 3);
  for (int64_t i = 0; i < t.numel(); ++i) {
    if (dt == DType::kFloat) t.data_as<float>()[i] = static_cast<float>(d(rng));
    if (dt == DType::kDouble) t.data_as<double>()[i] = d(rng);
  }
  return t;
}

// Geometry of one test: expected output extents and begin pads for X [1, 2, in...] and
// W [out_channels or in_channels, ..., kernel...].
struct Expect {
  std::vector<int64_t> out, pads_begin;
};

void check_conv(const OpSpec& spec, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel,
                const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations, const Expect& e) {
  const bool transpose = spec.op_type == "ConvTranspose";
  std::vector<int64_t> xs = {1, 2}, ws = {transpose ? 2 : 3, transpose ? 3 : 2};
  xs.insert(xs.end(), in.begin(), in.end());
  ws.insert(ws.end(), kernel.begin(), kernel.end());
  const Tensor x = filled(xs, 1), w = filled(ws, 2), b = filled({3}, 3);
  const Tensor y = run_op(spec, {&x, &w, &b});
  std::vector<int64_t> ys = {1, 3};
  ys.insert(ys.end(), e.out.begin(), e.out.end());
  ASSERT_EQ(y.shape(), ys) << spec.op_type;
  kernels::ConvParams p;
  p.batch = 1, p.c_in = 2, p.c_out = 3, p.group = 1;
  p.in = in, p.out = e.out, p.kernel = kernel, p.strides = strides, p.dilations = dilations;
  p.pads_begin = e.pads_begin;
  Tensor want(DType::kFloat, ys);
  if (transpose) {
    kernels::conv_transpose_ref(p, x.data_as<float>(), w.data_as<float>(), b.data_as<float>(), want.data_as<float>());
  } else {
    kernels::conv_ref(p, x.data_as<float>(), w.data_as<float>(), b.data_as<float>(), want.data_as<float>());
  }
  for (int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.data_as<float>()[i], want.data_as<float>()[i]) << i;
}

OpSpec spec(const char* op, std::map<std::string, graph::Attribute> attrs, int opset = 11) {
  return {op, opset, std::move(attrs)};
}

TEST(ConvOp, AutoPad) {
  // in 7, kernel 4, stride 2: out ceil(7/2) = 4, total pad (4-1)*2 + 4 - 7 = 3.
  check_conv(spec("Conv", {{"auto_pad", string_attr("SAME_UPPER")}, {"strides", ints_attr({2})}}), {7}, {4}, {2}, {1},
             {{4}, {1}});
  check_conv(spec("Conv", {{"auto_pad", string_attr("SAME_LOWER")}, {"strides", ints_attr({2})}}), {7}, {4}, {2}, {1},
             {{4}, {2}});
  // Dilated: kernel 3, dilation 2 spans 5; in 6 stride 1: total 4, split 2 / 2.
  check_conv(spec("Conv", {{"auto_pad", string_attr("SAME_UPPER")}, {"dilations", ints_attr({2, 1})}}), {6, 5}, {3, 2},
             {1, 1}, {2, 1}, {{6, 5}, {2, 0}});
  check_conv(spec("Conv", {{"auto_pad", string_attr("VALID")}, {"strides", ints_attr({2, 3})}}), {9, 9}, {3, 2}, {2, 3},
             {1, 1}, {{4, 3}, {0, 0}});
  // Explicit asymmetric pads, kernel_shape given and matching W.
  check_conv(spec("Conv", {{"pads", ints_attr({1, 0, 2, 3})}, {"kernel_shape", ints_attr({3, 3})}}, 1), {5, 4}, {3, 3},
             {1, 1}, {1, 1}, {{6, 5}, {1, 0}});
  // 3-D.
  check_conv(spec("Conv", {{"pads", ints_attr({1, 1, 1, 1, 1, 1})}, {"strides", ints_attr({1, 2, 1})}}, 22), {4, 5, 3},
             {3, 3, 2}, {1, 2, 1}, {1, 1, 1}, {{4, 3, 4}, {1, 1, 1}});
}

TEST(ConvTransposeOp, OutputShapeAndPadding) {
  // natural extent s * (in - 1) + output_padding + dk - pads.
  check_conv(spec("ConvTranspose", {{"strides", ints_attr({2})}}), {3}, {3}, {2}, {1}, {{7}, {0}});
  check_conv(
      spec("ConvTranspose",
           {{"strides", ints_attr({3, 2})}, {"output_padding", ints_attr({1, 1})}, {"pads", ints_attr({1, 0, 2, 1})}}),
      {3, 4}, {3, 3}, {3, 2}, {1, 1}, {{7, 9}, {1, 0}});
  // SAME_UPPER / SAME_LOWER: output in * s, total = natural - out = 2*2 + 3 - 6 = 1.
  check_conv(spec("ConvTranspose", {{"strides", ints_attr({2})}, {"auto_pad", string_attr("SAME_UPPER")}}), {3}, {3},
             {2}, {1}, {{6}, {0}});
  check_conv(spec("ConvTranspose", {{"strides", ints_attr({2})}, {"auto_pad", string_attr("SAME_LOWER")}}), {3}, {3},
             {2}, {1}, {{6}, {1}});
  // output_shape smaller than natural (9): total 3, begin pad total - total / 2 = 2.
  check_conv(spec("ConvTranspose", {{"strides", ints_attr({3})}, {"output_shape", ints_attr({6})}}), {3}, {3}, {3}, {1},
             {{6}, {2}});
  // output_shape past the natural end: zeros at the end (pads ignored per spec).
  check_conv(
      spec("ConvTranspose",
           {{"strides", ints_attr({3, 2})}, {"output_shape", ints_attr({10, 8})}, {"pads", ints_attr({1, 1, 1, 1})}}),
      {3, 3}, {3, 3}, {3, 2}, {1, 1}, {{10, 8}, {0, 0}});
  // output_shape with N and C in front, as some exporters write it.
  check_conv(spec("ConvTranspose", {{"strides", ints_attr({2})}, {"output_shape", ints_attr({1, 3, 8})}}), {3}, {3},
             {2}, {1}, {{8}, {0}});
  // Dilations and group via the 3-D path.
  check_conv(spec("ConvTranspose", {{"dilations", ints_attr({2, 1, 2})}}, 22), {2, 3, 2}, {2, 2, 3}, {1, 1, 1},
             {2, 1, 2}, {{4, 4, 6}, {0, 0, 0}});
}

TEST(ConvOp, GroupsAndDouble) {
  const Tensor x = filled({2, 6, 5, 5}, 7, DType::kDouble), w = filled({4, 3, 3, 3}, 8, DType::kDouble);
  const Tensor y = run_op(spec("Conv", {{"group", int_attr(2)}, {"pads", ints_attr({1, 1, 1, 1})}}), {&x, &w});
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{2, 4, 5, 5}));
  ASSERT_EQ(y.dtype(), DType::kDouble);
  kernels::ConvParams p;
  p.batch = 2, p.c_in = 6, p.c_out = 4, p.group = 2;
  p.in = {5, 5}, p.out = {5, 5}, p.kernel = {3, 3}, p.strides = {1, 1}, p.dilations = {1, 1}, p.pads_begin = {1, 1};
  std::vector<double> want(static_cast<size_t>(y.numel()));
  kernels::conv_ref<double>(p, x.data_as<double>(), w.data_as<double>(), nullptr, want.data());
  for (int64_t i = 0; i < y.numel(); ++i) ASSERT_EQ(y.data_as<double>()[i], want[i]);
}

TEST(ConvOp, Errors) {
  const Tensor x = filled({1, 4, 6, 6}, 1), w = filled({2, 4, 3, 3}, 2);
  EXPECT_THROW(run_op(spec("Conv", {{"kernel_shape", ints_attr({2, 2})}}), {&x, &w}), Error);
  EXPECT_THROW(run_op(spec("Conv", {{"group", int_attr(2)}}), {&x, &w}), Error);  // W expects 8 channels
  EXPECT_THROW(run_op(spec("Conv", {{"strides", ints_attr({1})}}), {&x, &w}), Error);
  const Tensor big = filled({2, 4, 9, 9}, 3);
  EXPECT_THROW(run_op(spec("Conv", {}), {&x, &big}), Error);  // kernel larger than the input
  const Tensor bias = filled({3}, 4);
  EXPECT_THROW(run_op(spec("Conv", {}), {&x, &w, &bias}), Error);
  EXPECT_THROW(build_op(spec("Conv", {{"auto_pad", string_attr("SAME")}})), Error);
  EXPECT_THROW(build_op(spec("Conv", {{"strides", ints_attr({0, 1})}})), Error);
  EXPECT_THROW(build_op(spec("Conv", {{"group", int_attr(0)}})), Error);
}

TEST(ConvOp, InferSymbolic) {
  auto conv = build_op(spec("Conv", {{"auto_pad", string_attr("SAME_UPPER")}, {"strides", ints_attr({2, 2})}}));
  FakeInfer ctx({TypeInfo::of(DType::kFloat, {Dim(std::string("N")), 3, Dim(std::string("H")), 224}),
                 TypeInfo::of(DType::kFloat, {16, 3, 3, 3})},
                1);
  conv->infer(ctx);
  const TypeInfo& y = ctx.output(0);
  ASSERT_TRUE(y.has_shape);
  ASSERT_EQ(y.shape.size(), 4u);
  EXPECT_EQ(y.shape[0].symbol, "N");
  EXPECT_EQ(y.shape[1].value, 16);
  EXPECT_FALSE(y.shape[2].known());
  EXPECT_EQ(y.shape[3].value, 112);
  FakeInfer norank({TypeInfo{DType::kFloat, false, {}}, TypeInfo{DType::kFloat, false, {}}}, 1);
  conv->infer(norank);
  EXPECT_FALSE(norank.output(0).has_shape);
  // ConvTranspose output channels come from W[1] * group; output_shape fixes spatial dims.
  auto convt = build_op(spec("ConvTranspose", {{"group", int_attr(2)}, {"output_shape", ints_attr({20})}}));
  FakeInfer t({TypeInfo::of(DType::kFloat, {1, 4, Dim()}), TypeInfo::of(DType::kFloat, {4, 3, 3})}, 1);
  convt->infer(t);
  ASSERT_EQ(t.output(0).shape.size(), 3u);
  EXPECT_EQ(t.output(0).shape[1].value, 6);
  EXPECT_EQ(t.output(0).shape[2].value, 20);
}

}  // namespace
}  // namespace ortl::testing
