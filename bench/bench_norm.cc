// Normalization micro-benchmarks, single thread: ort-lite LayerNorm and BatchNorm (inference,
// NCHW) through every norm_f32_kernels() entry the host can run plus the *_ref oracle, against
// oneDNN layer_normalization_forward / batch_normalization_forward (forward_inference, scale and
// shift, global stats) on the same plain layouts (BatchNorm also in oneDNN's blocked nChw16c); and BERT's FFN
// activation Gelu (erf and tanh forms) and Erf through every unary f32 implementation against oneDNN eltwise_gelu_erf /
// gelu_tanh and Eigen's vectorised erf (AVX2 build, bench/eigen_baseline_avx2.cc).
// Names: layernorm/<impl>/<shape>, batchnorm/<impl>/<shape>, <Gelu|GeluTanh|Erf>/<impl>/<shape>.
// Counters: items (elements, as a rate) and bytes (x read + y written, as a rate).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/eltwise/eltwise.h"
#include "kernels/norm/norm.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

#ifdef ORTL_BENCH_HAVE_EIGEN
namespace ortl::bench {
void eigen_erf_avx2(const float* src, float* dst, int64_t n);
void eigen_gelu_erf_avx2(const float* src, float* dst, int64_t n);
}  // namespace ortl::bench
#endif

namespace ortl::kernels {
namespace {
const UnaryF32Impl kBenchUnaryImpls[] = {
#include "kernels/eltwise/kernels.inc"
};
}  // namespace
}  // namespace ortl::kernels

namespace {

namespace k = ortl::kernels;

std::vector<float> random_vec(int64_t n, unsigned seed, float lo = -2.f, float hi = 2.f) {
  return ortl::bench::random_vec(n, seed, lo, hi);
}

void set_counters(benchmark::State& state, int64_t items) {
  state.counters["items"] =
      benchmark::Counter(static_cast<double>(items), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] =
      benchmark::Counter(8.0 * static_cast<double>(items), benchmark::Counter::kIsIterationInvariantRate);
}

bool host_has(uint32_t isa) { return (isa & k::host_isa()) == isa; }

// ---- LayerNorm over the last dim of [rows, n] ------------------------------------------------

struct LnShape {
  const char* name;
  int64_t rows, n;
};
constexpr LnShape kLnShapes[] = {
    {"bert_1x128x768", 128, 768},      {"bert_large_1x384x1024", 384, 1024}, {"vit_b16_1x197x768", 197, 768},
    {"sweep_4096x64", 4096, 64},       {"sweep_1024x256", 1024, 256},        {"sweep_64x4096", 64, 4096},
    {"sweep_16384x1024", 16384, 1024},
};

struct LnData {
  std::vector<float> x, scale, bias, y;
  explicit LnData(const LnShape& s)
      : x(random_vec(s.rows * s.n, 1)),
        scale(random_vec(s.n, 2, 0.5f, 1.5f)),
        bias(random_vec(s.n, 3)),
        y(static_cast<size_t>(s.rows * s.n)) {}
};

void bm_ln_ortl(benchmark::State& state, const k::NormF32Kernels* impl, LnShape s) {
  if (!host_has(impl->isa)) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  LnData d(s);
  k::LayerNormParams p{s.rows, s.n, 1e-12f};
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->layer_norm(p, d.x.data(), d.scale.data(), d.bias.data(), d.y.data(), nullptr, nullptr, par);
    benchmark::DoNotOptimize(d.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.rows * s.n);
}

void bm_ln_ref(benchmark::State& state, LnShape s) {
  LnData d(s);
  k::LayerNormParams p{s.rows, s.n, 1e-12f};
  for (auto _ : state) {
    k::layer_norm_ref<float>(p, d.x.data(), d.scale.data(), d.bias.data(), d.y.data(), nullptr, nullptr);
    benchmark::DoNotOptimize(d.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.rows * s.n);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_ln_dnnl(benchmark::State& state, LnShape s) {
  using dnnl::memory;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  LnData d(s);
  const memory::desc md({s.rows, s.n}, memory::data_type::f32, memory::format_tag::ab);
  const memory::desc wmd({s.n}, memory::data_type::f32, memory::format_tag::a);
  memory mx(md, eng, d.x.data()), my(md, eng, d.y.data()), ms(wmd, eng, d.scale.data()), mb(wmd, eng, d.bias.data());
  const dnnl::layer_normalization_forward::desc desc(
      dnnl::prop_kind::forward_inference, md, 1e-12f,
      dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift);
  const dnnl::layer_normalization_forward::primitive_desc pd(desc, eng);
  // Inference without global stats still takes mean/variance outputs in oneDNN 2.x.
  memory mmean(pd.mean_desc(), eng), mvar(pd.variance_desc(), eng);
  dnnl::layer_normalization_forward prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, mx},
                        {DNNL_ARG_DST, my},
                        {DNNL_ARG_SCALE, ms},
                        {DNNL_ARG_SHIFT, mb},
                        {DNNL_ARG_MEAN, mmean},
                        {DNNL_ARG_VARIANCE, mvar}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, s.rows * s.n);
}
#endif

// ---- BatchNorm inference on NCHW ---------------------------------------------------------------

struct BnShape {
  const char* name;
  int64_t c, h, w;
};
constexpr BnShape kBnShapes[] = {
    {"rn50_1x64x112x112", 64, 112, 112}, {"rn50_1x256x56x56", 256, 56, 56}, {"rn50_1x2048x7x7", 2048, 7, 7},
    {"mbv2_1x32x112x112", 32, 112, 112}, {"mbv2_1x960x7x7", 960, 7, 7},
};

struct BnData {
  std::vector<float> x, scale, bias, mean, var, y;
  explicit BnData(const BnShape& s)
      : x(random_vec(s.c * s.h * s.w, 1)),
        scale(random_vec(s.c, 2, 0.5f, 1.5f)),
        bias(random_vec(s.c, 3)),
        mean(random_vec(s.c, 4)),
        var(random_vec(s.c, 5, 0.5f, 2.f)),
        y(static_cast<size_t>(s.c * s.h * s.w)) {}
};

void bm_bn_ortl(benchmark::State& state, const k::NormF32Kernels* impl, BnShape s) {
  if (!host_has(impl->isa)) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  BnData d(s);
  k::BatchNormParams p{1, s.c, s.h * s.w, 1e-5f};
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->batch_norm(p, d.x.data(), d.scale.data(), d.bias.data(), d.mean.data(), d.var.data(), d.y.data(), par);
    benchmark::DoNotOptimize(d.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.c * s.h * s.w);
}

void bm_bn_ref(benchmark::State& state, BnShape s) {
  BnData d(s);
  k::BatchNormParams p{1, s.c, s.h * s.w, 1e-5f};
  for (auto _ : state) {
    k::batch_norm_ref<float>(p, d.x.data(), d.scale.data(), d.bias.data(), d.mean.data(), d.var.data(), d.y.data());
    benchmark::DoNotOptimize(d.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.c * s.h * s.w);
}

#ifdef ORTL_BENCH_HAVE_DNNL
// tag nchw: the same plain layout ort-lite reads (oneDNN 2.6 then runs its generic ncsp_bnorm);
// tag nChw16c: oneDNN's blocked layout, where its jit kernel runs (x reordered once, untimed).
void bm_bn_dnnl(benchmark::State& state, BnShape s, dnnl::memory::format_tag tag) {
  using dnnl::memory;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  BnData d(s);
  const memory::desc md({1, s.c, s.h, s.w}, memory::data_type::f32, memory::format_tag::nchw);
  const memory::desc cmd({s.c}, memory::data_type::f32, memory::format_tag::a);
  const memory::desc bmd({1, s.c, s.h, s.w}, memory::data_type::f32, tag);
  memory user_x(md, eng, d.x.data()), ms(cmd, eng, d.scale.data()), mb(cmd, eng, d.bias.data()),
      mmean(cmd, eng, d.mean.data()), mvar(cmd, eng, d.var.data());
  memory mx(bmd, eng), my(bmd, eng);
  dnnl::reorder(user_x, mx).execute(strm, user_x, mx);
  strm.wait();
  const dnnl::batch_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, bmd, 1e-5f,
                                                     dnnl::normalization_flags::use_global_stats |
                                                         dnnl::normalization_flags::use_scale |
                                                         dnnl::normalization_flags::use_shift);
  const dnnl::batch_normalization_forward::primitive_desc pd(desc, eng);
  dnnl::batch_normalization_forward prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, mx},
                        {DNNL_ARG_DST, my},
                        {DNNL_ARG_SCALE, ms},
                        {DNNL_ARG_SHIFT, mb},
                        {DNNL_ARG_MEAN, mmean},
                        {DNNL_ARG_VARIANCE, mvar}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, s.c * s.h * s.w);
}
#endif

// ---- Gelu / Erf --------------------------------------------------------------------------------

struct ActShape {
  const char* name;
  int64_t n;
};
constexpr ActShape kActShapes[] = {
    {"bert_ffn_1x128x3072", 128 * 3072},
    {"bert_large_ffn_1x384x4096", 384 * 4096},
    {"sweep_4K", 4096},
    {"sweep_64K", 65536},
};

enum class Act { kGelu, kGeluTanh, kErf };
const char* act_name(Act a) { return a == Act::kGelu ? "Gelu" : a == Act::kGeluTanh ? "GeluTanh" : "Erf"; }
k::UnaryOp act_op(Act a) {
  return a == Act::kGelu ? k::UnaryOp::kGelu : a == Act::kGeluTanh ? k::UnaryOp::kGeluTanh : k::UnaryOp::kErf;
}

void bm_act_ortl(benchmark::State& state, const k::UnaryF32Impl* impl, Act a, ActShape s) {
  if (!host_has(impl->isa)) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  const std::vector<float> x = random_vec(s.n, 1, -4.f, 4.f);
  std::vector<float> y(static_cast<size_t>(s.n));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::unary_f32(*impl, act_op(a), {}, x.data(), y.data(), s.n, par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.n);
}

void bm_act_ref(benchmark::State& state, Act a, ActShape s) {
  const std::vector<float> x = random_vec(s.n, 1, -4.f, 4.f);
  std::vector<float> y(static_cast<size_t>(s.n));
  for (auto _ : state) {
    k::unary_ref<float>(act_op(a), {}, x.data(), y.data(), s.n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.n);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_act_dnnl(benchmark::State& state, Act a, ActShape s) {
  using dnnl::memory;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  std::vector<float> x = random_vec(s.n, 1, -4.f, 4.f);
  std::vector<float> y(static_cast<size_t>(s.n));
  const memory::desc md({s.n}, memory::data_type::f32, memory::format_tag::a);
  memory mx(md, eng, x.data()), my(md, eng, y.data());
  const dnnl::algorithm alg = a == Act::kGelu ? dnnl::algorithm::eltwise_gelu_erf : dnnl::algorithm::eltwise_gelu_tanh;
  const dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, alg, md, 0.f, 0.f);
  const dnnl::eltwise_forward::primitive_desc pd(desc, eng);
  dnnl::eltwise_forward prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, s.n);
}
#endif

#ifdef ORTL_BENCH_HAVE_EIGEN
void bm_act_eigen(benchmark::State& state, Act a, ActShape s) {
  if (!host_has(k::kIsaAvx2)) {
    state.SkipWithError("host lacks AVX2");
    return;
  }
  const std::vector<float> x = random_vec(s.n, 1, -4.f, 4.f);
  std::vector<float> y(static_cast<size_t>(s.n));
  for (auto _ : state) {
    if (a == Act::kErf) {
      ortl::bench::eigen_erf_avx2(x.data(), y.data(), s.n);
    } else {
      ortl::bench::eigen_gelu_erf_avx2(x.data(), y.data(), s.n);
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.n);
}
#endif

void register_all() {
  for (const LnShape& s : kLnShapes) {
    const std::string tail = std::string("/") + s.name;
    for (const k::NormF32Kernels& impl : k::norm_f32_kernels())
      benchmark::RegisterBenchmark((std::string("layernorm/ortl_") + impl.name + tail).c_str(), bm_ln_ortl, &impl, s)
          ->Unit(benchmark::kMicrosecond);
    if (s.rows * s.n <= 400000)
      benchmark::RegisterBenchmark(("layernorm/ortl_layer_norm_ref" + tail).c_str(), bm_ln_ref, s)
          ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark(("layernorm/onednn" + tail).c_str(), bm_ln_dnnl, s)->Unit(benchmark::kMicrosecond);
#endif
  }
  for (const BnShape& s : kBnShapes) {
    const std::string tail = std::string("/") + s.name;
    for (const k::NormF32Kernels& impl : k::norm_f32_kernels())
      benchmark::RegisterBenchmark((std::string("batchnorm/ortl_") + impl.name + tail).c_str(), bm_bn_ortl, &impl, s)
          ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("batchnorm/ortl_batch_norm_ref" + tail).c_str(), bm_bn_ref, s)
        ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark(("batchnorm/onednn" + tail).c_str(), bm_bn_dnnl, s, dnnl::memory::format_tag::nchw)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("batchnorm/onednn_nChw16c" + tail).c_str(), bm_bn_dnnl, s,
                                 dnnl::memory::format_tag::nChw16c)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
  for (Act a : {Act::kGelu, Act::kGeluTanh, Act::kErf}) {
    for (const ActShape& s : kActShapes) {
      const std::string pre = std::string(act_name(a)) + "/", tail = std::string("/") + s.name;
      for (const k::UnaryF32Impl& impl : k::kBenchUnaryImpls)
        benchmark::RegisterBenchmark((pre + "ortl_" + impl.name + tail).c_str(), bm_act_ortl, &impl, a, s)
            ->Unit(benchmark::kMicrosecond);
      if (s.n <= 65536)
        benchmark::RegisterBenchmark((pre + "ortl_unary_ref" + tail).c_str(), bm_act_ref, a, s)
            ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
      if (a != Act::kErf)
        benchmark::RegisterBenchmark((pre + "onednn" + tail).c_str(), bm_act_dnnl, a, s)->Unit(benchmark::kMicrosecond);
#endif
#ifdef ORTL_BENCH_HAVE_EIGEN
      if (a != Act::kGeluTanh)
        benchmark::RegisterBenchmark((pre + "eigen_avx2" + tail).c_str(), bm_act_eigen, a, s)
            ->Unit(benchmark::kMicrosecond);
#endif
    }
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
