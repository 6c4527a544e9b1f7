// GridSample (N-d nearest / linear / cubic, zeros / border / reflection padding) and AffineGrid.
//
// For each output position the grid coordinate of every spatial dim is denormalized, padded,
// and turned into up to 4 (index, weight) taps per dim; their tensor product is the position's
// tap list (at most 4^r entries; out-of-image taps under zeros padding are dropped). Positions
// are processed in blocks of kBlock whose tap lists are built once and then applied to every
// channel, so the coordinate maths is paid once per position, not once per channel.
// The numerics follow the onnx reference (onnx/reference/ops/op_grid_sample.py, itself
// PyTorch's GridSampler): cubic uses Keys' kernel with a = -0.75, nearest rounds half to even.
#include <algorithm>
#include <cmath>

#include "kernels/vision/vision.h"

namespace ortl::kernels {
namespace {

constexpr int64_t kBlock = 64;

template <class T>
T denormalize(T v, int64_t len, bool align_corners) {
  return align_corners ? (v + 1) / 2 * static_cast<T>(len - 1) : ((v + 1) * static_cast<T>(len) - 1) / 2;
}

// Reflects x into [lo, hi] by folding at the nearer border until inside.
template <class T>
T reflect(T x, T lo, T hi) {
  const T range = hi - lo;
  if (!(range > 0)) return lo;
  if (x >= lo && x <= hi) return x;
  const T d = x < lo ? lo - x : x - hi;
  const T flips = std::floor(d / range);
  const T r = d - flips * range;
  const bool even = std::fmod(flips, T(2)) == 0;
  if (x < lo) return even ? lo + r : hi - r;
  return even ? hi - r : lo + r;
}

template <class T>
void cubic_coeffs(T t, T c[4]) {
  constexpr T a = T(-0.75);
  const T t1 = t + 1, t2 = 1 - t, t3 = 2 - t;
  c[0] = ((a * t1 - 5 * a) * t1 + 8 * a) * t1 - 4 * a;
  c[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
  c[2] = ((a + 2) * t2 - (a + 3)) * t2 * t2 + 1;
  c[3] = ((a * t3 - 5 * a) * t3 + 8 * a) * t3 - 4 * a;
}

// Index of tap i along a dim of length len, or -1 when it reads the zero padding.
template <class T>
int64_t resolve(int64_t i, int64_t len, GridPadding pad, T lo, T hi) {
  if (i >= 0 && i < len) return i;
  switch (pad) {
    case GridPadding::kZeros: return -1;
    case GridPadding::kBorder: return i < 0 ? 0 : len - 1;
    case GridPadding::kReflection: break;
  }
  const T r = reflect(static_cast<T>(i), lo, hi);
  return std::clamp<int64_t>(static_cast<int64_t>(r), 0, len - 1);
}

// Clamps a coordinate to a range that converts to int64 safely (NaN -> far outside).
template <class T>
T safe_coord(T x) {
  if (std::isnan(x)) return T(-1e9);
  return std::clamp(x, T(-1e9), T(1e9));
}

template <class T>
struct Taps {
  std::vector<int64_t> off;
  std::vector<T> w;
};

template <class T>
class GridSampler {
 public:
  GridSampler(const GridSampleParams& p) : p_(p), r_(static_cast<int>(p.in_spatial.size())) {
    stride_.assign(r_, 1);
    for (int d = r_ - 1; d > 0; --d) stride_[d - 1] = stride_[d] * p.in_spatial[d];
    for (int d = 0; d < r_; ++d) {
      const int64_t len = p.in_spatial[d];
      lo_.push_back(p.align_corners ? T(0) : T(-0.5));
      hi_.push_back(p.align_corners ? static_cast<T>(len - 1) : static_cast<T>(len) - T(0.5));
    }
  }

  // Writes the taps of the position whose normalized coordinates are g[0..r) (reverse order)
  // to off / w (room for taps_per^r) and returns their count.
  int taps(const T* g, int64_t* off, T* w) const {
    int64_t idx[8][4];
    T wt[8][4];
    int nt[8];
    for (int d = 0; d < r_; ++d) {
      const int64_t len = p_.in_spatial[d];
      T x = denormalize(g[r_ - 1 - d], len, p_.align_corners);
      if (p_.mode == GridMode::kNearest) x = std::nearbyint(x);
      if (x < lo_[d] || x > hi_[d]) {
        if (p_.padding == GridPadding::kBorder) x = std::clamp(x, T(0), static_cast<T>(len - 1));
        if (p_.padding == GridPadding::kReflection) x = reflect(x, lo_[d], hi_[d]);
      }
      x = safe_coord(x);
      if (p_.mode == GridMode::kNearest) {
        idx[d][0] = resolve(static_cast<int64_t>(x), len, p_.padding, lo_[d], hi_[d]);
        wt[d][0] = 1;
        nt[d] = 1;
        continue;
      }
      const T f = std::floor(x);
      const int64_t x0 = static_cast<int64_t>(f);
      const T t = x - f;
      if (p_.mode == GridMode::kLinear) {
        idx[d][0] = resolve(x0, len, p_.padding, lo_[d], hi_[d]);
        idx[d][1] = resolve(x0 + 1, len, p_.padding, lo_[d], hi_[d]);
        wt[d][0] = 1 - t;
        wt[d][1] = t;
        nt[d] = 2;
      } else {
        cubic_coeffs(t, wt[d]);
        for (int k = 0; k < 4; ++k) idx[d][k] = resolve(x0 - 1 + k, len, p_.padding, lo_[d], hi_[d]);
        nt[d] = 4;
      }
    }
    // Tensor product of the per-dim taps, skipping zero-padding reads.
    int k[8] = {0};
    int count = 0;
    for (;;) {
      int64_t o = 0;
      T weight = 1;
      bool inside = true;
      for (int d = 0; d < r_; ++d) {
        if (idx[d][k[d]] < 0) inside = false;
        o += idx[d][k[d]] * stride_[d];
        weight *= wt[d][k[d]];
      }
      if (inside) {
        off[count] = o;
        w[count++] = weight;
      }
      int d = r_ - 1;
      while (d >= 0 && ++k[d] == nt[d]) k[d--] = 0;
      if (d < 0) break;
    }
    return count;
  }

 private:
  const GridSampleParams& p_;
  int r_;
  std::vector<int64_t> stride_;
  std::vector<T> lo_, hi_;
};

}  // namespace

template <class T>
void grid_sample(const GridSampleParams& p, const T* x, const T* grid, T* y, Parallel& par) {
  const int r = static_cast<int>(p.in_spatial.size());
  int64_t in_size = 1, out_size = 1;
  for (int64_t d : p.in_spatial) in_size *= d;
  for (int64_t d : p.out_spatial) out_size *= d;
  const int64_t blocks = (out_size + kBlock - 1) / kBlock;
  if (p.batch == 0 || out_size == 0 || p.channels == 0) return;
  GridSampler<T> sampler(p);
  const int taps_per = p.mode == GridMode::kNearest ? 1 : (p.mode == GridMode::kLinear ? 2 : 4);
  int cap = 1;  // taps a position can have
  for (int d = 0; d < r; ++d) cap *= taps_per;
  const double cost = static_cast<double>(kBlock) * (p.channels * cap + 20.0 * r);
  par.for_range(p.batch * blocks, cost, [&](int64_t b0, int64_t b1) {
    std::vector<int64_t> off(static_cast<size_t>(kBlock * cap));
    std::vector<T> w(static_cast<size_t>(kBlock * cap));
    int cnt[kBlock];
    for (int64_t b = b0; b < b1; ++b) {
      const int64_t n = b / blocks, p0 = (b % blocks) * kBlock, np = std::min(out_size - p0, kBlock);
      for (int64_t q = 0; q < np; ++q) {
        cnt[q] = sampler.taps(grid + (n * out_size + p0 + q) * r, off.data() + q * cap, w.data() + q * cap);
      }
      for (int64_t c = 0; c < p.channels; ++c) {
        const T* src = x + (n * p.channels + c) * in_size;
        T* dst = y + (n * p.channels + c) * out_size + p0;
        for (int64_t q = 0; q < np; ++q) {
          const int64_t* o = off.data() + q * cap;
          const T* wq = w.data() + q * cap;
          T acc = 0;
          if (cnt[q] == 4) {  // four taps (bilinear inside the image, the common case): unrolled
            acc = (wq[0] * src[o[0]] + wq[1] * src[o[1]]) + (wq[2] * src[o[2]] + wq[3] * src[o[3]]);
          } else {
            for (int t = 0; t < cnt[q]; ++t) acc += wq[t] * src[o[t]];
          }
          dst[q] = acc;
        }
      }
    }
  });
}

template <class T>
void affine_grid(const T* theta, int64_t batch, const VDims& spatial, bool align_corners, T* grid) {
  const int r = static_cast<int>(spatial.size());  // 2 or 3
  // Base coordinate i of a dim of length len, in [-1, 1].
  auto base = [&](int64_t i, int64_t len) -> double {
    if (align_corners) return len > 1 ? -1.0 + 2.0 * static_cast<double>(i) / static_cast<double>(len - 1) : -1.0;
    return -1.0 + (2.0 * static_cast<double>(i) + 1.0) / static_cast<double>(len);
  };
  int64_t points = 1;
  for (int64_t d : spatial) points *= d;
  const int cols = r + 1;
  for (int64_t n = 0; n < batch; ++n) {
    const T* th = theta + n * r * cols;
    for (int64_t q = 0; q < points; ++q) {
      // Homogeneous coordinate (x, y, [z,] 1): x runs along the last spatial dim.
      double h[4];
      int64_t rem = q;
      for (int d = r - 1; d >= 0; --d) {
        h[r - 1 - d] = base(rem % spatial[d], spatial[d]);
        rem /= spatial[d];
      }
      h[r] = 1.0;
      T* g = grid + (n * points + q) * r;
      for (int i = 0; i < r; ++i) {
        double acc = 0;
        for (int j = 0; j < cols; ++j) acc += static_cast<double>(th[i * cols + j]) * h[j];
        g[i] = static_cast<T>(acc);
      }
    }
  }
}

template void grid_sample<float>(const GridSampleParams&, const float*, const float*, float*, Parallel&);
template void grid_sample<double>(const GridSampleParams&, const double*, const double*, double*, Parallel&);
template void affine_grid<float>(const float*, int64_t, const VDims&, bool, float*);
template void affine_grid<double>(const double*, int64_t, const VDims&, bool, double*);

}  // namespace ortl::kernels
