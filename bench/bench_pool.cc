// Pooling micro-benchmarks: every 2-D float32 pool variant the host can run (pool2d_f32_kernels,
// the separable generic path included as the old baseline; gavg_* shapes run the variant's
// global_fn, i.e. GlobalAveragePool), vs
// oneDNN pooling_forward (f32, forward_inference, NCHW in and out as ONNX hands them over),
// single thread. Names: pool/<impl>/<shape>. Counter: bytes/s (input + output once).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/pool/pool.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using ortl::bench::random_vec;

namespace k = ortl::kernels;

struct PoolShape {
  const char* name;
  bool max;
  int64_t c, h, w, kernel, stride, pad;
  bool global = false;
  int64_t oh() const { return global ? 1 : (h + 2 * pad - kernel) / stride + 1; }
  int64_t ow() const { return global ? 1 : (w + 2 * pad - kernel) / stride + 1; }
  int64_t x_size() const { return c * h * w; }
  int64_t y_size() const { return c * oh() * ow(); }
};

constexpr PoolShape kShapes[] = {
    {"max3x3s2_96x29x29", true, 96, 29, 29, 3, 2, 0},        // SqueezeNet-style
    {"max3x3s2p1_64x112x112", true, 64, 112, 112, 3, 2, 1},  // ResNet stem
    {"max2x2s2_128x56x56", true, 128, 56, 56, 2, 2, 0},      // VGG
    {"max3x3s1p1_192x28x28", true, 192, 28, 28, 3, 1, 1},    // Inception branch
    {"avg3x3s1p1_192x28x28", false, 192, 28, 28, 3, 1, 1},   // Inception branch (exclude pad)
    {"avg2x2s2_256x28x28", false, 256, 28, 28, 2, 2, 0},     // DenseNet transition
    {"gavg_2048x7x7", false, 2048, 7, 7, 7, 1, 0, true},     // ResNet-50 head
    {"gavg_1280x7x7", false, 1280, 7, 7, 7, 1, 0, true},     // MobileNetV2 head
};

void set_counters(benchmark::State& state, const PoolShape& s) {
  const double bytes = 4.0 * static_cast<double>(s.x_size() + s.y_size());
  state.counters["bytes"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate);
}

k::PoolParams params(const PoolShape& s) {
  k::PoolParams p;
  p.kind = s.max ? k::PoolKind::kMax : k::PoolKind::kAvg;
  p.channels = s.c;
  p.in = {s.h, s.w};
  p.out = {s.oh(), s.ow()};
  p.kernel = {s.kernel, s.kernel};
  p.stride = {s.stride, s.stride};
  p.dilation = {1, 1};
  p.pad_begin = {s.pad, s.pad};
  p.pad_end = {s.pad, s.pad};
  return p;
}

void bm_ortl(benchmark::State& state, const k::Pool2dF32Kernel* impl, PoolShape s) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  const k::PoolParams p = params(s);
  const std::vector<float> x = random_vec(s.x_size(), 1);
  std::vector<float> y(static_cast<size_t>(s.y_size()));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->fn(p, x.data(), y.data(), par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s);
}

void bm_ortl_global(benchmark::State& state, const k::Pool2dF32Kernel* impl, PoolShape s) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  const std::vector<float> x = random_vec(s.x_size(), 1);
  std::vector<float> y(static_cast<size_t>(s.y_size()));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->global_fn(s.max ? k::PoolKind::kMax : k::PoolKind::kAvg, s.c, s.h * s.w, x.data(), y.data(), par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_dnnl(benchmark::State& state, PoolShape s) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  const memory::dims x_dims = {1, s.c, s.h, s.w}, y_dims = {1, s.c, s.oh(), s.ow()};
  const memory::dims kernel = {s.kernel, s.kernel}, strides = {s.stride, s.stride}, pads = {s.pad, s.pad};
  std::vector<float> x = random_vec(s.x_size(), 1), y(static_cast<size_t>(s.y_size()));
  memory mx({x_dims, dt::f32, tag::nchw}, eng, x.data());
  memory my({y_dims, dt::f32, tag::nchw}, eng, y.data());
  const dnnl::algorithm alg = s.max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  const dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, alg, mx.get_desc(), my.get_desc(), strides,
                                         kernel, pads, pads);
  const dnnl::pooling_forward::primitive_desc pd(desc, eng);
  dnnl::pooling_forward pool(pd);
  for (auto _ : state) {
    pool.execute(strm, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, s);
}
#endif

void register_all() {
  for (const PoolShape& s : kShapes) {
    for (const k::Pool2dF32Kernel& impl : k::pool2d_f32_kernels()) {
      const std::string name = std::string("pool/ortl_") + impl.name + "/" + s.name;
      if (s.global) {
        benchmark::RegisterBenchmark(name.c_str(), bm_ortl_global, &impl, s)->Unit(benchmark::kMicrosecond);
      } else {
        benchmark::RegisterBenchmark(name.c_str(), bm_ortl, &impl, s)->Unit(benchmark::kMicrosecond);
      }
    }
#ifdef ORTL_BENCH_HAVE_DNNL
    const std::string name = std::string("pool/onednn/") + s.name;
    benchmark::RegisterBenchmark(name.c_str(), bm_dnnl, s)->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
