// Eigen baselines for ops oneDNN has no primitive for (Erf), built with AVX2 + FMA like ort-lite's
// *_avx2 kernels (Eigen picks its packet width from the compile flags). Linked into bench_norm
// only; its functions are called only when the host has AVX2.
#include <Eigen/Core>
#include <cstdint>
#include <unsupported/Eigen/SpecialFunctions>

namespace ortl::bench {

void eigen_erf_avx2(const float* src, float* dst, int64_t n) {
  Eigen::Map<const Eigen::ArrayXf> x(src, n);
  Eigen::Map<Eigen::ArrayXf> y(dst, n);
  y = x.erf();
}

// Gelu (erf form): 0.5 * x * (1 + erf(x / sqrt(2))).
void eigen_gelu_erf_avx2(const float* src, float* dst, int64_t n) {
  Eigen::Map<const Eigen::ArrayXf> x(src, n);
  Eigen::Map<Eigen::ArrayXf> y(dst, n);
  y = 0.5f * x * (1.0f + (x * 0.70710678118654752f).erf());
}

}  // namespace ortl::bench
