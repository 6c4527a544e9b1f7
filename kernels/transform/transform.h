// Data-movement kernels: strided copy (the engine behind Slice, Expand, Tile), transpose,
// concat/split, pad, gather/scatter, and the small fills (Trilu, EyeLike, OneHot, NonZero, CumSum).
//
// Every tensor is dense row-major. The kernels move elements without interpreting them, so one
// instantiation per element size serves every dtype of that size (float, int32 and uint32 all
// run as uint32_t); std::string serves the string dtype. The instantiated element types are
//   kMoveTypes = uint8_t, uint16_t, uint32_t, uint64_t, std::string
// Kernels that compute (scatter reductions, CumSum, NonZero) are instantiated for the numeric
// C++ types instead. Indices reach the kernels already validated and made non-negative
// (normalize_indices), so no kernel can read out of bounds.
//
// *_ref functions are spec-literal (one output element at a time, index arithmetic by
// division): the oracle the tests compare the fast paths against.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

using Dims = std::vector<int64_t>;

// ---- strided copy -------------------------------------------------------------------------
// dst (contiguous, shape `shape`)[i0, ..., ir-1] = src[sum_k ik * src_strides[k]]. Strides are
// in elements and may be 0 (broadcast) or negative (reversed slice); `src` points at the element
// the all-zero coordinate reads.
struct StridedCopyParams {
  Dims shape;
  Dims src_strides;
};
template <class T>
void strided_copy(const T* src, T* dst, const StridedCopyParams& p, Parallel& par);
template <class T>
void strided_copy_ref(const T* src, T* dst, const StridedCopyParams& p);

// Row-major strides of a contiguous tensor.
Dims contiguous_strides(const Dims& shape);

// ---- transpose ----------------------------------------------------------------------------
// dst shape is src_shape permuted: dst dim k is src dim perm[k].
template <class T>
void transpose(const T* src, T* dst, const Dims& src_shape, const Dims& perm, Parallel& par);
template <class T>
void transpose_ref(const T* src, T* dst, const Dims& src_shape, const Dims& perm);

// The 4-byte transpose block behind transpose() (2-D transposes, NCHW <-> NHWC, any permutation
// whose innermost output dim is strided in the source):
//   dst[a * ld + b] = src[b * ls + a]  for a < na, b < nb.
// Variants per ISA, best first (kernels/transform/kernels.inc); selectors take the ISA mask so
// tests and benchmarks can force any variant.
using TransposeBlockU32Fn = void (*)(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld, int64_t na,
                                     int64_t nb);
struct TransposeBlockU32Kernel {
  const char* name;
  uint32_t isa;
  TransposeBlockU32Fn fn;
};
const std::vector<TransposeBlockU32Kernel>& transpose_block_u32_kernels();
const TransposeBlockU32Kernel& select_transpose_block_u32(uint32_t isa);

// ---- concat / split -----------------------------------------------------------------------
// Input i is viewed as [outer, inners[i]]; dst rows hold the inputs' rows side by side.
template <class T>
void concat(const T* const* srcs, const int64_t* inners, int n, int64_t outer, T* dst, Parallel& par);
// The inverse: src rows [outer, sum inners] are cut into dsts[i] of [outer, inners[i]].
template <class T>
void split(const T* src, int64_t outer, const int64_t* inners, int n, T* const* dsts, Parallel& par);

// ---- pad ----------------------------------------------------------------------------------
enum class PadMode { kConstant, kReflect, kEdge, kWrap };
struct PadParams {
  Dims src_shape;
  Dims begin;  // per axis, may be negative (crops)
  Dims end;
  PadMode mode = PadMode::kConstant;
};
// Output shape src + begin + end. Non-constant modes need every padded axis non-empty (the
// caller checks); negative pads crop.
template <class T>
void pad(const T* src, T* dst, const PadParams& p, const T& value, Parallel& par);
template <class T>
void pad_ref(const T* src, T* dst, const PadParams& p, const T& value);

// ---- gather / scatter ---------------------------------------------------------------------
// Makes indices in [-dim, dim) non-negative in place; returns the position of the first index
// outside that range, or -1 when all are valid.
int64_t normalize_indices(int64_t* idx, int64_t n, int64_t dim);

// Gather: src viewed as [outer, axis_dim, inner]; dst[o, j, :] = src[o, idx[j], :] for n_idx
// valid indices.
template <class T>
void gather(const T* src, const int64_t* idx, int64_t n_idx, int64_t outer, int64_t axis_dim, int64_t inner, T* dst,
            Parallel& par);
template <class T>
void gather_ref(const T* src, const int64_t* idx, int64_t n_idx, int64_t outer, int64_t axis_dim, int64_t inner,
                T* dst);

// GatherElements: dst (shape idx_shape)[c] = src[c with c[axis] replaced by idx[c]].
template <class T>
void gather_elements(const T* src, const Dims& src_shape, const int64_t* idx, const Dims& idx_shape, int axis, T* dst,
                     Parallel& par);

// Row gather (GatherND): dst[i*len .. +len) = src[offsets[i] .. +len).
template <class T>
void gather_rows(const T* src, const int64_t* offsets, int64_t n, int64_t len, T* dst, Parallel& par);

enum class ScatterReduce { kNone, kAdd, kMul, kMax, kMin };
// ScatterND: dst[offsets[i] .. +len) (op)= updates[i*len .. +len), in index order (duplicates
// apply one after another, as the spec's loop does).
template <class T>
void scatter_rows(T* dst, const int64_t* offsets, int64_t n, int64_t len, const T* updates, ScatterReduce r);
// ScatterElements: dst[c with c[axis] = idx[c]] (op)= updates[c] for c over idx_shape.
template <class T>
void scatter_elements(T* dst, const Dims& dst_shape, const int64_t* idx, const Dims& idx_shape, int axis,
                      const T* updates, ScatterReduce r);

// ---- fills --------------------------------------------------------------------------------
// Trilu over [batch, rows, cols]: keeps j - i <= k (lower) or j - i >= k (upper), zeroes the rest.
template <class T>
void trilu(const T* src, T* dst, int64_t batch, int64_t rows, int64_t cols, int64_t k, bool upper, Parallel& par);
// EyeLike: dst[i, j] = (j - i == k) ? one : zero.
template <class T>
void eye(T* dst, int64_t rows, int64_t cols, int64_t k, const T& zero, const T& one);
// OneHot: dst [outer, depth, inner]; idx [outer, inner] already made non-negative, an index
// outside [0, depth) leaves its column all `off`.
template <class T>
void one_hot(const int64_t* idx, int64_t outer, int64_t depth, int64_t inner, const T& off, const T& on, T* dst);

// NonZero: number of non-zero elements (x != 0, so -0.0 is zero and NaN is not); with dst set,
// also writes their coordinates as [rank, count] (dst has rank * count elements).
template <class T>
int64_t nonzero(const T* src, const Dims& shape, int64_t* dst);
// float16 / bfloat16 as raw bits: zero is +-0 (all bits but the sign clear).
int64_t nonzero_half(const uint16_t* src, const Dims& shape, int64_t* dst);

// CumSum / CumProd over [outer, n, inner] along n (exclusive: the running value before the
// element, starting at 0 for sums and 1 for products).
template <class T>
void cumsum(const T* src, T* dst, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse);
template <class T>
void cumprod(const T* src, T* dst, int64_t outer, int64_t n, int64_t inner, bool exclusive, bool reverse);

}  // namespace ortl::kernels
