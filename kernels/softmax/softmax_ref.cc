// Spec-literal Softmax / LogSoftmax / Hardmax in double: y = exp(x - max) / sum(exp(x - max)),
// log-softmax = x - max - log(sum(exp(x - max))), hardmax = one-hot of the first maximum.
#include <cmath>
#include <vector>

#include "kernels/softmax/softmax.h"

namespace ortl::kernels {

template <class T>
void softmax_ref(SoftmaxKind kind, const SoftmaxDims& d, const T* src, T* dst) {
  for (int64_t o = 0; o < d.outer; ++o) {
    for (int64_t j = 0; j < d.inner; ++j) {
      const int64_t base = o * d.n * d.inner + j;
      double m = -INFINITY;
      for (int64_t r = 0; r < d.n; ++r) m = std::fmax(m, static_cast<double>(src[base + r * d.inner]));
      double s = 0;
      for (int64_t r = 0; r < d.n; ++r) s += std::exp(static_cast<double>(src[base + r * d.inner]) - m);
      for (int64_t r = 0; r < d.n; ++r) {
        const double x = static_cast<double>(src[base + r * d.inner]);
        const double y = kind == SoftmaxKind::kSoftmax ? std::exp(x - m) / s : x - m - std::log(s);
        dst[base + r * d.inner] = static_cast<T>(y);
      }
    }
  }
}

template <class T>
void hardmax_ref(const SoftmaxDims& d, const T* src, T* dst) {
  for (int64_t o = 0; o < d.outer; ++o) {
    for (int64_t j = 0; j < d.inner; ++j) {
      const int64_t base = o * d.n * d.inner + j;
      int64_t best = 0;
      for (int64_t r = 0; r < d.n; ++r) {
        if (src[base + r * d.inner] > src[base + best * d.inner]) best = r;
      }
      for (int64_t r = 0; r < d.n; ++r) dst[base + r * d.inner] = r == best ? T(1) : T(0);
    }
  }
}

template void softmax_ref<float>(SoftmaxKind, const SoftmaxDims&, const float*, float*);
template void softmax_ref<double>(SoftmaxKind, const SoftmaxDims&, const double*, double*);
template void hardmax_ref<float>(const SoftmaxDims&, const float*, float*);
template void hardmax_ref<double>(const SoftmaxDims&, const double*, double*);

}  // namespace ortl::kernels
