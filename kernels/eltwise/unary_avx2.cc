// unary_impl.h's float loops compiled for AVX2 + FMA (8 floats a vector); selected at run
// time through kernels.inc when the host has the ISA.
#include "kernels/eltwise/unary_impl.h"

namespace ortl::kernels {

void unary_f32_avx2(UnaryOp op, const UnaryParams& prm, const float* src, float* dst, int64_t n) {
  unary_float_range<float>(op, prm, src, dst, n);
}

}  // namespace ortl::kernels
