// Resize micro-benchmarks, single thread, NCHW float: ort-lite resize_f32 (the op's fast path;
// the per-axis tables are rebuilt inside the timed loop, as they are on every run when the scales
// arrive as a runtime input) and the resize_ref_f32 oracle, against oneDNN's resampling_forward
// (nearest / linear, plain nchw, scale factors) on the same shapes. oneDNN has no cubic mode and
// Eigen no resize: the bicubic SRCNN case is timed against oneDNN *linear* on the same shape
// (`onednn_linear_lowerbound`, fewer taps: a lower bound, not a like-for-like baseline).
// Names: resize/<mode>/<impl>/<shape>. Counters: items (output elements, as a rate) and bytes
// (input read + output written, as a rate).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/parallel.h"
#include "kernels/resize/resize.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

namespace k = ortl::kernels;

struct ResizeCase {
  const char* name;
  k::ResizeMode mode;
  k::ResizeCoordMode coord;
  int64_t c, h, w, oh, ow;
  int64_t in_numel() const { return c * h * w; }
  int64_t out_numel() const { return c * oh * ow; }
};

const char* mode_name(k::ResizeMode m) {
  return m == k::ResizeMode::kNearest ? "nearest" : m == k::ResizeMode::kLinear ? "linear" : "cubic";
}

using M = k::ResizeMode;
using C = k::ResizeCoordMode;
const ResizeCase kCases[] = {
    // SRCNN: bicubic x3 upscaling of the input image.
    {"srcnn_1x3x256x256_to_768x768", M::kCubic, C::kHalfPixel, 3, 256, 256, 768, 768},
    {"srcnn_1x3x256x256_to_768x768", M::kLinear, C::kHalfPixel, 3, 256, 256, 768, 768},
    // Preprocessing: bilinear 224 -> 512 and a downscale 512 -> 224.
    {"pre_1x3x224x224_to_512x512", M::kLinear, C::kHalfPixel, 3, 224, 224, 512, 512},
    {"pre_1x3x512x512_to_224x224", M::kLinear, C::kHalfPixel, 3, 512, 512, 224, 224},
    // Decoder / FPN upsampling x2.
    {"yolov3_1x256x13x13_x2", M::kNearest, C::kAsymmetric, 256, 13, 13, 26, 26},
    {"fpn_1x256x56x56_x2", M::kNearest, C::kAsymmetric, 256, 56, 56, 112, 112},
    {"seg_1x256x64x64_x2", M::kLinear, C::kHalfPixel, 256, 64, 64, 128, 128},
    {"seg_1x21x64x64_x8", M::kLinear, C::kHalfPixel, 21, 64, 64, 512, 512},
    // Size sweep, bilinear x2 on 16 channels.
    {"sweep_1x16x32x32_x2", M::kLinear, C::kHalfPixel, 16, 32, 32, 64, 64},
    {"sweep_1x16x128x128_x2", M::kLinear, C::kHalfPixel, 16, 128, 128, 256, 256},
    {"sweep_1x16x512x512_x2", M::kLinear, C::kHalfPixel, 16, 512, 512, 1024, 1024},
};

k::ResizeParams make_params(const ResizeCase& c) {
  k::ResizeParams p;
  p.mode = c.mode;
  p.coord = c.coord;
  p.nearest = c.mode == M::kNearest ? k::ResizeNearestMode::kFloor : k::ResizeNearestMode::kRoundPreferFloor;
  p.cubic_a = -0.75;
  p.in_shape = {1, c.c, c.h, c.w};
  p.out_shape = {1, c.c, c.oh, c.ow};
  p.scales = {1.0, 1.0, static_cast<double>(c.oh) / static_cast<double>(c.h),
              static_cast<double>(c.ow) / static_cast<double>(c.w)};
  p.axes = {0, 1, 2, 3};
  return p;
}

std::vector<float> random_vec(int64_t n, unsigned seed) { return ortl::bench::random_vec(n, seed, 0.f, 1.f); }

void set_counters(benchmark::State& state, const ResizeCase& c) {
  state.counters["items"] =
      benchmark::Counter(static_cast<double>(c.out_numel()), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(4.0 * static_cast<double>(c.in_numel() + c.out_numel()),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

void bm_ortl(benchmark::State& state, ResizeCase c) {
  const k::ResizeParams p = make_params(c);
  const std::vector<float> x = random_vec(c.in_numel(), 1);
  std::vector<float> y(static_cast<size_t>(c.out_numel()));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::resize_f32(p, x.data(), y.data(), par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(k::resize_kernel_name(p, k::ResizeType::kF32));
  set_counters(state, c);
}

void bm_ref(benchmark::State& state, ResizeCase c) {
  const k::ResizeParams p = make_params(c);
  const std::vector<float> x = random_vec(c.in_numel(), 1);
  std::vector<float> y(static_cast<size_t>(c.out_numel()));
  for (auto _ : state) {
    k::resize_ref_f32(p, x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, c);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_dnnl(benchmark::State& state, ResizeCase c) {
  using dnnl::memory;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  std::vector<float> x = random_vec(c.in_numel(), 1);
  std::vector<float> y(static_cast<size_t>(c.out_numel()));
  const memory::desc xmd({1, c.c, c.h, c.w}, memory::data_type::f32, memory::format_tag::nchw);
  const memory::desc ymd({1, c.c, c.oh, c.ow}, memory::data_type::f32, memory::format_tag::nchw);
  // oneDNN-allocated (64-byte aligned) buffers: 2.6's jit resampling stores with aligned
  // non-temporal moves and faults on the 16-byte aligned blocks malloc returns.
  memory mx(xmd, eng), my(ymd, eng);
  std::copy(x.begin(), x.end(), static_cast<float*>(mx.get_data_handle()));
  std::fill_n(static_cast<float*>(my.get_data_handle()), y.size(), 0.f);
  const dnnl::algorithm alg =
      c.mode == M::kNearest ? dnnl::algorithm::resampling_nearest : dnnl::algorithm::resampling_linear;
  const std::vector<float> factors = {static_cast<float>(c.oh) / static_cast<float>(c.h),
                                      static_cast<float>(c.ow) / static_cast<float>(c.w)};
  const dnnl::resampling_forward::desc desc(dnnl::prop_kind::forward_inference, alg, factors, xmd, ymd);
  const dnnl::resampling_forward::primitive_desc pd(desc, eng);
  dnnl::resampling_forward prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, c);
}
#endif

void register_all() {
  for (const ResizeCase& c : kCases) {
    const std::string pre = std::string("resize/") + mode_name(c.mode) + "/", tail = std::string("/") + c.name;
    benchmark::RegisterBenchmark((pre + "ortl_resize_f32" + tail).c_str(), bm_ortl, c)->Unit(benchmark::kMicrosecond);
    if (c.out_numel() <= 256 * 1024)
      benchmark::RegisterBenchmark((pre + "ortl_resize_ref_f32" + tail).c_str(), bm_ref, c)
          ->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    if (c.mode == M::kCubic) {
      ResizeCase lin = c;
      lin.mode = M::kLinear;
      benchmark::RegisterBenchmark((pre + "onednn_linear_lowerbound" + tail).c_str(), bm_dnnl, lin)
          ->Unit(benchmark::kMicrosecond);
    } else {
      benchmark::RegisterBenchmark((pre + "onednn" + tail).c_str(), bm_dnnl, c)->Unit(benchmark::kMicrosecond);
    }
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
