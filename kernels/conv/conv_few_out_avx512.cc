// AVX-512 build of the direct conv for few output channels (conv_few_out_impl.h).
#include "kernels/conv/conv_few_out_impl.h"

namespace ortl::kernels {

void conv_few_out_rows_f32_avx512(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                                  int64_t r0, int64_t r1) {
  few_out_rows_impl(p, x, w, bias, y, r0, r1);
}

}  // namespace ortl::kernels
