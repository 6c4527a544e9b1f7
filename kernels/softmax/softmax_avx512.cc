// AVX-512 build of the float32 softmax body (softmax_impl.h): 16 float lanes.
#include "kernels/softmax/softmax_impl.h"

namespace ortl::kernels {
namespace {
typedef float V16 __attribute__((vector_size(64)));
}  // namespace

void softmax_f32_avx512(SoftmaxKind kind, const SoftmaxDims& d, const float* src, float* dst, Parallel& par) {
  softmax_run<SoftmaxF32<V16>>(kind, d, src, dst, par);
}

}  // namespace ortl::kernels
