// NCHW <-> NCHWc reorders (nchwc.h): the baseline build of nchwc_reorder_impl.h and the per-ISA
// selection, made once per process.
#include "kernels/base/isa.h"
#include "kernels/nchwc/nchwc_reorder_impl.h"

namespace ortl::kernels::nchwc {

void reorder_to_nchwc_avx2(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par);
void reorder_from_nchwc_avx2(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par);
void reorder_to_nchwc_avx512(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par);
void reorder_from_nchwc_avx512(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par);

namespace {
using ReorderFn = void (*)(int64_t, int64_t, int64_t, const float*, float*, Parallel&);

ReorderFn pick(ReorderFn avx512, ReorderFn avx2, ReorderFn base) {
  const uint32_t isa = active_isa();
  return (isa & kIsaAvx512) != 0 ? avx512 : (isa & kIsaAvx2) != 0 ? avx2 : base;
}
}  // namespace

void reorder_to_nchwc(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par) {
  static const ReorderFn fn = pick(reorder_to_nchwc_avx512, reorder_to_nchwc_avx2, reorder_impl<true>);
  fn(n, c, hw, x, y, par);
}

void reorder_from_nchwc(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par) {
  static const ReorderFn fn = pick(reorder_from_nchwc_avx512, reorder_from_nchwc_avx2, reorder_impl<false>);
  fn(n, c, hw, x, y, par);
}

}  // namespace ortl::kernels::nchwc
