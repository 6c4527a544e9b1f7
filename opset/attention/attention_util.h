// Helpers shared by the attention-family ops: dtype checks, KV-cache concatenation and the
// attention mask's broadcast strides and additive values.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/attention/attention.h"
#include "opset/util.h"

namespace ortl::opset::attn {

inline bool is_float_type(DType d) {
  return d == DType::kFloat || d == DType::kDouble || d == DType::kFloat16 || d == DType::kBFloat16;
}

// Throws kInvalidArgument unless the first n inputs are present (before any half detour, whose
// context does not guard indices past the end).
inline void require_inputs(const RunContext& ctx, int n, const char* op) {
  for (int i = 0; i < n; ++i) {
    check(i < ctx.num_inputs() && ctx.input(i) != nullptr, ErrorCode::kInvalidArgument, op, ": input ", i,
          " is missing");
  }
}

// dst [batch, heads, past + len, dim] = past [batch, heads, past, dim] ++ src (strided rows).
template <class T>
void concat_cache(const Tensor* past, const T* src, const kernels::AttnStrides& ss, int64_t batch, int64_t heads,
                  int64_t past_len, int64_t len, int64_t dim, T* dst) {
  const int64_t total = past_len + len;
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t h = 0; h < heads; ++h) {
      T* out = dst + (b * heads + h) * total * dim;
      if (past_len > 0) std::copy_n(past->data_as<T>() + (b * heads + h) * past_len * dim, past_len * dim, out);
      for (int64_t j = 0; j < len; ++j) {
        std::copy_n(src + b * ss.batch + h * ss.head + j * ss.seq, dim, out + (past_len + j) * dim);
      }
    }
  }
}

// Strides of the mask's first three dims in the [batch, heads, q_len, kv] view it broadcasts
// to (right-aligned; 0 on broadcast dims). Its last dim may be shorter than kv (the missing
// keys are masked) but not longer.
inline kernels::AttnStrides mask_strides(const Tensor& m, const std::vector<int64_t>& target, const char* op) {
  const auto& ms = m.shape();
  check(ms.size() <= 4, ErrorCode::kInvalidArgument, op, ": attn_mask must have rank <= 4, got ", shape_str(ms));
  const int64_t last = ms.empty() ? 1 : ms.back();
  check(last <= target[3], ErrorCode::kInvalidArgument, op, ": attn_mask ", shape_str(ms), " has more than ", target[3],
        " key columns");
  int64_t strides[3] = {0, 0, 0};
  int64_t stride = last;
  for (int d = 2; d >= 0; --d) {
    const int md = d - (4 - static_cast<int>(ms.size()));  // mask dim aligned with target dim d
    if (md < 0) break;
    const int64_t sz = ms[static_cast<size_t>(md)];
    check(sz == 1 || sz == target[d], ErrorCode::kInvalidArgument, op, ": attn_mask ", shape_str(ms),
          " does not broadcast to ", shape_str(target));
    strides[d] = sz == 1 ? 0 : stride;
    stride *= sz;
  }
  return {strides[0], strides[1], strides[2]};
}

// The mask as additive values: bool true -> 0, false -> -inf; numbers as they are.
template <class T>
std::vector<T> mask_as_bias(const Tensor& m) {
  std::vector<T> out(static_cast<size_t>(m.numel()));
  switch (m.dtype()) {
    case DType::kBool: {
      const uint8_t* p = m.data_as<uint8_t>();
      for (size_t i = 0; i < out.size(); ++i) out[i] = p[i] ? T(0) : -std::numeric_limits<T>::infinity();
      break;
    }
    case DType::kFloat: std::copy_n(m.data_as<float>(), out.size(), out.begin()); break;
    case DType::kDouble: std::copy_n(m.data_as<double>(), out.size(), out.begin()); break;
    default: {
      const auto v = read_ints(m);
      for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<T>(v[i]);
    }
  }
  return out;
}

}  // namespace ortl::opset::attn
