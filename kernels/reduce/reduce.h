// Reductions (ReduceSum/Mean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare) and ArgMax/ArgMin.
//
// Layout: a row-major tensor and a mask of reduced dims. Adjacent dims of the same kind are
// merged (size-1 dims dropped), so most problems become [pre, outer, reduced, inner] with
// contiguous inner loops (`pre` a leading reduced block, as in axes {0, 2} of NCHW); other axes
// sets (kept dims between two reduced blocks after the first, or LogSumExp with a leading
// reduced block) are first permuted into that form. dst holds the kept dims in their original
// order (keepdims only changes the shape, never the layout).
//
// dtypes: float, double, int32, int64, int8, uint8 (bool reduces as uint8 for Max/Min).
// Integer sums and products accumulate in int64 and wrap like the C++ type on the way out;
// float32 accumulates on SIMD vectors (4 independent accumulators, then a halving tree: more
// accurate than one running sum), double in double.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

enum class ReduceOp { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kLogSum, kLogSumExp, kSumSquare };

// The canonical problem: src is [pre, outer, reduced, inner], dst is [outer, inner]; both `pre`
// and `reduced` are reduced. `pre` > 1 covers axes like {0, 2} of NCHW without a permutation
// (all ops but LogSumExp; ArgMax/ArgMin ignore it).
struct ReduceDims {
  int64_t outer = 1;
  int64_t reduced = 1;
  int64_t inner = 1;
  int64_t pre = 1;
};

// How a (shape, mask) problem maps onto ReduceDims: directly when the merged dims read
// [R?] K R [K] or K R [K] (R reduced, K kept), else through a permutation of the merged dims
// (`perm` non-empty; the tensor of shape `merged` reordered by `perm` is then
// [outer, reduced, inner]). `allow_pre` = false (LogSumExp) never uses `pre`.
struct ReducePlan {
  ReduceDims dims;
  std::vector<int64_t> merged;  // merged dims of src (only filled when a permutation is needed)
  std::vector<int64_t> perm;    // empty: no permutation needed
  bool empty_output = false;    // a kept dim is 0: nothing to write
};
ReducePlan plan_reduce(const std::vector<int64_t>& shape, const std::vector<bool>& mask, bool allow_pre = true);

// Spec-literal oracle: any mask, accumulates in double (floats) or int64 (integers).
template <class T>
void reduce_ref(ReduceOp op, const std::vector<int64_t>& shape, const std::vector<bool>& mask, const T* src, T* dst);

// Fast path for any mask: plans, permutes into a scratch buffer when needed, runs reduce_3d.
template <class T>
void reduce(ReduceOp op, const std::vector<int64_t>& shape, const std::vector<bool>& mask, const T* src, T* dst,
            Parallel& par);

// The canonical kernel; `reduced` may be 0 (dst gets the op's identity, finished).
template <class T>
void reduce_3d(ReduceOp op, const ReduceDims& d, const T* src, T* dst, Parallel& par);

// float32 variants of reduce_3d, best first; select_reduce_3d_f32 picks the first one `isa`
// allows (the plain build is always last and always allowed).
using Reduce3dF32Fn = void (*)(ReduceOp op, const ReduceDims& d, const float* src, float* dst, Parallel& par);
struct Reduce3dF32Kernel {
  const char* name;
  uint32_t isa;  // IsaBit mask the variant needs
  Reduce3dF32Fn fn;
};
const std::vector<Reduce3dF32Kernel>& reduce_3d_f32_kernels();
const Reduce3dF32Kernel& select_reduce_3d_f32(uint32_t isa);

// ArgMax / ArgMin along the middle dim of [outer, n, inner] (n >= 1) into int64 dst[outer, inner].
// Ties pick the first index, or the last with `select_last`.
template <class T>
void arg_reduce_ref(bool is_max, bool select_last, const ReduceDims& d, const T* src, int64_t* dst);
template <class T>
void arg_reduce(bool is_max, bool select_last, const ReduceDims& d, const T* src, int64_t* dst, Parallel& par);

// dst = src with dims reordered: dst dim i is src dim perm[i]. Elements are moved as bytes.
void permute_copy(size_t elem_size, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm,
                  const void* src, void* dst, Parallel& par);

}  // namespace ortl::kernels
