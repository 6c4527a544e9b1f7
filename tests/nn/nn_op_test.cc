// Op-level semantics of the nn family that the ONNX node tests leave out: opset differences
// (Softmax 2-D coercion before 13, BatchNormalization spatial = 0, GroupNormalization-18
// per-group parameters), LayerNormalization broadcasting and statistics outputs, MVN axes,
// symbolic shape inference, and the error codes for bad attributes, shapes and dtypes.
#include <gtest/gtest.h>

#include <random>

#include "kernels/eltwise/half.h"
#include "kernels/norm/norm.h"
#include "kernels/softmax/softmax.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

Tensor floats(const std::vector<int64_t>& shape, uint32_t seed, double lo = -3, double hi = 3) {
  std::mt19937 rng(seed);
  return make_tensor(DType::kFloat, shape, random_vec<float>(rng, numel_of(shape), lo, hi));
}

const float* f(const Tensor& t) { return t.data_as<float>(); }

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

TEST(SoftmaxOp, Opset11CoercesTo2D) {
  const Tensor x = floats({2, 3, 4}, 1);
  // opset 11, axis 1: rows of 12 values.
  auto y = OpCall("Softmax", 11).input(x).attr_int("axis", 1).run();
  std::vector<float> want(24);
  kernels::softmax_ref<float>(kernels::SoftmaxKind::kSoftmax, {2, 12, 1}, f(x), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 24, 1e-5, 1e-7));
  // opset 13, axis 1: along dim 1 only.
  y = OpCall("Softmax", 13).input(x).attr_int("axis", 1).run();
  kernels::softmax_ref<float>(kernels::SoftmaxKind::kSoftmax, {2, 3, 4}, f(x), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 24, 1e-5, 1e-7));
  // defaults: axis 1 before 13, -1 from 13.
  y = OpCall("LogSoftmax", 1).input(x).run();
  kernels::softmax_ref<float>(kernels::SoftmaxKind::kLogSoftmax, {2, 12, 1}, f(x), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 24, 1e-5, 1e-6));
  y = OpCall("LogSoftmax", 13).input(x).run();
  kernels::softmax_ref<float>(kernels::SoftmaxKind::kLogSoftmax, {6, 4, 1}, f(x), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 24, 1e-5, 1e-6));
}

TEST(SoftmaxOp, HardmaxOldAndNew) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 2, 2}, {1, 5, 5, 2, 0, 0, 3, 1});
  auto y = OpCall("Hardmax", 11).input(x).run();  // rows of 4: first maximum wins
  EXPECT_EQ(std::vector<float>(f(y[0]), f(y[0]) + 8), (std::vector<float>{0, 1, 0, 0, 0, 0, 1, 0}));
  y = OpCall("Hardmax", 13).input(x).attr_int("axis", 1).run();
  EXPECT_EQ(std::vector<float>(f(y[0]), f(y[0]) + 8), (std::vector<float>{0, 1, 1, 0, 0, 0, 1, 1}));
}

TEST(SoftmaxOp, ErrorsAndSymbolicShapes) {
  const Tensor x = floats({2, 3}, 2);
  EXPECT_EQ(error_of([&] { OpCall("Softmax", 13).input(x).attr_int("axis", 2).run(); }), ErrorCode::kInvalidArgument);
  const Tensor xi = make_tensor<int32_t>(DType::kInt32, {2}, {1, 2});
  EXPECT_EQ(error_of([&] { OpCall("Softmax", 13).input(xi).run(); }), ErrorCode::kNotImplemented);
  OpCall c("Softmax", 13);
  c.input(x);
  auto out = c.infer({graph::TypeInfo::of(DType::kFloat, {graph::Dim("batch"), 3})});
  ASSERT_TRUE(out[0].has_shape);
  EXPECT_EQ(out[0].shape[0].symbol, "batch");
  out = c.infer({graph::TypeInfo{DType::kFloat, false, {}}});
  EXPECT_FALSE(out[0].has_shape);
}

TEST(BatchNormOp, SpatialZeroUsesPerPositionStatistics) {
  const Tensor x = floats({2, 3, 2}, 3);
  const Tensor s = floats({3, 2}, 4), b = floats({3, 2}, 5), m = floats({3, 2}, 6), v = floats({3, 2}, 7, 0.5, 2);
  auto y = OpCall("BatchNormalization", 7).input(x).input(s).input(b).input(m).input(v).attr_int("spatial", 0).run();
  for (int n = 0; n < 2; ++n) {
    for (int k = 0; k < 6; ++k) {
      const float want = f(s)[k] * (f(x)[n * 6 + k] - f(m)[k]) / std::sqrt(f(v)[k] + 1e-5f) + f(b)[k];
      EXPECT_NEAR(f(y[0])[n * 6 + k], want, 1e-5);
    }
  }
  // The same parameters with spatial = 1 do not fit C = 3.
  EXPECT_EQ(error_of([&] { OpCall("BatchNormalization", 7).input(x).input(s).input(b).input(m).input(v).run(); }),
            ErrorCode::kInvalidArgument);
}

TEST(BatchNormOp, TrainingModeOutputs) {
  const Tensor x = floats({3, 2, 4}, 8);
  const Tensor s = floats({2}, 9), b = floats({2}, 10), m = floats({2}, 11), v = floats({2}, 12, 0.5, 2);
  auto y = OpCall("BatchNormalization", 15)
               .input(x)
               .input(s)
               .input(b)
               .input(m)
               .input(v)
               .attr_int("training_mode", 1)
               .attr_float("momentum", 0.8f)
               .outputs(3)
               .run();
  for (int c = 0; c < 2; ++c) {
    double sum = 0, sq = 0;
    for (int n = 0; n < 3; ++n)
      for (int k = 0; k < 4; ++k) sum += f(x)[(n * 2 + c) * 4 + k];
    const double mean = sum / 12;
    for (int n = 0; n < 3; ++n)
      for (int k = 0; k < 4; ++k) sq += std::pow(f(x)[(n * 2 + c) * 4 + k] - mean, 2);
    const double var = sq / 12;
    EXPECT_NEAR(f(y[1])[c], f(m)[c] * 0.8 + mean * 0.2, 1e-5);
    EXPECT_NEAR(f(y[2])[c], f(v)[c] * 0.8 + var * 0.2, 1e-5);
    const double y0 = f(s)[c] * (f(x)[c * 4] - mean) / std::sqrt(var + 1e-5) + f(b)[c];
    EXPECT_NEAR(f(y[0])[c * 4], y0, 1e-4);
  }
}

TEST(LayerNormOp, AxisStatisticsAndBroadcastScale) {
  const Tensor x = floats({2, 3, 5}, 13);
  const Tensor scale = floats({5}, 14);  // broadcasts over X.shape[1:] = [3, 5]
  auto y = OpCall("LayerNormalization", 17).input(x).input(scale).no_input().attr_int("axis", 1).outputs(3).run();
  std::vector<float> full(15), want(30), mean(2), inv(2);
  for (int i = 0; i < 15; ++i) full[i] = f(scale)[i % 5];
  kernels::layer_norm_ref<float>({2, 15, 1e-5f}, f(x), full.data(), nullptr, want.data(), mean.data(), inv.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 30, 1e-5, 1e-5));
  EXPECT_EQ(y[1].shape(), (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(y[2].shape(), (std::vector<int64_t>{2, 1, 1}));
  EXPECT_TRUE(all_close(f(y[1]), mean.data(), 2, 1e-5, 1e-6));
  EXPECT_TRUE(all_close(f(y[2]), inv.data(), 2, 1e-5, 1e-6));
  const Tensor bad = floats({4}, 15);
  EXPECT_EQ(error_of([&] { OpCall("LayerNormalization", 17).input(x).input(bad).run(); }), ErrorCode::kInvalidArgument);
}

TEST(GroupNormOp, Opset18PerGroupAnd21PerChannel) {
  const Tensor x = floats({2, 4, 3}, 16);
  const Tensor sg = floats({2}, 17), bg = floats({2}, 18);
  auto y18 = OpCall("GroupNormalization", 18).input(x).input(sg).input(bg).attr_int("num_groups", 2).run();
  std::vector<float> sc(4), bc(4), want(24);
  for (int c = 0; c < 4; ++c) {
    sc[c] = f(sg)[c / 2];
    bc[c] = f(bg)[c / 2];
  }
  kernels::group_norm_ref<float>({2, 4, 3, 2, 1e-5f}, f(x), sc.data(), bc.data(), want.data());
  EXPECT_TRUE(all_close(f(y18[0]), want.data(), 24, 1e-5, 1e-5));
  const Tensor s4 = make_tensor(DType::kFloat, {4}, sc), b4 = make_tensor(DType::kFloat, {4}, bc);
  auto y21 = OpCall("GroupNormalization", 21).input(x).input(s4).input(b4).attr_int("num_groups", 2).run();
  EXPECT_TRUE(all_close(f(y21[0]), want.data(), 24, 1e-5, 1e-5));
  EXPECT_EQ(
      error_of([&] { OpCall("GroupNormalization", 21).input(x).input(sg).input(bg).attr_int("num_groups", 2).run(); }),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      error_of([&] { OpCall("GroupNormalization", 21).input(x).input(s4).input(b4).attr_int("num_groups", 3).run(); }),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { OpCall("GroupNormalization", 21).input(x).input(s4).input(b4).build(); }),
            ErrorCode::kInvalidModel);
}

TEST(InstanceNormOp, MatchesGroupNormWithOneChannelPerGroup) {
  const Tensor x = floats({2, 3, 7}, 19), s = floats({3}, 20), b = floats({3}, 21);
  auto y = OpCall("InstanceNormalization", 6).input(x).input(s).input(b).attr_float("epsilon", 1e-3f).run();
  std::vector<float> want(42);
  kernels::group_norm_ref<float>({2, 3, 7, 3, 1e-3f}, f(x), f(s), f(b), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 42, 1e-5, 1e-5));
}

TEST(MvnOp, AxesWithAndWithoutPermutation) {
  const Tensor x = floats({2, 3, 2, 4}, 22);
  for (const std::vector<int64_t>& axes : std::vector<std::vector<int64_t>>{{0, 2, 3}, {2, 3}, {1}, {-1, 0}}) {
    auto y = OpCall("MeanVarianceNormalization", 13).input(x).attr_ints("axes", axes).run();
    // Direct formula per output element.
    std::vector<bool> mask(4, false);
    for (int64_t a : axes) mask[a < 0 ? a + 4 : a] = true;
    const std::vector<int64_t> s{2, 3, 2, 4};
    for (int64_t i = 0; i < 48; ++i) {
      std::vector<int64_t> idx(4);
      for (int64_t d = 3, r = i; d >= 0; --d) {
        idx[d] = r % s[d];
        r /= s[d];
      }
      double sum = 0, sq = 0;
      int cnt = 0;
      for (int64_t j = 0; j < 48; ++j) {
        bool same = true;
        for (int64_t d = 3, r = j; d >= 0; --d) {
          if (!mask[d] && r % s[d] != idx[d]) same = false;
          r /= s[d];
        }
        if (!same) continue;
        sum += f(x)[j];
        sq += f(x)[j] * f(x)[j];
        ++cnt;
      }
      const double m = sum / cnt, var = sq / cnt - m * m;
      EXPECT_NEAR(f(y[0])[i], (f(x)[i] - m) / (std::sqrt(std::max(var, 0.0)) + 1e-9), 1e-4);
    }
  }
  EXPECT_EQ(error_of([&] { OpCall("MeanVarianceNormalization", 13).input(x).attr_ints("axes", {4}).run(); }),
            ErrorCode::kInvalidArgument);
}

TEST(LpNormOp, AxisAndP) {
  const Tensor x = floats({3, 4}, 23);
  auto y = OpCall("LpNormalization", 1).input(x).attr_int("axis", 0).attr_int("p", 1).run();
  std::vector<float> want(12);
  kernels::lp_norm_ref<float>(1, 3, 4, 1, f(x), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 12, 1e-5, 1e-6));
  EXPECT_EQ(error_of([&] { OpCall("LpNormalization", 1).input(x).attr_int("p", 3).build(); }),
            ErrorCode::kInvalidModel);
}

TEST(LrnOp, NeedsSize) {
  const Tensor x = floats({1, 5, 2, 2}, 24);
  EXPECT_EQ(error_of([&] { OpCall("LRN", 13).input(x).build(); }), ErrorCode::kInvalidModel);
  auto y = OpCall("LRN", 13).input(x).attr_int("size", 3).run();
  std::vector<float> want(20);
  kernels::lrn_ref<float>({1, 5, 4, 3, 1e-4f, 0.75f, 1.0f}, f(x), want.data());
  EXPECT_TRUE(all_close(f(y[0]), want.data(), 20, 1e-5, 1e-6));
}

TEST(NnOps, Float16AndBFloat16ThroughFloat) {
  const Tensor x = floats({3, 8}, 26);
  auto want = OpCall("Softmax", 13).input(x).run();
  for (DType dt : {DType::kFloat16, DType::kBFloat16}) {
    std::vector<uint16_t> bits;
    for (int i = 0; i < 24; ++i) {
      bits.push_back(dt == DType::kFloat16 ? kernels::float_to_half_bits(f(x)[i])
                                           : kernels::float_to_bf16_bits(f(x)[i]));
    }
    auto y = OpCall("Softmax", 13).input(make_tensor(dt, {3, 8}, bits)).run();
    ASSERT_EQ(y[0].dtype(), dt);
    for (int i = 0; i < 24; ++i) {
      const uint16_t b = y[0].data_as<uint16_t>()[i];
      const float got = dt == DType::kFloat16 ? kernels::half_bits_to_float(b) : kernels::bf16_bits_to_float(b);
      EXPECT_NEAR(got, f(want[0])[i], dt == DType::kFloat16 ? 2e-3 : 1.6e-2);
    }
  }
  // LayerNorm in float16 with float statistics outputs.
  std::vector<uint16_t> xb, sb;
  for (int i = 0; i < 24; ++i) xb.push_back(kernels::float_to_half_bits(f(x)[i]));
  for (int i = 0; i < 8; ++i) sb.push_back(kernels::float_to_half_bits(1.0f));
  auto ln = OpCall("LayerNormalization", 17)
                .input(make_tensor(DType::kFloat16, {3, 8}, xb))
                .input(make_tensor(DType::kFloat16, {8}, sb))
                .outputs(3)
                .run();
  EXPECT_EQ(ln[0].dtype(), DType::kFloat16);
  EXPECT_EQ(ln[1].dtype(), DType::kFloat);
}

TEST(NnOps, DoublePrecision) {
  std::mt19937 rng(25);
  const Tensor x = make_tensor(DType::kDouble, {2, 3, 4}, random_vec<double>(rng, 24));
  const Tensor s = make_tensor(DType::kDouble, {3}, random_vec<double>(rng, 3));
  const Tensor b = make_tensor(DType::kDouble, {3}, random_vec<double>(rng, 3));
  auto y = OpCall("InstanceNormalization", 22).input(x).input(s).input(b).run();
  std::vector<double> want(24);
  kernels::group_norm_ref<double>({2, 3, 4, 3, 1e-5f}, x.data_as<double>(), s.data_as<double>(), b.data_as<double>(),
                                  want.data());
  EXPECT_TRUE(all_close(y[0].data_as<double>(), want.data(), 24, 1e-12, 1e-12));
  y = OpCall("Softmax", 13).input(x).run();
  kernels::softmax_ref<double>(kernels::SoftmaxKind::kSoftmax, {6, 4, 1}, x.data_as<double>(), want.data());
  EXPECT_TRUE(all_close(y[0].data_as<double>(), want.data(), 24, 1e-12, 1e-14));
}

}  // namespace
}  // namespace ortl::nntest
