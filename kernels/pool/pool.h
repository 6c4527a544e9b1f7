// Pooling kernels: MaxPool (with optional argmax indices), AveragePool and LpPool over 1-D, 2-D,
// 3-D (any number of) spatial axes, and the global variants.
//
// Layout: NC + spatial, dense row-major. Windows may be dilated, strided and padded on both
// sides; the op layer resolves auto_pad and ceil_mode into explicit pads and output lengths
// (pool_out_len / pool_same_pads below) before calling the kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

enum class PoolKind { kMax, kAvg, kLp };

struct PoolParams {
  PoolKind kind = PoolKind::kMax;
  int64_t batch = 1, channels = 1;
  std::vector<int64_t> in, out;                   // spatial lengths
  std::vector<int64_t> kernel, stride, dilation;  // per spatial axis
  std::vector<int64_t> pad_begin, pad_end;        // explicit (auto_pad already resolved)
  bool count_include_pad = false;                 // AveragePool: divide by the taps inside the padded input
  float p = 2.f;                                  // LpPool exponent
  bool column_major_indices = false;              // MaxPool storage_order = 1
};

// Output length of one axis for explicit pads. With ceil_mode the division rounds up, but the
// last window must start inside the input or its left padding (else it is dropped), as in
// PyTorch and ORT. Returns a value < 1 when the window does not fit (the op rejects it).
int64_t pool_out_len(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_begin, int64_t pad_end,
                     bool ceil_mode);

// SAME_UPPER / SAME_LOWER: output ceil(in / stride) and the pads that centre the windows
// (the odd pad goes to the end for SAME_UPPER, to the beginning for SAME_LOWER).
void pool_same_pads(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, bool same_upper, int64_t* out,
                    int64_t* pad_begin, int64_t* pad_end);

// Element types of the windowed pools: float and double for all kinds; int8 and uint8 for max.
enum class PoolType { kF32, kF64, kU8, kI8 };

// Fast path. `indices` (may be null; MaxPool only) receives the flat index of each maximum in
// the whole input tensor (batch and channel included), row- or column-major over the spatial axes.
// A window entirely in the padding yields the type's lowest value (index -1) for max, NaN for
// average without count_include_pad, and 0 for Lp.
void pool(const PoolParams& p, PoolType t, const void* src, void* dst, int64_t* indices, Parallel& par);
void pool_f32(const PoolParams& p, const float* src, float* dst, int64_t* indices, Parallel& par);

// Spec-literal reference: every output element walks its whole window in double.
void pool_ref(const PoolParams& p, PoolType t, const void* src, void* dst, int64_t* indices);

// 2-D float32 MaxPool / AveragePool without indices, per ISA (pool_impl.h), best first as
// listed in kernels/pool/kernels.inc; pool() routes those problems to the active ISA's entry.
// select_pool2d_f32 takes the ISA mask so tests and benchmarks can force any variant.
// global_fn is the same variant's GlobalMaxPool / GlobalAveragePool (kind max or average).
using Pool2dF32Fn = void (*)(const PoolParams& p, const float* src, float* dst, Parallel& par);
using GlobalPoolF32Fn = void (*)(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst,
                                 Parallel& par);
struct Pool2dF32Kernel {
  const char* name;
  uint32_t isa;
  Pool2dF32Fn fn;
  GlobalPoolF32Fn global_fn;
};
const std::vector<Pool2dF32Kernel>& pool2d_f32_kernels();
const Pool2dF32Kernel& select_pool2d_f32(uint32_t isa);
// Whether the 2-D fast path serves `p` (2 spatial axes, max or average).
bool pool2d_f32_applies(const PoolParams& p);

// GlobalMax/Average/LpPool: one value per (n, c) plane of `plane` elements.
void global_pool(PoolKind kind, PoolType t, float p, int64_t planes, int64_t plane, const void* src, void* dst,
                 Parallel& par);

}  // namespace ortl::kernels
