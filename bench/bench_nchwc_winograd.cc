// NCHWc Winograd F(4x4, 3x3) (kernels/nchwc/nchwc.h) vs the NCHW paths ort-lite already has
// (conv_winograd_f32, and conv_f32 im2col + prepacked GEMM as a stand-in for the direct NCHWc
// conv) and oneDNN convolution_forward (direct, auto, winograd; format_tag::any, reorders outside
// the timed loop), single thread, on the 3x3 stride-1 convs of ResNet-50 and YOLO (640 input).
// The NCHWc kernel runs the ISA build active_isa() picks (ORTL_MAX_ISA=avx2 for the AVX2 one).
// Names: nchwc_winograd/<impl>/<shape>. FLOPS counts direct-conv FLOPs (2 c_in 9 per output) as a
// rate: "effective" GFLOP/s, comparable across algorithms.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
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
namespace nc = ortl::kernels::nchwc;

struct Shape {
  const char* name;
  int64_t c_in, h, w, c_out;  // 3x3, stride 1, pad 1: output h x w
};

constexpr Shape kShapes[] = {
    {"rn50_64x56", 64, 56, 56, 64},
    {"rn50_128x28", 128, 28, 28, 128},
    {"rn50_256x14", 256, 14, 14, 256},
    {"rn50_512x7", 512, 7, 7, 512},
    {"yolo_24x160", 24, 160, 160, 24},
    {"yolo_48x80", 48, 80, 80, 48},
    {"yolo_96x40", 96, 40, 40, 96},
    {"yolo_192x20", 192, 20, 20, 192},
    // Edges of winograd_applicable: few channels, few tiles.
    {"edge_16x56", 16, 56, 56, 16},
    {"edge_32x28", 32, 28, 28, 32},
    {"edge_64x14", 64, 14, 14, 64},
    {"edge_128x10", 128, 10, 10, 128},
    {"edge_256x7", 256, 7, 7, 256},
    {"edge_128x8", 128, 8, 8, 128},
};

void set_counters(benchmark::State& state, const Shape& s) {
  const double flops = 2.0 * static_cast<double>(s.c_out * s.h * s.w) * static_cast<double>(s.c_in * 9);
  state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}

void bm_nchwc(benchmark::State& state, Shape s) {
  nc::Conv2dParams p;
  p.c_in = s.c_in, p.c_out = s.c_out, p.ih = p.oh = s.h, p.iw = p.ow = s.w, p.kh = p.kw = 3, p.ph = p.pw = 1;
  const std::vector<float> x = random_vec(nc::padded(s.c_in) * s.h * s.w, 1), w = random_vec(s.c_out * s.c_in * 9, 2),
                           b = random_vec(nc::padded(s.c_out), 3);
  std::vector<float> u(static_cast<size_t>(nc::winograd_packed_weights_floats(p)));
  nc::winograd_pack_weights(p, w.data(), u.data());
  std::vector<float> y(static_cast<size_t>(nc::padded(s.c_out) * s.h * s.w));
  for (auto _ : state) {
    nc::winograd_conv2d(p, x.data(), u.data(), b.data(), y.data(), {}, k::serial());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(nc::winograd_applicable(p) ? "applicable" : "not applicable");
  set_counters(state, s);
}

// The NCHW kernels: Winograd (wino) or conv_f32 with prepacked weights (im2col).
void bm_nchw(benchmark::State& state, Shape s, bool wino) {
  const k::GemmF32Impl& gemm = k::select_gemm_f32();
  k::ConvParams p;
  p.c_in = s.c_in, p.c_out = s.c_out, p.in = {s.h, s.w}, p.out = {s.h, s.w}, p.kernel = {3, 3};
  p.strides = {1, 1}, p.dilations = {1, 1}, p.pads_begin = {1, 1};
  const std::vector<float> x = random_vec(s.c_in * s.h * s.w, 1), w = random_vec(s.c_out * s.c_in * 9, 2),
                           b = random_vec(s.c_out, 3);
  std::vector<float> y(static_cast<size_t>(s.c_out * s.h * s.w));
  const std::vector<float> packed = k::conv_pack_weights(s.c_out, 1, s.c_in * 9, w.data(), gemm);
  const k::WinogradWeights u = wino ? k::winograd_pack_weights(s.c_out, s.c_in, w.data(), gemm) : k::WinogradWeights{};
  for (auto _ : state) {
    if (wino) {
      k::conv_winograd_f32(p, x.data(), u, b.data(), y.data(), gemm, k::serial());
    } else {
      k::conv_f32(p, x.data(), w.data(), b.data(), y.data(), gemm, k::serial(), {},
                  packed.empty() ? nullptr : packed.data());
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(gemm.name);
  set_counters(state, s);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_dnnl(benchmark::State& state, Shape s, dnnl::algorithm alg) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  const memory::dims x_dims = {1, s.c_in, s.h, s.w}, y_dims = {1, s.c_out, s.h, s.w}, b_dims = {s.c_out};
  const memory::dims w_dims = {s.c_out, s.c_in, 3, 3};
  std::vector<float> x = random_vec(s.c_in * s.h * s.w, 1), w = random_vec(s.c_out * s.c_in * 9, 2),
                     b = random_vec(s.c_out, 3);
  std::vector<float> y(static_cast<size_t>(s.c_out * s.h * s.w));
  memory user_x({x_dims, dt::f32, tag::nchw}, eng, x.data());
  memory user_w({w_dims, dt::f32, tag::oihw}, eng, w.data());
  memory user_b({b_dims, dt::f32, tag::x}, eng, b.data());
  const memory::desc x_any(x_dims, dt::f32, tag::any), w_any(w_dims, dt::f32, tag::any),
      y_any(y_dims, dt::f32, tag::any), b_md(b_dims, dt::f32, tag::x);
  std::unique_ptr<dnnl::convolution_forward::primitive_desc> pd;
  try {
    const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, alg, x_any, w_any, b_md, y_any,
                                               {1, 1}, {1, 1}, {1, 1});
    pd = std::make_unique<dnnl::convolution_forward::primitive_desc>(desc, eng);
  } catch (const dnnl::error&) {
    state.SkipWithError("oneDNN has no implementation for this algorithm here");
    return;
  }
  memory cx(pd->src_desc(), eng), cw(pd->weights_desc(), eng), cy(pd->dst_desc(), eng);
  dnnl::reorder(user_x, cx).execute(strm, user_x, cx);
  dnnl::reorder(user_w, cw).execute(strm, user_w, cw);
  strm.wait();
  dnnl::convolution_forward conv(*pd);
  for (auto _ : state) {
    conv.execute(strm, {{DNNL_ARG_SRC, cx}, {DNNL_ARG_WEIGHTS, cw}, {DNNL_ARG_BIAS, user_b}, {DNNL_ARG_DST, cy}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd->impl_info_str());
  set_counters(state, s);
}
#endif

void register_all() {
  const std::string isa = k::isa_name(k::active_isa());
  for (const Shape& s : kShapes) {
    const std::string tail = std::string("/") + s.name;
    benchmark::RegisterBenchmark(("nchwc_winograd/ortl_nchwc_" + isa + tail).c_str(), bm_nchwc, s)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("nchwc_winograd/ortl_nchw_winograd" + tail).c_str(), bm_nchw, s, true)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("nchwc_winograd/ortl_nchw_im2col" + tail).c_str(), bm_nchw, s, false)
        ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark(("nchwc_winograd/onednn_direct" + tail).c_str(), bm_dnnl, s,
                                 dnnl::algorithm::convolution_direct)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("nchwc_winograd/onednn_winograd" + tail).c_str(), bm_dnnl, s,
                                 dnnl::algorithm::convolution_winograd)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
