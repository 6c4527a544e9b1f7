// Small scalar helpers shared by the reduce reference and fast paths. Internal linkage (anonymous
// namespace): the per-ISA translation units include this too, and their copies must not merge.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ortl::kernels {
namespace {

// Identity of Max (the lowest value, -inf for floats) and of Min.
template <class T>
constexpr T reduce_lowest() {
  if constexpr (std::numeric_limits<T>::has_infinity) return -std::numeric_limits<T>::infinity();
  return std::numeric_limits<T>::lowest();
}
template <class T>
constexpr T reduce_highest() {
  if constexpr (std::numeric_limits<T>::has_infinity) return std::numeric_limits<T>::infinity();
  return std::numeric_limits<T>::max();
}

template <class T>
constexpr bool is_negative(T x) {
  if constexpr (std::is_signed_v<T>) return x < T(0);
  return false;
}

// double -> T; for integers NaN gives 0 and out-of-range values saturate (a plain cast is UB).
template <class T>
inline T from_double(double d) {
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(d);
  } else {
    if (std::isnan(d)) return T(0);
    if (d <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (d >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(d);
  }
}

}  // namespace
}  // namespace ortl::kernels
