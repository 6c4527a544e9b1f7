// Baseline build of the softmax body (softmax_impl.h): 4-lane float32 and scalar double; the
// float32 variant list; Hardmax.
#include "kernels/base/isa.h"
#include "kernels/softmax/softmax_impl.h"

namespace ortl::kernels {

void softmax_f32_avx2(SoftmaxKind kind, const SoftmaxDims& d, const float* src, float* dst, Parallel& par);
void softmax_f32_avx512(SoftmaxKind kind, const SoftmaxDims& d, const float* src, float* dst, Parallel& par);

namespace {
typedef float V4 __attribute__((vector_size(16)));  // SSE2, part of the x86-64 baseline

void softmax_f32_base(SoftmaxKind kind, const SoftmaxDims& d, const float* src, float* dst, Parallel& par) {
  softmax_run<SoftmaxF32<V4>>(kind, d, src, dst, par);
}
}  // namespace

const std::vector<SoftmaxF32Kernel>& softmax_f32_kernels() {
  static const std::vector<SoftmaxF32Kernel> list = {
      {"softmax_f32_avx512", kIsaAvx512, softmax_f32_avx512},
      {"softmax_f32_avx2", kIsaAvx2, softmax_f32_avx2},
      {"softmax_f32_base", 0, softmax_f32_base},
  };
  return list;
}

const SoftmaxF32Kernel& select_softmax_f32(uint32_t isa) {
  for (const SoftmaxF32Kernel& k : softmax_f32_kernels()) {
    if ((k.isa & isa) == k.isa) return k;
  }
  return softmax_f32_kernels().back();
}

template <class T>
void softmax(SoftmaxKind kind, const SoftmaxDims& d, const T* src, T* dst, Parallel& par) {
  if constexpr (sizeof(T) == 4) {
    static const SoftmaxF32Fn fn = select_softmax_f32(active_isa()).fn;
    fn(kind, d, src, dst, par);
  } else {
    softmax_run<SoftmaxF64>(kind, d, src, dst, par);
  }
}

void exp_f32(const float* src, float* dst, int64_t n) {
  using O = VecOps<V4>;
  int64_t i = 0;
  for (; i + O::kW <= n; i += O::kW) O::store(dst + i, exp_ps(O::load(src + i)));
  for (; i < n; ++i) dst[i] = exp_ps(src[i]);
}

template <class T>
void hardmax(const SoftmaxDims& d, const T* src, T* dst, Parallel& par) {
  const int64_t n = d.n, inner = d.inner;
  if (d.outer == 0 || n == 0 || inner == 0) return;
  par.for_range(d.outer, 1.0 * static_cast<double>(n * inner), [&](int64_t b, int64_t e) {
    for (int64_t o = b; o < e; ++o) {
      const T* x = src + o * n * inner;
      T* y = dst + o * n * inner;
      for (int64_t i = 0; i < n * inner; ++i) y[i] = T(0);
      for (int64_t j = 0; j < inner; ++j) {
        int64_t best = 0;
        for (int64_t r = 1; r < n; ++r) {
          if (x[r * inner + j] > x[best * inner + j]) best = r;
        }
        y[best * inner + j] = T(1);
      }
    }
  });
}

template void softmax<float>(SoftmaxKind, const SoftmaxDims&, const float*, float*, Parallel&);
template void softmax<double>(SoftmaxKind, const SoftmaxDims&, const double*, double*, Parallel&);
template void hardmax<float>(const SoftmaxDims&, const float*, float*, Parallel&);
template void hardmax<double>(const SoftmaxDims&, const double*, double*, Parallel&);

}  // namespace ortl::kernels
