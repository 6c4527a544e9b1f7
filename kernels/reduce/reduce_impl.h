// Templated body of the [outer, reduced, inner] reduction. Each ISA translation unit (reduce.cc:
// baseline, reduce_avx2.cc, reduce_avx512.cc) includes this once and instantiates it with its
// GCC vector type V; every definition sits in an anonymous namespace so each unit keeps its own
// copy compiled with its own flags and the linker can never swap an AVX body into the baseline.
//
// float32 runs on explicit V vectors (GCC will not if-convert float selects such as max without
// -fno-trapping-math, so plain loops stay scalar); other dtypes use scalar loops with kLanes
// independent accumulators. inner == 1 reduces a contiguous row; inner > 1 accumulates kBlock
// output columns at once while walking the reduced dim, so every inner loop is contiguous.
// When there are fewer output tasks than threads, the reduced dim is split and the partial
// accumulators combined (all ops but LogSumExp are associative).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels/reduce/reduce.h"
#include "kernels/reduce/reduce_math.h"

namespace ortl::kernels {
namespace {

constexpr int kLanes = 16;
constexpr int64_t kBlock = 256;

template <ReduceOp kOp, class T>
struct Red {
  static constexpr bool kMinMax = kOp == ReduceOp::kMax || kOp == ReduceOp::kMin;
  using Acc = std::conditional_t<kMinMax || std::is_floating_point_v<T>, T, uint64_t>;

  static Acc identity() {
    if constexpr (kOp == ReduceOp::kMax) return reduce_lowest<T>();
    if constexpr (kOp == ReduceOp::kMin) return reduce_highest<T>();
    if constexpr (kOp == ReduceOp::kProd) return Acc(1);
    return Acc(0);
  }
  static Acc map(T x) {
    if constexpr (kMinMax) {
      return x;
    } else {
      Acc v;
      if constexpr (std::is_floating_point_v<T>) {
        v = x;
      } else {
        v = static_cast<Acc>(static_cast<int64_t>(x));
      }
      if constexpr (kOp == ReduceOp::kL1) return is_negative(x) ? Acc(0) - v : v;
      if constexpr (kOp == ReduceOp::kL2 || kOp == ReduceOp::kSumSquare) return v * v;
      return v;
    }
  }
  static Acc combine(Acc a, Acc b) {
    if constexpr (kOp == ReduceOp::kMax) return a < b ? b : a;
    if constexpr (kOp == ReduceOp::kMin) return b < a ? b : a;
    if constexpr (kOp == ReduceOp::kProd) return a * b;
    return a + b;
  }
  static T finish(Acc a, int64_t n) {
    if constexpr (kMinMax) {
      return a;
    } else if constexpr (std::is_floating_point_v<T>) {
      if constexpr (kOp == ReduceOp::kMean) return a / static_cast<T>(n);
      if constexpr (kOp == ReduceOp::kL2) return std::sqrt(a);
      if constexpr (kOp == ReduceOp::kLogSum) return std::log(a);
      return a;
    } else {
      const auto s = static_cast<int64_t>(a);
      if constexpr (kOp == ReduceOp::kMean) return n == 0 ? T(0) : static_cast<T>(s / n);
      if constexpr (kOp == ReduceOp::kL2) return from_double<T>(std::sqrt(static_cast<double>(s)));
      if constexpr (kOp == ReduceOp::kLogSum) return from_double<T>(std::log(static_cast<double>(s)));
      return static_cast<T>(a);  // wraps like the narrow type
    }
  }

  // acc[0..w) op= rows r0..r1 of p (row stride `inner`); w == 1 with inner == 1 is a plain row.
  static void accumulate(const T* p, int64_t r0, int64_t r1, int64_t inner, int64_t w, Acc* acc) {
    if (inner == 1) {
      Acc lanes[kLanes];
      for (int j = 0; j < kLanes; ++j) lanes[j] = identity();
      int64_t i = r0;
      for (; i + kLanes <= r1; i += kLanes) {
        for (int j = 0; j < kLanes; ++j) lanes[j] = combine(lanes[j], map(p[i + j]));
      }
      Acc a = acc[0];
      for (; i < r1; ++i) a = combine(a, map(p[i]));
      for (int j = 0; j < kLanes; ++j) a = combine(a, lanes[j]);
      acc[0] = a;
      return;
    }
    for (int64_t r = r0; r < r1; ++r) {
      const T* row = p + r * inner;
      for (int64_t j = 0; j < w; ++j) acc[j] = combine(acc[j], map(row[j]));
    }
  }
};

template <class V>
struct VecOps {
  static constexpr int kW = sizeof(V) / sizeof(float);
  static V splat(float x) { return V{} + x; }
  static V load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static void store(float* p, V v) { std::memcpy(p, &v, sizeof(V)); }
};

// The scalar policy, with accumulate() on V vectors for float32. map/combine are written so
// they apply to a float or a V alike.
template <class V, ReduceOp kOp, class T>
struct Policy : Red<kOp, T> {};

template <class V, ReduceOp kOp>
struct Policy<V, kOp, float> : Red<kOp, float> {
  using O = VecOps<V>;
  static constexpr int kW = O::kW;
  template <class A>
  static A vmap(A x) {
    if constexpr (kOp == ReduceOp::kL1) return x < 0.0f ? -x : x;
    if constexpr (kOp == ReduceOp::kL2 || kOp == ReduceOp::kSumSquare) return x * x;
    return x;
  }
  template <class A>
  static A vcombine(A a, A b) {
    if constexpr (kOp == ReduceOp::kMax) return a < b ? b : a;
    if constexpr (kOp == ReduceOp::kMin) return b < a ? b : a;
    if constexpr (kOp == ReduceOp::kProd) return a * b;
    return a + b;
  }
  // Full vectors, then scalar tails: partial vectors would cost a store-forwarding stall each.
  static void accumulate(const float* p, int64_t r0, int64_t r1, int64_t inner, int64_t w, float* acc) {
    if (inner == 1) {
      const float id = Red<kOp, float>::identity();
      V a0 = O::splat(id), a1 = a0, a2 = a0, a3 = a0;
      int64_t i = r0;
      for (; i + 4 * kW <= r1; i += 4 * kW) {
        a0 = vcombine(a0, vmap(O::load(p + i)));
        a1 = vcombine(a1, vmap(O::load(p + i + kW)));
        a2 = vcombine(a2, vmap(O::load(p + i + 2 * kW)));
        a3 = vcombine(a3, vmap(O::load(p + i + 3 * kW)));
      }
      for (; i + kW <= r1; i += kW) a0 = vcombine(a0, vmap(O::load(p + i)));
      a0 = vcombine(vcombine(a0, a1), vcombine(a2, a3));
      alignas(64) float b[kW];
      std::memcpy(b, &a0, sizeof(V));
      for (int h = kW / 2; h > 0; h /= 2)  // halving tree
        for (int j = 0; j < h; ++j) b[j] = vcombine(b[j], b[j + h]);
      float a = vcombine(acc[0], b[0]);
      for (; i < r1; ++i) a = vcombine(a, vmap(p[i]));
      acc[0] = a;
      return;
    }
    const int64_t wv = w - w % kW;
    for (int64_t r = r0; r < r1; ++r) {
      const float* row = p + r * inner;
      for (int64_t j = 0; j < wv; j += kW) O::store(acc + j, vcombine(O::load(acc + j), vmap(O::load(row + j))));
      for (int64_t j = wv; j < w; ++j) acc[j] = vcombine(acc[j], vmap(row[j]));
    }
  }
};

// LogSumExp: log(sum(exp(x - m))) + m, m the largest finite element (0 if none), computed in
// T for floats and double for integers. Two passes over the data; exp is scalar here.
template <class T>
void log_sum_exp_cols(const T* p, int64_t n, int64_t inner, int64_t w, T* dst) {
  using C = std::conditional_t<std::is_floating_point_v<T>, T, double>;
  C m[kBlock], s[kBlock];
  for (int64_t j = 0; j < w; ++j) {
    m[j] = -std::numeric_limits<C>::infinity();
    s[j] = 0;
  }
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t j = 0; j < w; ++j) {
      const C x = static_cast<C>(p[r * inner + j]);
      if (std::isfinite(x) && x > m[j]) m[j] = x;
    }
  }
  for (int64_t j = 0; j < w; ++j) m[j] = std::isfinite(m[j]) ? m[j] : C(0);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t j = 0; j < w; ++j) s[j] += std::exp(static_cast<C>(p[r * inner + j]) - m[j]);
  }
  for (int64_t j = 0; j < w; ++j) dst[j] = from_double<T>(static_cast<double>(std::log(s[j]) + m[j]));
}

template <class V, ReduceOp kOp, class T>
void reduce_3d_op(const ReduceDims& d, const T* src, T* dst, Parallel& par) {
  using R = Policy<V, kOp, T>;
  using Acc = typename R::Acc;
  const int64_t n = d.reduced, inner = d.inner, pre = d.pre;
  const int64_t pre_stride = d.outer * n * inner;  // distance between two `pre` slices
  const int64_t bw = inner == 1 ? 1 : std::min(inner, kBlock);
  const int64_t nblk = (inner + bw - 1) / bw;
  const int64_t tasks = d.outer * nblk;
  const double cost = 0.3 * static_cast<double>(pre * n * bw) + 5.0;

  if constexpr (kOp == ReduceOp::kLogSumExp) {  // plan_reduce keeps pre == 1 for it
    par.for_range(tasks, 4 * cost, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) {
        const int64_t o = t / nblk, j0 = (t % nblk) * bw, w = std::min(bw, inner - j0);
        log_sum_exp_cols(src + o * n * inner + j0, n, inner, w, dst + o * inner + j0);
      }
    });
  } else {
    // Few output tasks over a long reduced dim: split the reduced dim across threads.
    const int64_t threads = par.num_threads();
    const int64_t chunks = std::min<int64_t>(threads, n / 4096);
    if (pre == 1 && tasks < threads && chunks > 1) {
      std::vector<Acc> part(static_cast<size_t>(chunks * bw));
      for (int64_t t = 0; t < tasks; ++t) {
        const int64_t o = t / nblk, j0 = (t % nblk) * bw, w = std::min(bw, inner - j0);
        const T* p = src + o * n * inner + j0;
        std::fill(part.begin(), part.end(), R::identity());
        par.for_range(chunks, 0.3 * static_cast<double>(n / chunks * w), [&](int64_t b, int64_t e) {
          for (int64_t c = b; c < e; ++c)
            R::accumulate(p, n * c / chunks, n * (c + 1) / chunks, inner, w, &part[c * bw]);
        });
        for (int64_t j = 0; j < w; ++j) {
          Acc a = part[j];
          for (int64_t c = 1; c < chunks; ++c) a = R::combine(a, part[c * bw + j]);
          dst[o * inner + j0 + j] = R::finish(a, n);
        }
      }
      return;
    }
    par.for_range(tasks, cost, [&](int64_t b, int64_t e) {
      alignas(64) Acc acc[kBlock];
      for (int64_t t = b; t < e; ++t) {
        const int64_t o = t / nblk, j0 = (t % nblk) * bw, w = std::min(bw, inner - j0);
        for (int64_t j = 0; j < w; ++j) acc[j] = R::identity();
        for (int64_t q = 0; q < pre; ++q) R::accumulate(src + q * pre_stride + o * n * inner + j0, 0, n, inner, w, acc);
        T* out = dst + o * inner + j0;
        for (int64_t j = 0; j < w; ++j) out[j] = R::finish(acc[j], pre * n);
      }
    });
  }
}

template <class V, class T>
void reduce_3d_impl(ReduceOp op, const ReduceDims& d, const T* src, T* dst, Parallel& par) {
  if (d.outer == 0 || d.inner == 0) return;
  switch (op) {
    case ReduceOp::kSum: reduce_3d_op<V, ReduceOp::kSum>(d, src, dst, par); break;
    case ReduceOp::kMean: reduce_3d_op<V, ReduceOp::kMean>(d, src, dst, par); break;
    case ReduceOp::kMax: reduce_3d_op<V, ReduceOp::kMax>(d, src, dst, par); break;
    case ReduceOp::kMin: reduce_3d_op<V, ReduceOp::kMin>(d, src, dst, par); break;
    case ReduceOp::kProd: reduce_3d_op<V, ReduceOp::kProd>(d, src, dst, par); break;
    case ReduceOp::kL1: reduce_3d_op<V, ReduceOp::kL1>(d, src, dst, par); break;
    case ReduceOp::kL2: reduce_3d_op<V, ReduceOp::kL2>(d, src, dst, par); break;
    case ReduceOp::kLogSum: reduce_3d_op<V, ReduceOp::kLogSum>(d, src, dst, par); break;
    case ReduceOp::kLogSumExp: reduce_3d_op<V, ReduceOp::kLogSumExp>(d, src, dst, par); break;
    case ReduceOp::kSumSquare: reduce_3d_op<V, ReduceOp::kSumSquare>(d, src, dst, par); break;
  }
}

}  // namespace
}  // namespace ortl::kernels
