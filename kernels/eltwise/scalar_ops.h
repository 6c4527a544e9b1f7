// Scalar semantics of the binary ops that need more than one operator: guarded integer division
// and modulo, NaN-propagating max/min, numpy-style mod, width-checked shifts, saturating
// double -> integer conversion. Static inline: shared by the fast kernels of every ISA unit.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/eltwise/eltwise.h"

namespace ortl::kernels::scalar {

// The type integer arithmetic wraps in: unsigned, at least int-sized (uint16 * uint16 would
// promote to signed int and could overflow).
template <class T, bool = std::is_integral_v<T>>
struct Wrap {
  using type = T;
};
template <class T>
struct Wrap<T, true> {
  using type = std::make_unsigned_t<std::conditional_t<(sizeof(T) < 4), int32_t, T>>;
};

template <BinaryOp kOp, class T>
constexpr bool binary_supported() {
  if constexpr (std::is_floating_point_v<T>)
    return !(kOp == BinaryOp::kShl || kOp == BinaryOp::kShr || kOp == BinaryOp::kBitAnd || kOp == BinaryOp::kBitOr ||
             kOp == BinaryOp::kBitXor || kOp == BinaryOp::kAnd || kOp == BinaryOp::kOr || kOp == BinaryOp::kXor);
  return true;
}

// double -> T: integers truncate toward zero, NaN gives 0, out-of-range saturates.
template <class T>
static inline T from_double(double v) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(v);
  } else {
    if (!(v == v)) return 0;
    if (v <= static_cast<double>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
    // 2^(bits) as double is exact; anything >= it saturates (T's max itself may not be exact).
    if (v >= static_cast<double>(std::numeric_limits<T>::max()) + 1.0) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }
}

template <class T>
static inline T div(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return a / b;
  } else {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(a));  // wraps at INT_MIN
    }
    return static_cast<T>(a / b);
  }
}

// C remainder: sign of the dividend (numpy fmod).
template <class T>
static inline T fmod(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::fmod(a, b);
  } else {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return 0;
    }
    return static_cast<T>(a % b);
  }
}

// Python / numpy mod: sign of the divisor.
template <class T>
static inline T mod(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    T r = std::fmod(a, b);
    if (r != 0) {
      if ((r < 0) != (b < 0)) r += b;
    } else {
      r = std::copysign(T(0), b);
    }
    return r;
  } else {
    T r = fmod(a, b);
    if constexpr (std::is_signed_v<T>) {
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
    }
    return r;
  }
}

template <class T>
static inline T max(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return (a > b || a != a) ? a : b;  // NaN wins
  return a > b ? a : b;
}

template <class T>
static inline T min(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) return (a < b || a != a) ? a : b;
  return a < b ? a : b;
}

template <class T>
static inline T pow(T a, T b) {
  if constexpr (std::is_same_v<T, float>) return std::pow(a, b);
  if constexpr (std::is_same_v<T, double>) return std::pow(a, b);
  if constexpr (std::is_integral_v<T>) {
    // Exact integer power by squaring (wrapping like numpy); negative exponents: 1/a^|b|
    // truncated, which is 0 unless |a| == 1.
    if constexpr (std::is_signed_v<T>) {
      if (b < 0) return a == 1 ? T(1) : (a == -1 ? ((b & 1) ? T(-1) : T(1)) : T(0));
    }
    using U = std::make_unsigned_t<std::conditional_t<(sizeof(T) < 4), int32_t, T>>;
    U base = static_cast<U>(a), result = 1;
    auto e = static_cast<std::make_unsigned_t<T>>(b);
    while (e) {
      if (e & 1) result *= base;
      base *= base;
      e >>= 1;
    }
    return static_cast<T>(result);
  }
}

template <class T>
static inline T shl(T a, T b) {
  constexpr int kBits = static_cast<int>(sizeof(T) * 8);
  if constexpr (std::is_signed_v<T>) {
    if (b < 0) return 0;
  }
  if (b >= kBits) return 0;
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) << b));
}

template <class T>
static inline T shr(T a, T b) {
  constexpr int kBits = static_cast<int>(sizeof(T) * 8);
  if constexpr (std::is_signed_v<T>) {
    if (b < 0 || b >= kBits) return a < 0 ? T(-1) : T(0);
  } else {
    if (b >= kBits) return 0;
  }
  return static_cast<T>(a >> b);
}

}  // namespace ortl::kernels::scalar
