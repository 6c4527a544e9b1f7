// Spec-literal pooling reference, the oracle of the pool tests: every output element walks its
// full kernel window in row-major order and classifies each tap as inside the input, inside the
// explicit padding (counted by AveragePool when count_include_pad), or beyond it (the extra
// room ceil_mode creates, never counted). Sums and powers are in double.
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/pool/pool.h"

namespace ortl::kernels {
namespace {

template <class T>
void ref_typed(const PoolParams& p, const T* src, T* dst, int64_t* indices) {
  const size_t D = p.in.size();
  int64_t in_plane = 1, out_plane = 1, k_total = 1;
  for (size_t d = 0; d < D; ++d) {
    in_plane *= p.in[d];
    out_plane *= p.out[d];
    k_total *= p.kernel[d];
  }
  std::vector<int64_t> oc(D), pos(D);
  for (int64_t plane = 0; plane < p.batch * p.channels; ++plane) {
    for (int64_t o = 0; o < out_plane; ++o) {
      for (int64_t r = o, d = static_cast<int64_t>(D) - 1; d >= 0; --d) {
        oc[static_cast<size_t>(d)] = r % p.out[static_cast<size_t>(d)];
        r /= p.out[static_cast<size_t>(d)];
      }
      double sum = 0, best = 0;
      int64_t valid = 0, padded = 0, best_idx = -1;
      for (int64_t k = 0; k < k_total; ++k) {
        bool inside = true, in_pad_box = true;
        for (int64_t r = k, d = static_cast<int64_t>(D) - 1; d >= 0; --d) {
          const size_t u = static_cast<size_t>(d);
          const int64_t kd = r % p.kernel[u];
          r /= p.kernel[u];
          pos[u] = oc[u] * p.stride[u] - p.pad_begin[u] + kd * p.dilation[u];
          inside = inside && pos[u] >= 0 && pos[u] < p.in[u];
          in_pad_box = in_pad_box && pos[u] >= -p.pad_begin[u] && pos[u] < p.in[u] + p.pad_end[u];
        }
        if (in_pad_box) ++padded;
        if (!inside) continue;
        ++valid;
        int64_t flat = 0, col = 0;
        for (size_t d = 0, cs = 1; d < D; ++d) {
          flat = flat * p.in[d] + pos[d];
          col += pos[d] * static_cast<int64_t>(cs);
          cs *= static_cast<size_t>(p.in[d]);
        }
        const double v = static_cast<double>(src[plane * in_plane + flat]);
        if (p.kind == PoolKind::kMax) {
          if (best_idx < 0 || v > best) {
            best = v;
            best_idx = p.column_major_indices ? col : flat;
          }
        } else if (p.kind == PoolKind::kAvg) {
          sum += v;
        } else {
          sum += std::pow(std::fabs(v), static_cast<double>(p.p));
        }
      }
      T& y = dst[plane * out_plane + o];
      if (p.kind == PoolKind::kMax) {
        y = best_idx < 0 ? std::numeric_limits<T>::lowest() : static_cast<T>(best);
        if (indices) indices[plane * out_plane + o] = best_idx < 0 ? -1 : plane * in_plane + best_idx;
      } else if (p.kind == PoolKind::kAvg) {
        const int64_t n = p.count_include_pad ? padded : valid;
        y = n > 0 ? static_cast<T>(sum / static_cast<double>(n)) : std::numeric_limits<T>::quiet_NaN();
      } else {
        y = static_cast<T>(std::pow(sum, 1.0 / static_cast<double>(p.p)));
      }
    }
  }
}

}  // namespace

void pool_ref(const PoolParams& p, PoolType t, const void* src, void* dst, int64_t* indices) {
  switch (t) {
    case PoolType::kF32: ref_typed(p, static_cast<const float*>(src), static_cast<float*>(dst), indices); break;
    case PoolType::kF64: ref_typed(p, static_cast<const double*>(src), static_cast<double*>(dst), indices); break;
    case PoolType::kU8: ref_typed(p, static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), indices); break;
    case PoolType::kI8: ref_typed(p, static_cast<const int8_t*>(src), static_cast<int8_t*>(dst), indices); break;
  }
}

}  // namespace ortl::kernels
