// Resize: the fast kernel against the spec-literal reference on seeded random problems (every
// mode, transform, nearest rounding, antialias, exclude_outside, axes, aspect policy, roi and
// element type), the STYLE.md checklist against numbers from onnx's own reference, the op's
// shape inference with known, unknown and symbolic inputs, and its error reporting.
#include "kernels/resize/resize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>

#include "opset/resize/resize.h"
#include "opset/resize/resize_geometry.h"
#include "tests/resize/op_harness.h"

namespace ortl {
namespace {

using kernels::ResizeCoordMode;
using kernels::ResizeMode;
using kernels::ResizeNearestMode;
using kernels::ResizeType;
using opset::AspectPolicy;
using opset::ResizeAttrs;
using testing::attr_f;
using testing::attr_i;
using testing::attr_ints;
using testing::attr_s;

// Runs fn on chunks of at most 3 items, so every chunk-boundary path of the kernels is taken.
class ChunkedParallel final : public kernels::Parallel {
 public:
  int num_threads() const override { return 4; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    for (int64_t b = 0; b < n; b += 3) fn(b, std::min(n, b + 3));
  }
};

size_t type_size(ResizeType t) { return t == ResizeType::kF64 ? 8 : (t == ResizeType::kF32 ? 4 : 1); }

double load(ResizeType t, const std::vector<uint8_t>& buf, size_t i) {
  switch (t) {
    case ResizeType::kF32: return reinterpret_cast<const float*>(buf.data())[i];
    case ResizeType::kF64: return reinterpret_cast<const double*>(buf.data())[i];
    case ResizeType::kU8: return buf[i];
    case ResizeType::kI8: return static_cast<int8_t>(buf[i]);
  }
  return 0;
}

std::string describe(const kernels::ResizeParams& p, ResizeType t) {
  std::ostringstream os;
  os << "mode " << int(p.mode) << " coord " << int(p.coord) << " nearest " << int(p.nearest) << " a " << p.cubic_a
     << " exclude " << p.exclude_outside << " aa " << p.antialias << " type " << int(t) << " in "
     << shape_str(p.in_shape) << " out " << shape_str(p.out_shape) << " scales";
  for (double s : p.scales) os << " " << s;
  os << " axes";
  for (int a : p.axes) os << " " << a;
  for (size_t i = 0; i < p.roi_start.size(); ++i) os << " roi " << p.roi_start[i] << ".." << p.roi_end[i];
  return os.str();
}

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

TEST(ResizeKernel, RandomAgainstReference) {
  const uint32_t seed = 20240611;
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const int64_t dims[] = {1, 2, 3, 5, 7, 13};
  const float scale_choices[] = {0.25f, 0.4f, 0.5f, 0.6f, 0.75f, 1.f, 1.3f, 1.5f, 2.f, 2.5f, 3.f};
  const ResizeCoordMode coords[] = {ResizeCoordMode::kHalfPixel,        ResizeCoordMode::kHalfPixelSymmetric,
                                    ResizeCoordMode::kPytorchHalfPixel, ResizeCoordMode::kAlignCorners,
                                    ResizeCoordMode::kAsymmetric,       ResizeCoordMode::kTfCropAndResize,
                                    ResizeCoordMode::kTfHalfPixelForNn};
  int checked = 0;
  for (int iter = 0; iter < 1000; ++iter) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " iteration " << iter);
    ResizeAttrs a;
    a.mode = static_cast<ResizeMode>(pick(3));
    a.coord = coords[pick(7)];
    a.nearest = static_cast<ResizeNearestMode>(pick(5));
    a.cubic_a = pick(2) ? -0.75 : -0.5;
    a.exclude_outside = pick(3) == 0;
    a.antialias = a.mode != ResizeMode::kNearest && pick(2);
    a.extrapolation_value = pick(2) ? 0.f : 0.5f;
    const int rank = 1 + pick(4);
    std::vector<int64_t> in(static_cast<size_t>(rank));
    for (auto& d : in) d = dims[pick(6)];
    std::vector<int> axes(static_cast<size_t>(rank));
    for (int i = 0; i < rank; ++i) axes[static_cast<size_t>(i)] = i;
    std::shuffle(axes.begin(), axes.end(), rng);
    const bool use_axes = pick(2);
    if (use_axes) {
      axes.resize(static_cast<size_t>(1 + pick(rank)));
      for (int ax : axes) a.axes.push_back(pick(2) ? ax : ax - rank);  // negative axes too
    } else {
      std::sort(axes.begin(), axes.end());
    }
    std::vector<float> scales, roi;
    std::vector<int64_t> sizes;
    if (pick(2)) {
      for (size_t i = 0; i < axes.size(); ++i) scales.push_back(scale_choices[pick(11)]);
    } else {
      for (int ax : axes) sizes.push_back(1 + pick(static_cast<int>(2 * in[static_cast<size_t>(ax)] + 1)));
      a.policy = static_cast<AspectPolicy>(pick(3));
    }
    if (a.coord == ResizeCoordMode::kTfCropAndResize && pick(4)) {
      for (size_t i = 0; i < axes.size(); ++i) roi.push_back(static_cast<float>(pick(7)) * 0.1f - 0.2f);
      for (size_t i = 0; i < axes.size(); ++i) roi.push_back(static_cast<float>(pick(7)) * 0.1f + 0.6f);
    }
    const kernels::ResizeParams p = opset::resize_geometry(a, in, scales, sizes, roi);
    const int64_t n_out = numel(p.out_shape);
    if (n_out > 20000) continue;
    const ResizeType t = static_cast<ResizeType>(pick(4));
    const size_t es = type_size(t);
    std::vector<uint8_t> src(static_cast<size_t>(numel(in)) * es);
    for (size_t i = 0; i < src.size() / es; ++i) {
      const double v = std::uniform_real_distribution<double>(-1, 1)(rng);
      if (t == ResizeType::kF32) reinterpret_cast<float*>(src.data())[i] = static_cast<float>(v);
      if (t == ResizeType::kF64) reinterpret_cast<double*>(src.data())[i] = v;
      if (t == ResizeType::kU8 || t == ResizeType::kI8) src[i] = static_cast<uint8_t>(rng());
    }
    std::vector<uint8_t> want(static_cast<size_t>(n_out) * es, 0xAB), got(want.size(), 0xCD);
    kernels::resize_ref(p, t, src.data(), want.data());
    ChunkedParallel par;
    kernels::resize(p, t, src.data(), got.data(), par);
    const double tol = a.mode == ResizeMode::kNearest                   ? 0.0
                       : t == ResizeType::kF32 || t == ResizeType::kF64 ? 2e-5
                                                                        : 1.0;
    for (size_t i = 0; i < static_cast<size_t>(n_out); ++i) {
      const double w = load(t, want, i), g = load(t, got, i);
      ASSERT_LE(std::fabs(w - g), tol) << "element " << i << ": " << describe(p, t);
    }
    ++checked;
  }
  EXPECT_GT(checked, 700);
}

// Numbers from onnx/reference/ops/op_resize.py (onnx 1.23) on the inputs below.
std::vector<float> ramp16() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  return v;
}
std::vector<float> sines35() {
  std::vector<float> v(35);
  for (int i = 0; i < 35; ++i) v[static_cast<size_t>(i)] = static_cast<float>(std::sin(static_cast<double>(i)) * 3.0);
  return v;
}

struct Golden {
  const char* name;
  std::vector<std::pair<std::string, graph::Attribute>> attrs;
  bool ramp;  // input: 1x1x4x4 ramp, else 1x1x5x7 sines
  std::vector<float> roi, scales;
  std::vector<int64_t> sizes;
  std::vector<int64_t> out_shape;
  std::vector<float> want;
};

std::vector<Golden> goldens() {
  return {
      {"cubic a=-0.75 upsample",
       {{"mode", attr_s("cubic")}},
       true,
       {},
       {1, 1, 1.5f, 2.f},
       {},
       {1, 1, 6, 8},
       {0.5473093f, 0.8441844f, 1.320747f, 1.949654f, 2.355904f, 2.98481f,  3.461373f, 3.758248f, 2.519531f, 2.816406f,
        3.292969f,  3.921875f,  4.328125f, 4.957031f, 5.433594f, 5.730469f, 5.746389f, 6.043264f, 6.519826f, 7.148733f,
        7.554983f,  8.183889f,  8.660453f, 8.957328f, 8.04268f,  8.339555f, 8.816117f, 9.445024f, 9.851274f, 10.48018f,
        10.95674f,  11.25362f,  11.26953f, 11.56641f, 12.04297f, 12.67188f, 13.07812f, 13.70703f, 14.18359f, 14.48047f,
        13.24176f,  13.53863f,  14.0152f,  14.6441f,  15.05035f, 15.67926f, 16.15582f, 16.4527f}},
      {"cubic a=-0.5 exclude_outside downscale",
       {{"mode", attr_s("cubic")}, {"cubic_coeff_a", attr_f(-0.5f)}, {"exclude_outside", attr_i(1)}},
       false,
       {},
       {1, 1, 0.6f, 0.5f},
       {},
       {1, 1, 3, 3},
       {1.548874f, 1.275681f, -2.840648f, 2.656934f, -2.089315f, -1.005288f, 0.03733418f, -2.523017f, 2.240484f}},
      {"half_pixel output length 1",
       {{"mode", attr_s("linear")}},
       false,
       {},
       {},
       {1, 1, 1, 3},
       {1, 1, 1, 3},
       {2.291183f, -2.884192f, 1.2127f}},
      {"pytorch_half_pixel output length 1",
       {{"mode", attr_s("linear")}, {"coordinate_transformation_mode", attr_s("pytorch_half_pixel")}},
       false,
       {},
       {},
       {1, 1, 1, 3},
       {1, 1, 1, 3},
       {1.682942f, 0.42336f, -2.197264f}},
      {"linear antialias downscale",
       {{"mode", attr_s("linear")}, {"antialias", attr_i(1)}},
       false,
       {},
       {},
       {1, 1, 3, 2},
       {1, 1, 3, 2},
       {1.221574f, -1.140808f, 0.6087049f, -0.01154735f, -0.7183103f, 1.131261f}},
      {"cubic antialias downscale",
       {{"mode", attr_s("cubic")}, {"antialias", attr_i(1)}},
       false,
       {},
       {1, 1, 0.5f, 0.4f},
       {},
       {1, 1, 2, 2},
       {2.169768f, -1.011073f, 0.9765412f, -2.06173f}},
      {"axes [3, 2] not_larger",
       {{"mode", attr_s("nearest")}, {"axes", attr_ints({3, 2})}, {"keep_aspect_ratio_policy", attr_s("not_larger")}},
       false,
       {},
       {},
       {4, 9},
       {1, 1, 3, 4},
       {0.f, 2.727892f, -2.270407f, -0.8382465f, 2.971822f, -0.8637099f, -2.252962f, 2.738836f, 0.8127174f, -2.964095f,
        1.65428f, 1.587248f}},
      {"not_smaller, nearest ceil",
       {{"mode", attr_s("nearest")},
        {"axes", attr_ints({2, 3})},
        {"keep_aspect_ratio_policy", attr_s("not_smaller")},
        {"nearest_mode", attr_s("ceil")}},
       false,
       {},
       {},
       {2, 2},
       {1, 1, 2, 3},
       {2.968075f, -2.999971f, 1.260501f, -1.990902f, 1.65428f, 1.587248f}},
      {"tf_crop_and_resize extrapolation",
       {{"mode", attr_s("linear")},
        {"coordinate_transformation_mode", attr_s("tf_crop_and_resize")},
        {"extrapolation_value", attr_f(10.f)}},
       false,
       {0, 0, 0.4f, -0.2f, 1, 1, 1.2f, 0.9f},
       {},
       {1, 1, 3, 4},
       {1, 1, 3, 4},
       {10.f, 2.357748f, -2.417026f, 0.6345359f, 10.f, -0.4194238f, -1.930006f, 2.503153f, 10.f, 10.f, 10.f, 10.f}},
      {"half_pixel_symmetric",
       {{"mode", attr_s("linear")}, {"coordinate_transformation_mode", attr_s("half_pixel_symmetric")}},
       false,
       {},
       {1, 1, 1.7f, 0.55f},
       {},
       {1, 1, 8, 3},
       {2.561409f,  0.42336f,  -2.766525f, 2.610013f,   -0.6648054f, -2.287919f, 2.510382f,  -1.779373f,
        -1.648287f, 1.796209f, -2.515919f, -0.5772617f, 0.8737041f,  -2.83494f,  0.4998072f, -0.2571333f,
        -2.736436f, 1.58292f,  -1.276028f, -2.008678f,  2.24922f,    -2.167846f, -1.212113f, 2.755107f}},
      {"align_corners cubic downscale (fractional output width)",
       {{"mode", attr_s("cubic")}, {"coordinate_transformation_mode", attr_s("align_corners")}},
       false,
       {},
       {1, 1, 0.6f, 0.8f},
       {},
       {1, 1, 3, 5},
       {0.f, 2.972353f, 1.602437f, -2.059301f, -2.543174f, 2.971823f, 1.137413f, -2.385108f, -2.454898f, 1.162135f,
        0.8127192f, -2.661298f, -2.254704f, 1.387947f, 2.860988f}},
  };
}

TEST(ResizeOp, ChecklistMatchesOnnxReference) {
  for (const Golden& g : goldens()) {
    SCOPED_TRACE(g.name);
    graph::Node node;
    node.op_type = "Resize";
    for (const auto& [k, v] : g.attrs) node.attrs[k] = v;
    const Tensor x = g.ramp ? testing::make_tensor<float>(DType::kFloat, {1, 1, 4, 4}, ramp16())
                            : testing::make_tensor<float>(DType::kFloat, {1, 1, 5, 7}, sines35());
    const Tensor roi = testing::make_tensor<float>(DType::kFloat, {static_cast<int64_t>(g.roi.size())}, g.roi);
    const Tensor scales = testing::make_tensor<float>(DType::kFloat, {static_cast<int64_t>(g.scales.size())}, g.scales);
    const Tensor sizes = testing::make_tensor<int64_t>(DType::kInt64, {static_cast<int64_t>(g.sizes.size())}, g.sizes);
    const std::vector<Tensor> y = testing::run_node(
        opset::build_resize, node, 19,
        {&x, g.roi.empty() ? nullptr : &roi, g.scales.empty() ? nullptr : &scales, g.sizes.empty() ? nullptr : &sizes});
    ASSERT_EQ(y[0].shape(), g.out_shape);
    for (size_t i = 0; i < g.want.size(); ++i) {
      EXPECT_NEAR(y[0].data_as<float>()[i], g.want[i], 1e-5 * (1 + std::fabs(g.want[i]))) << "element " << i;
    }
    // The reference kernel on the same geometry agrees too.
    const ResizeAttrs a = opset::parse_resize_attrs(node, 19, false);
    const kernels::ResizeParams p = opset::resize_geometry(a, x.shape(), g.scales, g.sizes, g.roi);
    std::vector<float> ref(static_cast<size_t>(numel(p.out_shape)));
    kernels::resize_ref_f32(p, x.data_as<float>(), ref.data());
    for (size_t i = 0; i < g.want.size(); ++i) EXPECT_NEAR(ref[i], g.want[i], 1e-5 * (1 + std::fabs(g.want[i])));
  }
}

TEST(ResizeOp, HalfPixelDiffersFromPytorchHalfPixelOnlyAtLengthOne) {
  ResizeAttrs a;
  a.mode = ResizeMode::kLinear;
  std::vector<float> x = sines35();
  for (int64_t out_w : {1, 2, 5, 11}) {
    a.coord = ResizeCoordMode::kHalfPixel;
    const kernels::ResizeParams hp = opset::resize_geometry(a, {5, 7}, {}, {3, out_w}, {});
    a.coord = ResizeCoordMode::kPytorchHalfPixel;
    const kernels::ResizeParams pt = opset::resize_geometry(a, {5, 7}, {}, {3, out_w}, {});
    std::vector<float> y1(static_cast<size_t>(3 * out_w)), y2(y1.size());
    kernels::resize_f32(hp, x.data(), y1.data(), kernels::serial());
    kernels::resize_f32(pt, x.data(), y2.data(), kernels::serial());
    EXPECT_EQ(y1 == y2, out_w != 1) << "output width " << out_w;
  }
}

TEST(ResizeGeometry, KeepAspectRatioPolicy) {
  ResizeAttrs a;
  a.axes = {2, 3};
  a.policy = AspectPolicy::kNotLarger;
  kernels::ResizeParams p = opset::resize_geometry(a, {1, 3, 20, 30}, {}, {10, 10}, {});
  EXPECT_EQ(p.out_shape, (std::vector<int64_t>{1, 3, 7, 10}));  // scale 1/3: round_half_up(6.67)
  EXPECT_DOUBLE_EQ(p.scales[2], 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(p.scales[1], 1.0);
  a.policy = AspectPolicy::kNotSmaller;
  p = opset::resize_geometry(a, {1, 3, 20, 30}, {}, {10, 10}, {});
  EXPECT_EQ(p.out_shape, (std::vector<int64_t>{1, 3, 10, 15}));
  a.policy = AspectPolicy::kStretch;
  p = opset::resize_geometry(a, {1, 3, 20, 30}, {}, {10, 10}, {});
  EXPECT_EQ(p.out_shape, (std::vector<int64_t>{1, 3, 10, 10}));
}

TEST(ResizeGeometry, ScalesFloorAndErrors) {
  ResizeAttrs a;
  kernels::ResizeParams p = opset::resize_geometry(a, {1, 1, 5, 4}, {1, 1, 0.6f, 1.5f}, {}, {});
  EXPECT_EQ(p.out_shape, (std::vector<int64_t>{1, 1, 3, 6}));
  auto code = [&](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kOk;
  };
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {2, 2}, {1, 2}, {2, 4}, {}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {2, 2}, {}, {}, {}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {2, 2}, {1, 2, 3}, {}, {}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {2, 2}, {1, -2}, {}, {}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {0, 2}, {}, {3, 2}, {}); }), ErrorCode::kInvalidArgument);
  a.axes = {1, -1};
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {2, 2}, {2, 2}, {}, {}); }), ErrorCode::kInvalidArgument);
  a.axes = {2};
  EXPECT_EQ(code([&] { opset::resize_geometry(a, {2, 2}, {2}, {}, {}); }), ErrorCode::kInvalidArgument);
  graph::Node bad;
  bad.op_type = "Resize";
  bad.attrs["mode"] = attr_s("bicubic");
  EXPECT_EQ(code([&] { opset::parse_resize_attrs(bad, 19, false); }), ErrorCode::kInvalidModel);
}

TEST(ResizeOp, ShapeInference) {
  graph::Node node;
  node.op_type = "Resize";
  graph::Graph g;
  auto kernel = opset::build_resize({node, g, 19});
  EXPECT_EQ(kernel->shape_inputs(), (std::vector<int>{2, 3}));
  const graph::TypeInfo x = graph::TypeInfo::of(DType::kFloat, {graph::Dim("N"), 3, 8, 8});
  const graph::TypeInfo f1 = graph::TypeInfo::of(DType::kFloat, {4});
  const graph::TypeInfo i1 = graph::TypeInfo::of(DType::kInt64, {4});
  {  // scales value unknown: rank kept, every dim unknown
    testing::FakeInfer ic({x, {}, f1}, {nullptr, nullptr, nullptr}, 1);
    kernel->infer(ic);
    ASSERT_EQ(ic.out(0).rank(), 4);
    EXPECT_FALSE(ic.out(0).shape[2].known());
  }
  {  // known scales on a symbolic batch: 1 keeps the symbol, 2 doubles
    const Tensor s = testing::make_tensor<float>(DType::kFloat, {4}, {1, 1, 2, 0.5f});
    testing::FakeInfer ic({x, {}, f1}, {nullptr, nullptr, &s}, 1);
    kernel->infer(ic);
    EXPECT_EQ(graph::shape_str(ic.out(0).shape), graph::shape_str(graph::Shape{graph::Dim("N"), 3, 16, 4}));
  }
  {  // known sizes
    const Tensor s = testing::make_tensor<int64_t>(DType::kInt64, {4}, {1, 3, 5, 6});
    testing::FakeInfer ic({x, {}, {}, i1}, {nullptr, nullptr, nullptr, &s}, 1);
    kernel->infer(ic);
    EXPECT_EQ(graph::shape_str(ic.out(0).shape), "[1,3,5,6]");
  }
  {  // unknown rank
    testing::FakeInfer ic({graph::TypeInfo{DType::kFloat, false, {}}, {}, f1}, {nullptr, nullptr, nullptr}, 1);
    kernel->infer(ic);
    EXPECT_FALSE(ic.out(0).has_shape);
  }
}

TEST(ResizeOp, UpsampleAndOpset10) {
  const Tensor x = testing::make_tensor<float>(DType::kFloat, {1, 1, 2, 2}, {1, 2, 3, 4});
  graph::Node up7;
  up7.op_type = "Upsample";
  up7.attrs["scales"] = testing::attr_floats({1, 1, 2, 3});
  const std::vector<Tensor> y = testing::run_node(opset::build_upsample, up7, 7, {&x});
  const std::vector<float> want = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{1, 1, 4, 6}));
  EXPECT_EQ(std::vector<float>(y[0].data_as<float>(), y[0].data_as<float>() + 24), want);

  graph::Node r10;
  r10.op_type = "Resize";
  r10.attrs["mode"] = attr_s("linear");
  const Tensor s = testing::make_tensor<float>(DType::kFloat, {4}, {1, 1, 2, 2});
  const std::vector<Tensor> z = testing::run_node(opset::build_resize, r10, 10, {&x, &s});
  // asymmetric: x = y / 2, edge-clamped.
  const std::vector<float> want_lin = {1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 3, 3.5f, 4, 4, 3, 3.5f, 4, 4};
  EXPECT_EQ(std::vector<float>(z[0].data_as<float>(), z[0].data_as<float>() + 16), want_lin);
}

TEST(ResizeOp, NearestMovesAnyElementType) {
  graph::Node node;
  node.op_type = "Resize";
  node.attrs["mode"] = attr_s("nearest");
  const Tensor x = testing::make_tensor<int64_t>(DType::kInt64, {1, 3}, {-5, 7, 1LL << 40});
  const Tensor s = testing::make_tensor<float>(DType::kFloat, {2}, {2, 2});
  const std::vector<Tensor> y = testing::run_node(opset::build_resize, node, 13, {&x, nullptr, &s});
  ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{2, 6}));
  const std::vector<int64_t> row = {-5, -5, 7, 7, 1LL << 40, 1LL << 40};
  EXPECT_EQ(std::vector<int64_t>(y[0].data_as<int64_t>(), y[0].data_as<int64_t>() + 6), row);
  EXPECT_EQ(std::vector<int64_t>(y[0].data_as<int64_t>() + 6, y[0].data_as<int64_t>() + 12), row);

  node.attrs["mode"] = attr_s("linear");  // linear has no int64 kernel: a clean kNotImplemented
  try {
    testing::run_node(opset::build_resize, node, 13, {&x, nullptr, &s});
    ADD_FAILURE() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotImplemented);
  }
}

TEST(ResizeKernel, ZeroSizeAndIdentity) {
  ResizeAttrs a;
  a.mode = ResizeMode::kCubic;
  std::vector<float> x = sines35(), y(35, -1.f);
  kernels::ResizeParams p = opset::resize_geometry(a, {5, 7}, {1, 1}, {}, {});
  kernels::resize_f32(p, x.data(), y.data(), kernels::serial());
  EXPECT_EQ(x, y);
  p = opset::resize_geometry(a, {0, 7}, {2, 2}, {}, {});
  EXPECT_EQ(p.out_shape, (std::vector<int64_t>{0, 14}));
  kernels::resize_f32(p, x.data(), y.data(), kernels::serial());  // writes nothing, reads nothing
}

}  // namespace
}  // namespace ortl
