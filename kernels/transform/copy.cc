// Strided copy, transpose, concat and split: the fast paths.
//
// Layout: dst is contiguous; the source is described by per-dim element strides. Every problem
// is first simplified (size-1 dims dropped, dims that are contiguous in the source merged), so
// e.g. NCHW -> NHWC becomes a batch of 2-D transposes and a Slice on the last axis becomes a
// row copy. Rows whose source is contiguous go through memcpy; transposes whose innermost
// destination dim is strided in the source are tiled 16x16 so each source cache line is read
// once per tile instead of once per element. For 4-byte elements whose tile rows are contiguous
// in the source (true transposes), each tile goes through the per-ISA register-transpose block
// (transpose_impl.h: 8x8 AVX2, 4x4 SSE2 baseline here; list in kernels.inc).
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/base/isa.h"
#include "kernels/transform/transform.h"
#include "kernels/transform/transpose_impl.h"

namespace ortl::kernels {

void transpose_block_u32_avx2(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld, int64_t na, int64_t nb);

namespace {

void transpose_block_u32_base(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld, int64_t na, int64_t nb) {
  TransposeTile<4>::block(src, ls, dst, ld, na, nb);
}

void transpose_block_u32_scalar(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld, int64_t na, int64_t nb) {
  for (int64_t a = 0; a < na; ++a)
    for (int64_t b = 0; b < nb; ++b) dst[a * ld + b] = src[b * ls + a];
}

constexpr TransposeBlockU32Kernel kTransposeBlocks[] = {
#include "kernels/transform/kernels.inc"
};

template <class T>
inline void copy_n(const T* s, int64_t n, T* d) {
  if constexpr (std::is_trivially_copyable_v<T>) {
    if (n > 0) std::memcpy(d, s, static_cast<size_t>(n) * sizeof(T));
  } else {
    std::copy_n(s, n, d);
  }
}

template <class T>
inline void copy_row(const T* s, int64_t stride, int64_t n, T* d) {
  if (stride == 1) {
    copy_n(s, n, d);
  } else if (stride == 0) {
    std::fill_n(d, n, *s);
  } else {
    for (int64_t i = 0; i < n; ++i) d[i] = s[i * stride];
  }
}

// Drops size-1 dims and merges dim i into i+1 when the source is contiguous across them (the
// destination always is). Returns false when the copy is empty.
bool simplify(Dims& shape, Dims& strides) {
  Dims s2, st2;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0) return false;
    if (shape[i] == 1) continue;
    if (!s2.empty() && st2.back() == strides[i] * shape[i]) {
      s2.back() *= shape[i];
      st2.back() = strides[i];
    } else {
      s2.push_back(shape[i]);
      st2.push_back(strides[i]);
    }
  }
  shape.swap(s2);
  strides.swap(st2);
  return true;
}

// Rows (all dims but the last) [b, e) of a simplified problem.
template <class T>
void copy_rows(const T* src, T* dst, const Dims& shape, const Dims& strides, int64_t b, int64_t e) {
  const int r = static_cast<int>(shape.size());
  const int64_t n = shape[r - 1], s = strides[r - 1];
  Dims coord(r > 1 ? r - 1 : 0);
  int64_t off = 0, rem = b;
  for (int k = r - 2; k >= 0; --k) {
    coord[k] = rem % shape[k];
    rem /= shape[k];
    off += coord[k] * strides[k];
  }
  for (int64_t row = b; row < e; ++row) {
    copy_row(src + off, s, n, dst + row * n);
    for (int k = r - 2; k >= 0; --k) {  // odometer: no division per row
      off += strides[k];
      if (++coord[k] < shape[k]) break;
      off -= coord[k] * strides[k];
      coord[k] = 0;
    }
  }
}

// dst[a, b] = src[a*sa + b*sb] tiles for a simplified problem whose dim `j` has the smallest
// source stride and whose last dim is strided in the source.
template <class T>
void copy_tiled(const T* src, T* dst, const Dims& shape, const Dims& strides, int j, Parallel& par) {
  constexpr int64_t kTile = 16;
  const int r = static_cast<int>(shape.size());
  const int64_t na = shape[j], nb = shape[r - 1], sa = strides[j], sb = strides[r - 1];
  const Dims dst_strides = contiguous_strides(shape);
  const int64_t da = dst_strides[j];
  const int64_t a_tiles = (na + kTile - 1) / kTile;
  int64_t outer = 1;
  for (int k = 0; k < r - 1; ++k)
    if (k != j) outer *= shape[k];
  par.for_range(outer * a_tiles, static_cast<double>(kTile * nb) * 0.5, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      int64_t rem = item / a_tiles, soff = 0, doff = 0;
      for (int k = r - 2; k >= 0; --k) {
        if (k == j) continue;
        const int64_t c = rem % shape[k];
        rem /= shape[k];
        soff += c * strides[k];
        doff += c * dst_strides[k];
      }
      const int64_t a0 = (item % a_tiles) * kTile, a1 = std::min(na, a0 + kTile);
      if constexpr (std::is_same_v<T, uint32_t>) {
        if (sa == 1) {
          static const TransposeBlockU32Fn fn = select_transpose_block_u32(active_isa()).fn;
          fn(src + soff + a0, sb, dst + doff + a0 * da, da, a1 - a0, nb);
          continue;
        }
      }
      for (int64_t b0 = 0; b0 < nb; b0 += kTile) {
        const int64_t b1 = std::min(nb, b0 + kTile);
        for (int64_t a = a0; a < a1; ++a) {
          const T* s = src + soff + a * sa;
          T* d = dst + doff + a * da;
          for (int64_t bb = b0; bb < b1; ++bb) d[bb] = s[bb * sb];
        }
      }
    }
  });
}

}  // namespace

const std::vector<TransposeBlockU32Kernel>& transpose_block_u32_kernels() {
  static const std::vector<TransposeBlockU32Kernel> list(std::begin(kTransposeBlocks), std::end(kTransposeBlocks));
  return list;
}

const TransposeBlockU32Kernel& select_transpose_block_u32(uint32_t isa) {
  for (const TransposeBlockU32Kernel& k : transpose_block_u32_kernels()) {
    if ((k.isa & isa) == k.isa) return k;
  }
  return transpose_block_u32_kernels().back();
}

Dims contiguous_strides(const Dims& shape) {
  Dims st(shape.size());
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

template <class T>
void strided_copy(const T* src, T* dst, const StridedCopyParams& p, Parallel& par) {
  Dims shape = p.shape, strides = p.src_strides;
  if (!simplify(shape, strides)) return;
  if (shape.empty()) {
    dst[0] = src[0];
    return;
  }
  const int64_t n = shape.back();
  int64_t rows = 1;
  for (size_t k = 0; k + 1 < shape.size(); ++k) rows *= shape[k];
  par.for_range(rows, static_cast<double>(n) * 0.3 + 2.0,
                [&](int64_t b, int64_t e) { copy_rows(src, dst, shape, strides, b, e); });
}

template <class T>
void transpose(const T* src, T* dst, const Dims& src_shape, const Dims& perm, Parallel& par) {
  const Dims in_strides = contiguous_strides(src_shape);
  Dims shape(perm.size()), strides(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) {
    shape[k] = src_shape[perm[k]];
    strides[k] = in_strides[perm[k]];
  }
  if (!simplify(shape, strides)) return;
  const int r = static_cast<int>(shape.size());
  if (r >= 2 && strides[r - 1] != 1) {
    int j = 0;
    for (int k = 1; k < r - 1; ++k)
      if (strides[k] < strides[j]) j = k;
    if (strides[j] < strides[r - 1]) {
      copy_tiled(src, dst, shape, strides, j, par);
      return;
    }
  }
  strided_copy(src, dst, StridedCopyParams{shape, strides}, par);
}

template <class T>
void concat(const T* const* srcs, const int64_t* inners, int n, int64_t outer, T* dst, Parallel& par) {
  Dims offsets(n + 1, 0);
  for (int i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + inners[i];
  const int64_t total = offsets[n];
  if (total == 0) return;
  par.for_range(outer * n, static_cast<double>(total / n) * 0.3 + 2.0, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      const int64_t o = item / n;
      const int i = static_cast<int>(item % n);
      copy_n(srcs[i] + o * inners[i], inners[i], dst + o * total + offsets[i]);
    }
  });
}

template <class T>
void split(const T* src, int64_t outer, const int64_t* inners, int n, T* const* dsts, Parallel& par) {
  Dims offsets(n + 1, 0);
  for (int i = 0; i < n; ++i) offsets[i + 1] = offsets[i] + inners[i];
  const int64_t total = offsets[n];
  if (total == 0) return;
  par.for_range(outer * n, static_cast<double>(total / n) * 0.3 + 2.0, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      const int64_t o = item / n;
      const int i = static_cast<int>(item % n);
      if (dsts[i]) copy_n(src + o * total + offsets[i], inners[i], dsts[i] + o * inners[i]);
    }
  });
}

#define ORTL_INSTANTIATE(T)                                                              \
  template void strided_copy<T>(const T*, T*, const StridedCopyParams&, Parallel&);      \
  template void transpose<T>(const T*, T*, const Dims&, const Dims&, Parallel&);         \
  template void concat<T>(const T* const*, const int64_t*, int, int64_t, T*, Parallel&); \
  template void split<T>(const T*, int64_t, const int64_t*, int, T* const*, Parallel&);
ORTL_INSTANTIATE(uint8_t)
ORTL_INSTANTIATE(uint16_t)
ORTL_INSTANTIATE(uint32_t)
ORTL_INSTANTIATE(uint64_t)
ORTL_INSTANTIATE(std::string)
#undef ORTL_INSTANTIATE

}  // namespace ortl::kernels
