// Templated bodies of LayerNorm, Group/InstanceNorm and BatchNorm, included once per ISA
// translation unit (norm.cc: baseline, norm_avx2.cc) inside an anonymous namespace so each copy
// keeps its own flags. Plain loops the compiler vectorizes: sums run on kLanes independent
// accumulators (no loop-carried dependency, so no -ffast-math needed), the affine passes are
// straight maps.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/norm/norm.h"

namespace ortl::kernels {
namespace {

constexpr int kLanes = 16;

template <class T>
T sum_of(const T* x, int64_t n) {
  T lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) lanes[j] += x[i + j];
  }
  T s = 0;
  for (; i < n; ++i) s += x[i];
  for (int j = 0; j < kLanes; ++j) s += lanes[j];
  return s;
}

// Sum of (x - m)^2.
template <class T>
T sq_dev_of(const T* x, int64_t n, T m) {
  T lanes[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      const T d = x[i + j] - m;
      lanes[j] += d * d;
    }
  }
  T s = 0;
  for (; i < n; ++i) s += (x[i] - m) * (x[i] - m);
  for (int j = 0; j < kLanes; ++j) s += lanes[j];
  return s;
}

// Mean and population variance of n values (n > 0).
template <class T>
void moments(const T* x, int64_t n, T* mean, T* var) {
  const T m = sum_of(x, n) / static_cast<T>(n);
  *mean = m;
  *var = sq_dev_of(x, n, m) / static_cast<T>(n);
}

// y = (x - m) * a + b. Subtracting first keeps precision when a is large (a tiny variance):
// the folded x * a + (b - m * a) would cancel two large terms.
template <class T>
void center_scale(const T* x, int64_t n, T m, T a, T b, T* y) {
  for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - m) * a + b;
}

template <class T>
void layer_norm_impl(const LayerNormParams& p, const T* src, const T* scale, const T* bias, T* dst, T* mean_out,
                     T* inv_out, Parallel& par) {
  const int64_t n = p.n;
  if (p.rows == 0) return;
  par.for_range(p.rows, 1.5 * static_cast<double>(n) + 20, [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const T* x = src + r * n;
      T* y = dst + r * n;
      T m = 0, v = 0;
      if (n > 0) moments(x, n, &m, &v);
      const T inv = T(1) / std::sqrt(v + static_cast<T>(p.epsilon));
      if (bias) {
        for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - m) * inv * scale[i] + bias[i];
      } else {
        for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - m) * inv * scale[i];
      }
      if (mean_out) mean_out[r] = m;
      if (inv_out) inv_out[r] = inv;
    }
  });
}

template <class T>
void group_norm_impl(const GroupNormParams& p, const T* src, const T* scale, const T* bias, T* dst, Parallel& par) {
  const int64_t cpg = p.channels / p.groups, S = p.spatial, len = cpg * S;
  par.for_range(p.batch * p.groups, 1.5 * static_cast<double>(len) + 20, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t g = t % p.groups;
      const T* x = src + t * len;
      T* y = dst + t * len;
      T m = 0, v = 0;
      if (len > 0) moments(x, len, &m, &v);
      const T inv = T(1) / std::sqrt(v + static_cast<T>(p.epsilon));
      for (int64_t k = 0; k < cpg; ++k) {
        const int64_t c = g * cpg + k;
        const T a = inv * scale[c];
        center_scale(x + k * S, S, m, a, bias[c], y + k * S);
      }
    }
  });
}

template <class T>
void batch_norm_impl(const BatchNormParams& p, const T* src, const T* scale, const T* bias, const T* mean, const T* var,
                     T* dst, Parallel& par) {
  const int64_t C = p.channels, S = p.spatial;
  std::vector<T> a(static_cast<size_t>(C));
  for (int64_t c = 0; c < C; ++c) a[c] = scale[c] / std::sqrt(var[c] + static_cast<T>(p.epsilon));
  par.for_range(p.batch * C, 0.5 * static_cast<double>(S) + 10, [&](int64_t lo, int64_t hi) {
    for (int64_t t = lo; t < hi; ++t) center_scale(src + t * S, S, mean[t % C], a[t % C], bias[t % C], dst + t * S);
  });
}

}  // namespace
}  // namespace ortl::kernels
