// Integer GEMM / convolution micro-benchmarks, single thread (MatMulInteger / ConvInteger with
// uint8 activations and a per-tensor activation zero point, int8 weights, int32 output):
// ort-lite qgemm_s32 / conv_integer_s32 (and the *_ref oracles on the small shapes) against
// oneDNN's int8 matmul / convolution_forward (u8 x s8 -> s32, runtime src zero point). oneDNN's
// matmul reads A and B in the same plain row-major layout; its conv gets format_tag::any with the
// reorders of x and w done once outside the timed loop (as bench_conv does).
// Names: qgemm/<impl>/<shape>, qconv/<impl>/<shape>. Counters: OPS (2 per multiply-accumulate,
// as a rate) and bytes (A/x, B/w read once, int32 C/y written once, as a rate).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/parallel.h"
#include "kernels/conv/conv.h"
#include "kernels/quant/qconv.h"
#include "kernels/quant/qgemm.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

namespace k = ortl::kernels;

constexpr int32_t kXZp = 128;  // activation zero point (uint8, as DynamicQuantizeLinear gives)

template <class T>
std::vector<T> random_q(int64_t n, unsigned seed) {
  std::vector<T> v(static_cast<size_t>(n));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(std::is_signed_v<T> ? -127 : 0, std::is_signed_v<T> ? 127 : 255);
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

// ---- GEMM ----------------------------------------------------------------------------------------

struct GemmShape {
  const char* name;
  int64_t m, n, k;
  double ops() const { return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k); }
  double bytes() const { return static_cast<double>(m * k + k * n + 4 * m * n); }
};
constexpr GemmShape kGemmShapes[] = {
    {"square256", 256, 256, 256},     {"square512", 512, 512, 512},    {"rn50_res2_1x1_reduce", 3136, 64, 256},
    {"bert_qkv_proj", 128, 768, 768}, {"bert_ffn_up", 128, 3072, 768}, {"bert_ffn_down", 128, 768, 3072},
};

void set_counters(benchmark::State& state, double ops, double bytes) {
  state.counters["OPS"] = benchmark::Counter(ops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate);
}

struct GemmData {
  std::vector<uint8_t> a;
  std::vector<int8_t> b;
  std::vector<int32_t> c;
  int32_t a_zp = kXZp;
  explicit GemmData(const GemmShape& s)
      : a(random_q<uint8_t>(s.m * s.k, 1)), b(random_q<int8_t>(s.k * s.n, 2)), c(static_cast<size_t>(s.m * s.n)) {}
  k::QGemmArgs<uint8_t, int8_t> args(const GemmShape& s) {
    k::QGemmArgs<uint8_t, int8_t> g;
    g.m = s.m;
    g.n = s.n;
    g.k = s.k;
    g.a = a.data();
    g.lda = s.k;
    g.a_zp = &a_zp;
    g.a_zp_stride = 0;
    g.b = b.data();
    g.ldb = s.n;
    g.c = c.data();
    g.ldc = s.n;
    return g;
  }
};

void bm_qgemm_ortl(benchmark::State& state, GemmShape s) {
  GemmData d(s);
  const k::QGemmArgs<uint8_t, int8_t> g = d.args(s);
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::qgemm_s32(g, par);
    benchmark::DoNotOptimize(d.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.ops(), s.bytes());
}

void bm_qgemm_ref(benchmark::State& state, GemmShape s) {
  GemmData d(s);
  const k::QGemmArgs<uint8_t, int8_t> g = d.args(s);
  for (auto _ : state) {
    k::qgemm_ref(g);
    benchmark::DoNotOptimize(d.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.ops(), s.bytes());
}

#ifdef ORTL_BENCH_HAVE_DNNL
using dnnl::memory;

void bm_qgemm_dnnl(benchmark::State& state, GemmShape s) {
  try {
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream strm(eng);
    GemmData d(s);
    const memory::desc a_md({s.m, s.k}, memory::data_type::u8, memory::format_tag::ab);
    const memory::desc b_md({s.k, s.n}, memory::data_type::s8, memory::format_tag::ab);
    const memory::desc c_md({s.m, s.n}, memory::data_type::s32, memory::format_tag::ab);
    memory ma(a_md, eng, d.a.data()), mb(b_md, eng, d.b.data()), mc(c_md, eng, d.c.data());
    int32_t zp = kXZp;
    memory mzp({{1}, memory::data_type::s32, memory::format_tag::x}, eng, &zp);
    dnnl::primitive_attr attr;
    attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, c_md), attr, eng);
    dnnl::matmul prim(pd);
    for (auto _ : state) {
      prim.execute(strm, {{DNNL_ARG_SRC, ma},
                          {DNNL_ARG_WEIGHTS, mb},
                          {DNNL_ARG_DST, mc},
                          {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, mzp}});
      strm.wait();
      benchmark::ClobberMemory();
    }
    state.SetLabel(pd.impl_info_str());
    set_counters(state, s.ops(), s.bytes());
  } catch (const dnnl::error& e) {
    state.SkipWithError(e.what());
  }
}
#endif

// ---- Conv ----------------------------------------------------------------------------------------

struct ConvShape {
  const char* name;
  int64_t c_in, h, w, c_out, kernel, stride, pad, group;
  int64_t oh() const { return (h + 2 * pad - kernel) / stride + 1; }
  int64_t ow() const { return (w + 2 * pad - kernel) / stride + 1; }
  int64_t x_size() const { return c_in * h * w; }
  int64_t w_size() const { return c_out * (c_in / group) * kernel * kernel; }
  int64_t y_size() const { return c_out * oh() * ow(); }
  double ops() const { return 2.0 * static_cast<double>(y_size() * (c_in / group) * kernel * kernel); }
  double bytes() const { return static_cast<double>(x_size() + w_size() + 4 * y_size()); }
};
constexpr ConvShape kConvShapes[] = {
    {"rn50_3x3_64", 64, 56, 56, 64, 3, 1, 1, 1},
    {"rn50_1x1_256to64", 256, 56, 56, 64, 1, 1, 0, 1},
    {"rn50_3x3_256_s2", 256, 28, 28, 256, 3, 2, 1, 1},
    {"mbv2_dw3x3_144", 144, 56, 56, 144, 3, 1, 1, 144},
};

k::ConvParams conv_params(const ConvShape& s) {
  k::ConvParams p;
  p.batch = 1;
  p.c_in = s.c_in;
  p.c_out = s.c_out;
  p.group = s.group;
  p.in = {s.h, s.w};
  p.out = {s.oh(), s.ow()};
  p.kernel = {s.kernel, s.kernel};
  p.strides = {s.stride, s.stride};
  p.dilations = {1, 1};
  p.pads_begin = {s.pad, s.pad};
  return p;
}

void bm_qconv_ortl(benchmark::State& state, ConvShape s, bool ref) {
  const k::ConvParams p = conv_params(s);
  const std::vector<uint8_t> x = random_q<uint8_t>(s.x_size(), 1);
  const std::vector<int8_t> w = random_q<int8_t>(s.w_size(), 2);
  std::vector<int32_t> y(static_cast<size_t>(s.y_size()));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    if (ref) {
      k::conv_integer_ref<uint8_t, int8_t>(p, x.data(), kXZp, w.data(), nullptr, 0, y.data());
    } else {
      k::conv_integer_s32<uint8_t, int8_t>(p, x.data(), kXZp, w.data(), nullptr, 0, y.data(), par);
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s.ops(), s.bytes());
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_qconv_dnnl(benchmark::State& state, ConvShape s) {
  try {
    using tag = memory::format_tag;
    using dt = memory::data_type;
    dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    dnnl::stream strm(eng);
    const memory::dims x_dims = {1, s.c_in, s.h, s.w};
    const memory::dims y_dims = {1, s.c_out, s.oh(), s.ow()};
    const bool grouped = s.group > 1;
    const memory::dims w_dims = grouped ? memory::dims{s.group, s.c_out / s.group, s.c_in / s.group, s.kernel, s.kernel}
                                        : memory::dims{s.c_out, s.c_in, s.kernel, s.kernel};
    const memory::dims strides = {s.stride, s.stride};
    const memory::dims pads = {s.pad, s.pad};
    std::vector<uint8_t> x = random_q<uint8_t>(s.x_size(), 1);
    std::vector<int8_t> w = random_q<int8_t>(s.w_size(), 2);
    std::vector<int32_t> y(static_cast<size_t>(s.y_size()));
    memory user_x({x_dims, dt::u8, tag::nchw}, eng, x.data());
    memory user_w({w_dims, dt::s8, grouped ? tag::goihw : tag::oihw}, eng, w.data());
    memory user_y({y_dims, dt::s32, tag::nchw}, eng, y.data());
    int32_t zp = kXZp;
    memory mzp({{1}, dt::s32, tag::x}, eng, &zp);
    dnnl::primitive_attr attr;
    attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
    const dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, memory::desc(x_dims, dt::u8, tag::any),
        memory::desc(w_dims, dt::s8, tag::any), memory::desc(y_dims, dt::s32, tag::any), strides, pads, pads);
    const dnnl::convolution_forward::primitive_desc pd(desc, attr, eng);
    memory cx = user_x, cw = user_w, cy = user_y;
    if (pd.src_desc() != user_x.get_desc()) {
      cx = memory(pd.src_desc(), eng);
      dnnl::reorder(user_x, cx).execute(strm, user_x, cx);
    }
    if (pd.weights_desc() != user_w.get_desc()) {
      cw = memory(pd.weights_desc(), eng);
      dnnl::reorder(user_w, cw).execute(strm, user_w, cw);
    }
    if (pd.dst_desc() != user_y.get_desc()) cy = memory(pd.dst_desc(), eng);
    strm.wait();
    dnnl::convolution_forward conv(pd);
    for (auto _ : state) {
      conv.execute(strm, {{DNNL_ARG_SRC, cx},
                          {DNNL_ARG_WEIGHTS, cw},
                          {DNNL_ARG_DST, cy},
                          {DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, mzp}});
      strm.wait();
      benchmark::ClobberMemory();
    }
    state.SetLabel(pd.impl_info_str());
    set_counters(state, s.ops(), s.bytes());
  } catch (const dnnl::error& e) {
    state.SkipWithError(e.what());
  }
}
#endif

void register_all() {
  for (const GemmShape& s : kGemmShapes) {
    const std::string tail = std::string("/") + s.name;
    benchmark::RegisterBenchmark(("qgemm/ortl_qgemm_s32" + tail).c_str(), bm_qgemm_ortl, s)
        ->Unit(benchmark::kMicrosecond);
    if (s.ops() <= 2.0 * 256 * 256 * 256)
      benchmark::RegisterBenchmark(("qgemm/ortl_qgemm_ref" + tail).c_str(), bm_qgemm_ref, s)
          ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark(("qgemm/onednn_matmul_u8s8s32" + tail).c_str(), bm_qgemm_dnnl, s)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
  for (const ConvShape& s : kConvShapes) {
    const std::string tail = std::string("/") + s.name;
    benchmark::RegisterBenchmark(("qconv/ortl_conv_integer_s32" + tail).c_str(), bm_qconv_ortl, s, false)
        ->Unit(benchmark::kMicrosecond);
    if (s.group > 1)
      benchmark::RegisterBenchmark(("qconv/ortl_conv_integer_ref" + tail).c_str(), bm_qconv_ortl, s, true)
          ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark(("qconv/onednn_conv_u8s8s32" + tail).c_str(), bm_qconv_dnnl, s)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
