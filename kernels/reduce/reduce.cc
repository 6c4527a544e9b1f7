// Reduce planning (merge dims, permute when the reduced dims are not one block), the baseline
// build of the [outer, reduced, inner] kernel for every dtype (float32 on 4-lane SSE2 vectors),
// the float32 variant list, ArgMax/ArgMin and permute_copy.
#include <cstring>

#include "kernels/base/isa.h"
#include "kernels/reduce/reduce_impl.h"

namespace ortl::kernels {

void reduce_3d_f32_avx2(ReduceOp op, const ReduceDims& d, const float* src, float* dst, Parallel& par);
void reduce_3d_f32_avx512(ReduceOp op, const ReduceDims& d, const float* src, float* dst, Parallel& par);

namespace {
typedef float V4 __attribute__((vector_size(16)));  // SSE2, part of the x86-64 baseline

void reduce_3d_f32_base(ReduceOp op, const ReduceDims& d, const float* src, float* dst, Parallel& par) {
  reduce_3d_impl<V4, float>(op, d, src, dst, par);
}

template <class T>
void arg_reduce_cols(bool is_max, bool last, const T* p, int64_t n, int64_t inner, int64_t w, int64_t* dst) {
  T best[kBlock];
  int64_t idx[kBlock];
  for (int64_t j = 0; j < w; ++j) {
    best[j] = p[j];
    idx[j] = 0;
  }
  for (int64_t r = 1; r < n; ++r) {
    const T* row = p + r * inner;
    for (int64_t j = 0; j < w; ++j) {
      const T x = row[j];
      const bool better = is_max ? (last ? x >= best[j] : x > best[j]) : (last ? x <= best[j] : x < best[j]);
      best[j] = better ? x : best[j];
      idx[j] = better ? r : idx[j];
    }
  }
  for (int64_t j = 0; j < w; ++j) dst[j] = idx[j];
}
}  // namespace

ReducePlan plan_reduce(const std::vector<int64_t>& shape, const std::vector<bool>& mask, bool allow_pre) {
  ReducePlan p;
  int64_t kept = 1, red = 1;
  for (size_t i = 0; i < shape.size(); ++i) (mask[i] ? red : kept) *= shape[i];
  if (kept == 0) {
    p.empty_output = true;
    return p;
  }
  if (red == 0) {  // an empty reduction: every output is the op's identity
    p.dims = {kept, 0, 1};
    return p;
  }
  // Merge runs of same-kind dims, dropping size-1 dims (they can belong to either kind).
  std::vector<int64_t> g;
  std::vector<bool> gr;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 1) continue;
    if (!g.empty() && gr.back() == mask[i]) {
      g.back() *= shape[i];
    } else {
      g.push_back(shape[i]);
      gr.push_back(mask[i]);
    }
  }
  int reduced_groups = 0;
  for (bool b : gr) reduced_groups += b;
  // [R] K R [K]: the leading reduced group becomes `pre` (no data movement).
  const bool lead_pre = allow_pre && reduced_groups == 2 && gr.size() >= 3 && gr[0] && !gr[1] && gr[2];
  if (reduced_groups <= 1 || lead_pre) {
    bool seen = false;
    for (size_t i = 0; i < g.size(); ++i) {
      if (lead_pre && i == 0) {
        p.dims.pre = g[0];
      } else if (gr[i]) {
        p.dims.reduced = g[i];
        seen = true;
      } else {
        (seen ? p.dims.inner : p.dims.outer) *= g[i];
      }
    }
    return p;
  }
  // Kept groups (but a trailing one) first, then the reduced groups, then the trailing kept
  // group, which stays contiguous as the inner dim.
  const bool trailing = !gr.back();
  const size_t body = trailing ? g.size() - 1 : g.size();
  for (size_t i = 0; i < body; ++i) {
    if (!gr[i]) {
      p.perm.push_back(static_cast<int64_t>(i));
      p.dims.outer *= g[i];
    }
  }
  for (size_t i = 0; i < body; ++i) {
    if (gr[i]) {
      p.perm.push_back(static_cast<int64_t>(i));
      p.dims.reduced *= g[i];
    }
  }
  if (trailing) {
    p.perm.push_back(static_cast<int64_t>(g.size() - 1));
    p.dims.inner = g.back();
  }
  p.merged = std::move(g);
  return p;
}

void permute_copy(size_t elem_size, const std::vector<int64_t>& shape, const std::vector<int64_t>& perm,
                  const void* src, void* dst, Parallel& par) {
  const size_t r = shape.size();
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  if (numel == 0) return;
  if (r == 0) {
    std::memcpy(dst, src, elem_size);
    return;
  }
  std::vector<int64_t> sstride(r), dshape(r), dstride(r);
  for (size_t i = r, s = 1; i-- > 0;) {
    sstride[i] = static_cast<int64_t>(s);
    s *= static_cast<size_t>(shape[i]);
  }
  for (size_t i = 0; i < r; ++i) {
    dshape[i] = shape[perm[i]];
    dstride[i] = sstride[perm[i]];
  }
  const int64_t last = dshape[r - 1], ls = dstride[r - 1], rows = numel / last;
  const auto* s8 = static_cast<const char*>(src);
  auto* d8 = static_cast<char*>(dst);
  par.for_range(rows, 1.0 + 0.5 * static_cast<double>(last), [&](int64_t b, int64_t e) {
    for (int64_t row = b; row < e; ++row) {
      int64_t off = 0, rem = row;
      for (size_t i = r - 1; i-- > 0;) {
        off += (rem % dshape[i]) * dstride[i];
        rem /= dshape[i];
      }
      const char* sp = s8 + off * static_cast<int64_t>(elem_size);
      char* dp = d8 + row * last * static_cast<int64_t>(elem_size);
      if (ls == 1) {
        std::memcpy(dp, sp, static_cast<size_t>(last) * elem_size);
      } else {
        const int64_t step = ls * static_cast<int64_t>(elem_size);
        for (int64_t k = 0; k < last; ++k)
          std::memcpy(dp + k * static_cast<int64_t>(elem_size), sp + k * step, elem_size);
      }
    }
  });
}

const std::vector<Reduce3dF32Kernel>& reduce_3d_f32_kernels() {
  static const std::vector<Reduce3dF32Kernel> list = {
      {"reduce_f32_avx512", kIsaAvx512, reduce_3d_f32_avx512},
      {"reduce_f32_avx2", kIsaAvx2, reduce_3d_f32_avx2},
      {"reduce_f32_base", 0, reduce_3d_f32_base},
  };
  return list;
}

const Reduce3dF32Kernel& select_reduce_3d_f32(uint32_t isa) {
  for (const Reduce3dF32Kernel& k : reduce_3d_f32_kernels()) {
    if ((k.isa & isa) == k.isa) return k;
  }
  return reduce_3d_f32_kernels().back();
}

template <class T>
void reduce_3d(ReduceOp op, const ReduceDims& d, const T* src, T* dst, Parallel& par) {
  if constexpr (std::is_same_v<T, float>) {
    static const Reduce3dF32Fn fn = select_reduce_3d_f32(active_isa()).fn;
    fn(op, d, src, dst, par);
  } else {
    reduce_3d_impl<V4, T>(op, d, src, dst, par);
  }
}

template <class T>
void reduce(ReduceOp op, const std::vector<int64_t>& shape, const std::vector<bool>& mask, const T* src, T* dst,
            Parallel& par) {
  const ReducePlan p = plan_reduce(shape, mask, op != ReduceOp::kLogSumExp);
  if (p.empty_output) return;
  if (p.perm.empty()) {
    reduce_3d<T>(op, p.dims, src, dst, par);
    return;
  }
  std::vector<T> tmp(static_cast<size_t>(p.dims.outer * p.dims.reduced * p.dims.inner));
  permute_copy(sizeof(T), p.merged, p.perm, src, tmp.data(), par);
  reduce_3d<T>(op, p.dims, tmp.data(), dst, par);
}

template <class T>
void arg_reduce(bool is_max, bool select_last, const ReduceDims& d, const T* src, int64_t* dst, Parallel& par) {
  const int64_t n = d.reduced, inner = d.inner;
  if (d.outer == 0 || inner == 0 || n == 0) return;
  if (inner == 1 && std::is_same_v<T, float>) {
    // float rows: the extreme value on vectors, then a scan for its first (or last) position.
    // NaNs are skipped (numpy would return the first NaN's index).
    par.for_range(d.outer, 0.3 * static_cast<double>(n), [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) {
        const float* p = reinterpret_cast<const float*>(src) + o * n;
        float m = is_max ? reduce_lowest<float>() : reduce_highest<float>();
        if (is_max) {
          Policy<V4, ReduceOp::kMax, float>::accumulate(p, 0, n, 1, 1, &m);
        } else {
          Policy<V4, ReduceOp::kMin, float>::accumulate(p, 0, n, 1, 1, &m);
        }
        int64_t bi = 0;
        if (select_last) {
          for (int64_t r = n - 1; r >= 0; --r) {
            if (p[r] == m) {
              bi = r;
              break;
            }
          }
        } else {
          for (int64_t r = 0; r < n; ++r) {
            if (p[r] == m) {
              bi = r;
              break;
            }
          }
        }
        dst[o] = bi;
      }
    });
    return;
  }
  if (inner == 1) {
    par.for_range(d.outer, 0.5 * static_cast<double>(n), [&](int64_t b, int64_t e) {
      for (int64_t o = b; o < e; ++o) {
        const T* p = src + o * n;
        T best = p[0];
        int64_t bi = 0;
        for (int64_t r = 1; r < n; ++r) {
          const T x = p[r];
          if (is_max ? (select_last ? x >= best : x > best) : (select_last ? x <= best : x < best)) {
            best = x;
            bi = r;
          }
        }
        dst[o] = bi;
      }
    });
    return;
  }
  const int64_t bw = std::min(inner, kBlock), nblk = (inner + bw - 1) / bw;
  par.for_range(d.outer * nblk, 0.5 * static_cast<double>(n * bw), [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / nblk, j0 = (t % nblk) * bw, w = std::min(bw, inner - j0);
      arg_reduce_cols(is_max, select_last, src + o * n * inner + j0, n, inner, w, dst + o * inner + j0);
    }
  });
}

#define ORTL_REDUCE_FAST(T)                                                                                          \
  template void reduce_3d<T>(ReduceOp, const ReduceDims&, const T*, T*, Parallel&);                                  \
  template void reduce<T>(ReduceOp, const std::vector<int64_t>&, const std::vector<bool>&, const T*, T*, Parallel&); \
  template void arg_reduce<T>(bool, bool, const ReduceDims&, const T*, int64_t*, Parallel&);
ORTL_REDUCE_FAST(float)
ORTL_REDUCE_FAST(double)
ORTL_REDUCE_FAST(int32_t)
ORTL_REDUCE_FAST(int64_t)
ORTL_REDUCE_FAST(int8_t)
ORTL_REDUCE_FAST(uint8_t)
#undef ORTL_REDUCE_FAST

}  // namespace ortl::kernels
