// Body of the NCHW <-> NCHWc reorders, included once per ISA translation unit (nchwc_reorder.cc:
// baseline, nchwc_reorder_avx2.cc, nchwc_reorder_avx512.cc) inside an anonymous namespace so each
// copy keeps its own flags.
//
// Work unit: one channel block (16 planes of hw floats <-> hw pixels of 16 floats) and a chunk of
// kChunk pixels, so a block's 16 source rows stream through L1 together. Inside a chunk, tiles of
// 16 pixels x 16 channels are transposed in registers: 16 row loads (zero vectors for pad lanes),
// the 64-shuffle 16x16 transpose, 16 pixel-vector stores (and the reverse). One body for all
// builds (GCC vector shuffles) over the native width: one 16x16 zmm transpose, four 8x8 ymm
// ones, sixteen 4x4 xmm ones.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "kernels/nchwc/nchwc.h"
#include "kernels/nchwc/nchwc_vec_impl.h"

namespace ortl::kernels::nchwc {
namespace {

constexpr int64_t kReorderChunk = 256;  // pixels per task: 16 rows x 1 KiB read, 16 KiB written

// Tiles are transposed as (16 / kVecW)^2 blocks of kVecW x kVecW (nchwc_vec_impl.h).
// r[i] (kVecW rows) -> r[j] holds column j: the usual unpack / shuffle / lane-permute ladders,
// written as vector-extension shuffles (GCC 12's AVX-512 intrinsics warn about _mm512_undefined).
#if defined(__AVX512F__)
inline void reo_transpose(NVec* r) {  // 64 shuffles: unpck ps, unpck pd, 2 rounds of shuf_f32x4
  NVec t[16], u[16];
  for (int i = 0; i < 8; ++i) {
    const NVec a = r[2 * i], b = r[2 * i + 1];
    t[2 * i] = __builtin_shufflevector(a, b, 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    t[2 * i + 1] = __builtin_shufflevector(a, b, 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
  }
  for (int i = 0; i < 4; ++i) {
    const NVec t0 = t[4 * i], t1 = t[4 * i + 1], t2 = t[4 * i + 2], t3 = t[4 * i + 3];
    u[4 * i] = __builtin_shufflevector(t0, t2, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    u[4 * i + 1] = __builtin_shufflevector(t0, t2, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    u[4 * i + 2] = __builtin_shufflevector(t1, t3, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    u[4 * i + 3] = __builtin_shufflevector(t1, t3, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
  }
  // u[4i + j], 128-bit lane k = element 4k + j of rows 4i .. 4i + 3.
#define ORTL_REO_EVEN(a, b) __builtin_shufflevector(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)
#define ORTL_REO_ODD(a, b) __builtin_shufflevector(a, b, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31)
  for (int j = 0; j < 4; ++j) {
    const NVec v0 = ORTL_REO_EVEN(u[j], u[4 + j]), v1 = ORTL_REO_ODD(u[j], u[4 + j]);
    const NVec v2 = ORTL_REO_EVEN(u[8 + j], u[12 + j]), v3 = ORTL_REO_ODD(u[8 + j], u[12 + j]);
    r[j] = ORTL_REO_EVEN(v0, v2);
    r[8 + j] = ORTL_REO_ODD(v0, v2);
    r[4 + j] = ORTL_REO_EVEN(v1, v3);
    r[12 + j] = ORTL_REO_ODD(v1, v3);
  }
#undef ORTL_REO_EVEN
#undef ORTL_REO_ODD
}
#elif defined(__AVX2__)
inline void reo_transpose(NVec* r) {  // 24 shuffles: unpck ps, shufps, vperm2f128
  NVec t[8], u[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = __builtin_shufflevector(r[2 * i], r[2 * i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
    t[2 * i + 1] = __builtin_shufflevector(r[2 * i], r[2 * i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
  }
  for (int i = 0; i < 2; ++i) {
    u[4 * i] = __builtin_shufflevector(t[4 * i], t[4 * i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
    u[4 * i + 1] = __builtin_shufflevector(t[4 * i], t[4 * i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
    u[4 * i + 2] = __builtin_shufflevector(t[4 * i + 1], t[4 * i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
    u[4 * i + 3] = __builtin_shufflevector(t[4 * i + 1], t[4 * i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
  }
  for (int j = 0; j < 4; ++j) {
    r[j] = __builtin_shufflevector(u[j], u[4 + j], 0, 1, 2, 3, 8, 9, 10, 11);
    r[4 + j] = __builtin_shufflevector(u[j], u[4 + j], 4, 5, 6, 7, 12, 13, 14, 15);
  }
}
#else
inline void reo_transpose(NVec* r) {  // 8 shuffles: unpck ps, movlhps / movhlps
  const NVec t0 = __builtin_shufflevector(r[0], r[1], 0, 4, 1, 5), t1 = __builtin_shufflevector(r[0], r[1], 2, 6, 3, 7);
  const NVec t2 = __builtin_shufflevector(r[2], r[3], 0, 4, 1, 5), t3 = __builtin_shufflevector(r[2], r[3], 2, 6, 3, 7);
  r[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  r[1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  r[2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  r[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}
#endif

// src: `lanes` rows (stride hw) from pixel p0 on; dst: np (<= 16) pixels of one block, pad
// lanes zero. Full tiles are register transposes of kVecW x kVecW blocks (lane group lg, pixel
// group pg); a chunk's last np % 16 pixels are element copies (cheaper than a padded transpose
// for the 1-pixel tail of a 7x7 map).
inline void to_tile(const float* src, int64_t hw, int64_t lanes, int64_t np, float* dst) {
  if (np < 16) {
    for (int64_t q = 0; q < np; ++q) {
      for (int64_t l = 0; l < 16; ++l) dst[q * 16 + l] = l < lanes ? src[l * hw + q] : 0.f;
    }
    return;
  }
  for (int lg = 0; lg < 16; lg += kVecW) {
    for (int pg = 0; pg < 16; pg += kVecW) {
      NVec r[kVecW];
      for (int l = 0; l < kVecW; ++l) r[l] = lg + l < lanes ? nv_ld(src + (lg + l) * hw + pg) : NVec{};
      reo_transpose(r);
      for (int q = 0; q < kVecW; ++q) nv_st(dst + (pg + q) * 16 + lg, r[q]);
    }
  }
}

inline void from_tile(const float* src, int64_t hw, int64_t lanes, int64_t np, float* dst) {
  if (np < 16) {
    for (int64_t l = 0; l < lanes; ++l) {
      for (int64_t q = 0; q < np; ++q) dst[l * hw + q] = src[q * 16 + l];
    }
    return;
  }
  for (int lg = 0; lg < lanes; lg += kVecW) {
    for (int pg = 0; pg < 16; pg += kVecW) {
      NVec r[kVecW];
      for (int q = 0; q < kVecW; ++q) r[q] = nv_ld(src + (pg + q) * 16 + lg);
      reo_transpose(r);
      for (int l = 0; l < kVecW && lg + l < lanes; ++l) nv_st(dst + (lg + l) * hw + pg, r[l]);
    }
  }
}

// to_nchwc: NCHW -> NCHWc, else the reverse.
template <bool kToNchwc>
void reorder_impl(int64_t n, int64_t c, int64_t hw, const float* x, float* y, Parallel& par) {
  const int64_t cb = blocks(c), chunks = (hw + kReorderChunk - 1) / kReorderChunk;
  if (n <= 0 || c <= 0 || hw <= 0) return;
  par.for_range(n * cb * chunks, 0.5 * static_cast<double>(16 * std::min(hw, kReorderChunk)),
                [&](int64_t begin, int64_t end) {
                  for (int64_t t = begin; t < end; ++t) {
                    const int64_t ch = t % chunks, nb = t / chunks, b = nb % cb, img = nb / cb;
                    const int64_t lanes = std::min<int64_t>(16, c - b * 16);
                    const int64_t p0 = ch * kReorderChunk, p1 = std::min(hw, p0 + kReorderChunk);
                    const int64_t plane = (img * c + b * 16) * hw;  // NCHW offset of the block
                    const int64_t blk = (img * cb + b) * hw * 16;   // NCHWc offset of the block
                    for (int64_t q = p0; q < p1; q += 16) {
                      const int64_t np = std::min<int64_t>(16, p1 - q);
                      if constexpr (kToNchwc) {
                        to_tile(x + plane + q, hw, lanes, np, y + blk + q * 16);
                      } else {
                        from_tile(x + blk + q * 16, hw, lanes, np, y + plane + q);
                      }
                    }
                  }
                });
}

}  // namespace
}  // namespace ortl::kernels::nchwc
