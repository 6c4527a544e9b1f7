// Elementwise micro-benchmarks: ort-lite's float unary activations (every implementation in
// kernels/eltwise/kernels.inc the host can run, plus unary_ref on the small shapes), Clip and
// broadcast binary ops, side by side with oneDNN's eltwise_forward / binary primitives on the
// same dense shapes, single thread. Shapes: ResNet-50 / MobileNetV2 activations, BERT-base FFN,
// plus a size sweep.
// Names: unary/<op>/<impl>/<shape>, binary/<op>/<impl>/<shape>.
// Counters: items (output elements, as a rate) and bytes (inputs read + output written, as a rate).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/eltwise/broadcast.h"
#include "kernels/eltwise/eltwise.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

namespace k = ortl::kernels;

}  // namespace

namespace ortl::kernels {
namespace {
// The unary f32 implementations, in the order the op layer tries them.
const UnaryF32Impl kBenchUnaryImpls[] = {
#include "kernels/eltwise/kernels.inc"
};
}  // namespace
}  // namespace ortl::kernels

namespace {

namespace k = ortl::kernels;
const auto& kUnaryImpls = k::kBenchUnaryImpls;

struct Shape {
  const char* name;
  std::vector<int64_t> dims;
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : dims) n *= d;
    return n;
  }
};

const std::vector<Shape>& unary_shapes() {
  static const std::vector<Shape> s = {
      {"rn50_conv1_1x64x112x112", {1, 64, 112, 112}},
      {"rn50_res2_1x256x56x56", {1, 256, 56, 56}},
      {"mbv2_1x960x7x7", {1, 960, 7, 7}},
      {"bert_ffn_1x128x3072", {1, 128, 3072}},
      {"sweep_4K", {4096}},
      {"sweep_64K", {65536}},
      {"sweep_1M", {1 << 20}},
      {"sweep_16M", {1 << 24}},
  };
  return s;
}

struct UnaryCase {
  const char* name;
  k::UnaryOp op;  // ignored for Clip
  k::UnaryParams prm;
  bool is_clip;
#ifdef ORTL_BENCH_HAVE_DNNL
  dnnl::algorithm alg;
  float alpha, beta;
#endif
};

#ifdef ORTL_BENCH_HAVE_DNNL
#define DNNL_ALG(a, al, be) , dnnl::algorithm::a, al, be
#else
#define DNNL_ALG(a, al, be)
#endif

const std::vector<UnaryCase>& unary_cases() {
  static const std::vector<UnaryCase> c = {
      {"Relu", k::UnaryOp::kRelu, {}, false DNNL_ALG(eltwise_relu, 0.f, 0.f)},
      {"Clip0_6", k::UnaryOp::kRelu, {}, true DNNL_ALG(eltwise_clip, 0.f, 6.f)},
      {"Sigmoid", k::UnaryOp::kSigmoid, {}, false DNNL_ALG(eltwise_logistic, 0.f, 0.f)},
      {"Tanh", k::UnaryOp::kTanh, {}, false DNNL_ALG(eltwise_tanh, 0.f, 0.f)},
      {"Exp", k::UnaryOp::kExp, {}, false DNNL_ALG(eltwise_exp, 0.f, 0.f)},
      {"HardSwish", k::UnaryOp::kHardSwish, {}, false DNNL_ALG(eltwise_hardswish, 0.f, 0.f)},
      {"Swish", k::UnaryOp::kSwish, {1.f, 0.f, 0.f}, false DNNL_ALG(eltwise_swish, 1.f, 0.f)},
  };
  return c;
}

std::vector<float> random_vec(int64_t n, unsigned seed, float lo = -4.f, float hi = 4.f) {
  return ortl::bench::random_vec(n, seed, lo, hi);
}

void set_counters(benchmark::State& state, int64_t items, int64_t bytes) {
  state.counters["items"] =
      benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kIsIterationInvariantRate);
}

// ---- unary -----------------------------------------------------------------------------------

void bm_unary_ortl(benchmark::State& state, const k::UnaryF32Impl* impl, UnaryCase c, Shape s) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  const int64_t n = s.numel();
  const std::vector<float> x = random_vec(n, 1);
  std::vector<float> y(static_cast<size_t>(n));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::unary_f32(*impl, c.op, c.prm, x.data(), y.data(), n, par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n, 8 * n);
}

void bm_clip_ortl(benchmark::State& state, Shape s) {
  const int64_t n = s.numel();
  const std::vector<float> x = random_vec(n, 1);
  std::vector<float> y(static_cast<size_t>(n));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::clip<float>(x.data(), y.data(), n, 0.f, 6.f, par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n, 8 * n);
}

void bm_unary_ref(benchmark::State& state, UnaryCase c, Shape s) {
  const int64_t n = s.numel();
  const std::vector<float> x = random_vec(n, 1);
  std::vector<float> y(static_cast<size_t>(n));
  for (auto _ : state) {
    k::unary_ref<float>(c.op, c.prm, x.data(), y.data(), n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n, 8 * n);
}

#ifdef ORTL_BENCH_HAVE_DNNL
dnnl::memory::desc dense_md(const std::vector<int64_t>& dims) {
  dnnl::memory::dims d(dims.begin(), dims.end());
  dnnl::memory::dims strides(d.size(), 1);
  for (size_t i = d.size() - 1; i > 0; --i) strides[i - 1] = strides[i] * d[i];
  return dnnl::memory::desc(d, dnnl::memory::data_type::f32, strides);
}

void bm_unary_dnnl(benchmark::State& state, UnaryCase c, Shape s) {
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  const int64_t n = s.numel();
  std::vector<float> x = random_vec(n, 1);
  std::vector<float> y(static_cast<size_t>(n));
  const dnnl::memory::desc md = dense_md(s.dims);
  dnnl::memory mx(md, eng, x.data()), my(md, eng, y.data());
  const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, c.alg, md, c.alpha, c.beta);
  const dnnl::eltwise_forward::primitive_desc pd(desc, eng);
  dnnl::eltwise_forward prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, n, 8 * n);
}
#endif

// ---- binary ----------------------------------------------------------------------------------

struct BinaryCase {
  const char* name;
  k::BinaryOp op;
  std::vector<int64_t> a, b;  // out = a's shape
  int64_t numel(const std::vector<int64_t>& d) const {
    int64_t n = 1;
    for (int64_t v : d) n *= v;
    return n;
  }
};

const std::vector<BinaryCase>& binary_cases() {
  static const std::vector<BinaryCase> c = {
      {"Add/rn50_residual_1x256x56x56", k::BinaryOp::kAdd, {1, 256, 56, 56}, {1, 256, 56, 56}},
      {"Add/bert_residual_1x128x768", k::BinaryOp::kAdd, {1, 128, 768}, {1, 128, 768}},
      {"Add/bert_bias_1x128x3072+3072", k::BinaryOp::kAdd, {1, 128, 3072}, {1, 1, 3072}},
      {"Mul/mbv2_se_1x960x7x7*1x960x1x1", k::BinaryOp::kMul, {1, 960, 7, 7}, {1, 960, 1, 1}},
      {"Mul/rn50_chan_1x64x112x112*1x64x1x1", k::BinaryOp::kMul, {1, 64, 112, 112}, {1, 64, 1, 1}},
      {"Mul/scalar_1x256x56x56*1", k::BinaryOp::kMul, {1, 256, 56, 56}, {1, 1, 1, 1}},
      {"Div/bert_attn_12x128x128_by_scalar", k::BinaryOp::kDiv, {12, 128, 128}, {1, 1, 1}},
  };
  return c;
}

int64_t binary_bytes(const BinaryCase& c) { return 4 * (2 * c.numel(c.a) + c.numel(c.b)); }

void bm_binary_ortl(benchmark::State& state, BinaryCase c) {
  const int64_t n = c.numel(c.a);
  const std::vector<float> a = random_vec(n, 1), b = random_vec(c.numel(c.b), 2, 0.5f, 2.f);
  std::vector<float> y(static_cast<size_t>(n));
  const k::BroadcastPlan plan = k::make_broadcast_plan(c.a, {c.a, c.b});
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::binary<float>(c.op, plan, a.data(), b.data(), y.data(), par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n, binary_bytes(c));
}

void bm_binary_ref(benchmark::State& state, BinaryCase c) {
  const int64_t n = c.numel(c.a);
  const std::vector<float> a = random_vec(n, 1), b = random_vec(c.numel(c.b), 2, 0.5f, 2.f);
  std::vector<float> y(static_cast<size_t>(n));
  for (auto _ : state) {
    k::binary_ref<float>(c.op, c.a, c.a, a.data(), c.b, b.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n, binary_bytes(c));
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_binary_dnnl(benchmark::State& state, BinaryCase c) {
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  const int64_t n = c.numel(c.a);
  std::vector<float> a = random_vec(n, 1), b = random_vec(c.numel(c.b), 2, 0.5f, 2.f);
  std::vector<float> y(static_cast<size_t>(n));
  const dnnl::memory::desc amd = dense_md(c.a), bmd = dense_md(c.b);
  dnnl::memory ma(amd, eng, a.data()), mb(bmd, eng, b.data()), my(amd, eng, y.data());
  dnnl::algorithm alg = dnnl::algorithm::binary_add;
  if (c.op == k::BinaryOp::kMul) alg = dnnl::algorithm::binary_mul;
  if (c.op == k::BinaryOp::kDiv) alg = dnnl::algorithm::binary_div;
  const dnnl::binary::desc desc(alg, amd, bmd, amd);
  const dnnl::binary::primitive_desc pd(desc, eng);
  dnnl::binary prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC_0, ma}, {DNNL_ARG_SRC_1, mb}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, n, binary_bytes(c));
}
#endif

void register_all() {
  for (const UnaryCase& c : unary_cases()) {
    for (const Shape& s : unary_shapes()) {
      const std::string tail = std::string("/") + s.name;
      const std::string pre = std::string("unary/") + c.name + "/";
      if (c.is_clip) {
        benchmark::RegisterBenchmark((pre + "ortl_clip" + tail).c_str(), bm_clip_ortl, s)
            ->Unit(benchmark::kMicrosecond);
      } else {
        for (const k::UnaryF32Impl& impl : kUnaryImpls)
          benchmark::RegisterBenchmark((pre + "ortl_" + impl.name + tail).c_str(), bm_unary_ortl, &impl, c, s)
              ->Unit(benchmark::kMicrosecond);
        // The double-precision oracle only where it stays quick.
        if (s.numel() <= 65536)
          benchmark::RegisterBenchmark((pre + "ortl_unary_ref" + tail).c_str(), bm_unary_ref, c, s)
              ->Unit(benchmark::kMicrosecond);
      }
#ifdef ORTL_BENCH_HAVE_DNNL
      benchmark::RegisterBenchmark((pre + "onednn" + tail).c_str(), bm_unary_dnnl, c, s)->Unit(benchmark::kMicrosecond);
#endif
    }
  }
  for (const BinaryCase& c : binary_cases()) {
    const std::string op = c.name;
    const size_t slash = op.find('/');
    const std::string pre = "binary/" + op.substr(0, slash) + "/", tail = op.substr(slash);
    benchmark::RegisterBenchmark((pre + "ortl_binary" + tail).c_str(), bm_binary_ortl, c)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((pre + "ortl_binary_ref" + tail).c_str(), bm_binary_ref, c)
        ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark((pre + "onednn" + tail).c_str(), bm_binary_dnnl, c)->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
