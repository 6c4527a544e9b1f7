// Pooling: the fast kernels against the spec-literal reference on seeded random problems (1-3
// spatial axes, odd sizes, padding, strides, dilations, ceil_mode, count_include_pad, Lp
// exponents, argmax indices in both storage orders, int8/uint8 max), the output-length rules,
// and the ops end to end on cases from the ONNX backend tests.
#include "kernels/pool/pool.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "kernels/base/isa.h"
#include "opset/pool/pool.h"
#include "tests/resize/op_harness.h"

namespace ortl {
namespace {

using kernels::PoolKind;
using kernels::PoolType;
using testing::attr_i;
using testing::attr_ints;
using testing::attr_s;

class ChunkedParallel final : public kernels::Parallel {
 public:
  int num_threads() const override { return 4; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    for (int64_t b = 0; b < n; b += 5) fn(b, std::min(n, b + 5));
  }
};

TEST(PoolKernel, OutputLength) {
  // floor and ceil; ceil drops a last window that would start in the right padding.
  EXPECT_EQ(kernels::pool_out_len(4, 3, 2, 1, 0, 0, false), 1);
  EXPECT_EQ(kernels::pool_out_len(4, 3, 2, 1, 0, 0, true), 2);
  EXPECT_EQ(kernels::pool_out_len(2, 3, 3, 1, 1, 1, true), 1);   // ceil would give 2, starts on pad
  EXPECT_EQ(kernels::pool_out_len(32, 5, 3, 2, 0, 0, true), 9);  // dilated window 9
  EXPECT_EQ(kernels::pool_out_len(32, 5, 3, 2, 0, 0, false), 8);
  EXPECT_EQ(kernels::pool_out_len(2, 5, 1, 1, 0, 0, false), 0);  // does not fit
  int64_t out, pb, pe;
  kernels::pool_same_pads(5, 3, 2, 1, true, &out, &pb, &pe);
  EXPECT_EQ(std::vector<int64_t>({out, pb, pe}), std::vector<int64_t>({3, 1, 1}));
  kernels::pool_same_pads(4, 4, 1, 1, true, &out, &pb, &pe);
  EXPECT_EQ(std::vector<int64_t>({out, pb, pe}), std::vector<int64_t>({4, 1, 2}));
  kernels::pool_same_pads(4, 4, 1, 1, false, &out, &pb, &pe);
  EXPECT_EQ(std::vector<int64_t>({out, pb, pe}), std::vector<int64_t>({4, 2, 1}));
}

TEST(PoolKernel, RandomAgainstReference) {
  const uint32_t seed = 77031;
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const int64_t sizes[] = {1, 2, 3, 5, 7, 8, 13};
  int checked = 0;
  for (int iter = 0; iter < 2000; ++iter) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed << " iteration " << iter);
    kernels::PoolParams p;
    p.kind = static_cast<PoolKind>(pick(3));
    const size_t D = 1 + static_cast<size_t>(pick(3));
    p.batch = 1 + pick(2);
    p.channels = 1 + pick(3);
    p.count_include_pad = pick(2);
    p.p = static_cast<float>(1 + pick(3));
    p.column_major_indices = pick(2);
    const bool ceil_mode = pick(2);
    bool ok = true;
    for (size_t d = 0; d < D; ++d) {
      p.in.push_back(sizes[pick(D == 3 ? 5 : 7)]);
      p.kernel.push_back(1 + pick(4));
      p.stride.push_back(1 + pick(3));
      p.dilation.push_back(1 + pick(2));
      p.pad_begin.push_back(pick(static_cast<int>(p.kernel[d])));  // pads smaller than the kernel
      p.pad_end.push_back(pick(static_cast<int>(p.kernel[d])));
      p.out.push_back(kernels::pool_out_len(p.in[d], p.kernel[d], p.stride[d], p.dilation[d], p.pad_begin[d],
                                            p.pad_end[d], ceil_mode));
      ok = ok && p.out.back() >= 1;
    }
    if (!ok) continue;
    const PoolType t = p.kind == PoolKind::kMax ? static_cast<PoolType>(pick(4)) : static_cast<PoolType>(pick(2));
    const bool with_indices = p.kind == PoolKind::kMax && pick(2);
    int64_t n_in = p.batch * p.channels, n_out = n_in;
    for (size_t d = 0; d < D; ++d) {
      n_in *= p.in[d];
      n_out *= p.out[d];
    }
    // Small integers: sums are exact, ties in max are frequent (tests first-max indices).
    std::vector<double> vals(static_cast<size_t>(n_in));
    for (double& v : vals) v = static_cast<double>(pick(15) - 7);
    auto check = [&](auto tag) {
      using T = decltype(tag);
      std::vector<T> src(vals.begin(), vals.end()), want(static_cast<size_t>(n_out)), got(want.size());
      std::vector<int64_t> want_i(want.size(), -7), got_i(want.size(), -9);
      kernels::pool_ref(p, t, src.data(), want.data(), with_indices ? want_i.data() : nullptr);
      ChunkedParallel par;
      kernels::pool(p, t, src.data(), got.data(), with_indices ? got_i.data() : nullptr, par);
      for (size_t i = 0; i < want.size(); ++i) {
        const double w = static_cast<double>(want[i]), g = static_cast<double>(got[i]);
        if (std::isnan(w)) {
          ASSERT_TRUE(std::isnan(g)) << "element " << i;
        } else {
          ASSERT_NEAR(g, w, 1e-5 * (1 + std::fabs(w))) << "element " << i << " kind " << int(p.kind);
        }
        if (with_indices) {
          ASSERT_EQ(got_i[i], want_i[i]) << "index of element " << i;
        }
      }
    };
    switch (t) {
      case PoolType::kF32: check(float{}); break;
      case PoolType::kF64: check(double{}); break;
      case PoolType::kU8:
        for (double& v : vals) v += 7;
        check(uint8_t{});
        break;
      case PoolType::kI8: check(int8_t{}); break;
    }
    ++checked;
  }
  EXPECT_GT(checked, 1000);
}

// Every 2-D float32 variant the host can run (ORTL_MAX_ISA does not hide any: the mask is the
// host's) against the reference: widths around the vector lengths (7, 13, 33, 40), padding,
// strides 1-3, dilation, ceil_mode tails, count_include_pad, zero-size dims.
TEST(PoolKernel, Pool2dVariantsAgainstReference) {
  const uint32_t seed = 4242;
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const int64_t sizes[] = {0, 1, 2, 5, 7, 13, 16, 29, 33, 40};
  std::vector<kernels::PoolParams> cases;
  while (cases.size() < 600) {
    kernels::PoolParams p;
    p.kind = pick(2) ? PoolKind::kMax : PoolKind::kAvg;
    p.batch = 1 + pick(2);
    p.channels = pick(20) == 0 ? 0 : 1 + pick(3);
    p.count_include_pad = pick(2);
    const bool ceil_mode = pick(2);
    bool ok = true;
    for (int d = 0; d < 2; ++d) {
      p.in.push_back(sizes[pick(d == 0 ? 7 : 10)]);
      p.kernel.push_back(1 + pick(4));
      p.stride.push_back(1 + pick(3));
      p.dilation.push_back(pick(4) == 0 ? 2 : 1);
      p.pad_begin.push_back(pick(static_cast<int>(p.kernel.back())));
      p.pad_end.push_back(pick(static_cast<int>(p.kernel.back())));
      p.out.push_back(kernels::pool_out_len(p.in.back(), p.kernel.back(), p.stride.back(), p.dilation.back(),
                                            p.pad_begin.back(), p.pad_end.back(), ceil_mode));
      ok = ok && p.out.back() >= 1;
    }
    if (ok) cases.push_back(p);
  }
  // The common CNN shapes, explicitly.
  for (int64_t k : {2, 3}) {
    for (int64_t pad : {0, 1}) {
      kernels::PoolParams p;
      p.kind = k == 3 ? PoolKind::kMax : PoolKind::kAvg;
      p.channels = 5;
      p.in = {29, 33};
      p.kernel = {k, k};
      p.stride = {2, 2};
      p.dilation = {1, 1};
      p.pad_begin = {pad, pad};
      p.pad_end = {pad, pad};
      for (int d = 0; d < 2; ++d) p.out.push_back(kernels::pool_out_len(p.in[d], k, 2, 1, pad, pad, true));
      cases.push_back(p);
      p.kind = p.kind == PoolKind::kMax ? PoolKind::kAvg : PoolKind::kMax;
      cases.push_back(p);
    }
  }
  int ran = 0;
  for (const kernels::Pool2dF32Kernel& k : kernels::pool2d_f32_kernels()) {
    if ((k.isa & kernels::host_isa()) != k.isa) continue;
    ++ran;
    for (size_t ci = 0; ci < cases.size(); ++ci) {
      const kernels::PoolParams& p = cases[ci];
      SCOPED_TRACE(::testing::Message() << k.name << " case " << ci << " in " << p.in[0] << "x" << p.in[1] << " k "
                                        << p.kernel[0] << "x" << p.kernel[1] << " s " << p.stride[0] << "x"
                                        << p.stride[1] << " kind " << int(p.kind));
      const int64_t planes = p.batch * p.channels;
      std::vector<float> src(static_cast<size_t>(planes * p.in[0] * p.in[1]));
      for (float& v : src) v = static_cast<float>(pick(61) - 30) * 0.25f;
      std::vector<float> want(static_cast<size_t>(planes * p.out[0] * p.out[1]), -3.f), got(want.size(), 5.f);
      kernels::pool_ref(p, PoolType::kF32, src.data(), want.data(), nullptr);
      ChunkedParallel par;
      k.fn(p, src.data(), got.data(), par);
      for (size_t i = 0; i < want.size(); ++i) {
        if (std::isnan(want[i])) {
          ASSERT_TRUE(std::isnan(got[i])) << "element " << i;
        } else {
          ASSERT_NEAR(got[i], want[i], 1e-5 * (1 + std::fabs(want[i]))) << "element " << i;
        }
      }
    }
  }
  EXPECT_GE(ran, 2);
  EXPECT_TRUE(kernels::pool2d_f32_applies(cases[0]));
  EXPECT_EQ(std::string(kernels::select_pool2d_f32(0).name), "pool2d_f32_base");
}

TEST(PoolKernel, GlobalVariantsAgainstReference) {
  for (const kernels::Pool2dF32Kernel& k : kernels::pool2d_f32_kernels()) {
    if ((k.isa & kernels::host_isa()) != k.isa) continue;
    for (int64_t plane : {0, 1, 3, 7, 13, 16, 33, 49, 64, 100}) {
      for (PoolKind kind : {PoolKind::kMax, PoolKind::kAvg}) {
        SCOPED_TRACE(::testing::Message() << k.name << " plane " << plane << " kind " << int(kind));
        const int64_t planes = 7;
        std::vector<float> x(static_cast<size_t>(planes * plane)), y(planes, 99.f);
        for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(static_cast<int>(i * 37 % 29) - 14) * 0.5f;
        k.global_fn(kind, planes, plane, x.data(), y.data(), kernels::serial());
        for (int64_t c = 0; c < planes; ++c) {
          double m = std::numeric_limits<float>::lowest(), s = 0;
          for (int64_t i = 0; i < plane; ++i) {
            m = std::max<double>(m, x[static_cast<size_t>(c * plane + i)]);
            s += x[static_cast<size_t>(c * plane + i)];
          }
          const float got = y[static_cast<size_t>(c)];
          if (kind == PoolKind::kAvg && plane == 0) {
            EXPECT_TRUE(std::isnan(got));
          } else {
            const double want = kind == PoolKind::kMax ? m : s / static_cast<double>(plane);
            EXPECT_NEAR(got, want, 1e-5 * (1 + std::fabs(want)));
          }
        }
      }
    }
  }
}

TEST(PoolKernel, GlobalPools) {
  std::vector<float> x(2 * 3 * 37);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(static_cast<int>(i * 7 % 23) - 11);
  std::vector<float> y(6);
  for (PoolKind k : {PoolKind::kMax, PoolKind::kAvg, PoolKind::kLp}) {
    kernels::global_pool(k, PoolType::kF32, 3.f, 6, 37, x.data(), y.data(), kernels::serial());
    for (int c = 0; c < 6; ++c) {
      double m = -1e30, s = 0, lp = 0;
      for (int i = 0; i < 37; ++i) {
        const double v = x[static_cast<size_t>(c * 37 + i)];
        m = std::max(m, v);
        s += v;
        lp += std::pow(std::fabs(v), 3.0);
      }
      const double want = k == PoolKind::kMax ? m : (k == PoolKind::kAvg ? s / 37 : std::cbrt(lp));
      EXPECT_NEAR(y[static_cast<size_t>(c)], want, 1e-4 * (1 + std::fabs(want)));
    }
  }
}

graph::Node pool_node(const char* op, std::vector<int64_t> kernel) {
  graph::Node n;
  n.op_type = op;
  n.attrs["kernel_shape"] = attr_ints(std::move(kernel));
  return n;
}

std::vector<float> ramp(int n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i + 1);
  return v;
}

TEST(PoolOp, BackendCases) {
  const Tensor x44 = testing::make_tensor<float>(DType::kFloat, {1, 1, 4, 4}, ramp(16));
  {  // test_averagepool_2d_ceil
    graph::Node n = pool_node("AveragePool", {3, 3});
    n.attrs["strides"] = attr_ints({2, 2});
    n.attrs["ceil_mode"] = attr_i(1);
    const std::vector<Tensor> y = testing::run_node(opset::build_average_pool, n, 19, {&x44});
    EXPECT_EQ(std::vector<float>(y[0].data_as<float>(), y[0].data_as<float>() + 4),
              (std::vector<float>{6, 7.5f, 12, 13.5f}));
  }
  {  // test_averagepool_2d_ceil_last_window_starts_on_pad (count_include_pad)
    const Tensor x = testing::make_tensor<float>(DType::kFloat, {1, 1, 2, 2}, {0.8580f, 0.0786f, 0.2692f, 0.1537f});
    graph::Node n = pool_node("AveragePool", {3, 3});
    n.attrs["strides"] = attr_ints({3, 3});
    n.attrs["pads"] = attr_ints({1, 1, 1, 1});
    n.attrs["ceil_mode"] = attr_i(1);
    n.attrs["count_include_pad"] = attr_i(1);
    const std::vector<Tensor> y = testing::run_node(opset::build_average_pool, n, 19, {&x});
    ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{1, 1, 1, 1}));
    EXPECT_NEAR(y[0].data_as<float>()[0], 0.1511f, 1e-4);
  }
  {  // test_maxpool_with_argmax_2d_precomputed_strides (storage_order 1)
    const Tensor x = testing::make_tensor<float>(DType::kFloat, {1, 1, 5, 5}, ramp(25));
    graph::Node n = pool_node("MaxPool", {2, 2});
    n.attrs["strides"] = attr_ints({2, 2});
    n.attrs["storage_order"] = attr_i(1);
    const std::vector<Tensor> y = testing::run_node(opset::build_max_pool, n, 12, {&x}, 2);
    EXPECT_EQ(std::vector<float>(y[0].data_as<float>(), y[0].data_as<float>() + 4), (std::vector<float>{7, 9, 17, 19}));
    EXPECT_EQ(std::vector<int64_t>(y[1].data_as<int64_t>(), y[1].data_as<int64_t>() + 4),
              (std::vector<int64_t>{6, 16, 8, 18}));
  }
  {  // SAME_LOWER with strides: test_maxpool_2d_same_lower shape rule
    graph::Node n = pool_node("MaxPool", {2, 2});
    n.attrs["auto_pad"] = attr_s("SAME_LOWER");
    const std::vector<Tensor> y = testing::run_node(opset::build_max_pool, n, 12, {&x44});
    ASSERT_EQ(y[0].shape(), (std::vector<int64_t>{1, 1, 4, 4}));
    EXPECT_EQ(y[0].data_as<float>()[0], 1.f);  // window (-1..0)^2: only x[0][0]
    EXPECT_EQ(y[0].data_as<float>()[5], 6.f);
  }
  {  // LpPool-1 reads a float p; GlobalLpPool
    graph::Node n = pool_node("LpPool", {2, 2});
    n.attrs["p"] = testing::attr_f(2.f);
    const std::vector<Tensor> y = testing::run_node(opset::build_lp_pool, n, 1, {&x44});
    EXPECT_NEAR(y[0].data_as<float>()[0], std::sqrt(1.f + 4 + 25 + 36), 1e-5);
    graph::Node g;
    g.op_type = "GlobalLpPool";
    g.attrs["p"] = attr_i(1);
    const std::vector<Tensor> z = testing::run_node(opset::build_global_lp_pool, g, 2, {&x44});
    ASSERT_EQ(z[0].shape(), (std::vector<int64_t>{1, 1, 1, 1}));
    EXPECT_FLOAT_EQ(z[0].data_as<float>()[0], 136.f);
  }
}

TEST(PoolOp, Errors) {
  auto code = [](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::kOk;
  };
  graph::Graph g;
  graph::Node n = pool_node("MaxPool", {2, 2});
  n.attrs["strides"] = attr_ints({0, 1});
  EXPECT_EQ(code([&] { opset::build_max_pool({n, g, 12}); }), ErrorCode::kInvalidModel);
  n = pool_node("MaxPool", {5, 5});
  const Tensor x = testing::make_tensor<float>(DType::kFloat, {1, 1, 4, 4}, ramp(16));
  EXPECT_EQ(code([&] { testing::run_node(opset::build_max_pool, n, 12, {&x}); }), ErrorCode::kInvalidArgument);
  const Tensor x3 = testing::make_tensor<float>(DType::kFloat, {1, 4, 4}, ramp(16));
  n = pool_node("MaxPool", {2, 2});
  EXPECT_EQ(code([&] { testing::run_node(opset::build_max_pool, n, 12, {&x3}); }), ErrorCode::kInvalidArgument);
  const Tensor xi = testing::make_tensor<int32_t>(DType::kInt32, {1, 1, 4, 4}, std::vector<int32_t>(16, 1));
  EXPECT_EQ(code([&] { testing::run_node(opset::build_max_pool, n, 12, {&xi}); }), ErrorCode::kNotImplemented);
}

}  // namespace
}  // namespace ortl
