// Templated 4-byte transpose block over GCC vectors of W uint32 lanes, included by each ISA
// translation unit (copy.cc: W = 4, SSE2 baseline; transpose_avx2.cc: W = 8) inside that unit's
// anonymous namespace. A W x W tile is W row loads, the unpack / shuffle / lane-swap network
// (log2 W stages), and W row stores; the edges of the block move element by element.
#pragma once

#include <cstdint>
#include <cstring>

namespace ortl::kernels {
namespace {

template <int W>
struct TransposeVec {
  typedef uint32_t type __attribute__((vector_size(W * sizeof(uint32_t))));
};

template <int W>
struct TransposeTile {
  using V = typename TransposeVec<W>::type;
  static V load(const uint32_t* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static void store(uint32_t* p, V v) { std::memcpy(p, &v, sizeof(V)); }

  // dst[a * ld + b] = src[b * ls + a] for a, b < W.
  static void tile(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld) {
    if constexpr (W == 4) {
      const V r0 = load(src), r1 = load(src + ls), r2 = load(src + 2 * ls), r3 = load(src + 3 * ls);
      const V t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5), t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);
      const V t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5), t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
      store(dst, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));
      store(dst + ld, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
      store(dst + 2 * ld, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
      store(dst + 3 * ld, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
    } else {
      static_assert(W == 8);
      V r[8], t[8], u[8];
      for (int i = 0; i < 8; ++i) r[i] = load(src + i * ls);
      for (int i = 0; i < 8; i += 2) {  // unpack lo / hi within 128-bit lanes
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
      }
      for (int i = 0; i < 8; i += 4) {  // 64-bit pairs
        u[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        u[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        u[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
      }
      for (int i = 0; i < 4; ++i) {  // 128-bit halves
        store(dst + i * ld, __builtin_shufflevector(u[i], u[i + 4], 0, 1, 2, 3, 8, 9, 10, 11));
        store(dst + (i + 4) * ld, __builtin_shufflevector(u[i], u[i + 4], 4, 5, 6, 7, 12, 13, 14, 15));
      }
    }
  }

  // dst[a * ld + b] = src[b * ls + a] for a < na, b < nb.
  static void block(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld, int64_t na, int64_t nb) {
    int64_t b = 0;
    for (; b + W <= nb; b += W) {
      int64_t a = 0;
      for (; a + W <= na; a += W) tile(src + b * ls + a, ls, dst + a * ld + b, ld);
      for (; a < na; ++a)
        for (int64_t j = 0; j < W; ++j) dst[a * ld + b + j] = src[(b + j) * ls + a];
    }
    for (; b < nb; ++b)
      for (int64_t a = 0; a < na; ++a) dst[a * ld + b] = src[b * ls + a];
  }
};

}  // namespace
}  // namespace ortl::kernels
