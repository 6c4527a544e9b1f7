// Op-level semantics of the vision family beyond the ONNX node tests: hand-checked values for
// GridSample padding / rounding / cubic weights / N-d indexing, AffineGrid, RoiAlign, Col2Im,
// MaxUnpool, DeformConv (against a plain convolution), NonMaxSuppression ordering, TopK and
// Unique ties and NaNs, Det, and the errors bad inputs and attributes raise.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "kernels/vision/vision.h"
#include "opset/util.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

Tensor f32(const std::vector<int64_t>& shape, const std::vector<float>& v) {
  return make_tensor(DType::kFloat, shape, v);
}
Tensor i64(const std::vector<int64_t>& shape, const std::vector<int64_t>& v) {
  return make_tensor(DType::kInt64, shape, v);
}
template <class T>
std::vector<T> vec(const Tensor& t) {
  return std::vector<T>(t.data_as<T>(), t.data_as<T>() + t.numel());
}
OpCall& attr_str(OpCall& c, const std::string& name, const std::string& v) {
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = v;
  c.node.attrs[name] = a;
  return c;
}

// ---- GridSample ---------------------------------------------------------------------------

std::vector<float> grid_sample(int opset, const Tensor& x, const Tensor& g, const std::string& mode,
                               const std::string& pad, int align) {
  OpCall c("GridSample", opset);
  c.input(x).input(g).attr_int("align_corners", align);
  attr_str(c, "mode", mode);
  attr_str(c, "padding_mode", pad);
  return vec<float>(c.run()[0]);
}

TEST(GridSampleOp, LinearCornersAndCentre) {
  const Tensor x = f32({1, 1, 2, 2}, {1, 2, 3, 4});
  // (x, y) pairs: x runs along W.
  const Tensor g = f32({1, 1, 4, 2}, {-1, -1, 1, -1, 1, 1, 0, 0});
  EXPECT_EQ(grid_sample(20, x, g, "linear", "zeros", 1), (std::vector<float>{1, 2, 4, 2.5f}));
  EXPECT_EQ(grid_sample(16, x, g, "bilinear", "zeros", 1), (std::vector<float>{1, 2, 4, 2.5f}));
}

TEST(GridSampleOp, NearestRoundsHalfToEven) {
  const Tensor x = f32({1, 1, 1, 4}, {10, 20, 30, 40});
  // align_corners = 0: x = -0.5 -> 0.5 -> 0; x = 0 -> 1.5 -> 2.
  const Tensor g = f32({1, 1, 2, 2}, {-0.5f, 0, 0, 0});
  EXPECT_EQ(grid_sample(22, x, g, "nearest", "zeros", 0), (std::vector<float>{10, 30}));
}

TEST(GridSampleOp, PaddingModesOutside) {
  const Tensor x = f32({1, 1, 1, 4}, {1, 2, 3, 4});
  // Normalized -2 is pixel -2.5: zeros reads nothing, border the first pixel, reflection
  // folds at -0.5 to pixel 1.5.
  const Tensor g = f32({1, 1, 1, 2}, {-2, 0});
  EXPECT_EQ(grid_sample(20, x, g, "linear", "zeros", 0), (std::vector<float>{0}));
  EXPECT_EQ(grid_sample(20, x, g, "linear", "border", 0), (std::vector<float>{1}));
  EXPECT_EQ(grid_sample(20, x, g, "linear", "reflection", 0), (std::vector<float>{2.5f}));
}

TEST(GridSampleOp, CubicKeysWeights) {
  const Tensor x = f32({1, 1, 1, 4}, {1, 2, 4, 8});
  // align_corners = 1: normalized 0 is pixel 1.5; Keys (a = -0.75) weights at t = 0.5 are
  // -0.09375, 0.59375, 0.59375, -0.09375.
  const Tensor g = f32({1, 1, 1, 2}, {0, -1});
  const std::vector<float> y = grid_sample(20, x, g, "cubic", "zeros", 1);
  EXPECT_NEAR(y[0], 2.71875f, 1e-6);
}

TEST(GridSampleOp, VolumetricIntegerPositionsGather) {
  std::mt19937 rng(5);
  const std::vector<int64_t> xs{1, 2, 3, 4, 5};
  const Tensor x = make_tensor(DType::kFloat, xs, random_vec<float>(rng, numel_of(xs)));
  // Every voxel once, in reverse order, at exact integer positions (align_corners = 1).
  std::vector<float> g;
  for (int i = 59; i >= 0; --i) {
    const int d = i / 20, h = (i / 5) % 4, w = i % 5;
    g.insert(g.end(), {w / 2.f - 1, h * 2 / 3.f - 1, static_cast<float>(d) - 1});
  }
  const Tensor grid = f32({1, 3, 4, 5, 3}, g);
  for (const char* mode : {"linear", "nearest", "cubic"}) {
    const std::vector<float> y = grid_sample(20, x, grid, mode, "border", 1);
    for (int c = 0; c < 2; ++c) {
      for (int i = 0; i < 60; ++i) EXPECT_NEAR(y[c * 60 + i], x.data_as<float>()[c * 60 + 59 - i], 1e-5) << mode;
    }
  }
}

TEST(GridSampleOp, Float16XWithFloatGrid) {
  const Tensor x = f32({1, 2, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9});
  const Tensor g = f32({1, 1, 3, 2}, {0.25f, -0.5f, 0.9f, 0.9f, -1, 1});
  const std::vector<float> want = grid_sample(22, x, g, "linear", "zeros", 0);
  Tensor xh(DType::kFloat16, x.shape());
  opset::float_to_half(x.data_as<float>(), xh);
  OpCall c("GridSample", 22);
  const std::vector<Tensor> y = c.input(xh).input(g).run();
  ASSERT_EQ(y[0].dtype(), DType::kFloat16);
  const Tensor yf = opset::half_to_float(y[0]);
  EXPECT_TRUE(all_close(yf.data_as<float>(), want.data(), 6, 2e-3, 1e-3));
}

TEST(GridSampleOp, Errors) {
  const Tensor x5 = f32({1, 1, 2, 2, 2}, std::vector<float>(8, 1));
  const Tensor g5 = f32({1, 1, 1, 1, 3}, {0, 0, 0});
  EXPECT_EQ(error_of([&] { grid_sample(16, x5, g5, "bilinear", "zeros", 0); }), ErrorCode::kInvalidArgument);
  const Tensor x = f32({1, 1, 2, 2}, {1, 2, 3, 4});
  const Tensor g = f32({1, 1, 1, 2}, {0, 0});
  EXPECT_EQ(error_of([&] { grid_sample(16, x, g, "linear", "zeros", 0); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { grid_sample(20, x, g, "linear", "wrap", 0); }), ErrorCode::kInvalidArgument);
  const Tensor bad = f32({1, 1, 1, 3}, {0, 0, 0});
  EXPECT_EQ(error_of([&] { grid_sample(20, x, bad, "linear", "zeros", 0); }), ErrorCode::kInvalidArgument);
}

// ---- AffineGrid / RoiAlign / Col2Im / MaxUnpool / DeformConv / Det --------------------------

TEST(AffineGridOp, IdentityThetaGivesBaseGrid) {
  const Tensor theta = f32({1, 2, 3}, {1, 0, 0, 0, 1, 0});
  auto y = OpCall("AffineGrid", 20).input(theta).input(i64({4}, {1, 1, 2, 3})).run();
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{1, 2, 3, 2}));
  // Pixel centres: x in {-2/3, 0, 2/3}, y in {-1/2, 1/2}.
  const std::vector<float> got = vec<float>(y[0]);
  const std::vector<float> want{-2 / 3.f, -0.5f, 0, -0.5f, 2 / 3.f, -0.5f, -2 / 3.f, 0.5f, 0, 0.5f, 2 / 3.f, 0.5f};
  EXPECT_TRUE(all_close(got.data(), want.data(), 12, 1e-6, 1e-7));
  y = OpCall("AffineGrid", 20).input(theta).input(i64({4}, {1, 1, 2, 3})).attr_int("align_corners", 1).run();
  const std::vector<float> want_ac{-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1};
  EXPECT_EQ(vec<float>(y[0]), want_ac);
  EXPECT_EQ(error_of([&] {
              OpCall("AffineGrid", 20).input(theta).input(i64({3}, {1, 2, 3})).run();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              OpCall("AffineGrid", 20).input(theta).input(i64({4}, {2, 1, 2, 3})).run();
            }),
            ErrorCode::kInvalidArgument);
}

TEST(RoiAlignOp, RampImageAndVersions) {
  // X[h][w] = w: average pooling returns the mean sample x coordinate (clamped inside).
  std::vector<float> ramp(36);
  for (int i = 0; i < 36; ++i) ramp[i] = static_cast<float>(i % 6);
  const Tensor x = f32({1, 1, 6, 6}, ramp);
  const Tensor rois = f32({1, 4}, {1, 1, 3, 3});
  const Tensor bi = i64({1}, {0});
  auto run = [&](int opset, const char* ct) {
    OpCall c("RoiAlign", opset);
    c.input(x)
        .input(rois)
        .input(bi)
        .attr_int("output_height", 1)
        .attr_int("output_width", 2)
        .attr_int("sampling_ratio", 1);
    if (ct) attr_str(c, "coordinate_transformation_mode", ct);
    return vec<float>(c.run()[0]);
  };
  // output_half_pixel (opset 10's only behaviour): bins [1, 2] and [2, 3], samples at 1.5, 2.5.
  EXPECT_EQ(run(10, nullptr), (std::vector<float>{1.5f, 2.5f}));
  EXPECT_EQ(run(16, "output_half_pixel"), (std::vector<float>{1.5f, 2.5f}));
  // half_pixel (16's default) shifts by half a pixel.
  EXPECT_EQ(run(16, nullptr), (std::vector<float>{1.f, 2.f}));
  const Tensor bad = i64({1}, {1});
  EXPECT_EQ(error_of([&] { OpCall("RoiAlign", 16).input(x).input(rois).input(bad).run(); }),
            ErrorCode::kInvalidArgument);
  OpCall m("RoiAlign", 16);
  attr_str(m.input(x).input(rois).input(bi), "mode", "median");
  EXPECT_EQ(error_of([&] { m.run(); }), ErrorCode::kInvalidArgument);
}

TEST(Col2ImOp, OnesCountCoverage) {
  // 3x3 image, 2x2 blocks, stride 1: 4 blocks; each pixel sums the blocks covering it.
  const Tensor cols = f32({1, 4, 4}, std::vector<float>(16, 1));
  auto y = OpCall("Col2Im", 18).input(cols).input(i64({2}, {3, 3})).input(i64({2}, {2, 2})).run();
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{1, 1, 3, 3}));
  EXPECT_EQ(vec<float>(y[0]), (std::vector<float>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
  // Two channels, int32, stride 2 with padding 1: blocks do not overlap.
  std::vector<int32_t> v(2 * 4 * 4);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int32_t>(i);
  const Tensor ci = make_tensor(DType::kInt32, {1, 8, 4}, v);
  auto z = OpCall("Col2Im", 18)
               .input(ci)
               .input(i64({2}, {2, 2}))
               .input(i64({2}, {2, 2}))
               .attr_ints("strides", {2, 2})
               .attr_ints("pads", {1, 1, 1, 1})
               .run();
  ASSERT_EQ(z[0].shape(), (std::vector<int64_t>{1, 2, 2, 2}));
  // Pixel (0,0) is kernel offset (1,1) of block (0,0): row 3, column 0.
  EXPECT_EQ(vec<int32_t>(z[0]), (std::vector<int32_t>{12, 9, 6, 3, 28, 25, 22, 19}));
  EXPECT_EQ(error_of([&] {
              OpCall("Col2Im", 18).input(cols).input(i64({2}, {4, 4})).input(i64({2}, {2, 2})).run();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              OpCall("Col2Im", 18).input(cols).input(i64({2}, {3, 3})).input(i64({2}, {0, 2})).run();
            }),
            ErrorCode::kInvalidArgument);
}

TEST(MaxUnpoolOp, ScatterAndOutputShape) {
  const Tensor x = f32({1, 1, 2, 2}, {5, 6, 7, 8});
  const Tensor idx = i64({1, 1, 2, 2}, {0, 3, 9, 15});
  auto y =
      OpCall("MaxUnpool", 11).input(x).input(idx).attr_ints("kernel_shape", {2, 2}).attr_ints("strides", {2, 2}).run();
  std::vector<float> want(16, 0);
  want[0] = 5, want[3] = 6, want[9] = 7, want[15] = 8;
  EXPECT_EQ(vec<float>(y[0]), want);
  // A larger output_shape keeps the 4x4 result at its origin.
  y = OpCall("MaxUnpool", 22)
          .input(x)
          .input(idx)
          .input(i64({4}, {1, 1, 5, 5}))
          .attr_ints("kernel_shape", {2, 2})
          .attr_ints("strides", {2, 2})
          .run();
  std::vector<float> want5(25, 0);
  want5[0] = 5, want5[3] = 6, want5[11] = 7, want5[18] = 8;
  EXPECT_EQ(vec<float>(y[0]), want5);
  const Tensor bad = i64({1, 1, 2, 2}, {0, 3, 9, 16});
  EXPECT_EQ(error_of([&] {
              OpCall("MaxUnpool", 11)
                  .input(x)
                  .input(bad)
                  .attr_ints("kernel_shape", {2, 2})
                  .attr_ints("strides", {2, 2})
                  .run();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { OpCall("MaxUnpool", 11).input(x).input(idx).run(); }), ErrorCode::kInvalidArgument);
}

TEST(DeformConvOp, ZeroOffsetsIsConvolution) {
  std::mt19937 rng(11);
  // Small integers keep every product and sum exact.
  const int64_t n = 2, c = 4, h = 5, w = 6, oc = 6, g = 2, kh = 3, kw = 2, og = 2;
  const Tensor x = make_tensor(DType::kFloat, {n, c, h, w}, random_vec<float>(rng, n * c * h * w, -3, 3));
  std::vector<float> wv = random_vec<float>(rng, oc * (c / g) * kh * kw, -2, 2);
  for (auto& v : wv) v = std::round(v);
  std::vector<float> xv(x.data_as<float>(), x.data_as<float>() + x.numel());
  for (auto& v : xv) v = std::round(v);
  const Tensor xr = f32({n, c, h, w}, xv), wt = f32({oc, c / g, kh, kw}, wv);
  const Tensor bias = f32({oc}, {1, 2, 3, 4, 5, 6});
  // stride 1, pad (1, 0), dilation (1, 2): OH = 5 + 2 - 3 + 1 = 5, OW = 6 - 2 - 1 + 1 = 4.
  const int64_t oh = 5, ow = 4;
  const Tensor off = f32({n, og * kh * kw * 2, oh, ow}, std::vector<float>(n * og * kh * kw * 2 * oh * ow, 0));
  const Tensor mask = f32({n, og * kh * kw, oh, ow}, std::vector<float>(n * og * kh * kw * oh * ow, 0.5f));
  auto y = OpCall("DeformConv", 19)
               .input(xr)
               .input(wt)
               .input(off)
               .input(bias)
               .input(mask)
               .attr_int("group", g)
               .attr_int("offset_group", og)
               .attr_ints("pads", {1, 0, 1, 0})
               .attr_ints("dilations", {1, 2})
               .run();
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{n, oc, oh, ow}));
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t o = 0; o < oc; ++o) {
      for (int64_t i = 0; i < oh; ++i) {
        for (int64_t j = 0; j < ow; ++j) {
          double acc = 0;
          const int64_t grp = o / (oc / g);
          for (int64_t ci = 0; ci < c / g; ++ci) {
            for (int64_t a = 0; a < kh; ++a) {
              for (int64_t e = 0; e < kw; ++e) {
                const int64_t yy = i - 1 + a, xx = j + 2 * e;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                acc +=
                    wv[((o * (c / g) + ci) * kh + a) * kw + e] * xv[((b * c + grp * (c / g) + ci) * h + yy) * w + xx];
              }
            }
          }
          EXPECT_FLOAT_EQ(y[0].data_as<float>()[((b * oc + o) * oh + i) * ow + j], 0.5 * acc + (o + 1));
        }
      }
    }
  }
  const Tensor bad_off = f32({n, 2, oh, ow}, std::vector<float>(n * 2 * oh * ow, 0));
  EXPECT_EQ(error_of([&] { OpCall("DeformConv", 19).input(xr).input(wt).input(bad_off).attr_int("group", g).run(); }),
            ErrorCode::kInvalidArgument);
}

TEST(DeformConvOp, FractionalOffsetInterpolates) {
  // 1x1 kernel on a 1x3 ramp, offset (0, 0.25) at every position; past the right edge the
  // missing neighbour reads zero.
  const Tensor x = f32({1, 1, 1, 3}, {0, 4, 8});
  const Tensor wt = f32({1, 1, 1, 1}, {1});
  const Tensor off = f32({1, 2, 1, 3}, {0, 0, 0, 0.25f, 0.25f, 0.25f});
  auto y = OpCall("DeformConv", 22).input(x).input(wt).input(off).run();
  EXPECT_EQ(vec<float>(y[0]), (std::vector<float>{1, 5, 6}));
}

TEST(DetOp, KnownValues) {
  const Tensor x = f32({3, 3, 3}, {2, 0, 0, 0, 3, 0, 0, 0, 4,    // diagonal: 24
                                   0, 1, 0, 1, 0, 0, 0, 0, 1,    // a swap: -1
                                   1, 2, 3, 4, 5, 6, 7, 8, 9});  // singular
  auto y = OpCall("Det", 11).input(x).run();
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{3}));
  EXPECT_NEAR(y[0].data_as<float>()[0], 24, 1e-5);
  EXPECT_NEAR(y[0].data_as<float>()[1], -1, 1e-6);
  EXPECT_NEAR(y[0].data_as<float>()[2], 0, 1e-5);
  const Tensor d = make_tensor<double>(DType::kDouble, {2, 2}, {3, 8, 4, 6});
  EXPECT_DOUBLE_EQ(OpCall("Det", 22).input(d).run()[0].data_as<double>()[0], -14);
  EXPECT_EQ(error_of([&] {
              OpCall("Det", 22).input(f32({2, 3}, std::vector<float>(6, 1))).run();
            }),
            ErrorCode::kInvalidArgument);
}

// ---- NonMaxSuppression / TopK / Unique ----------------------------------------------------

TEST(NmsOp, SuppressionOrderAndTies) {
  // The onnx doc example: boxes 0..2 overlap heavily, 3..5 further apart.
  const Tensor boxes = f32(
      {1, 6, 4}, {0, 0, 1, 1, 0, 0.1f, 1, 1.1f, 0, -0.1f, 1, 0.9f, 0, 10, 1, 11, 0, 10.1f, 1, 11.1f, 0, 100, 1, 101});
  const Tensor scores = f32({1, 1, 6}, {0.9f, 0.75f, 0.6f, 0.95f, 0.5f, 0.3f});
  auto run = [&](const Tensor& s, int64_t max_out, float iou, std::optional<float> thr) {
    OpCall c("NonMaxSuppression", 11);
    c.input(boxes).input(s).input(i64({1}, {max_out})).input(f32({1}, {iou}));
    if (thr) c.input(f32({1}, {*thr}));
    return vec<int64_t>(c.run()[0]);
  };
  EXPECT_EQ(run(scores, 3, 0.5f, std::nullopt), (std::vector<int64_t>{0, 0, 3, 0, 0, 0, 0, 0, 5}));
  EXPECT_EQ(run(scores, 2, 0.5f, std::nullopt), (std::vector<int64_t>{0, 0, 3, 0, 0, 0}));
  EXPECT_EQ(run(scores, 3, 0.5f, 0.4f), (std::vector<int64_t>{0, 0, 3, 0, 0, 0}));
  // Equal scores: the lower box index goes first.
  const Tensor same = f32({1, 1, 6}, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
  EXPECT_EQ(run(same, 6, 0.5f, std::nullopt), (std::vector<int64_t>{0, 0, 0, 0, 0, 3, 0, 0, 5}));
  // Without max_output_boxes_per_class nothing is selected.
  auto none = OpCall("NonMaxSuppression", 10).input(boxes).input(scores).run();
  EXPECT_EQ(none[0].shape(), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(error_of([&] { run(scores, 3, 1.5f, std::nullopt); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              OpCall("NonMaxSuppression", 11).input(boxes).input(f32({1, 1, 5}, {1, 2, 3, 4, 5})).run();
            }),
            ErrorCode::kInvalidArgument);
}

TEST(TopKOp, TiesNaNsAndSmallest) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = f32({2, 4}, {3, 1, 3, nan, 2, 2, 2, 1});
  auto y = OpCall("TopK", 11).input(x).input(i64({1}, {3})).outputs(2).run();
  const std::vector<float> v = vec<float>(y[0]);
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_EQ(std::vector<float>(v.begin() + 1, v.end()), (std::vector<float>{3, 3, 2, 2, 2}));
  EXPECT_EQ(vec<int64_t>(y[1]), (std::vector<int64_t>{3, 0, 2, 0, 1, 2}));
  y = OpCall("TopK", 11).input(x).input(i64({1}, {2})).attr_int("largest", 0).outputs(2).run();
  EXPECT_EQ(vec<float>(y[0]), (std::vector<float>{1, 3, 1, 2}));
  EXPECT_EQ(vec<int64_t>(y[1]), (std::vector<int64_t>{1, 0, 3, 0}));
  // Axis 0 of a 3-D tensor, int32, k from the attribute (opset 1) and k = 0.
  const Tensor z = make_tensor<int32_t>(DType::kInt32, {3, 1, 2}, {1, 6, 5, 2, 3, 4});
  y = OpCall("TopK", 11).input(z).input(i64({1}, {2})).attr_int("axis", -3).outputs(2).run();
  EXPECT_EQ(vec<int32_t>(y[0]), (std::vector<int32_t>{5, 6, 3, 4}));
  EXPECT_EQ(vec<int64_t>(y[1]), (std::vector<int64_t>{1, 0, 2, 2}));
  y = OpCall("TopK", 1).input(x).attr_int("k", 1).outputs(2).run();
  EXPECT_EQ(vec<int64_t>(y[1]), (std::vector<int64_t>{3, 0}));
  // Only the values output connected.
  y = OpCall("TopK", 11).input(x).input(i64({1}, {1})).run();
  EXPECT_EQ(vec<float>(y[0])[1], 2);
  y = OpCall("TopK", 10).input(x).input(i64({1}, {0})).outputs(2).run();
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 0}));
  EXPECT_EQ(error_of([&] { OpCall("TopK", 11).input(x).input(i64({1}, {5})).outputs(2).run(); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { OpCall("TopK", 11).input(x).input(i64({1}, {1})).attr_int("axis", 2).outputs(2).run(); }),
            ErrorCode::kInvalidArgument);
  // A k unknown at plan time leaves the axis dim symbolic.
  OpCall c("TopK", 11);
  c.input(x).input(i64({1}, {2})).outputs(2);
  auto types = c.infer({graph::TypeInfo::of(DType::kFloat, {2, 4}), graph::TypeInfo::of(DType::kInt64, {1})});
  EXPECT_TRUE(types[0].shape[0].known());
  EXPECT_FALSE(types[0].shape[1].known());
}

TEST(UniqueOp, SortedUnsortedAndAxis) {
  const Tensor x = f32({6}, {2, 1, 1, 3, 4, 3});
  auto y = OpCall("Unique", 11).input(x).outputs(4).run();
  EXPECT_EQ(vec<float>(y[0]), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(vec<int64_t>(y[1]), (std::vector<int64_t>{1, 0, 3, 4}));
  EXPECT_EQ(vec<int64_t>(y[2]), (std::vector<int64_t>{1, 0, 0, 2, 3, 2}));
  EXPECT_EQ(vec<int64_t>(y[3]), (std::vector<int64_t>{2, 1, 2, 1}));
  y = OpCall("Unique", 11).input(x).attr_int("sorted", 0).outputs(4).run();
  EXPECT_EQ(vec<float>(y[0]), (std::vector<float>{2, 1, 3, 4}));
  EXPECT_EQ(vec<int64_t>(y[1]), (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(vec<int64_t>(y[2]), (std::vector<int64_t>{0, 1, 1, 2, 3, 2}));
  EXPECT_EQ(vec<int64_t>(y[3]), (std::vector<int64_t>{1, 2, 2, 1}));
  // Columns of a 2x3 matrix (axis -1): columns 0 and 2 are equal.
  const Tensor m = make_tensor<int64_t>(DType::kInt64, {2, 3}, {1, 0, 1, 2, 5, 2});
  y = OpCall("Unique", 11).input(m).attr_int("axis", -1).outputs(4).run();
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(vec<int64_t>(y[0]), (std::vector<int64_t>{0, 1, 5, 2}));
  EXPECT_EQ(vec<int64_t>(y[2]), (std::vector<int64_t>{1, 0, 1}));
  // NaNs collapse into one, sorted last; strings work; an empty input gives empty outputs.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  y = OpCall("Unique", 11).input(f32({4}, {nan, 1, nan, 0})).outputs(4).run();
  EXPECT_EQ(y[0].numel(), 3);
  EXPECT_EQ(vec<int64_t>(y[3]), (std::vector<int64_t>{1, 1, 2}));
  // (Strings through the kernel: the harness prefills outputs bytewise, which strings cannot take.)
  const std::string strs[3] = {"b", "a", "b"};
  const kernels::UniqueResult r = kernels::unique<std::string>(strs, 1, 3, 1, true);
  EXPECT_EQ(r.first, (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(r.inverse, (std::vector<int64_t>{1, 0, 1}));
  y = OpCall("Unique", 11).input(f32({0}, {})).outputs(4).run();
  EXPECT_EQ(y[0].numel(), 0);
  EXPECT_EQ(error_of([&] { OpCall("Unique", 11).input(x).attr_int("axis", 1).run(); }), ErrorCode::kInvalidArgument);
}

// ---- Einsum -------------------------------------------------------------------------------

std::vector<float> einsum(const std::string& eq, const std::vector<Tensor>& ins) {
  OpCall c("Einsum", 12);
  for (const Tensor& t : ins) c.input(t);
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = eq;
  c.node.attrs["equation"] = a;
  return vec<float>(c.run()[0]);
}

Tensor ints_f32(const std::vector<int64_t>& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> v = random_vec<float>(rng, numel_of(shape), -4, 4);
  for (auto& x : v) x = std::round(x);  // small integers: every sum is exact
  return f32(shape, v);
}

TEST(EinsumOp, MatmulBatchTransposeAndImplicit) {
  const Tensor a = ints_f32({3, 4, 5}, 1), b = ints_f32({3, 5, 2}, 2);
  const float* pa = a.data_as<float>();
  const float* pb = b.data_as<float>();
  std::vector<float> want(3 * 4 * 2, 0), want_t(3 * 4 * 2, 0);
  for (int z = 0; z < 3; ++z)
    for (int i = 0; i < 4; ++i)
      for (int k = 0; k < 2; ++k)
        for (int j = 0; j < 5; ++j) want[(z * 4 + i) * 2 + k] += pa[(z * 4 + i) * 5 + j] * pb[(z * 5 + j) * 2 + k];
  EXPECT_EQ(einsum("bij,bjk->bik", {a, b}), want);
  // Implicit output: the labels used once (i, k); b, used twice, is summed.
  std::vector<float> summed(4 * 2, 0);
  for (int z = 0; z < 3; ++z)
    for (int i = 0; i < 8; ++i) summed[i] += want[z * 8 + i];
  EXPECT_EQ(einsum("bij,bjk", {a, b}), summed);
  for (int z = 0; z < 3; ++z)
    for (int i = 0; i < 4; ++i)
      for (int k = 0; k < 2; ++k) want_t[(k * 3 + z) * 4 + i] = want[(z * 4 + i) * 2 + k];
  EXPECT_EQ(einsum("zij , zjk -> kzi", {a, b}), want_t);
  // Implicit output orders uppercase before lowercase (ASCII): "bA" is a transpose.
  const Tensor m = ints_f32({2, 3}, 3);
  const float* pm = m.data_as<float>();
  EXPECT_EQ(einsum("bA", {m}), (std::vector<float>{pm[0], pm[3], pm[1], pm[4], pm[2], pm[5]}));
}

TEST(EinsumOp, DiagonalTraceSumsAndOuter) {
  const Tensor m = ints_f32({3, 3}, 4);
  const float* p = m.data_as<float>();
  EXPECT_EQ(einsum("ii->i", {m}), (std::vector<float>{p[0], p[4], p[8]}));
  EXPECT_EQ(einsum("ii", {m}), (std::vector<float>{p[0] + p[4] + p[8]}));
  EXPECT_EQ(einsum("ij->j", {m}), (std::vector<float>{p[0] + p[3] + p[6], p[1] + p[4] + p[7], p[2] + p[5] + p[8]}));
  EXPECT_EQ(einsum("ij->", {m}).size(), 1u);
  const Tensor u = f32({2}, {1, 2}), v = f32({3}, {3, 4, 5});
  EXPECT_EQ(einsum("i,j->ij", {u, v}), (std::vector<float>{3, 4, 5, 6, 8, 10}));
  EXPECT_EQ(einsum("i,j", {u, v}), (std::vector<float>{3, 4, 5, 6, 8, 10}));
}

TEST(EinsumOp, EllipsisBroadcastAndThreeOperands) {
  // (2, 1, 2, 3) x (3, 3, 2) -> (2, 3, 2, 2) batched matmul with broadcast batch dims.
  const Tensor a = ints_f32({2, 1, 2, 3}, 5), b = ints_f32({3, 3, 2}, 6);
  const std::vector<float> y = einsum("...ij,...jk->...ik", {a, b});
  ASSERT_EQ(y.size(), 24u);
  for (int p = 0; p < 2; ++p)
    for (int q = 0; q < 3; ++q)
      for (int i = 0; i < 2; ++i)
        for (int k = 0; k < 2; ++k) {
          float acc = 0;
          for (int j = 0; j < 3; ++j)
            acc += a.data_as<float>()[(p * 2 + i) * 3 + j] * b.data_as<float>()[(q * 3 + j) * 2 + k];
          EXPECT_EQ(y[((p * 3 + q) * 2 + i) * 2 + k], acc);
        }
  // Chain of three: (2x3)(3x4)(4x2).
  const Tensor x = ints_f32({2, 3}, 7), w = ints_f32({3, 4}, 8), z = ints_f32({4, 2}, 9);
  std::vector<float> xw(8, 0), want(4, 0);
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 4; ++k)
      for (int j = 0; j < 3; ++j) xw[i * 4 + k] += x.data_as<float>()[i * 3 + j] * w.data_as<float>()[j * 4 + k];
  for (int i = 0; i < 2; ++i)
    for (int l = 0; l < 2; ++l)
      for (int k = 0; k < 4; ++k) want[i * 2 + l] += xw[i * 4 + k] * z.data_as<float>()[k * 2 + l];
  EXPECT_EQ(einsum("ij,jk,kl->il", {x, w, z}), want);
  // A label shared by operands 0 and 2 only: "ij,jk,i->k".
  const Tensor s = f32({2}, {1, -1});
  std::vector<float> want2(4, 0);
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 4; ++k) want2[k] += s.data_as<float>()[i] * xw[i * 4 + k];
  EXPECT_EQ(einsum("ij,jk,i->k", {x, w, s}), want2);
}

TEST(EinsumOp, IntegerTypesAndErrors) {
  const Tensor a = make_tensor<int32_t>(DType::kInt32, {2, 2}, {1, 2, 3, 4});
  OpCall c("Einsum", 12);
  graph::Attribute eq;
  eq.type = graph::AttrType::kString;
  eq.s = "ij,jk->ik";
  c.node.attrs["equation"] = eq;
  c.input(a).input(a);
  EXPECT_EQ(vec<int32_t>(c.run()[0]), (std::vector<int32_t>{7, 10, 15, 22}));
  // int8 wraps like numpy: 100 * 2 = 200 -> -56.
  const Tensor b = make_tensor<int8_t>(DType::kInt8, {1}, {100});
  const Tensor d = make_tensor<int8_t>(DType::kInt8, {1}, {2});
  OpCall c8("Einsum", 12);
  eq.s = "i,i->i";
  c8.node.attrs["equation"] = eq;
  c8.input(b).input(d);
  EXPECT_EQ(c8.run()[0].data_as<int8_t>()[0], -56);
  const Tensor m = ints_f32({2, 3}, 10);
  EXPECT_EQ(error_of([&] { einsum("ij,jk->ik", {m}); }), ErrorCode::kInvalidArgument);  // operand count
  EXPECT_EQ(error_of([&] { einsum("ij,ij->ij", {m, ints_f32({3, 3}, 1)}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { einsum("ijk->i", {m}); }), ErrorCode::kInvalidArgument);  // rank
  EXPECT_EQ(error_of([&] { einsum("i1->i", {m}); }), ErrorCode::kInvalidArgument);   // bad label
  EXPECT_EQ(error_of([&] { einsum("ij->iz", {m}); }), ErrorCode::kInvalidArgument);  // unknown output
  EXPECT_EQ(error_of([&] { einsum("...j->j", {ints_f32({2, 2, 3}, 2)}); }), ErrorCode::kInvalidArgument);
}

// ---- symbolic shape inference -------------------------------------------------------------

TEST(VisionInfer, SymbolicDimsFlowThrough) {
  using graph::Dim;
  using graph::TypeInfo;
  OpCall gs("GridSample", 20);
  gs.input(f32({1, 1, 2, 2}, {1, 2, 3, 4})).input(f32({1, 1, 1, 2}, {0, 0}));
  auto t = gs.infer(
      {TypeInfo::of(DType::kFloat, {Dim("n"), 3, 8, 8}), TypeInfo::of(DType::kFloat, {Dim("n"), Dim("h"), 5, 2})});
  ASSERT_EQ(t[0].shape.size(), 4u);
  EXPECT_EQ(t[0].shape[0].symbol, "n");
  EXPECT_EQ(t[0].shape[1].value, 3);
  EXPECT_EQ(t[0].shape[2].symbol, "h");
  EXPECT_EQ(t[0].shape[3].value, 5);
  // Unique: the data-dependent count shares one symbol across Y, indices and counts.
  OpCall u("Unique", 11);
  u.input(f32({4}, {1, 2, 3, 4})).outputs(4);
  t = u.infer({TypeInfo::of(DType::kFloat, {4})});
  EXPECT_FALSE(t[0].shape[0].known());
  EXPECT_EQ(t[0].shape[0].symbol, t[1].shape[0].symbol);
  EXPECT_EQ(t[0].shape[0].symbol, t[3].shape[0].symbol);
  EXPECT_EQ(t[2].shape[0].value, 4);
  // Einsum: output dims taken from the inputs, symbols included.
  OpCall e("Einsum", 12);
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = "bij,bjk->bki";
  e.node.attrs["equation"] = a;
  e.input(f32({1}, {0})).input(f32({1}, {0}));
  t = e.infer({TypeInfo::of(DType::kFloat, {Dim("b"), 2, 3}), TypeInfo::of(DType::kFloat, {1, 3, 4})});
  ASSERT_EQ(t[0].shape.size(), 3u);
  EXPECT_EQ(t[0].shape[0].symbol, "b");
  EXPECT_EQ(t[0].shape[1].value, 4);
  EXPECT_EQ(t[0].shape[2].value, 2);
}

}  // namespace
}  // namespace ortl::nntest
