// Resize fast path (plain C++, written for auto-vectorisation).
//
// Per-axis tables (source indices and weights per output index) are built once per run from
// resize_coords.h. Nearest is then one fused N-d gather; linear and cubic run one separable pass
// per resized axis, as the onnx reference does. A pass along an inner axis (I > 1 contiguous
// elements per tap) is a weighted sum of whole rows, which vectorises; the pass along the last
// axis is a short gather-dot per output element, so passes run in the cheapest order (on
// 3x224x224 -> 512x512 bilinear, last axis first halves the time). Axes that do not change are
// skipped; for nearest, trailing unchanged axes collapse into blocks, repeated source rows are
// copied, and integer upsampling of a row is a repeat instead of a gather (3x on 2x nearest).
#include "kernels/resize/resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace ortl::kernels {

bool resize_axis_is_identity(const ResizeParams& p, int a) {
  // math.isclose(scale, 1.0) and roi == (0, 1) exactly as the reference tests them.
  const double s = p.scales[a];
  if (p.in_shape[a] != p.out_shape[a] || std::fabs(s - 1.0) > 1e-9 * std::max(std::fabs(s), 1.0)) return false;
  if (p.roi_start.empty()) return true;
  const double r0 = p.roi_start[a], r1 = p.roi_end[a];
  return r0 == 0.0 && std::fabs(r1 - 1.0) <= 1e-9 * std::max(std::fabs(r1), 1.0);
}

ResizeAxisTable resize_axis_table(const ResizeParams& p, int a) {
  ResizeAxisTable t;
  const int64_t L = p.in_shape[a], M = p.out_shape[a];
  const double scale = p.scales[a];
  const double r0 = p.roi_start.empty() ? 0.0 : p.roi_start[a];
  const double r1 = p.roi_end.empty() ? 1.0 : p.roi_end[a];
  t.in_len = L;
  t.out_len = M;
  const bool nearest = p.mode == ResizeMode::kNearest;
  t.taps = nearest ? 1 : resize_tap_window(p.mode, p.antialias, 0.5, scale).taps;
  t.idx.assign(static_cast<size_t>(M * t.taps), 0);
  t.w.assign(static_cast<size_t>(M * t.taps), 0.f);
  bool all_one = true;
  std::vector<double> wd(static_cast<size_t>(t.taps));
  for (int64_t o = 0; o < M; ++o) {
    const double x = resize_source_coord(p.coord, static_cast<double>(o), scale, L, M, r0, r1);
    int64_t* idx = t.idx.data() + o * t.taps;
    float* w = t.w.data() + o * t.taps;
    if (resize_is_extrapolated(p.coord, x, L)) {
      if (t.extrap.empty()) t.extrap.assign(static_cast<size_t>(M), 0);
      t.extrap[static_cast<size_t>(o)] = 1;
      continue;
    }
    if (nearest) {
      const int64_t i = resize_nearest_index(p.nearest, x, scale < 1);
      const bool outside = i < 0 || i >= L;
      w[0] = p.exclude_outside && outside ? 0.f : 1.f;
      all_one = all_one && w[0] == 1.f;
      idx[0] = std::clamp<int64_t>(i, 0, L - 1);
      continue;
    }
    const ResizeTapWindow win = resize_tap_window(p.mode, p.antialias, x, scale);
    double sum = 0;
    for (int k = 0; k < t.taps; ++k) {
      wd[k] = resize_tap_weight(p.mode, p.cubic_a, win.filter_scale, static_cast<double>(win.first + k), x);
      sum += wd[k];
    }
    if (p.antialias && sum != 0) {
      for (double& v : wd) v /= sum;
    }
    if (p.exclude_outside) {
      double kept = 0;
      for (int k = 0; k < t.taps; ++k) {
        const int64_t i = win.first + k;
        if (i < 0 || i >= L) wd[k] = 0;
        kept += wd[k];
      }
      if (kept != 0) {
        for (double& v : wd) v /= kept;
      }
    }
    for (int k = 0; k < t.taps; ++k) {
      idx[k] = std::clamp<int64_t>(win.first + k, 0, L - 1);
      w[k] = static_cast<float>(wd[k]);
    }
  }
  t.pure_gather = nearest && all_one && t.extrap.empty();
  return t;
}

namespace {

int64_t product(const std::vector<int64_t>& v, size_t b, size_t e) {
  int64_t n = 1;
  for (size_t i = b; i < e; ++i) n *= v[i];
  return n;
}

// Axes that really change, in processing order; empty when the resize is a copy.
std::vector<int> active_axes(const ResizeParams& p) {
  std::vector<int> out;
  for (int a : p.axes) {
    if (!resize_axis_is_identity(p, a)) out.push_back(a);
  }
  return out;
}

// ---- nearest: one fused gather ----------------------------------------------------------------

// Per-axis source index of each output index, plus the special value (0 normal, 1 zero from
// exclude_outside, 2 fill from extrapolation) and its priority: the reference resizes axes one
// after the other, so the last processed axis with a special decides the element.
struct NearestAxis {
  std::vector<int64_t> idx;
  std::vector<uint8_t> special;  // empty when none
  int prio = -1;
};

template <class T, int k>
void repeat_row(const T* __restrict s, T* __restrict d, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    for (int r = 0; r < k; ++r) d[i * k + r] = s[i];
  }
}

template <class T>
void nearest_gather(const ResizeParams& p, const std::vector<int>& act, T fill, const T* src, T* dst, Parallel& par) {
  const int last = *std::max_element(act.begin(), act.end());
  const int R = last + 1;
  const int64_t I = product(p.in_shape, static_cast<size_t>(R), p.in_shape.size());  // trailing block
  std::vector<NearestAxis> ax(static_cast<size_t>(R));
  bool any_special = false;
  for (int a = 0; a < R; ++a) {
    NearestAxis& n = ax[static_cast<size_t>(a)];
    const auto it = std::find(act.begin(), act.end(), a);
    if (it == act.end()) {
      n.idx.resize(static_cast<size_t>(p.out_shape[a]));
      for (int64_t o = 0; o < p.out_shape[a]; ++o) n.idx[static_cast<size_t>(o)] = o;
      continue;
    }
    n.prio = static_cast<int>(it - act.begin());
    ResizeAxisTable t = resize_axis_table(p, a);
    n.idx = std::move(t.idx);
    if (!t.pure_gather) {
      any_special = true;
      n.special.assign(n.idx.size(), 0);
      for (size_t o = 0; o < n.idx.size(); ++o) {
        if (!t.extrap.empty() && t.extrap[o]) {
          n.special[o] = 2;
        } else if (t.w[o] == 0.f) {
          n.special[o] = 1;
        }
      }
    }
  }
  std::vector<int64_t> in_stride(static_cast<size_t>(R));
  int64_t s = I;
  for (int a = R - 1; a >= 0; --a) {
    in_stride[static_cast<size_t>(a)] = s;
    s *= p.in_shape[a];
  }
  const NearestAxis& inner = ax[static_cast<size_t>(R - 1)];
  const int64_t W = p.out_shape[R - 1];
  const int64_t row_len = W * I;
  const int64_t rows = product(p.out_shape, 0, static_cast<size_t>(R - 1));
  const int64_t inner_stride = in_stride[static_cast<size_t>(R - 1)];
  // Integer upsampling along the row (idx[o] = o / k, the common 2x nearest): a repeat, not a gather.
  int64_t repeat = 0;
  if (I == 1 && W % p.in_shape[R - 1] == 0 && W > p.in_shape[R - 1]) {
    repeat = W / p.in_shape[R - 1];
    for (int64_t o = 0; o < W && repeat; ++o) {
      if (inner.idx[static_cast<size_t>(o)] != o / repeat) repeat = 0;
    }
  }

  par.for_range(rows, 0.5 * static_cast<double>(row_len) + 5, [&](int64_t b, int64_t e) {
    std::vector<int64_t> c(static_cast<size_t>(R), 0);
    for (int64_t r = b, a = R - 2; a >= 0; --a) {
      c[static_cast<size_t>(a)] = r % p.out_shape[a];
      r /= p.out_shape[a];
    }
    int64_t prev_base = -1;
    for (int64_t r = b; r < e; ++r) {
      int64_t base = 0;
      int row_prio = -1;
      uint8_t row_special = 0;
      for (int a = 0; a < R - 1; ++a) {
        const NearestAxis& n = ax[static_cast<size_t>(a)];
        const size_t o = static_cast<size_t>(c[static_cast<size_t>(a)]);
        base += n.idx[o] * in_stride[static_cast<size_t>(a)];
        if (!n.special.empty() && n.special[o] && n.prio > row_prio) {
          row_prio = n.prio;
          row_special = n.special[o];
        }
      }
      T* d = dst + r * row_len;
      if (!any_special && base == prev_base) {
        std::memcpy(d, d - row_len, static_cast<size_t>(row_len) * sizeof(T));  // repeated source row
      } else if (!any_special && I == 1 && repeat == 2) {
        repeat_row<T, 2>(src + base, d, W / 2);
      } else if (!any_special && I == 1 && repeat > 2) {
        const T* srow = src + base;
        for (int64_t i = 0; i < W / repeat; ++i) std::fill(d + i * repeat, d + (i + 1) * repeat, srow[i]);
      } else if (!any_special && I == 1) {
        const T* srow = src + base;
        const int64_t* ix = inner.idx.data();
        for (int64_t o = 0; o < W; ++o) d[o] = srow[ix[o]];
      } else {
        for (int64_t o = 0; o < W; ++o) {
          uint8_t sp = row_special;
          if (!inner.special.empty() && inner.special[static_cast<size_t>(o)] && inner.prio > row_prio) {
            sp = inner.special[static_cast<size_t>(o)];
          }
          T* dd = d + o * I;
          if (sp == 0) {
            std::memcpy(dd, src + base + inner.idx[static_cast<size_t>(o)] * inner_stride,
                        static_cast<size_t>(I) * sizeof(T));
          } else {
            std::fill(dd, dd + I, sp == 2 ? fill : T{});
          }
        }
      }
      prev_base = any_special ? -1 : base;
      for (int a = R - 2; a >= 0; --a) {  // odometer over the outer output coordinates
        if (++c[static_cast<size_t>(a)] < p.out_shape[a]) break;
        c[static_cast<size_t>(a)] = 0;
      }
    }
  });
}

// ---- linear / cubic: separable passes ---------------------------------------------------------

template <class Tout, class Acc>
inline Tout store(Acc v) {
  if constexpr (std::is_integral_v<Tout>) {
    const Acc r = std::nearbyint(v);  // half to even, as numpy's round
    const Acc lo = static_cast<Acc>(std::numeric_limits<Tout>::min());
    const Acc hi = static_cast<Acc>(std::numeric_limits<Tout>::max());
    return static_cast<Tout>(r < lo ? lo : (r > hi ? hi : r));
  } else {
    return static_cast<Tout>(v);
  }
}

// One pass along an axis: src [O, L, I] -> dst [O, M, I] with the axis table.
template <class Tin, class Tout, class Acc>
void resize_pass(const Tin* src, Tout* dst, int64_t O, int64_t L, int64_t M, int64_t I, const ResizeAxisTable& t,
                 Acc ext, Parallel& par) {
  const int taps = t.taps;
  par.for_range(O * M, static_cast<double>(I * taps) * 0.5 + 2, [&](int64_t b, int64_t e) {
    std::vector<Acc> acc;
    if constexpr (!std::is_same_v<Tout, Acc>) acc.resize(static_cast<size_t>(I));
    int64_t o = b / M, m = b % M;
    for (int64_t u = b; u < e; ++u) {
      Tout* d = dst + u * I;
      const Tin* s = src + o * L * I;
      const int64_t* ix = t.idx.data() + m * taps;
      const float* w = t.w.data() + m * taps;
      if (!t.extrap.empty() && t.extrap[static_cast<size_t>(m)]) {
        std::fill(d, d + I, store<Tout, Acc>(ext));
      } else if (I == 1) {
        Acc sum = 0;
        for (int k = 0; k < taps; ++k) sum += static_cast<Acc>(w[k]) * static_cast<Acc>(s[ix[k]]);
        d[0] = store<Tout, Acc>(sum);
      } else {
        Acc* a;
        if constexpr (std::is_same_v<Tout, Acc>) {
          a = d;
        } else {
          a = acc.data();
        }
        {
          const Tin* s0 = s + ix[0] * I;
          const Acc w0 = static_cast<Acc>(w[0]);
          for (int64_t i = 0; i < I; ++i) a[i] = w0 * static_cast<Acc>(s0[i]);
        }
        for (int k = 1; k < taps; ++k) {
          const Tin* sk = s + ix[k] * I;
          const Acc wk = static_cast<Acc>(w[k]);
          for (int64_t i = 0; i < I; ++i) a[i] += wk * static_cast<Acc>(sk[i]);
        }
        if constexpr (!std::is_same_v<Tout, Acc>) {
          for (int64_t i = 0; i < I; ++i) d[i] = store<Tout, Acc>(a[i]);
        }
      }
      if (++m == M) {
        m = 0;
        ++o;
      }
    }
  });
}

// Without extrapolation the per-axis passes are linear maps that commute, so any order gives
// the same result up to rounding; pick the cheapest. A pass costs (elements it writes) x taps,
// four times more along the last axis, where each output is a gather rather than a slice of a
// vectorised row update. (tf_crop_and_resize keeps the reference's order: there, extrapolated
// values flow through the later passes.)
std::vector<int> cheapest_order(const ResizeParams& p, std::vector<int> act) {
  if (act.size() < 2 || act.size() > 5) return act;
  const int last = static_cast<int>(p.in_shape.size()) - 1;
  std::vector<int> best = act, perm = act;
  std::sort(perm.begin(), perm.end());
  double best_cost = -1;
  do {
    std::vector<int64_t> shape = p.in_shape;
    double cost = 0;
    for (int a : perm) {
      shape[static_cast<size_t>(a)] = p.out_shape[static_cast<size_t>(a)];
      const int taps = p.mode == ResizeMode::kNearest
                           ? 1
                           : resize_tap_window(p.mode, p.antialias, 0.5, p.scales[static_cast<size_t>(a)]).taps;
      cost += static_cast<double>(product(shape, 0, shape.size())) * taps * (a == last ? 4.0 : 1.0);
    }
    if (best_cost < 0 || cost < best_cost) {
      best_cost = cost;
      best = perm;
    }
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

template <class T, class Acc>
void resize_separable(const ResizeParams& p, std::vector<int> act, const T* src, T* dst, Parallel& par) {
  if (p.coord != ResizeCoordMode::kTfCropAndResize) act = cheapest_order(p, act);
  std::vector<int64_t> shape = p.in_shape;
  std::vector<Acc> buf[2];
  const Acc ext = static_cast<Acc>(p.extrapolation_value);
  const Acc* cur = nullptr;  // the previous pass' output; nullptr: read src
  for (size_t k = 0; k < act.size(); ++k) {
    const int a = act[k];
    const size_t ua = static_cast<size_t>(a);
    const ResizeAxisTable t = resize_axis_table(p, a);
    const int64_t O = product(shape, 0, ua), L = shape[ua], M = p.out_shape[ua];
    const int64_t I = product(shape, ua + 1, shape.size());
    shape[ua] = M;
    const bool last = k + 1 == act.size();
    if (last) {
      if (cur)
        resize_pass<Acc, T, Acc>(cur, dst, O, L, M, I, t, ext, par);
      else
        resize_pass<T, T, Acc>(src, dst, O, L, M, I, t, ext, par);
    } else {
      std::vector<Acc>& out = buf[k % 2];
      out.resize(static_cast<size_t>(product(shape, 0, shape.size())));
      if (cur)
        resize_pass<Acc, Acc, Acc>(cur, out.data(), O, L, M, I, t, ext, par);
      else
        resize_pass<T, Acc, Acc>(src, out.data(), O, L, M, I, t, ext, par);
      cur = out.data();
    }
  }
}

bool has_empty_source(const ResizeParams& p) {
  for (size_t a = 0; a < p.in_shape.size(); ++a) {
    if (p.in_shape[a] == 0 && p.out_shape[a] != 0) return true;
  }
  return false;
}

size_t type_size(ResizeType t) {
  switch (t) {
    case ResizeType::kF64: return 8;
    case ResizeType::kU8:
    case ResizeType::kI8: return 1;
    case ResizeType::kF32:
    default: return 4;
  }
}

template <class T>
void resize_typed(const ResizeParams& p, const T* src, T* dst, Parallel& par) {
  const std::vector<int> act = active_axes(p);
  const int64_t n_out = product(p.out_shape, 0, p.out_shape.size());
  if (n_out == 0) return;
  if (act.empty()) {
    std::memcpy(dst, src, static_cast<size_t>(n_out) * sizeof(T));
    return;
  }
  if (p.mode == ResizeMode::kNearest) {
    const T fill = store<T, double>(static_cast<double>(p.extrapolation_value));
    resize_nearest(p, sizeof(T), &fill, src, dst, par);
  } else if constexpr (std::is_same_v<T, double>) {
    resize_separable<T, double>(p, act, src, dst, par);
  } else {
    resize_separable<T, float>(p, act, src, dst, par);
  }
}

}  // namespace

void resize_nearest(const ResizeParams& p, size_t elem_size, const void* fill, const void* src, void* dst,
                    Parallel& par) {
  const int64_t n_out = product(p.out_shape, 0, p.out_shape.size());
  if (n_out == 0) return;
  if (has_empty_source(p)) {  // the op layer rejects this; never read an empty input
    std::memset(dst, 0, static_cast<size_t>(n_out) * elem_size);
    return;
  }
  const std::vector<int> act = active_axes(p);
  if (act.empty()) {
    std::memcpy(dst, src, static_cast<size_t>(n_out) * elem_size);
    return;
  }
  auto run = [&](auto tag) {
    using T = decltype(tag);
    T f;
    std::memcpy(&f, fill, sizeof(T));
    nearest_gather<T>(p, act, f, static_cast<const T*>(src), static_cast<T*>(dst), par);
  };
  switch (elem_size) {
    case 1: run(uint8_t{}); break;
    case 2: run(uint16_t{}); break;
    case 4: run(uint32_t{}); break;
    case 8: run(uint64_t{}); break;
    default: break;
  }
}

void resize(const ResizeParams& p, ResizeType t, const void* src, void* dst, Parallel& par) {
  if (has_empty_source(p)) {
    std::memset(dst, 0, static_cast<size_t>(product(p.out_shape, 0, p.out_shape.size())) * type_size(t));
    return;
  }
  switch (t) {
    case ResizeType::kF32: resize_typed(p, static_cast<const float*>(src), static_cast<float*>(dst), par); break;
    case ResizeType::kF64: resize_typed(p, static_cast<const double*>(src), static_cast<double*>(dst), par); break;
    case ResizeType::kU8: resize_typed(p, static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), par); break;
    case ResizeType::kI8: resize_typed(p, static_cast<const int8_t*>(src), static_cast<int8_t*>(dst), par); break;
  }
}

void resize_f32(const ResizeParams& p, const float* src, float* dst, Parallel& par) {
  resize(p, ResizeType::kF32, src, dst, par);
}

std::string resize_kernel_name(const ResizeParams& p, ResizeType t) {
  static const char* const kModes[] = {"nearest", "linear", "cubic"};
  static const char* const kTypes[] = {"f32", "f64", "u8", "i8"};
  std::string name = std::string("resize_") + kModes[static_cast<int>(p.mode)];
  if (p.antialias && p.mode != ResizeMode::kNearest) name += "_aa";
  return name + "_" + kTypes[static_cast<int>(t)] + "_generic";
}

}  // namespace ortl::kernels
