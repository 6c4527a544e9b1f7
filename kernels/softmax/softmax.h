// Softmax, LogSoftmax and Hardmax along the middle dim of [outer, n, inner] (row-major).
//
// The op layer maps both ONNX conventions here: opset < 13 coerces the input to 2-D around
// `axis` (inner = 1, n = product of the trailing dims), opset >= 13 normalises one axis.
// Numerics: the row maximum is subtracted before exp (no overflow for large inputs; exp(-inf)
// is exactly 0, so -inf masks work); float32 runs a Cephes polynomial exp (~1 ulp) on SIMD
// vectors, double uses std::exp. dtypes: float, double.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

enum class SoftmaxKind { kSoftmax, kLogSoftmax };

struct SoftmaxDims {
  int64_t outer = 1;
  int64_t n = 1;
  int64_t inner = 1;
};

// Spec-literal oracle, computed in double.
template <class T>
void softmax_ref(SoftmaxKind kind, const SoftmaxDims& d, const T* src, T* dst);
template <class T>
void softmax(SoftmaxKind kind, const SoftmaxDims& d, const T* src, T* dst, Parallel& par);

// dst = 1 at the first maximum along n, 0 elsewhere.
template <class T>
void hardmax_ref(const SoftmaxDims& d, const T* src, T* dst);
template <class T>
void hardmax(const SoftmaxDims& d, const T* src, T* dst, Parallel& par);

// float32 variants, best first (see reduce.h for the pattern).
using SoftmaxF32Fn = void (*)(SoftmaxKind kind, const SoftmaxDims& d, const float* src, float* dst, Parallel& par);
struct SoftmaxF32Kernel {
  const char* name;
  uint32_t isa;
  SoftmaxF32Fn fn;
};
const std::vector<SoftmaxF32Kernel>& softmax_f32_kernels();
const SoftmaxF32Kernel& select_softmax_f32(uint32_t isa);

// Elementwise exp with the float32 kernel's polynomial (exposed for tests and other families).
void exp_f32(const float* src, float* dst, int64_t n);

}  // namespace ortl::kernels
