// Spec-literal reductions: every source element is added into its output slot found through
// per-dim output strides (0 for reduced dims). Floats accumulate in double, integers in int64
// with wrap-around (unsigned arithmetic), so the fast paths can be checked exactly on integers.
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/reduce/reduce.h"
#include "kernels/reduce/reduce_math.h"

namespace ortl::kernels {
namespace {

// Calls fn(src_index, dst_index) for every source element in row-major order.
template <class F>
void for_each_element(const std::vector<int64_t>& shape, const std::vector<bool>& mask, F&& fn) {
  const int r = static_cast<int>(shape.size());
  std::vector<int64_t> out_stride(r + 1, 0), idx(r + 1, 0);
  int64_t total = 1, s = 1;
  for (int i = r - 1; i >= 0; --i) {
    total *= shape[i];
    if (!mask[i]) {
      out_stride[i] = s;
      s *= shape[i];
    }
  }
  int64_t o = 0;
  for (int64_t e = 0; e < total; ++e) {
    fn(e, o);
    for (int i = r - 1; i >= 0; --i) {  // odometer step, keeping the output offset in sync
      o += out_stride[i];
      if (++idx[i] < shape[i]) break;
      o -= out_stride[i] * shape[i];
      idx[i] = 0;
    }
  }
}

}  // namespace

template <class T>
void reduce_ref(ReduceOp op, const std::vector<int64_t>& shape, const std::vector<bool>& mask, const T* src, T* dst) {
  constexpr bool kFloat = std::is_floating_point_v<T>;
  int64_t out_n = 1, n = 1;
  for (size_t i = 0; i < shape.size(); ++i) (mask[i] ? n : out_n) *= shape[i];
  if (out_n == 0) return;

  if (op == ReduceOp::kMax || op == ReduceOp::kMin) {
    const bool is_max = op == ReduceOp::kMax;
    for (int64_t o = 0; o < out_n; ++o) dst[o] = is_max ? reduce_lowest<T>() : reduce_highest<T>();
    for_each_element(shape, mask, [&](int64_t e, int64_t o) {
      if (is_max ? src[e] > dst[o] : src[e] < dst[o]) dst[o] = src[e];
    });
    return;
  }

  if (op == ReduceOp::kLogSumExp) {
    // log(sum(exp(x - m))) + m with m the largest finite element (0 when there is none).
    std::vector<double> m(out_n, -std::numeric_limits<double>::infinity()), sum(out_n, 0.0);
    for_each_element(shape, mask, [&](int64_t e, int64_t o) {
      const double x = static_cast<double>(src[e]);
      if (std::isfinite(x) && x > m[o]) m[o] = x;
    });
    for (double& v : m) v = std::isfinite(v) ? v : 0.0;
    for_each_element(shape, mask,
                     [&](int64_t e, int64_t o) { sum[o] += std::exp(static_cast<double>(src[e]) - m[o]); });
    for (int64_t o = 0; o < out_n; ++o) dst[o] = from_double<T>(std::log(sum[o]) + m[o]);
    return;
  }

  // Sum-like ops and Prod: one accumulator per output, then a finishing map.
  using Acc = std::conditional_t<kFloat, double, uint64_t>;
  const bool prod = op == ReduceOp::kProd;
  std::vector<Acc> acc(out_n, prod ? Acc(1) : Acc(0));
  for_each_element(shape, mask, [&](int64_t e, int64_t o) {
    const T x = src[e];
    Acc v;
    if constexpr (kFloat) {
      v = static_cast<double>(x);
    } else {
      v = static_cast<Acc>(static_cast<int64_t>(x));
    }
    switch (op) {
      case ReduceOp::kProd: acc[o] *= v; return;
      case ReduceOp::kL1: acc[o] += is_negative(x) ? Acc(0) - v : v; return;
      case ReduceOp::kL2:
      case ReduceOp::kSumSquare: acc[o] += v * v; return;
      default: acc[o] += v; return;
    }
  });
  for (int64_t o = 0; o < out_n; ++o) {
    double d;  // the accumulated value as a number (signed for integers)
    if constexpr (kFloat) {
      d = acc[o];
    } else {
      d = static_cast<double>(static_cast<int64_t>(acc[o]));
    }
    switch (op) {
      case ReduceOp::kMean:
        if constexpr (kFloat) {
          dst[o] = static_cast<T>(d / static_cast<double>(n));
        } else {
          dst[o] = n == 0 ? T(0) : static_cast<T>(static_cast<int64_t>(acc[o]) / n);
        }
        break;
      case ReduceOp::kL2: dst[o] = from_double<T>(std::sqrt(d)); break;
      case ReduceOp::kLogSum: dst[o] = from_double<T>(std::log(d)); break;
      default:
        if constexpr (kFloat) {
          dst[o] = static_cast<T>(d);
        } else {
          dst[o] = static_cast<T>(acc[o]);  // wraps like the narrow type would
        }
    }
  }
}

template <class T>
void arg_reduce_ref(bool is_max, bool select_last, const ReduceDims& d, const T* src, int64_t* dst) {
  for (int64_t o = 0; o < d.outer; ++o) {
    for (int64_t i = 0; i < d.inner; ++i) {
      const T* p = src + o * d.reduced * d.inner + i;
      int64_t best = 0;
      for (int64_t r = 1; r < d.reduced; ++r) {
        const T x = p[r * d.inner], b = p[best * d.inner];
        const bool better = is_max ? (select_last ? x >= b : x > b) : (select_last ? x <= b : x < b);
        if (better) best = r;
      }
      dst[o * d.inner + i] = best;
    }
  }
}

#define ORTL_REDUCE_REF(T)                                                                                    \
  template void reduce_ref<T>(ReduceOp, const std::vector<int64_t>&, const std::vector<bool>&, const T*, T*); \
  template void arg_reduce_ref<T>(bool, bool, const ReduceDims&, const T*, int64_t*);
ORTL_REDUCE_REF(float)
ORTL_REDUCE_REF(double)
ORTL_REDUCE_REF(int32_t)
ORTL_REDUCE_REF(int64_t)
ORTL_REDUCE_REF(int8_t)
ORTL_REDUCE_REF(uint8_t)
#undef ORTL_REDUCE_REF

}  // namespace ortl::kernels
