// Broadcast binary kernels, all types. Layout: the BroadcastPlan's inner runs; per run one of four
// loops (both contiguous, one side scalar, both scalar), each a plain loop the compiler
// vectorizes for the arithmetic ops. Integer division/modulo and shifts are guarded so no input
// traps (x86 faults on x / 0 and INT_MIN / -1).
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/scalar_ops.h"

namespace ortl::kernels {
namespace {

template <BinaryOp kOp, class T>
struct Fn {
  using R = std::conditional_t<binary_outputs_bool(kOp), uint8_t, T>;
  using W = typename scalar::Wrap<T>::type;
  static R apply(T a, T b) {
    // Integers wrap: computed in the unsigned type, where overflow is defined.
    if constexpr (kOp == BinaryOp::kAdd) return static_cast<T>(static_cast<W>(a) + static_cast<W>(b));
    if constexpr (kOp == BinaryOp::kSub) return static_cast<T>(static_cast<W>(a) - static_cast<W>(b));
    if constexpr (kOp == BinaryOp::kMul) return static_cast<T>(static_cast<W>(a) * static_cast<W>(b));
    if constexpr (kOp == BinaryOp::kDiv) return scalar::div(a, b);
    if constexpr (kOp == BinaryOp::kPow) return scalar::pow(a, b);
    if constexpr (kOp == BinaryOp::kMax) return scalar::max(a, b);
    if constexpr (kOp == BinaryOp::kMin) return scalar::min(a, b);
    if constexpr (kOp == BinaryOp::kMod) return scalar::mod(a, b);
    if constexpr (kOp == BinaryOp::kFMod) return scalar::fmod(a, b);
    if constexpr (kOp == BinaryOp::kShl) return scalar::shl(a, b);
    if constexpr (kOp == BinaryOp::kShr) return scalar::shr(a, b);
    if constexpr (kOp == BinaryOp::kBitAnd) return static_cast<T>(a & b);
    if constexpr (kOp == BinaryOp::kBitOr) return static_cast<T>(a | b);
    if constexpr (kOp == BinaryOp::kBitXor) return static_cast<T>(a ^ b);
    if constexpr (kOp == BinaryOp::kPRelu) return a < 0 ? static_cast<T>(static_cast<W>(a) * static_cast<W>(b)) : a;
    if constexpr (kOp == BinaryOp::kAnd) return static_cast<uint8_t>((a != 0) & (b != 0));
    if constexpr (kOp == BinaryOp::kOr) return static_cast<uint8_t>((a != 0) | (b != 0));
    if constexpr (kOp == BinaryOp::kXor) return static_cast<uint8_t>((a != 0) ^ (b != 0));
    if constexpr (kOp == BinaryOp::kEqual) return static_cast<uint8_t>(a == b);
    if constexpr (kOp == BinaryOp::kLess) return static_cast<uint8_t>(a < b);
    if constexpr (kOp == BinaryOp::kLessEq) return static_cast<uint8_t>(a <= b);
    if constexpr (kOp == BinaryOp::kGreater) return static_cast<uint8_t>(a > b);
    if constexpr (kOp == BinaryOp::kGreaterEq) return static_cast<uint8_t>(a >= b);
  }
};

// Rough ns per element, so small tensors stay on the calling thread.
template <BinaryOp kOp>
constexpr double binary_cost() {
  return kOp == BinaryOp::kPow                                                        ? 20.0
         : (kOp == BinaryOp::kDiv || kOp == BinaryOp::kMod || kOp == BinaryOp::kFMod) ? 2.0
                                                                                      : 0.5;
}

// One input repeats a short contiguous row along the next dim while the other walks it
// contiguously (the NCHWc per-channel scale [N, C/16, H, W, 16] * [N, C/16, 1, 1, 16]): the
// rows are iterated as a whole, instead of one broadcast run (and its call) per short row.
template <class F, class A, class B, class R>
bool run_row_broadcast(const BroadcastPlan& p, const A* a, const B* b, R* d, Parallel& par, double cost) {
  const int r = p.rank();
  const int64_t inner = p.inner();
  if (r < 2 || inner > 64 || p.inner_stride(0) != 1 || p.inner_stride(1) != 1) return false;
  const bool b_rows = p.strides[0][r - 2] == inner && p.strides[1][r - 2] == 0;
  const bool a_rows = p.strides[1][r - 2] == inner && p.strides[0][r - 2] == 0;
  if (!a_rows && !b_rows) return false;
  BroadcastPlan rows = p;  // the same walk with the rows as elements
  rows.dims.pop_back();
  for (int k = 0; k < p.num_inputs; ++k) rows.strides[k].pop_back();
  rows.numel = p.numel / inner;
  parallel_runs(rows, par, cost * static_cast<double>(inner), [&](int64_t o, const int64_t* in, int64_t n) {
    const A* x = a + in[0];
    const B* y = b + in[1];
    R* z = d + o * inner;
    for (int64_t j = 0; j < n; ++j, z += inner) {
      if (b_rows) {
        for (int64_t i = 0; i < inner; ++i) z[i] = F::apply(x[j * inner + i], y[i]);
      } else {
        for (int64_t i = 0; i < inner; ++i) z[i] = F::apply(x[i], y[j * inner + i]);
      }
    }
  });
  return true;
}

template <class F, class A, class B, class R>
void run_binary(const BroadcastPlan& p, const A* a, const B* b, R* d, Parallel& par, double cost) {
  const bool sa = p.inner_stride(0) != 0, sb = p.inner_stride(1) != 0;
  if (p.num_inputs == 2 && run_row_broadcast<F>(p, a, b, d, par, cost)) return;
  parallel_runs(p, par, cost, [&](int64_t o, const int64_t* in, int64_t n) {
    const A* x = a + in[0];
    const B* y = b + in[1];
    R* z = d + o;
    if (sa && sb) {
      for (int64_t i = 0; i < n; ++i) z[i] = F::apply(x[i], y[i]);
    } else if (sa) {
      const B yv = *y;
      for (int64_t i = 0; i < n; ++i) z[i] = F::apply(x[i], yv);
    } else if (sb) {
      const A xv = *x;
      for (int64_t i = 0; i < n; ++i) z[i] = F::apply(xv, y[i]);
    } else {
      const R v = F::apply(*x, *y);
      for (int64_t i = 0; i < n; ++i) z[i] = v;
    }
  });
}

template <BinaryOp kOp, class T>
void run_op(const BroadcastPlan& p, const T* a, const T* b, void* dst, Parallel& par) {
  if constexpr (scalar::binary_supported<kOp, T>()) {
    using F = Fn<kOp, T>;
    run_binary<F>(p, a, b, static_cast<typename F::R*>(dst), par, binary_cost<kOp>());
  }
}

struct PowMixed {
  template <class T>
  static T apply(T a, double b) {
    return scalar::from_double<T>(std::pow(static_cast<double>(a), b));
  }
};

}  // namespace

template <class T>
void binary(BinaryOp op, const BroadcastPlan& p, const T* a, const T* b, void* dst, Parallel& par) {
  // clang-format off
  switch (op) {
#define ORTL_CASE(name) \
  case BinaryOp::name: run_op<BinaryOp::name>(p, a, b, dst, par); break;
    ORTL_CASE(kAdd) ORTL_CASE(kSub) ORTL_CASE(kMul) ORTL_CASE(kDiv) ORTL_CASE(kPow) ORTL_CASE(kMax)
    ORTL_CASE(kMin) ORTL_CASE(kMod) ORTL_CASE(kFMod) ORTL_CASE(kShl) ORTL_CASE(kShr) ORTL_CASE(kBitAnd)
    ORTL_CASE(kBitOr) ORTL_CASE(kBitXor) ORTL_CASE(kPRelu) ORTL_CASE(kAnd) ORTL_CASE(kOr) ORTL_CASE(kXor)
    ORTL_CASE(kEqual) ORTL_CASE(kLess) ORTL_CASE(kLessEq) ORTL_CASE(kGreater) ORTL_CASE(kGreaterEq)
#undef ORTL_CASE
  }
  // clang-format on
}

template <class T>
void pow_mixed(const BroadcastPlan& p, const T* a, const double* b, T* dst, Parallel& par) {
  struct F {
    static T apply(T x, double y) { return PowMixed::apply(x, y); }
  };
  run_binary<F>(p, a, b, dst, par, 20.0);
}

#define ORTL_INSTANTIATE(T)                                                                      \
  template void binary<T>(BinaryOp, const BroadcastPlan&, const T*, const T*, void*, Parallel&); \
  template void pow_mixed<T>(const BroadcastPlan&, const T*, const double*, T*, Parallel&);
ORTL_ELTWISE_TYPES(ORTL_INSTANTIATE)
#undef ORTL_INSTANTIATE

}  // namespace ortl::kernels
