// AVX2+FMA build of the float32 softmax body (softmax_impl.h): 8 float lanes.
#include "kernels/softmax/softmax_impl.h"

namespace ortl::kernels {
namespace {
typedef float V8 __attribute__((vector_size(32)));
}  // namespace

void softmax_f32_avx2(SoftmaxKind kind, const SoftmaxDims& d, const float* src, float* dst, Parallel& par) {
  softmax_run<SoftmaxF32<V8>>(kind, d, src, dst, par);
}

}  // namespace ortl::kernels
