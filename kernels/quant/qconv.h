// Integer convolution for ConvInteger / QLinearConv (NCHW, any number of spatial dims):
//
//   Y[n, co, o] = sum_{ci, k} (W[co, ci, k] - w_zp[co]) * (X[n, g * C_in/group + ci, o * s + k * d - pad] - x_zp)
//
// in int32 (wrapping on overflow, as qgemm.h), g = co / (C_out / group), taps in the padding
// contributing 0 (they read as x_zp). Geometry comes resolved in ConvParams (kernels/conv/conv.h).
// conv_integer_s32 gathers int16 columns (x - x_zp) for a chunk of output positions and runs the
// int16 GEMM of qgemm.h against W widened once per call; conv_integer_ref is the literal loop.
#pragma once

#include <cstdint>

#include "kernels/base/parallel.h"
#include "kernels/conv/conv.h"

namespace ortl::kernels {

// TX, TW: int8_t or uint8_t. w_zp: per output channel with stride w_zp_stride (0: one for all),
// or null.
template <class TX, class TW>
void conv_integer_ref(const ConvParams& p, const TX* x, int32_t x_zp, const TW* w, const int32_t* w_zp,
                      int64_t w_zp_stride, int32_t* y);
template <class TX, class TW>
void conv_integer_s32(const ConvParams& p, const TX* x, int32_t x_zp, const TW* w, const int32_t* w_zp,
                      int64_t w_zp_stride, int32_t* y, Parallel& par = serial());

}  // namespace ortl::kernels
