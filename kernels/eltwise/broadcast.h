// Numpy-style broadcast iteration for up to kMaxBroadcastInputs inputs.
//
// make_broadcast_plan() right-aligns every input to the output rank, gives broadcast dims stride
// 0, drops size-1 output dims and merges neighbouring dims that every input walks contiguously
// (or broadcasts over) in the same way. What is left is usually 1 dim (same shape, scalar) or 2
// (row / column / per-channel broadcast), and the last dim is the inner loop, where each input
// has stride 1 (contiguous) or 0 (broadcast scalar). Kernels pick one inner loop per stride
// pattern so the hot loop is a plain vectorizable loop; the outer dims advance by counters,
// with one index division per chunk (not per element).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

constexpr int kMaxBroadcastInputs = 3;

struct BroadcastPlan {
  int num_inputs = 0;
  int64_t numel = 0;                                  // output elements
  std::vector<int64_t> dims;                          // collapsed output dims, never empty; dims.back() = inner
  std::vector<int64_t> strides[kMaxBroadcastInputs];  // per input, per collapsed dim (elements)
  int rank() const { return static_cast<int>(dims.size()); }
  int64_t inner() const { return dims.back(); }
  // 1 when input k walks the inner dim contiguously, 0 when it repeats one element.
  int64_t inner_stride(int k) const { return strides[k].back(); }
};

// Precondition: every input broadcasts to `out` (each right-aligned dim is 1 or equal to out's).
// The caller (the op) checks that and reports errors.
BroadcastPlan make_broadcast_plan(const std::vector<int64_t>& out, const std::vector<std::vector<int64_t>>& inputs);

// True when `in` broadcasts to `out` under numpy rules.
bool broadcasts_to(const std::vector<int64_t>& in, const std::vector<int64_t>& out);

// Calls row(out_offset, in_offsets, count) for the maximal inner-dim runs covering output
// elements [begin, end): count consecutive outputs starting at out_offset, where input k starts at
// in_offsets[k] and moves by p.inner_stride(k) per element.
template <class Row>
void for_each_run(const BroadcastPlan& p, int64_t begin, int64_t end, Row&& row) {
  if (begin >= end) return;
  const int r = p.rank();
  const int n_in = p.num_inputs;
  const int64_t inner = p.inner();
  // Coordinates of `begin` over the outer dims; one division chain per chunk.
  std::vector<int64_t> idx(static_cast<size_t>(r), 0);
  int64_t rest = begin / inner;
  int64_t col = begin % inner;
  for (int d = r - 2; d >= 0; --d) {
    idx[d] = rest % p.dims[d];
    rest /= p.dims[d];
  }
  int64_t base[kMaxBroadcastInputs] = {0, 0, 0};
  for (int k = 0; k < n_in; ++k)
    for (int d = 0; d < r - 1; ++d) base[k] += idx[d] * p.strides[k][d];
  int64_t pos = begin;
  int64_t off[kMaxBroadcastInputs] = {0, 0, 0};
  while (pos < end) {
    const int64_t n = std::min(inner - col, end - pos);
    for (int k = 0; k < n_in; ++k) off[k] = base[k] + col * p.strides[k][r - 1];
    row(pos, static_cast<const int64_t*>(off), n);
    pos += n;
    col = 0;
    // Advance the outer counters, carrying into higher dims.
    for (int d = r - 2; d >= 0; --d) {
      for (int k = 0; k < n_in; ++k) base[k] += p.strides[k][d];
      if (++idx[d] < p.dims[d]) break;
      for (int k = 0; k < n_in; ++k) base[k] -= p.strides[k][d] * p.dims[d];
      idx[d] = 0;
    }
  }
}

// for_each_run over the whole output, split across threads. `cost` is rough ns per element.
template <class Row>
void parallel_runs(const BroadcastPlan& p, Parallel& par, double cost, Row&& row) {
  if (p.numel == 0) return;
  par.for_range(p.numel, cost, [&](int64_t b, int64_t e) { for_each_run(p, b, e, row); });
}

}  // namespace ortl::kernels
