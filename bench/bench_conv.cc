// Conv micro-benchmarks: ort-lite's conv (bound to each GEMM implementation the host can run) vs
// oneDNN convolution_forward (f32, forward_inference, format_tag::any chosen by oneDNN; the
// reorders from/to NCHW happen once outside the timed loop), single thread, on the shapes below.
// ort-lite runs what a session runs for constant weights: packed once (conv_pack_weights), and
// Winograd F(4x4,3x3) where winograd_applicable; `conv/ortl_percall_<impl>` is conv_f32 packing per
// call (weights that are graph inputs). Names: conv/<impl>/<shape>; label = path taken.
// `conv/ortl_nchwc/<shape>` is the blocked-layout direct conv (kernels/nchwc) on the group-1
// shapes: x already NCHWc (NCHW for 3-channel images, input_nchw), weights packed once, the
// reorders outside the timed loop like oneDNN's. `conv/ortl_nchwc_silu/<shape>` adds a fused SiLU
// (EfficientNet's Conv + SiLU).
// Counters: FLOPS (direct-conv FLOPs: 2 MACs per weight tap per output element, as a rate, also for
// Winograd) and bytes/s (x + w + y once).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/conv/conv.h"
#include "kernels/conv/winograd.h"
#include "kernels/gemm/gemm.h"
#include "kernels/nchwc/nchwc.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using ortl::bench::random_vec;

namespace k = ortl::kernels;

struct ConvShape {
  const char* name;
  int64_t c_in, h, w, c_out, kernel, stride, pad, group;
  int64_t oh() const { return (h + 2 * pad - kernel) / stride + 1; }
  int64_t ow() const { return (w + 2 * pad - kernel) / stride + 1; }
  int64_t x_size() const { return c_in * h * w; }
  int64_t w_size() const { return c_out * (c_in / group) * kernel * kernel; }
  int64_t y_size() const { return c_out * oh() * ow(); }
};

// ResNet-50, MobileNetV2 and YOLO-style layer shapes.
constexpr ConvShape kShapes[] = {
    {"rn50_3x3_64", 64, 56, 56, 64, 3, 1, 1, 1},
    {"rn50_3x3_128", 128, 28, 28, 128, 3, 1, 1, 1},
    {"rn50_3x3_256", 256, 14, 14, 256, 3, 1, 1, 1},
    {"rn50_3x3_512", 512, 7, 7, 512, 3, 1, 1, 1},
    {"rn50_1x1_256to64", 256, 56, 56, 64, 1, 1, 0, 1},
    {"rn50_1x1_2048to512", 2048, 7, 7, 512, 1, 1, 0, 1},
    {"rn50_7x7_s2", 3, 224, 224, 64, 7, 2, 3, 1},
    {"yolo_3x3_s2_64", 32, 320, 320, 64, 3, 2, 1, 1},
    {"mbv2_dw3x3_144", 144, 56, 56, 144, 3, 1, 1, 144},
    {"mbv2_dw3x3_960_7x7", 960, 7, 7, 960, 3, 1, 1, 960},
    {"mbv2_1x1_960to160_7x7", 960, 7, 7, 160, 1, 1, 0, 1},
    // MobileNetV2's other pointwise convs and its first conv.
    {"mbv2_1x1_32to16_112", 32, 112, 112, 16, 1, 1, 0, 1},
    {"mbv2_1x1_16to96_112", 16, 112, 112, 96, 1, 1, 0, 1},
    {"mbv2_1x1_96to24_56", 96, 56, 56, 24, 1, 1, 0, 1},
    {"mbv2_1x1_24to144_56", 24, 56, 56, 144, 1, 1, 0, 1},
    {"mbv2_1x1_144to24_56", 144, 56, 56, 24, 1, 1, 0, 1},
    {"mbv2_1x1_144to32_28", 144, 28, 28, 32, 1, 1, 0, 1},
    {"mbv2_1x1_32to192_28", 32, 28, 28, 192, 1, 1, 0, 1},
    {"mbv2_1x1_192to32_28", 192, 28, 28, 32, 1, 1, 0, 1},
    {"mbv2_1x1_192to64_14", 192, 14, 14, 64, 1, 1, 0, 1},
    {"mbv2_1x1_64to384_14", 64, 14, 14, 384, 1, 1, 0, 1},
    {"mbv2_1x1_384to64_14", 384, 14, 14, 64, 1, 1, 0, 1},
    {"mbv2_1x1_384to96_14", 384, 14, 14, 96, 1, 1, 0, 1},
    {"mbv2_1x1_96to576_14", 96, 14, 14, 576, 1, 1, 0, 1},
    {"mbv2_1x1_576to96_14", 576, 14, 14, 96, 1, 1, 0, 1},
    {"mbv2_1x1_576to160_7", 576, 7, 7, 160, 1, 1, 0, 1},
    {"mbv2_1x1_160to960_7", 160, 7, 7, 960, 1, 1, 0, 1},
    {"mbv2_1x1_960to320_7", 960, 7, 7, 320, 1, 1, 0, 1},
    {"mbv2_1x1_320to1280_7", 320, 7, 7, 1280, 1, 1, 0, 1},
    {"mbv2_3x3_s2_first", 3, 224, 224, 32, 3, 2, 1, 1},
    // ResNet-50's other convs.
    {"rn50_1x1_64to256", 64, 56, 56, 256, 1, 1, 0, 1},
    {"rn50_3x3_s2_128", 128, 56, 56, 128, 3, 2, 1, 1},
    {"rn50_1x1_s2_256to128", 256, 56, 56, 128, 1, 2, 0, 1},
    {"rn50_1x1_512to128", 512, 28, 28, 128, 1, 1, 0, 1},
    {"rn50_1x1_1024to256", 1024, 14, 14, 256, 1, 1, 0, 1},
    // EfficientNet-B0 expansion convs (followed by SiLU).
    {"effb0_1x1_112to672_14", 112, 14, 14, 672, 1, 1, 0, 1},
    {"effb0_1x1_192to1152_7", 192, 7, 7, 1152, 1, 1, 0, 1},
    // SRCNN (9-1-5) on a 256x256 crop: the RGB 9x9 first layer and the 3-channel 5x5 output layer
    // (few output channels: conv_f32's direct kernel; the NCHWc pass leaves it in NCHW).
    {"srcnn_9x9_3to64_256", 3, 256, 256, 64, 9, 1, 4, 1},
    {"srcnn_5x5_32to3_256", 32, 256, 256, 3, 5, 1, 2, 1},
};

void set_counters(benchmark::State& state, const ConvShape& s) {
  const double flops = 2.0 * static_cast<double>(s.y_size()) * static_cast<double>(s.c_in / s.group) *
                       static_cast<double>(s.kernel * s.kernel);
  const double bytes = 4.0 * static_cast<double>(s.x_size() + s.w_size() + s.y_size());
  state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate);
}

void bm_ortl(benchmark::State& state, const k::GemmF32Impl* gemm, ConvShape s, bool per_call) {
  if ((gemm->isa & k::host_isa()) != gemm->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
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
  const std::vector<float> x = random_vec(s.x_size(), 1), w = random_vec(s.w_size(), 2), b = random_vec(s.c_out, 3);
  std::vector<float> y(static_cast<size_t>(s.y_size()));
  k::Parallel& par = k::serial();
  const bool depthwise = s.group > 1 && s.group == s.c_in;
  const std::vector<float> packed = per_call || depthwise
                                        ? std::vector<float>()
                                        : k::conv_pack_weights(s.c_out, s.group, s.w_size() / s.c_out, w.data(), *gemm);
  const bool wino = !per_call && !packed.empty() && k::winograd_applicable(p);
  const k::WinogradWeights u = wino ? k::winograd_pack_weights(s.c_out, s.c_in, w.data(), *gemm) : k::WinogradWeights{};
  for (auto _ : state) {
    if (wino) {
      k::conv_winograd_f32(p, x.data(), u, b.data(), y.data(), *gemm, par);
    } else {
      k::conv_f32(p, x.data(), w.data(), b.data(), y.data(), *gemm, par, {}, packed.empty() ? nullptr : packed.data());
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(wino ? "winograd" : std::string(k::conv_f32_path(p)) + (packed.empty() ? "" : "+prepacked"));
  set_counters(state, s);
}

void bm_nchwc(benchmark::State& state, ConvShape s, bool silu) {
  namespace nc = k::nchwc;
  nc::Conv2dParams p;
  p.c_in = s.c_in, p.c_out = s.c_out, p.ih = s.h, p.iw = s.w, p.oh = s.oh(), p.ow = s.ow();
  p.kh = p.kw = s.kernel, p.sh = p.sw = s.stride, p.ph = p.pw = s.pad;
  p.input_nchw = s.c_in <= 4;
  const int64_t x_size = p.input_nchw ? s.x_size() : nc::padded(s.c_in) * s.h * s.w;
  const std::vector<float> x = random_vec(x_size, 1), w = random_vec(s.w_size(), 2);
  std::vector<float> b = random_vec(nc::padded(s.c_out), 3),
                     packed(static_cast<size_t>(nc::conv_packed_weights_floats(p)));
  std::fill(b.begin() + s.c_out, b.end(), 0.f);
  nc::conv_pack_weights(p, w.data(), packed.data());
  std::vector<float> y(static_cast<size_t>(nc::padded(s.c_out) * p.oh * p.ow));
  k::Parallel& par = k::serial();
  k::ConvEpilogue ep;
  if (silu) ep.act = k::ConvEpilogue::Act::kSilu;
  for (auto _ : state) {
    nc::conv2d(p, x.data(), packed.data(), b.data(), y.data(), ep, par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(nc::conv2d_kernel_name(p));
  set_counters(state, s);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_dnnl(benchmark::State& state, ConvShape s) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);

  const memory::dims x_dims = {1, s.c_in, s.h, s.w};
  const memory::dims y_dims = {1, s.c_out, s.oh(), s.ow()};
  const memory::dims b_dims = {s.c_out};
  const bool grouped = s.group > 1;
  const memory::dims w_dims = grouped ? memory::dims{s.group, s.c_out / s.group, s.c_in / s.group, s.kernel, s.kernel}
                                      : memory::dims{s.c_out, s.c_in, s.kernel, s.kernel};
  const memory::dims strides = {s.stride, s.stride};
  const memory::dims pads = {s.pad, s.pad};

  std::vector<float> x = random_vec(s.x_size(), 1), w = random_vec(s.w_size(), 2), b = random_vec(s.c_out, 3);
  std::vector<float> y(static_cast<size_t>(s.y_size()));
  memory user_x({x_dims, dt::f32, tag::nchw}, eng, x.data());
  memory user_w({w_dims, dt::f32, grouped ? tag::goihw : tag::oihw}, eng, w.data());
  memory user_b({b_dims, dt::f32, tag::x}, eng, b.data());
  memory user_y({y_dims, dt::f32, tag::nchw}, eng, y.data());

  const memory::desc x_any(x_dims, dt::f32, tag::any), w_any(w_dims, dt::f32, tag::any),
      y_any(y_dims, dt::f32, tag::any), b_md(b_dims, dt::f32, tag::x);
  const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                             x_any, w_any, b_md, y_any, strides, pads, pads);
  const dnnl::convolution_forward::primitive_desc pd(desc, eng);

  // Reorders into oneDNN's preferred layouts, once, outside the timed loop.
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
    conv.execute(strm, {{DNNL_ARG_SRC, cx}, {DNNL_ARG_WEIGHTS, cw}, {DNNL_ARG_BIAS, user_b}, {DNNL_ARG_DST, cy}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, s);
}
#endif

void register_all() {
  for (const ConvShape& s : kShapes) {
    for (const k::GemmF32Impl& impl : k::gemm_f32_impls()) {
      if (std::string(impl.name) == "gemm_f32_ref") continue;  // the oracle is far too slow here
      const std::string name = std::string("conv/ortl_") + impl.name + "/" + s.name;
      benchmark::RegisterBenchmark(name.c_str(), bm_ortl, &impl, s, false)->Unit(benchmark::kMicrosecond);
      const std::string pc = std::string("conv/ortl_percall_") + impl.name + "/" + s.name;
      benchmark::RegisterBenchmark(pc.c_str(), bm_ortl, &impl, s, true)->Unit(benchmark::kMicrosecond);
    }
    if (s.group == 1 && s.c_out >= 16) {
      const std::string nchwc = std::string("conv/ortl_nchwc/") + s.name;
      benchmark::RegisterBenchmark(nchwc.c_str(), bm_nchwc, s, false)->Unit(benchmark::kMicrosecond);
      const std::string silu = std::string("conv/ortl_nchwc_silu/") + s.name;
      benchmark::RegisterBenchmark(silu.c_str(), bm_nchwc, s, true)->Unit(benchmark::kMicrosecond);
    }
#ifdef ORTL_BENCH_HAVE_DNNL
    const std::string name = std::string("conv/onednn/") + s.name;
    benchmark::RegisterBenchmark(name.c_str(), bm_dnnl, s)->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
