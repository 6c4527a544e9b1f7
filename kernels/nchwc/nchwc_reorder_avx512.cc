// AVX-512 build of the NCHW <-> NCHWc reorders (nchwc_reorder_impl.h: 16x16 register transposes).
#include "kernels/nchwc/nchwc_reorder_impl.h"

namespace ortl::kernels::nchwc {

void reorder_to_nchwc_avx512(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par) {
  reorder_impl<true>(n, c, hw, x, y, par);
}
void reorder_from_nchwc_avx512(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par) {
  reorder_impl<false>(n, c, hw, x, y, par);
}

}  // namespace ortl::kernels::nchwc
