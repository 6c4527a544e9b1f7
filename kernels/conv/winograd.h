// Winograd F(4x4, 3x3) for 3x3 stride-1 dilation-1 ungrouped 2-D convs whose weights are
// constant (transformed once, winograd_pack_weights). conv_winograd_f32 computes the same as
// conv_f32 (up to float rounding of the transforms) and applies the same epilogue.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/conv/conv.h"

namespace ortl::kernels {

struct WinogradWeights {
  int64_t c_out = 0, c_in = 0;
  bool packed = false;     // u holds 36 gemm-packed [C_out x C_in] blocks of per_pos floats
  int64_t per_pos = 0;     // floats per position in u
  std::vector<float> u;    // packed (or raw when the gemm does not pack)
  std::vector<float> raw;  // U[pos][k][c] unpacked, only when the gemm does not pack
};

// Per-ISA transform rows (winograd_impl.h).
struct WinogradTransforms {
  void (*input_row)(const float* x, int64_t ih, int64_t iw, int64_t ph, int64_t pw, int64_t th, int64_t tiles, float* v,
                    int64_t vstride, float* scratch);
  void (*output_row)(const float* m, int64_t mstride, int64_t tiles, int64_t th, float bias, float* y, int64_t oh,
                     int64_t ow, float* scratch);
};

// True for the shapes this path takes (and pays off on): 3x3, stride 1, dilation 1, group 1,
// at least 8 channels each way and an output of at least 14x14 pixels.
bool winograd_applicable(const ConvParams& p);

// W [C_out, C_in, 3, 3] -> U = G g G^T per channel pair, packed for `gemm`.
WinogradWeights winograd_pack_weights(int64_t c_out, int64_t c_in, const float* w, const GemmF32Impl& gemm);

void conv_winograd_f32(const ConvParams& p, const float* x, const WinogradWeights& u, const float* bias, float* y,
                       const GemmF32Impl& gemm, Parallel& par, const ConvEpilogue& ep = {});

}  // namespace ortl::kernels
