// Spec-literal normalizations in double, one formula per op as the ONNX spec writes it.
#include <algorithm>
#include <cmath>

#include "kernels/norm/norm.h"

namespace ortl::kernels {
namespace {

// Mean and population variance in double of `n` values x[i * stride].
template <class T>
void moments_ref(const T* x, int64_t n, int64_t stride, double* mean, double* var) {
  double s = 0, q = 0;
  for (int64_t i = 0; i < n; ++i) s += static_cast<double>(x[i * stride]);
  const double m = n > 0 ? s / static_cast<double>(n) : 0.0;
  for (int64_t i = 0; i < n; ++i)
    q += (static_cast<double>(x[i * stride]) - m) * (static_cast<double>(x[i * stride]) - m);
  *mean = m;
  *var = n > 0 ? q / static_cast<double>(n) : 0.0;
}

}  // namespace

template <class T>
void layer_norm_ref(const LayerNormParams& p, const T* src, const T* scale, const T* bias, T* dst, T* mean,
                    T* inv_std) {
  for (int64_t r = 0; r < p.rows; ++r) {
    double m, v;
    moments_ref(src + r * p.n, p.n, 1, &m, &v);
    const double inv = 1.0 / std::sqrt(v + p.epsilon);
    for (int64_t i = 0; i < p.n; ++i) {
      const double y = (static_cast<double>(src[r * p.n + i]) - m) * inv * static_cast<double>(scale[i]);
      dst[r * p.n + i] = static_cast<T>(bias ? y + static_cast<double>(bias[i]) : y);
    }
    if (mean) mean[r] = static_cast<T>(m);
    if (inv_std) inv_std[r] = static_cast<T>(inv);
  }
}

template <class T>
void group_norm_ref(const GroupNormParams& p, const T* src, const T* scale, const T* bias, T* dst) {
  const int64_t cpg = p.channels / p.groups, S = p.spatial;
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t g = 0; g < p.groups; ++g) {
      const int64_t base = (n * p.channels + g * cpg) * S;
      double m, v;
      moments_ref(src + base, cpg * S, 1, &m, &v);
      for (int64_t k = 0; k < cpg * S; ++k) {
        const int64_t c = g * cpg + k / S;
        const double xn = (static_cast<double>(src[base + k]) - m) / std::sqrt(v + p.epsilon);
        dst[base + k] = static_cast<T>(static_cast<double>(scale[c]) * xn + static_cast<double>(bias[c]));
      }
    }
  }
}

template <class T>
void batch_norm_ref(const BatchNormParams& p, const T* src, const T* scale, const T* bias, const T* mean, const T* var,
                    T* dst) {
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t c = 0; c < p.channels; ++c) {
      for (int64_t s = 0; s < p.spatial; ++s) {
        const int64_t i = (n * p.channels + c) * p.spatial + s;
        const double y = static_cast<double>(scale[c]) * (static_cast<double>(src[i]) - static_cast<double>(mean[c])) /
                             std::sqrt(static_cast<double>(var[c]) + p.epsilon) +
                         static_cast<double>(bias[c]);
        dst[i] = static_cast<T>(y);
      }
    }
  }
}

template <class T>
void lp_norm_ref(int64_t outer, int64_t n, int64_t inner, int p, const T* src, T* dst) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < inner; ++j) {
      const int64_t base = o * n * inner + j;
      double norm = 0;
      for (int64_t r = 0; r < n; ++r) {
        const double x = static_cast<double>(src[base + r * inner]);
        norm += p == 1 ? std::fabs(x) : x * x;
      }
      if (p == 2) norm = std::sqrt(norm);
      for (int64_t r = 0; r < n; ++r) {
        dst[base + r * inner] = static_cast<T>(norm == 0 ? 0.0 : static_cast<double>(src[base + r * inner]) / norm);
      }
    }
  }
}

template <class T>
void lrn_ref(const LrnParams& p, const T* src, T* dst) {
  const int64_t C = p.channels, S = p.spatial;
  const int64_t lo = (p.size - 1) / 2, hi = (p.size - 1 + 1) / 2;  // floor and ceil of (size - 1) / 2
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t c = 0; c < C; ++c) {
      for (int64_t s = 0; s < S; ++s) {
        double sq = 0;
        for (int64_t cc = std::max<int64_t>(0, c - lo); cc <= std::min(C - 1, c + hi); ++cc) {
          const double x = static_cast<double>(src[(n * C + cc) * S + s]);
          sq += x * x;
        }
        const int64_t i = (n * C + c) * S + s;
        dst[i] = static_cast<T>(static_cast<double>(src[i]) /
                                std::pow(static_cast<double>(p.bias) + static_cast<double>(p.alpha) / p.size * sq,
                                         static_cast<double>(p.beta)));
      }
    }
  }
}

template <class T>
void mvn_rows_ref(int64_t rows, int64_t n, float eps, const T* src, T* dst) {
  for (int64_t r = 0; r < rows; ++r) {
    double m, v;
    moments_ref(src + r * n, n, 1, &m, &v);
    for (int64_t i = 0; i < n; ++i) {
      dst[r * n + i] = static_cast<T>((static_cast<double>(src[r * n + i]) - m) / (std::sqrt(v) + eps));
    }
  }
}

#define ORTL_NORM_REF(T)                                                                                         \
  template void layer_norm_ref<T>(const LayerNormParams&, const T*, const T*, const T*, T*, T*, T*);             \
  template void group_norm_ref<T>(const GroupNormParams&, const T*, const T*, const T*, T*);                     \
  template void batch_norm_ref<T>(const BatchNormParams&, const T*, const T*, const T*, const T*, const T*, T*); \
  template void lp_norm_ref<T>(int64_t, int64_t, int64_t, int, const T*, T*);                                    \
  template void lrn_ref<T>(const LrnParams&, const T*, T*);                                                      \
  template void mvn_rows_ref<T>(int64_t, int64_t, float, const T*, T*);
ORTL_NORM_REF(float)
ORTL_NORM_REF(double)
#undef ORTL_NORM_REF

}  // namespace ortl::kernels
