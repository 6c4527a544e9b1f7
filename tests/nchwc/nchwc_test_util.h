// Helpers the NCHWc kernel tests share: seeded uniform data and the NCHW -> NCHWc reorder they
// build inputs and expected outputs with.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "kernels/nchwc/nchwc.h"

namespace ortl::kernels::nchwc {

inline std::vector<float> uniform(std::mt19937& rng, int64_t n, float lo = -1.f, float hi = 1.f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = d(rng);
  return v;
}

// NCHW [n, c, hw] -> NCHWc; pad lanes get `pad` (finite garbage the kernels must ignore).
template <class T>
std::vector<T> to_blocked(const std::vector<T>& x, int64_t n, int64_t c, int64_t hw, T pad) {
  std::vector<T> y(static_cast<size_t>(n * padded(c) * hw), pad);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t ch = 0; ch < c; ++ch) {
      for (int64_t s = 0; s < hw; ++s) {
        y[static_cast<size_t>(((i * blocks(c) + ch / kBlock) * hw + s) * kBlock + ch % kBlock)] =
            x[static_cast<size_t>((i * c + ch) * hw + s)];
      }
    }
  }
  return y;
}

}  // namespace ortl::kernels::nchwc
