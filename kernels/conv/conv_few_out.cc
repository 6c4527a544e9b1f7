// Baseline build of the direct conv for few output channels (conv_few_out_impl.h) and the
// run-time choice among it and the AVX2 / AVX-512 builds.
#include "kernels/base/isa.h"
#include "kernels/conv/conv_few_out_impl.h"

namespace ortl::kernels {

void conv_few_out_rows_f32_avx2(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                                int64_t r0, int64_t r1);
void conv_few_out_rows_f32_avx512(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                                  int64_t r0, int64_t r1);

void conv_few_out_rows_f32_ref(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                               int64_t r0, int64_t r1) {
  few_out_rows_impl(p, x, w, bias, y, r0, r1);
}

ConvFewOutRowsFn conv_few_out_rows_fn(uint32_t isa) {
  if ((isa & kIsaAvx512) != 0) return conv_few_out_rows_f32_avx512;
  if ((isa & kIsaAvx2) != 0) return conv_few_out_rows_f32_avx2;
  return conv_few_out_rows_f32_ref;
}

}  // namespace ortl::kernels
