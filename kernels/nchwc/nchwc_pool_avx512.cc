// AVX512 build of the NCHWc pools (nchwc_pool_impl.h).
#include "kernels/nchwc/nchwc_pool_impl.h"

namespace ortl::kernels::nchwc {

void pool2d_avx512(const Pool2dParams& p, const float* x, float* y, Parallel& par) { pool2d_impl(p, x, y, par); }
void global_pool_avx512(int64_t n, int64_t c, int64_t hw, bool max, const float* x, float* y, Parallel& par) {
  global_pool_impl(n, c, hw, max, x, y, par);
}

}  // namespace ortl::kernels::nchwc
