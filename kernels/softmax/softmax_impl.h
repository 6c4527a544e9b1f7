// Templated softmax body over a GCC vector type V (float lanes), included once by each ISA
// translation unit (softmax.cc: 4 lanes, baseline; softmax_avx2.cc: 8; softmax_avx512.cc: 16)
// inside that unit's anonymous namespace, so every copy keeps its own flags and the linker can
// never hand an AVX body to a lesser CPU. Explicit vectors rather than auto-vectorized loops:
// without -fno-trapping-math GCC refuses to if-convert the float selects of max and exp.
//
// A row (inner == 1) takes three passes: max; exp(x - max) stored in dst while summing; scale
// (LogSoftmax: max; sum of exp, not stored; x - max - log(sum)). Each pass reads an element of
// src before writing that element of dst, so the op may run in place. inner > 1 walks kBlock columns at a time, row by
// row, with per-column max/sum kept in L1, so all loads are contiguous.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/softmax/softmax.h"

#ifdef __AVX512F__
#include <immintrin.h>
#endif

namespace ortl::kernels {
namespace {

constexpr int64_t kBlock = 256;

template <class V>
struct VecOps {
  static constexpr int kW = sizeof(V) / sizeof(float);
  typedef int32_t I __attribute__((vector_size(sizeof(V))));

  static V load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static void store(float* p, V v) { std::memcpy(p, &v, sizeof(V)); }
  // Horizontal max / sum as a halving tree (depth log2(kW) rather than a kW-long chain).
  static float hmax(V v) {
    alignas(64) float b[kW];
    std::memcpy(b, &v, sizeof(V));
    for (int w = kW / 2; w > 0; w /= 2)
      for (int i = 0; i < w; ++i) b[i] = b[i] < b[i + w] ? b[i + w] : b[i];
    return b[0];
  }
  static float hsum(V v) {
    alignas(64) float b[kW];
    std::memcpy(b, &v, sizeof(V));
    for (int w = kW / 2; w > 0; w /= 2)
      for (int i = 0; i < w; ++i) b[i] += b[i + w];
    return b[0];
  }
};

// Everything below applies to a V vector or a plain float (the scalar tail) alike.
template <class A>
A bcast(float c) {
  if constexpr (std::is_same_v<A, float>) {
    return c;
  } else {
    return A{} + c;
  }
}
template <class A>
A vmax(A a, A b) {
  return a < b ? b : a;
}

// Cephes expf: 2^k * p(r), k = round(x / ln2) by the 1.5 * 2^23 trick, r = x - k ln2 split in
// two (Cody-Waite). ~1 ulp; below -87.34 flushes to 0, above 88.38 gives inf, NaN stays NaN.
template <class A>
A exp_ps(A x) {
  A xc = x < -87.33654f ? bcast<A>(-87.33654f) : x;
  xc = xc > 88.37626f ? bcast<A>(88.37626f) : xc;
  const A k = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  A r = xc - k * 0.693359375f;
  r = r - k * -2.12194440e-4f;
  A p = bcast<A>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const A y = p * r * r + r + 1.0f;
  A scale;
  if constexpr (std::is_same_v<A, float>) {
    scale = std::bit_cast<float>((static_cast<int32_t>(k) + 127) << 23);
  } else {
    typedef int32_t I __attribute__((vector_size(sizeof(A))));
    scale = __builtin_bit_cast(A, (__builtin_convertvector(k, I) + 127) << 23);
  }
  A e = y * scale;
  e = x < -87.33654f ? bcast<A>(0.0f) : e;
  return x > 88.37626f ? bcast<A>(INFINITY) : e;
}

// exp(x) for x <= 0 (softmax arguments, x - max): one select instead of four. Clamping at -104
// and scaling by 2^k in two factors lets results underflow through the subnormals to exactly 0
// (exp(-inf) = 0 for masked logits); NaN stays NaN.
template <class A>
A exp_neg(A x) {
  const A xc = x < -104.0f ? bcast<A>(-104.0f) : x;
  const A k = (xc * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  A r = xc - k * 0.693359375f;
  r = r - k * -2.12194440e-4f;
  A p = bcast<A>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const A y = p * r * r + r + 1.0f;
  if constexpr (std::is_same_v<A, float>) {
    const int32_t n = static_cast<int32_t>(k), n1 = n >> 1;
    return y * std::bit_cast<float>((n1 + 127) << 23) * std::bit_cast<float>((n - n1 + 127) << 23);
#ifdef __AVX512F__
  } else if constexpr (sizeof(A) == 64) {
    // AVX-512 (softmax_avx512.cc only): vscalefps computes y * 2^k in one instruction, rounding
    // through the subnormals to 0 like the two-factor form below.
    return __builtin_bit_cast(
        A, _mm512_maskz_scalef_ps(0xffff, __builtin_bit_cast(__m512, y), __builtin_bit_cast(__m512, k)));
#endif
  } else {
    typedef int32_t I __attribute__((vector_size(sizeof(A))));
    const I n = __builtin_convertvector(k, I), n1 = n >> 1;
    return y * __builtin_bit_cast(A, (n1 + 127) << 23) * __builtin_bit_cast(A, (n - n1 + 127) << 23);
  }
}

template <class V>
struct SoftmaxF32 {
  using O = VecOps<V>;
  static constexpr int kW = O::kW;

  static float row_max(const float* x, int64_t n) {
    V m0 = bcast<V>(-INFINITY), m1 = m0;
    int64_t i = 0;
    for (; i + 2 * kW <= n; i += 2 * kW) {
      m0 = vmax(m0, O::load(x + i));
      m1 = vmax(m1, O::load(x + i + kW));
    }
    for (; i + kW <= n; i += kW) m0 = vmax(m0, O::load(x + i));
    float m = O::hmax(vmax(m0, m1));
    for (; i < n; ++i) m = vmax(m, x[i]);
    return m;
  }

  // Sum of exp(x - m), also stored into y when kStore.
  template <bool kStore>
  static float exp_sum(const float* x, float* y, int64_t n, float m) {
    const V vm = bcast<V>(m);
    V s0 = bcast<V>(0), s1 = s0;
    int64_t i = 0;
    for (; i + 2 * kW <= n; i += 2 * kW) {
      const V e0 = exp_neg(O::load(x + i) - vm), e1 = exp_neg(O::load(x + i + kW) - vm);
      if constexpr (kStore) {
        O::store(y + i, e0);
        O::store(y + i + kW, e1);
      }
      s0 += e0;
      s1 += e1;
    }
    for (; i + kW <= n; i += kW) {
      const V e = exp_neg(O::load(x + i) - vm);
      if constexpr (kStore) O::store(y + i, e);
      s0 += e;
    }
    float s = O::hsum(s0 + s1);
    for (; i < n; ++i) {
      const float e = exp_neg(x[i] - m);
      if constexpr (kStore) y[i] = e;
      s += e;
    }
    return s;
  }

  // Every pass reads x[i] before writing y[i] (LogSoftmax never stores the exps), so x == y is fine.
  static void row(SoftmaxKind kind, const float* x, float* y, int64_t n) {
    const float m = row_max(x, n);
    int64_t i = 0;
    if (kind == SoftmaxKind::kSoftmax) {
      const float inv = 1.0f / exp_sum<true>(x, y, n, m);
      for (; i + kW <= n; i += kW) O::store(y + i, O::load(y + i) * inv);
      for (; i < n; ++i) y[i] *= inv;
    } else {
      const float shift = m + std::log(exp_sum<false>(x, y, n, m));
      for (; i + kW <= n; i += kW) O::store(y + i, O::load(x + i) - shift);
      for (; i < n; ++i) y[i] = x[i] - shift;
    }
  }

  // Columns [0, w) of an [n, inner] slab; full vectors, then the last w % kW columns one by one
  // (partial vectors would cost a store-forwarding stall on every row).
  static void cols(SoftmaxKind kind, const float* x, float* y, int64_t n, int64_t inner, int64_t w) {
    alignas(64) float m[kBlock], s[kBlock];
    const int64_t wv = w - w % kW;
    for (int64_t j = 0; j < w; ++j) {
      m[j] = -INFINITY;
      s[j] = 0;
    }
    for (int64_t r = 0; r < n; ++r) {
      const float* xr = x + r * inner;
      for (int64_t j = 0; j < wv; j += kW) O::store(m + j, vmax(O::load(m + j), O::load(xr + j)));
      for (int64_t j = wv; j < w; ++j) m[j] = vmax(m[j], xr[j]);
    }
    const bool store = kind == SoftmaxKind::kSoftmax;
    for (int64_t r = 0; r < n; ++r) {
      const float* xr = x + r * inner;
      float* yr = y + r * inner;
      for (int64_t j = 0; j < wv; j += kW) {
        const V e = exp_neg(O::load(xr + j) - O::load(m + j));
        if (store) O::store(yr + j, e);
        O::store(s + j, O::load(s + j) + e);
      }
      for (int64_t j = wv; j < w; ++j) {
        const float e = exp_neg(xr[j] - m[j]);
        if (store) yr[j] = e;
        s[j] += e;
      }
    }
    if (store) {
      for (int64_t j = 0; j < w; ++j) s[j] = 1.0f / s[j];
      for (int64_t r = 0; r < n; ++r) {
        float* yr = y + r * inner;
        for (int64_t j = 0; j < wv; j += kW) O::store(yr + j, O::load(yr + j) * O::load(s + j));
        for (int64_t j = wv; j < w; ++j) yr[j] *= s[j];
      }
    } else {
      for (int64_t j = 0; j < w; ++j) s[j] = m[j] + std::log(s[j]);
      for (int64_t r = 0; r < n; ++r) {
        const float* xr = x + r * inner;
        float* yr = y + r * inner;
        for (int64_t j = 0; j < wv; j += kW) O::store(yr + j, O::load(xr + j) - O::load(s + j));
        for (int64_t j = wv; j < w; ++j) yr[j] = xr[j] - s[j];
      }
    }
  }
};

// Scalar body for double (std::exp); same pass structure.
struct SoftmaxF64 {
  static void row(SoftmaxKind kind, const double* x, double* y, int64_t n) {
    double m = -INFINITY, s = 0;
    for (int64_t i = 0; i < n; ++i) m = m < x[i] ? x[i] : m;
    if (kind == SoftmaxKind::kSoftmax) {
      for (int64_t i = 0; i < n; ++i) s += (y[i] = std::exp(x[i] - m));
      for (int64_t i = 0; i < n; ++i) y[i] /= s;
    } else {
      for (int64_t i = 0; i < n; ++i) s += std::exp(x[i] - m);
      const double shift = m + std::log(s);
      for (int64_t i = 0; i < n; ++i) y[i] = x[i] - shift;
    }
  }
  static void cols(SoftmaxKind kind, const double* x, double* y, int64_t n, int64_t inner, int64_t w) {
    for (int64_t j = 0; j < w; ++j) {
      double m = -INFINITY, s = 0;
      for (int64_t r = 0; r < n; ++r) m = m < x[r * inner + j] ? x[r * inner + j] : m;
      for (int64_t r = 0; r < n; ++r) s += std::exp(x[r * inner + j] - m);
      const double shift = m + std::log(s);
      for (int64_t r = 0; r < n; ++r) {
        const double v = x[r * inner + j];
        y[r * inner + j] = kind == SoftmaxKind::kSoftmax ? std::exp(v - m) / s : v - shift;
      }
    }
  }
};

// Splits [outer, n, inner] into row or column-block tasks over `par`.
template <class Body, class T>
void softmax_run(SoftmaxKind kind, const SoftmaxDims& d, const T* src, T* dst, Parallel& par) {
  const int64_t n = d.n, inner = d.inner;
  if (d.outer == 0 || n == 0 || inner == 0) return;
  if (inner == 1) {
    par.for_range(d.outer, 2.0 * static_cast<double>(n) + 10, [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) Body::row(kind, src + o * n, dst + o * n, n);
    });
    return;
  }
  const int64_t bw = std::min(inner, kBlock), nblk = (inner + bw - 1) / bw;
  par.for_range(d.outer * nblk, 2.0 * static_cast<double>(n * bw) + 10, [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / nblk, j0 = (t % nblk) * bw;
      const int64_t off = o * n * inner + j0;
      Body::cols(kind, src + off, dst + off, n, inner, std::min(bw, inner - j0));
    }
  });
}

}  // namespace
}  // namespace ortl::kernels
