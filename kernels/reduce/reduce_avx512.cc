// AVX-512 build of the float32 [outer, reduced, inner] reduction (reduce_impl.h): 16 float lanes.
#include "kernels/reduce/reduce_impl.h"

namespace ortl::kernels {
namespace {
typedef float V16 __attribute__((vector_size(64)));
}  // namespace

void reduce_3d_f32_avx512(ReduceOp op, const ReduceDims& d, const float* src, float* dst, Parallel& par) {
  reduce_3d_impl<V16, float>(op, d, src, dst, par);
}

}  // namespace ortl::kernels
