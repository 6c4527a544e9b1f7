// Baseline build of the norm bodies (norm_impl.h) with run-time selection of the AVX2 build for
// float32, plus the lighter kernels that have no ISA variants: batch statistics, LpNorm, LRN,
// MVN rows.
#include <cmath>

#include "kernels/base/isa.h"
#include "kernels/norm/norm_impl.h"

namespace ortl::kernels {

void layer_norm_f32_avx2(const LayerNormParams& p, const float* src, const float* scale, const float* bias, float* dst,
                         float* mean, float* inv_std, Parallel& par);
void group_norm_f32_avx2(const GroupNormParams& p, const float* src, const float* scale, const float* bias, float* dst,
                         Parallel& par);
void batch_norm_f32_avx2(const BatchNormParams& p, const float* src, const float* scale, const float* bias,
                         const float* mean, const float* var, float* dst, Parallel& par);

const std::vector<NormF32Kernels>& norm_f32_kernels() {
  static const std::vector<NormF32Kernels> list = {
      {"norm_f32_avx2", kIsaAvx2, layer_norm_f32_avx2, group_norm_f32_avx2, batch_norm_f32_avx2},
      {"norm_f32_base", 0, layer_norm_impl<float>, group_norm_impl<float>, batch_norm_impl<float>},
  };
  return list;
}

namespace {
const NormF32Kernels& selected() {
  static const NormF32Kernels& k = [&]() -> const NormF32Kernels& {
    for (const auto& v : norm_f32_kernels()) {
      if ((v.isa & active_isa()) == v.isa) return v;
    }
    return norm_f32_kernels().back();
  }();
  return k;
}
}  // namespace

template <class T>
void layer_norm(const LayerNormParams& p, const T* src, const T* scale, const T* bias, T* dst, T* mean, T* inv_std,
                Parallel& par) {
  if constexpr (sizeof(T) == 4) {
    selected().layer_norm(p, src, scale, bias, dst, mean, inv_std, par);
  } else {
    layer_norm_impl(p, src, scale, bias, dst, mean, inv_std, par);
  }
}

template <class T>
void group_norm(const GroupNormParams& p, const T* src, const T* scale, const T* bias, T* dst, Parallel& par) {
  if constexpr (sizeof(T) == 4) {
    selected().group_norm(p, src, scale, bias, dst, par);
  } else {
    group_norm_impl(p, src, scale, bias, dst, par);
  }
}

template <class T>
void batch_norm(const BatchNormParams& p, const T* src, const T* scale, const T* bias, const T* mean, const T* var,
                T* dst, Parallel& par) {
  if constexpr (sizeof(T) == 4) {
    selected().batch_norm(p, src, scale, bias, mean, var, dst, par);
  } else {
    batch_norm_impl(p, src, scale, bias, mean, var, dst, par);
  }
}

template <class T>
void channel_moments(const BatchNormParams& p, const T* src, T* mean, T* var, Parallel& par) {
  const int64_t N = p.batch, C = p.channels, S = p.spatial;
  const T count = static_cast<T>(N * S);
  par.for_range(C, 2.0 * static_cast<double>(N * S) + 10, [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      T s = 0;
      for (int64_t n = 0; n < N; ++n) s += sum_of(src + (n * C + c) * S, S);
      const T m = N * S > 0 ? s / count : T(0);
      T q = 0;
      for (int64_t n = 0; n < N; ++n) q += sq_dev_of(src + (n * C + c) * S, S, m);
      mean[c] = m;
      var[c] = N * S > 0 ? q / count : T(0);
    }
  });
}

template <class T>
void lp_norm(int64_t outer, int64_t n, int64_t inner, int p, const T* src, T* dst, Parallel& par) {
  par.for_range(outer, 2.0 * static_cast<double>(n * inner) + 10, [&](int64_t b, int64_t e) {
    std::vector<T> norm(static_cast<size_t>(inner));
    for (int64_t o = b; o < e; ++o) {
      const T* x = src + o * n * inner;
      T* y = dst + o * n * inner;
      std::fill(norm.begin(), norm.end(), T(0));
      for (int64_t r = 0; r < n; ++r) {
        const T* xr = x + r * inner;
        if (p == 1) {
          for (int64_t j = 0; j < inner; ++j) norm[j] += std::abs(xr[j]);
        } else {
          for (int64_t j = 0; j < inner; ++j) norm[j] += xr[j] * xr[j];
        }
      }
      for (int64_t j = 0; j < inner; ++j) {
        const T v = p == 1 ? norm[j] : std::sqrt(norm[j]);
        norm[j] = v == T(0) ? T(0) : T(1) / v;  // a zero norm maps the (all-zero) slice to 0
      }
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t j = 0; j < inner; ++j) y[r * inner + j] = x[r * inner + j] * norm[j];
      }
    }
  });
}

template <class T>
void lrn(const LrnParams& p, const T* src, T* dst, Parallel& par) {
  const int64_t C = p.channels, S = p.spatial;
  const int64_t lo = (p.size - 1) / 2, hi = p.size - 1 - lo;  // floor / ceil of (size - 1) / 2
  const T k = static_cast<T>(p.alpha) / static_cast<T>(p.size);
  par.for_range(p.batch * C, 5.0 * static_cast<double>(S * p.size) + 20, [&](int64_t b, int64_t e) {
    std::vector<T> acc(static_cast<size_t>(S));
    for (int64_t t = b; t < e; ++t) {
      const int64_t n = t / C, c = t % C;
      std::fill(acc.begin(), acc.end(), T(0));
      for (int64_t cc = std::max<int64_t>(0, c - lo); cc <= std::min(C - 1, c + hi); ++cc) {
        const T* x = src + (n * C + cc) * S;
        for (int64_t s = 0; s < S; ++s) acc[s] += x[s] * x[s];
      }
      const T* x = src + t * S;
      T* y = dst + t * S;
      for (int64_t s = 0; s < S; ++s) {
        y[s] = x[s] / std::pow(static_cast<T>(p.bias) + k * acc[s], static_cast<T>(p.beta));
      }
    }
  });
}

template <class T>
void mvn_rows(int64_t rows, int64_t n, float eps, const T* src, T* dst, Parallel& par) {
  if (n == 0) return;
  par.for_range(rows, 1.5 * static_cast<double>(n) + 20, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      T m, v;
      moments(src + r * n, n, &m, &v);
      const T inv = T(1) / (std::sqrt(v) + static_cast<T>(eps));
      center_scale(src + r * n, n, m, inv, T(0), dst + r * n);
    }
  });
}

#define ORTL_NORM_FAST(T)                                                                                   \
  template void layer_norm<T>(const LayerNormParams&, const T*, const T*, const T*, T*, T*, T*, Parallel&); \
  template void group_norm<T>(const GroupNormParams&, const T*, const T*, const T*, T*, Parallel&);         \
  template void batch_norm<T>(const BatchNormParams&, const T*, const T*, const T*, const T*, const T*, T*, \
                              Parallel&);                                                                   \
  template void channel_moments<T>(const BatchNormParams&, const T*, T*, T*, Parallel&);                    \
  template void lp_norm<T>(int64_t, int64_t, int64_t, int, const T*, T*, Parallel&);                        \
  template void lrn<T>(const LrnParams&, const T*, T*, Parallel&);                                          \
  template void mvn_rows<T>(int64_t, int64_t, float, const T*, T*, Parallel&);
ORTL_NORM_FAST(float)
ORTL_NORM_FAST(double)
#undef ORTL_NORM_FAST

}  // namespace ortl::kernels
