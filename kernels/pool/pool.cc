// Pooling fast path (plain C++, written for auto-vectorisation).
//
// Per spatial axis, a table gives each output position its valid tap range (taps that land
// inside the input) and its count_include_pad divisor; a window is the box product of those
// ranges, so no per-tap bounds test remains, and the pooling runs as one separable 1-D pass per
// axis (k1 + k2 taps per output instead of k1 * k2). Inner-axis passes add whole contiguous
// rows; the last-axis pass accumulates, for each tap, the contiguous range of outputs whose tap
// is inside the input. MaxPool with the Indices output takes a per-element path that keeps the
// first maximum in row-major window order, as the reference does.
//
// 2-D float32 max / average pooling (the CNN case) and float32 GlobalMax/AveragePool take the
// per-ISA vector body instead (pool_impl.h; the baseline 4-lane build lives here, the variant
// list in kernels.inc); this separable path stays as the last list entry and benchmark baseline.
#include "kernels/pool/pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/base/isa.h"
#include "kernels/pool/pool_impl.h"

namespace ortl::kernels {
namespace {

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

struct AxisTaps {
  std::vector<int64_t> lo, hi;  // valid taps [lo, hi) per output position
  std::vector<int64_t> padded;  // taps inside [-pad_begin, in + pad_end) per output position
};

AxisTaps axis_taps(const PoolParams& p, size_t d) {
  AxisTaps t;
  const int64_t n = p.out[d], K = p.kernel[d], s = p.stride[d], dl = p.dilation[d];
  const int64_t in = p.in[d], pb = p.pad_begin[d], pe = p.pad_end[d];
  t.lo.resize(static_cast<size_t>(n));
  t.hi.resize(static_cast<size_t>(n));
  t.padded.resize(static_cast<size_t>(n));
  for (int64_t o = 0; o < n; ++o) {
    const int64_t start = o * s - pb;
    const int64_t lo = start >= 0 ? 0 : ceil_div(-start, dl);
    const int64_t hi = std::min(K, floor_div(in - 1 - start, dl) + 1);
    t.lo[static_cast<size_t>(o)] = std::min(lo, K);
    t.hi[static_cast<size_t>(o)] = std::max(hi, t.lo[static_cast<size_t>(o)]);
    t.padded[static_cast<size_t>(o)] = std::clamp<int64_t>(floor_div(in + pe - start - 1, dl) + 1, 0, K);
  }
  return t;
}

// Pooling over a box window is separable: max of maxes, and sums of sums whose divisor is the
// product of per-axis tap counts. So the kernel runs one 1-D pass per spatial axis, each
// reducing one axis of an [O, L, I] view to [O, M, I]. The kind is a template argument so the
// inner loops carry no branch on it.
template <PoolKind kind, class T, class Acc>
struct Reduce {
  // The element type's lowest value, so that an all-padding window yields it after narrowing.
  static Acc init() {
    if constexpr (kind == PoolKind::kMax) return static_cast<Acc>(std::numeric_limits<T>::lowest());
    return Acc(0);
  }
  static Acc apply(Acc a, Acc x) {
    if constexpr (kind == PoolKind::kMax) {
      return x > a ? x : a;
    } else {
      return a + x;
    }
  }
};

struct PassGeom {
  int64_t O, L, M, I;
  int64_t K, S, Dl, pb;
  bool count_include_pad;
  const AxisTaps* taps;
};

// One pass. First pass: src is the input (T), Lp raises |x| to p. Last pass: dst is the output
// (T), Lp takes the p-th root. Average divides every pass by its axis' tap count.
template <PoolKind kind, class T, class Tin, class Tout, class Acc>
void pool_pass(const Tin* __restrict src, Tout* __restrict dst, const PassGeom& g, bool first, bool last, float p,
               Parallel& par) {
  using R = Reduce<kind, T, Acc>;
  const Acc pw = static_cast<Acc>(p);
  auto load = [&](Tin v) -> Acc {
    const Acc x = static_cast<Acc>(v);
    if constexpr (kind == PoolKind::kLp) {
      if (first) {
        const Acc ax = std::fabs(x);
        return p == 2.f ? ax * ax : (p == 1.f ? ax : static_cast<Acc>(std::pow(ax, pw)));
      }
    }
    return x;
  };
  // Average: multiply by 1 / (taps counted); a window with no counted tap gives NaN (0 * inf
  // would too, but only by accident of the sum being 0).
  std::vector<Acc> inv;
  if constexpr (kind == PoolKind::kAvg) {
    inv.resize(static_cast<size_t>(g.M));
    for (size_t m = 0; m < inv.size(); ++m) {
      const int64_t c = g.count_include_pad ? g.taps->padded[m] : g.taps->hi[m] - g.taps->lo[m];
      inv[m] = c > 0 ? Acc(1) / static_cast<Acc>(c) : std::numeric_limits<Acc>::quiet_NaN();
    }
  }
  auto store = [&](Acc a, Acc scale) -> Tout {
    if constexpr (kind == PoolKind::kAvg) {
      a *= scale;
    } else if constexpr (kind == PoolKind::kLp) {
      if (last) a = p == 2.f ? std::sqrt(a) : (p == 1.f ? a : static_cast<Acc>(std::pow(a, Acc(1) / pw)));
    }
    return static_cast<Tout>(a);
  };
  const AxisTaps& t = *g.taps;
  if (g.I == 1) {
    // Last axis: for a fixed tap k the valid outputs form one range; accumulate over them.
    std::vector<int64_t> lo(static_cast<size_t>(g.K)), hi(static_cast<size_t>(g.K));
    for (int64_t k = 0; k < g.K; ++k) {
      const int64_t off = k * g.Dl - g.pb;  // input index = m * S + off
      lo[static_cast<size_t>(k)] = std::clamp<int64_t>(ceil_div(-off, g.S), 0, g.M);
      hi[static_cast<size_t>(k)] =
          std::clamp<int64_t>(floor_div(g.L - 1 - off, g.S) + 1, lo[static_cast<size_t>(k)], g.M);
    }
    par.for_range(g.O, static_cast<double>(g.M * g.K) + 10, [&](int64_t b, int64_t e) {
      std::vector<Acc> acc(static_cast<size_t>(g.M));
      Acc* __restrict a = acc.data();
      for (int64_t o = b; o < e; ++o) {
        const Tin* row = src + o * g.L;
        std::fill(acc.begin(), acc.end(), R::init());
        for (int64_t k = 0; k < g.K; ++k) {
          const Tin* rk = row + k * g.Dl - g.pb;
          const int64_t l = lo[static_cast<size_t>(k)], h = hi[static_cast<size_t>(k)];
          if (g.S == 1) {
            for (int64_t m = l; m < h; ++m) a[m] = R::apply(a[m], load(rk[m]));
          } else {
            for (int64_t m = l; m < h; ++m) a[m] = R::apply(a[m], load(rk[m * g.S]));
          }
        }
        Tout* d = dst + o * g.M;
        for (int64_t m = 0; m < g.M; ++m)
          d[m] = store(a[m], kind == PoolKind::kAvg ? inv[static_cast<size_t>(m)] : Acc(1));
      }
    });
    return;
  }
  // Inner axis: each tap adds a whole contiguous block of I elements.
  par.for_range(g.O * g.M, static_cast<double>(g.I * g.K) + 10, [&](int64_t b, int64_t e) {
    std::vector<Acc> acc(static_cast<size_t>(g.I));
    Acc* __restrict a = acc.data();
    for (int64_t u = b; u < e; ++u) {
      const int64_t o = u / g.M, m = u % g.M;
      std::fill(acc.begin(), acc.end(), R::init());
      const int64_t start = m * g.S - g.pb;
      for (int64_t k = t.lo[static_cast<size_t>(m)]; k < t.hi[static_cast<size_t>(m)]; ++k) {
        const Tin* s = src + (o * g.L + start + k * g.Dl) * g.I;
        for (int64_t i = 0; i < g.I; ++i) a[i] = R::apply(a[i], load(s[i]));
      }
      Tout* d = dst + u * g.I;
      const Acc c = kind == PoolKind::kAvg ? inv[static_cast<size_t>(m)] : Acc(1);
      for (int64_t i = 0; i < g.I; ++i) d[i] = store(a[i], c);
    }
  });
}

template <PoolKind kind, class T, class Acc>
void pool_separable(const PoolParams& p, const T* src, T* dst, Parallel& par) {
  const size_t D = p.in.size();
  std::vector<AxisTaps> taps(D);
  for (size_t d = 0; d < D; ++d) taps[d] = axis_taps(p, d);
  std::vector<int64_t> shape = {p.batch * p.channels};
  shape.insert(shape.end(), p.in.begin(), p.in.end());
  auto product = [&](size_t b, size_t e) {
    int64_t n = 1;
    for (size_t i = b; i < e; ++i) n *= shape[i];
    return n;
  };
  std::vector<Acc> buf[2];
  const Acc* cur = nullptr;
  for (size_t step = 0; step < D; ++step) {
    // Outer axes first: their passes add whole contiguous rows and shrink the row count before
    // the (possibly strided) last-axis pass.
    const size_t d = step, ax = d + 1;
    const PassGeom g{product(0, ax), shape[ax],     p.out[d],       product(ax + 1, shape.size()), p.kernel[d],
                     p.stride[d],    p.dilation[d], p.pad_begin[d], p.count_include_pad,           &taps[d]};
    shape[ax] = p.out[d];
    const bool first = step == 0, last = step + 1 == D;
    if (last) {
      if (first)
        pool_pass<kind, T, T, T, Acc>(src, dst, g, true, true, p.p, par);
      else
        pool_pass<kind, T, Acc, T, Acc>(cur, dst, g, false, true, p.p, par);
    } else {
      std::vector<Acc>& out = buf[step % 2];
      out.resize(static_cast<size_t>(product(0, shape.size())));
      if (first)
        pool_pass<kind, T, T, Acc, Acc>(src, out.data(), g, true, false, p.p, par);
      else
        pool_pass<kind, T, Acc, Acc, Acc>(cur, out.data(), g, false, false, p.p, par);
      cur = out.data();
    }
  }
}

// MaxPool with indices: per output element, the first maximum in row-major window order.
template <class T>
void max_with_indices(const PoolParams& p, const T* src, T* dst, int64_t* indices, Parallel& par) {
  const size_t D = p.in.size();
  std::vector<AxisTaps> taps(D);
  for (size_t d = 0; d < D; ++d) taps[d] = axis_taps(p, d);
  std::vector<int64_t> in_stride(D), cm_stride(D);
  int64_t in_plane = 1, out_plane = 1, k_total = 1;
  for (size_t d = D; d-- > 0;) {
    in_stride[d] = in_plane;
    in_plane *= p.in[d];
    out_plane *= p.out[d];
    k_total *= p.kernel[d];
  }
  for (size_t d = 0, s = 1; d < D; ++d) {
    cm_stride[d] = static_cast<int64_t>(s);
    s *= static_cast<size_t>(p.in[d]);
  }
  par.for_range(p.batch * p.channels * out_plane, static_cast<double>(k_total) + 5, [&](int64_t b, int64_t e) {
    std::vector<int64_t> oc(D), kc(D);
    for (int64_t u = b; u < e; ++u) {
      const int64_t plane = u / out_plane;
      int64_t r = u % out_plane;
      bool empty = false;
      for (size_t d = D; d-- > 0;) {
        oc[d] = r % p.out[d];
        r /= p.out[d];
        kc[d] = taps[d].lo[static_cast<size_t>(oc[d])];
        empty = empty || kc[d] >= taps[d].hi[static_cast<size_t>(oc[d])];
      }
      T best = std::numeric_limits<T>::lowest();
      int64_t best_idx = -1;
      const T* sp = src + plane * in_plane;
      while (!empty) {
        int64_t off = 0, cm = 0;
        for (size_t d = 0; d < D; ++d) {
          const int64_t i = oc[d] * p.stride[d] - p.pad_begin[d] + kc[d] * p.dilation[d];
          off += i * in_stride[d];
          cm += i * cm_stride[d];
        }
        if (best_idx < 0 || sp[off] > best) {
          best = sp[off];
          best_idx = p.column_major_indices ? cm : off;
        }
        size_t d = D;
        while (d-- > 0) {
          if (++kc[d] < taps[d].hi[static_cast<size_t>(oc[d])]) break;
          kc[d] = taps[d].lo[static_cast<size_t>(oc[d])];
        }
        if (d == static_cast<size_t>(-1)) break;
      }
      dst[u] = best;
      if (indices) indices[u] = best_idx < 0 ? -1 : plane * in_plane + best_idx;
    }
  });
}

template <class T, class Acc>
void pool_typed(const PoolParams& p, const T* src, T* dst, int64_t* indices, Parallel& par) {
  int64_t n_out = p.batch * p.channels;
  for (int64_t o : p.out) n_out *= o;
  if (n_out <= 0) return;
  if (p.kind == PoolKind::kMax) {
    if (indices) {
      max_with_indices<T>(p, src, dst, indices, par);
    } else {
      pool_separable<PoolKind::kMax, T, Acc>(p, src, dst, par);
    }
  } else if constexpr (std::is_floating_point_v<T>) {  // average and Lp are float-only
    if (p.kind == PoolKind::kAvg) {
      pool_separable<PoolKind::kAvg, T, Acc>(p, src, dst, par);
    } else {
      pool_separable<PoolKind::kLp, T, Acc>(p, src, dst, par);
    }
  }
}

template <class T, class Acc>
void global_typed(PoolKind kind, float pw, int64_t planes, int64_t plane, const T* src, T* dst, Parallel& par) {
  par.for_range(planes, static_cast<double>(plane) + 5, [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      const T* s = src + c * plane;
      if (kind == PoolKind::kMax) {
        T m = std::numeric_limits<T>::lowest();
        for (int64_t i = 0; i < plane; ++i) m = s[i] > m ? s[i] : m;
        dst[c] = m;
        continue;
      }
      if constexpr (!std::is_floating_point_v<T>) continue;  // average and Lp are float-only
      // Eight partial sums let the compiler vectorise without reassociation flags.
      Acc part[8] = {};
      int64_t i = 0;
      for (; i + 8 <= plane; i += 8) {
        for (int j = 0; j < 8; ++j) {
          const Acc x = static_cast<Acc>(s[i + j]);
          part[j] += kind == PoolKind::kAvg ? x : (pw == 2.f ? x * x : std::pow(std::fabs(x), static_cast<Acc>(pw)));
        }
      }
      Acc sum = 0;
      for (; i < plane; ++i) {
        const Acc x = static_cast<Acc>(s[i]);
        sum += kind == PoolKind::kAvg ? x : (pw == 2.f ? x * x : std::pow(std::fabs(x), static_cast<Acc>(pw)));
      }
      for (Acc v : part) sum += v;
      if (kind == PoolKind::kAvg) {
        dst[c] = plane > 0 ? static_cast<T>(sum / static_cast<Acc>(plane)) : std::numeric_limits<T>::quiet_NaN();
      } else {
        dst[c] = static_cast<T>(pw == 2.f ? std::sqrt(sum) : std::pow(sum, Acc(1) / static_cast<Acc>(pw)));
      }
    }
  });
}

}  // namespace

int64_t pool_out_len(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, int64_t pad_begin, int64_t pad_end,
                     bool ceil_mode) {
  const int64_t num = in + pad_begin + pad_end - ((kernel - 1) * dilation + 1);
  if (num < 0) return 0;
  int64_t out = (ceil_mode ? ceil_div(num, stride) : num / stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad_begin) --out;  // last window starts in the right pad
  return out;
}

void pool_same_pads(int64_t in, int64_t kernel, int64_t stride, int64_t dilation, bool same_upper, int64_t* out,
                    int64_t* pad_begin, int64_t* pad_end) {
  *out = ceil_div(in, stride);
  const int64_t total = std::max<int64_t>(0, (*out - 1) * stride + (kernel - 1) * dilation + 1 - in);
  *pad_begin = same_upper ? total / 2 : total - total / 2;
  *pad_end = total - *pad_begin;
}

void pool2d_f32_avx2(const PoolParams& p, const float* src, float* dst, Parallel& par);
void pool2d_f32_avx512(const PoolParams& p, const float* src, float* dst, Parallel& par);
void global_pool_f32_avx2(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par);
void global_pool_f32_avx512(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par);

namespace {
void pool2d_f32_base(const PoolParams& p, const float* src, float* dst, Parallel& par) {
  Pool2dF32<4>::run(p, src, dst, par);
}
// The separable N-D path, kept in the list as the slowest fallback and benchmark baseline.
void pool2d_f32_generic(const PoolParams& p, const float* src, float* dst, Parallel& par) {
  pool_typed<float, float>(p, src, dst, nullptr, par);
}
void global_pool_f32_base(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst, Parallel& par) {
  Pool2dF32<4>::global(kind, planes, plane, src, dst, par);
}
void global_pool_f32_generic(PoolKind kind, int64_t planes, int64_t plane, const float* src, float* dst,
                             Parallel& par) {
  global_typed<float, float>(kind, 2.f, planes, plane, src, dst, par);
}
}  // namespace

const std::vector<Pool2dF32Kernel>& pool2d_f32_kernels() {
  static const std::vector<Pool2dF32Kernel> list = {
#include "kernels/pool/kernels.inc"
  };
  return list;
}

const Pool2dF32Kernel& select_pool2d_f32(uint32_t isa) {
  for (const Pool2dF32Kernel& k : pool2d_f32_kernels()) {
    if ((k.isa & isa) == k.isa) return k;
  }
  return pool2d_f32_kernels().back();
}

bool pool2d_f32_applies(const PoolParams& p) {
  return p.in.size() == 2 && (p.kind == PoolKind::kMax || p.kind == PoolKind::kAvg);
}

void pool(const PoolParams& p, PoolType t, const void* src, void* dst, int64_t* indices, Parallel& par) {
  switch (t) {
    case PoolType::kF32:
      if (!indices && pool2d_f32_applies(p)) {
        static const Pool2dF32Fn fn = select_pool2d_f32(active_isa()).fn;
        fn(p, static_cast<const float*>(src), static_cast<float*>(dst), par);
        break;
      }
      pool_typed<float, float>(p, static_cast<const float*>(src), static_cast<float*>(dst), indices, par);
      break;
    case PoolType::kF64:
      pool_typed<double, double>(p, static_cast<const double*>(src), static_cast<double*>(dst), indices, par);
      break;
    case PoolType::kU8:
      pool_typed<uint8_t, int32_t>(p, static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), indices, par);
      break;
    case PoolType::kI8:
      pool_typed<int8_t, int32_t>(p, static_cast<const int8_t*>(src), static_cast<int8_t*>(dst), indices, par);
      break;
  }
}

void pool_f32(const PoolParams& p, const float* src, float* dst, int64_t* indices, Parallel& par) {
  pool(p, PoolType::kF32, src, dst, indices, par);
}

void global_pool(PoolKind kind, PoolType t, float pw, int64_t planes, int64_t plane, const void* src, void* dst,
                 Parallel& par) {
  switch (t) {
    case PoolType::kF32:
      if (kind != PoolKind::kLp) {
        static const GlobalPoolF32Fn fn = select_pool2d_f32(active_isa()).global_fn;
        fn(kind, planes, plane, static_cast<const float*>(src), static_cast<float*>(dst), par);
        break;
      }
      global_typed<float, float>(kind, pw, planes, plane, static_cast<const float*>(src), static_cast<float*>(dst),
                                 par);
      break;
    case PoolType::kF64:
      global_typed<double, double>(kind, pw, planes, plane, static_cast<const double*>(src), static_cast<double*>(dst),
                                   par);
      break;
    case PoolType::kU8:
      global_typed<uint8_t, int32_t>(kind, pw, planes, plane, static_cast<const uint8_t*>(src),
                                     static_cast<uint8_t*>(dst), par);
      break;
    case PoolType::kI8:
      global_typed<int8_t, int32_t>(kind, pw, planes, plane, static_cast<const int8_t*>(src), static_cast<int8_t*>(dst),
                                    par);
      break;
  }
}

}  // namespace ortl::kernels
