// Blocked channel layout (NCHWc, c = 16) kernels: the layout chains of convs run in.
//
// Layout: a [N, C, H, W] tensor is stored as [N, ceil(C / 16), H, W, 16]; channel c of pixel
// (h, w) is at ((n * CB + c / 16) * H + h) * W + w) * 16 + c % 16. The block is 16 floats on
// every ISA (one zmm, two ymm, four generic vectors), so a tensor's layout does not depend on the
// CPU. Lanes of the last block past C ("pad lanes") hold finite values that carry no meaning:
// kernels must never let them reach a real channel (packed weights are zero there) and must
// write finite values to them (the reorder writes 0; conv outputs 0 + epilogue).
//
// 2-D only: the graph pass (graph/passes/nchwc.cc) converts 2-D convs and pools whose weights are
// constant; everything else stays NCHW behind a reorder.
//
// Each compute function has a plain reference twin (*_ref, spec-literal loops on the same layout)
// that the tests compare against; the fast versions pick their ISA build once via active_isa().
#pragma once

#include <cstdint>

#include "kernels/base/parallel.h"
#include "kernels/conv/conv.h"

namespace ortl::kernels::nchwc {

constexpr int64_t kBlock = 16;
inline int64_t blocks(int64_t c) { return (c + kBlock - 1) / kBlock; }
inline int64_t padded(int64_t c) { return blocks(c) * kBlock; }

// ---- layout changes -------------------------------------------------------------------------
// x [n, c, hw] (NCHW, spatial flattened) -> y [n, blocks(c), hw, 16], pad lanes set to 0.
void reorder_to_nchwc(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par);
// x [n, blocks(c), hw, 16] -> y [n, c, hw] (pad lanes dropped).
void reorder_from_nchwc(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par);

// ---- convolution ----------------------------------------------------------------------------
// Regular (group 1) or depthwise (group == c_in == c_out) 2-D conv. X is NCHWc, or plain NCHW
// when input_nchw (first layers with few input channels: RGB images); Y is always NCHWc.
struct Conv2dParams {
  int64_t batch = 1;
  int64_t c_in = 0, c_out = 0;  // real channel counts (not padded)
  int64_t ih = 0, iw = 0, oh = 0, ow = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t ph = 0, pw = 0;  // padding before; padding after is implied by oh / ow
  bool depthwise = false;
  bool input_nchw = false;  // only with !depthwise
};

// Packed weight buffer size (floats) and the packing from ONNX W: [c_out, c_in, kh, kw]
// (depthwise: [c, 1, kh, kw]). Pad lanes / pad channels are zero. The packed order is private to
// the kernel (see nchwc_conv.cc).
int64_t conv_packed_weights_floats(const Conv2dParams& p);
void conv_pack_weights(const Conv2dParams& p, const float* w, float* dst);

// y = act(conv(x) + bias + sum), all NCHWc except x when input_nchw. bias: padded(c_out) floats
// (zeros in the pad) or null; ep.sum (null or laid out like y) and ep.act as in ConvEpilogue.
// Pad lanes of y come out finite (they are act(0 + sum pad lanes)).
void conv2d(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
            const ConvEpilogue& ep, Parallel& par);
void conv2d_ref(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
                const ConvEpilogue& ep);
// Name of the kernel conv2d would run ("nchwc_conv_avx512", "nchwc_dw_avx2", ...), for --verbose.
const char* conv2d_kernel_name(const Conv2dParams& p);

// Winograd F(4x4, 3x3) for regular 3x3 stride-1 dilation-1 convs on NCHWc input (not
// input_nchw): the same result as conv2d up to the rounding of the transforms. The weights are
// transformed once (U = G g G^T, in the kernel's own packed order) from ONNX W [c_out, c_in, 3, 3].
// winograd_applicable says which shapes this path takes and wins on (measured against conv2d).
bool winograd_applicable(const Conv2dParams& p);
int64_t winograd_packed_weights_floats(const Conv2dParams& p);
void winograd_pack_weights(const Conv2dParams& p, const float* w, float* dst);
void winograd_conv2d(const Conv2dParams& p, const float* x, const float* u_packed, const float* bias, float* y,
                     const ConvEpilogue& ep, Parallel& par);

// ---- pooling --------------------------------------------------------------------------------
struct Pool2dParams {
  int64_t batch = 1, c = 0;
  int64_t ih = 0, iw = 0, oh = 0, ow = 0;
  int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t ph = 0, pw = 0;          // padding before
  int64_t ph_end = 0, pw_end = 0;  // explicit padding after (oh / ow may reach further: ceil_mode)
  bool max = true;                 // MaxPool, else AveragePool
  bool count_include_pad = false;
};
// x, y NCHWc. Taps outside the input are skipped (max) or counted per count_include_pad (avg;
// pads past the explicit end padding, from ceil_mode, are never counted).
void pool2d(const Pool2dParams& p, const float* x, float* y, Parallel& par);
void pool2d_ref(const Pool2dParams& p, const float* x, float* y);
// GlobalAveragePool / GlobalMaxPool: x [n, blocks(c), hw, 16] -> y [n, blocks(c), 16].
void global_pool(int64_t n, int64_t c, int64_t hw, bool max, const float* x, float* y, Parallel& par);

}  // namespace ortl::kernels::nchwc
