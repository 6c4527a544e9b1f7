// Convolution kernels (NCHW, any number of spatial dims including 0): Conv and ConvTranspose.
//
// Conv: X [N, C_in, in...], W [C_out, C_in / group, kernel...], B [C_out] (optional)
//   -> Y [N, C_out, out...],
//   Y[n, co, o] = B[co] + sum_{ci, k} W[co, ci, k] * X[n, g * C_in/group + ci, o * s + k * d - pad_begin]
//   with g = co / (C_out / group) and taps outside the input reading 0.
// ConvTranspose: X [N, C_in, in...], W [C_in, C_out / group, kernel...], B [C_out]
//   -> Y [N, C_out, out...], the adjoint scatter: each X[n, ci, i] * W[ci, co, k] adds to
//   Y[n, g * C_out/group + co, i * s + k * d - pad_begin] when that lands inside Y.
//
// The op layer resolves auto_pad / output_shape into pads_begin and the output extents; kernels
// take them as given. The *_ref functions are spec-literal loops (the test oracle); conv_f32 and
// conv_transpose_f32 pick among 1x1-as-GEMM, direct depthwise and im2col/col2im + GEMM.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"
#include "kernels/gemm/gemm.h"

namespace ortl::kernels {

struct ConvParams {
  int64_t batch = 1;
  int64_t c_in = 0, c_out = 0, group = 1;
  // One entry per spatial dim.
  std::vector<int64_t> in, out, kernel, strides, dilations, pads_begin;

  int64_t spatial_rank() const { return static_cast<int64_t>(in.size()); }
};

// What the conv applies to each output element after the bias, while the tile is still in cache
// (the Conv + Add + activation fusion): y = act(y + sum), sum optional and laid out like y.
struct ConvEpilogue {
  enum class Act : uint8_t { kNone, kRelu, kClip, kLeakyRelu, kHardSwish, kSilu };
  Act act = Act::kNone;
  float alpha = 0.f, beta = 0.f;  // kClip: [alpha, beta]; kLeakyRelu: slope alpha
  const float* sum = nullptr;
  bool trivial() const { return act == Act::kNone && sum == nullptr; }
};

// y[j] = act(y[j] + bias + sum[j]) for j < n (sum may be null), the epilogue's element rule.
void conv_epilogue_row(float* y, const float* sum, int64_t n, float bias, const ConvEpilogue& ep);
// The same rule for double (reference path) and for a whole tensor without sum.
void conv_epilogue_row(double* y, const double* sum, int64_t n, double bias, const ConvEpilogue& ep);

// Which fast path conv_f32 takes for these params ("1x1", "depthwise", "depthwise_narrow",
// "few_out_direct", "im2col").
const char* conv_f32_path(const ConvParams& p);

template <class T>
void conv_ref(const ConvParams& p, const T* x, const T* w, const T* bias, T* y);
template <class T>
void conv_transpose_ref(const ConvParams& p, const T* x, const T* w, const T* bias, T* y);

// bias may be null. `gemm` is the GEMM implementation the caller bound at plan time.
// `ep` (with ep.sum indexed like y) is applied per output tile. `w_packed`, when given, is W
// packed for `gemm` by conv_pack_weights (constant weights, packed once).
void conv_f32(const ConvParams& p, const float* x, const float* w, const float* bias, float* y, const GemmF32Impl& gemm,
              Parallel& par, const ConvEpilogue& ep = {}, const float* w_packed = nullptr);

// W [C_out, kdim] (kdim = C_in / group * kernel size) packed group by group in gemm's A-panel
// layout (GemmF32Impl::pack_a); empty when gemm does not pack.
std::vector<float> conv_pack_weights(int64_t c_out, int64_t group, int64_t kdim, const float* w,
                                     const GemmF32Impl& gemm);
void conv_transpose_f32(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                        const GemmF32Impl& gemm, Parallel& par);

// Direct 2-D conv for few output channels (conv_few_out_impl.h; conv_f32 takes it for group 1,
// stride 1, C_out <= kFewOutMax): output rows [r0, r1) of the batch (row r: image r / out[0],
// row r % out[0]), all channels, bias added (may be null). The build for the best tier in `isa`.
constexpr int64_t kFewOutMax = 8;
constexpr int64_t kFewOutSpanMax = 240;  // (kernel width - 1) * dilation
using ConvFewOutRowsFn = void (*)(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                                  int64_t r0, int64_t r1);
ConvFewOutRowsFn conv_few_out_rows_fn(uint32_t isa);

}  // namespace ortl::kernels
