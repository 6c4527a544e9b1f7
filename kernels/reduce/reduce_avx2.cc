// AVX2+FMA build of the float32 [outer, reduced, inner] reduction (reduce_impl.h): 8 float lanes.
#include "kernels/reduce/reduce_impl.h"

namespace ortl::kernels {
namespace {
typedef float V8 __attribute__((vector_size(32)));
}  // namespace

void reduce_3d_f32_avx2(ReduceOp op, const ReduceDims& d, const float* src, float* dst, Parallel& par) {
  reduce_3d_impl<V8, float>(op, d, src, dst, par);
}

}  // namespace ortl::kernels
