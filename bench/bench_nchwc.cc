// NCHWc micro-benchmarks, single thread (kernels::serial()):
//  - nchwc/dw/ortl/<shape>: nchwc::dw_conv2d (packed weights, bias, fused Clip(0, 6) as in
//    MobileNetV2 / EfficientNet's ReLU6 / the NCHWc graph), vs nchwc/dw/onednn/<shape>:
//    oneDNN convolution_forward (f32, forward_inference, group == c, format_tag::any: oneDNN
//    picks nChw16c; its reorders happen once outside the timed loop) with an eltwise_clip
//    post-op. ONNX Runtime's NCHWc depthwise + Clip times on this machine are in kOrtUs and
//    reported as the counter ort_us.
//  - nchwc/dw_silu/ortl/<shape>: the same conv with a fused SiLU (EfficientNet's activation).
//  - nchwc/pool/ortl/<shape>: pool2d and global_pool on ResNet-50, YOLO SPPF and SE shapes.
//  - nchwc/reorder/{to,from}/<shape>: NCHW <-> NCHWc.
// Counters: FLOPS (2 per depthwise tap per output element; 1 per pool tap) and bytes/s.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/parallel.h"
#include "kernels/nchwc/nchwc_internal.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using ortl::bench::random_vec;
namespace k = ortl::kernels;
namespace nc = ortl::kernels::nchwc;

struct DwShape {
  const char* name;
  int64_t c, h, kernel, stride;
  double ort_us;  // ONNX Runtime NCHWc depthwise + Clip on this machine (0: not measured)
  int64_t out() const { return (h + 2 * (kernel / 2) - kernel) / stride + 1; }
};

constexpr DwShape kDwShapes[] = {
    {"mbv2_dw3_32x112_s1", 32, 112, 3, 1, 161}, {"mbv2_dw3_96x112_s2", 96, 112, 3, 2, 160},
    {"mbv2_dw3_144x56_s1", 144, 56, 3, 1, 154}, {"mbv2_dw3_144x56_s2", 144, 56, 3, 2, 51},
    {"mbv2_dw3_192x28_s1", 192, 28, 3, 1, 60},  {"mbv2_dw3_192x28_s2", 192, 28, 3, 2, 20},
    {"mbv2_dw3_384x14_s1", 384, 14, 3, 1, 38},  {"mbv2_dw3_576x14_s1", 576, 14, 3, 1, 56},
    {"mbv2_dw3_576x14_s2", 576, 14, 3, 2, 18},  {"mbv2_dw3_960x7_s1", 960, 7, 3, 1, 26},
    {"effb0_dw5_144x56_s2", 144, 56, 5, 2, 0},  {"effb0_dw5_240x28_s1", 240, 28, 5, 1, 0},
    {"effb0_dw5_480x14_s1", 480, 14, 5, 1, 0},  {"effb0_dw5_672x14_s1", 672, 14, 5, 1, 0},
    {"effb0_dw5_672x14_s2", 672, 14, 5, 2, 0},  {"effb0_dw5_1152x7_s1", 1152, 7, 5, 1, 0},
    {"effb0_dw3_240x28_s2", 240, 28, 3, 2, 0},  {"effb0_dw3_480x14_s1", 480, 14, 3, 1, 0},
};

void dw_counters(benchmark::State& state, const DwShape& s) {
  const double outs = static_cast<double>(s.c * s.out() * s.out());
  state.counters["FLOPS"] = benchmark::Counter(2.0 * outs * static_cast<double>(s.kernel * s.kernel),
                                               benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(4.0 * (static_cast<double>(s.c * s.h * s.h) + outs),
                                               benchmark::Counter::kIsIterationInvariantRate);
  if (s.ort_us > 0) state.counters["ort_us"] = s.ort_us;
}

void bm_dw_ortl(benchmark::State& state, DwShape s, bool silu) {
  nc::Conv2dParams p;
  p.c_in = p.c_out = s.c, p.ih = p.iw = s.h, p.oh = p.ow = s.out(), p.kh = p.kw = s.kernel;
  p.sh = p.sw = s.stride, p.ph = p.pw = s.kernel / 2, p.depthwise = true;
  const std::vector<float> x = random_vec(nc::padded(s.c) * s.h * s.h, 1), w = random_vec(s.c * s.kernel * s.kernel, 2);
  std::vector<float> bias = random_vec(nc::padded(s.c), 3), wp(static_cast<size_t>(nc::dw_packed_weights_floats(p)));
  nc::dw_pack_weights(p, w.data(), wp.data());
  std::vector<float> y(static_cast<size_t>(nc::padded(s.c) * p.oh * p.ow));
  k::ConvEpilogue ep;
  ep.act = k::ConvEpilogue::Act::kClip, ep.alpha = 0.f, ep.beta = 6.f;
  if (silu) ep.act = k::ConvEpilogue::Act::kSilu;
  for (auto _ : state) {
    nc::dw_conv2d(p, x.data(), wp.data(), bias.data(), y.data(), ep, k::serial());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(nc::dw_kernel_name());
  dw_counters(state, s);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_dw_dnnl(benchmark::State& state, DwShape s) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  const int64_t pad = s.kernel / 2;
  const memory::dims x_dims = {1, s.c, s.h, s.h}, y_dims = {1, s.c, s.out(), s.out()}, b_dims = {s.c};
  const memory::dims w_dims = {s.c, 1, 1, s.kernel, s.kernel};
  std::vector<float> x = random_vec(s.c * s.h * s.h, 1), w = random_vec(s.c * s.kernel * s.kernel, 2),
                     b = random_vec(s.c, 3), y(static_cast<size_t>(s.c * s.out() * s.out()));
  memory user_x({x_dims, dt::f32, tag::nchw}, eng, x.data());
  memory user_w({w_dims, dt::f32, tag::goihw}, eng, w.data());
  memory user_b({b_dims, dt::f32, tag::x}, eng, b.data());
  const memory::desc x_any(x_dims, dt::f32, tag::any), w_any(w_dims, dt::f32, tag::any),
      y_any(y_dims, dt::f32, tag::any), b_md(b_dims, dt::f32, tag::x);
  const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                             x_any, w_any, b_md, y_any, {s.stride, s.stride}, {pad, pad}, {pad, pad});
  dnnl::post_ops ops;
  ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f, 6.f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  const dnnl::convolution_forward::primitive_desc pd(desc, attr, eng);
  memory cx(pd.src_desc(), eng), cw(pd.weights_desc(), eng), cy(pd.dst_desc(), eng);
  dnnl::reorder(user_x, cx).execute(strm, user_x, cx);
  dnnl::reorder(user_w, cw).execute(strm, user_w, cw);
  strm.wait();
  dnnl::convolution_forward conv(pd);
  for (auto _ : state) {
    conv.execute(strm, {{DNNL_ARG_SRC, cx}, {DNNL_ARG_WEIGHTS, cw}, {DNNL_ARG_BIAS, user_b}, {DNNL_ARG_DST, cy}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  dw_counters(state, s);
}
#endif

struct PoolShape {
  const char* name;
  int64_t c, h, kernel, stride, pad;  // kernel 0: global average pool
  bool max;
};

constexpr PoolShape kPoolShapes[] = {
    {"rn50_max3_64x112_s2", 64, 112, 3, 2, 1, true},   {"yolo_sppf_max5_256x20", 256, 20, 5, 1, 2, true},
    {"yolo_sppf_max5_128x40", 128, 40, 5, 1, 2, true}, {"gap_1280x7", 1280, 7, 0, 1, 0, false},
    {"effb0_se_gap_672x14", 672, 14, 0, 1, 0, false},  {"effb0_se_gap_96x112", 96, 112, 0, 1, 0, false},
};

void bm_pool_ortl(benchmark::State& state, PoolShape s) {
  nc::Pool2dParams p;
  p.c = s.c, p.ih = p.iw = s.h, p.kh = p.kw = s.kernel, p.sh = p.sw = s.stride,
  p.ph = p.pw = p.ph_end = p.pw_end = s.pad;
  p.oh = p.ow = s.kernel ? (s.h + 2 * s.pad - s.kernel) / s.stride + 1 : 1, p.max = s.max;
  const std::vector<float> x = random_vec(nc::padded(s.c) * s.h * s.h, 1);
  std::vector<float> y(static_cast<size_t>(nc::padded(s.c) * p.oh * p.ow));
  for (auto _ : state) {
    if (s.kernel) {
      nc::pool2d(p, x.data(), y.data(), k::serial());
    } else {
      nc::global_pool(1, s.c, s.h * s.h, s.max, x.data(), y.data(), k::serial());
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const double taps =
      s.kernel ? static_cast<double>(s.c * p.oh * p.ow * s.kernel * s.kernel) : static_cast<double>(s.c * s.h * s.h);
  state.counters["FLOPS"] = benchmark::Counter(taps, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(4.0 * static_cast<double>(s.c * (s.h * s.h + p.oh * p.ow)),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

struct ReorderShape {
  const char* name;
  int64_t c, hw;
};
constexpr ReorderShape kReorderShapes[] = {
    {"3x224x224", 3, 224 * 224}, {"1280x7x7", 1280, 49}, {"32x112x112", 32, 112 * 112}};

void bm_reorder(benchmark::State& state, ReorderShape s, bool to) {
  const std::vector<float> src = random_vec(nc::padded(s.c) * s.hw, 1);
  std::vector<float> dst(src.size());
  for (auto _ : state) {
    if (to) {
      nc::reorder_to_nchwc(1, s.c, s.hw, src.data(), dst.data(), k::serial());
    } else {
      nc::reorder_from_nchwc(1, s.c, s.hw, src.data(), dst.data(), k::serial());
    }
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.counters["bytes"] = benchmark::Counter(4.0 * static_cast<double>((s.c + nc::padded(s.c)) * s.hw),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

void register_all() {
  for (const DwShape& s : kDwShapes) {
    benchmark::RegisterBenchmark((std::string("nchwc/dw/ortl/") + s.name).c_str(), bm_dw_ortl, s, false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string("nchwc/dw_silu/ortl/") + s.name).c_str(), bm_dw_ortl, s, true)
        ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark((std::string("nchwc/dw/onednn/") + s.name).c_str(), bm_dw_dnnl, s)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
  for (const PoolShape& s : kPoolShapes) {
    benchmark::RegisterBenchmark((std::string("nchwc/pool/ortl/") + s.name).c_str(), bm_pool_ortl, s)
        ->Unit(benchmark::kMicrosecond);
  }
  for (const ReorderShape& s : kReorderShapes) {
    for (bool to : {true, false}) {
      benchmark::RegisterBenchmark((std::string("nchwc/reorder/") + (to ? "to/" : "from/") + s.name).c_str(),
                                   bm_reorder, s, to)
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
