// RoiAlign: average or max of bilinear samples over a regular grid inside each output bin.
//
// Per RoI, the four corner indices and weights of every sample point are computed once (the
// pre-calc table of onnxruntime and the onnx reference) and reused for every channel. Max mode
// takes, as the reference does, the maximum over samples of the largest weighted corner.
// Parallel over (RoI, channel) pairs after a per-RoI table.
#include <algorithm>
#include <cmath>

#include "kernels/vision/vision.h"

namespace ortl::kernels {
namespace {

template <class T>
struct Sample {
  int64_t pos[4];
  T w[4];
};

template <class T>
void build_table(const RoiAlignParams& p, const T* roi, int64_t& grid_h, int64_t& grid_w,
                 std::vector<Sample<T>>& table) {
  const T offset = p.half_pixel ? T(0.5) : T(0);
  const T scale = static_cast<T>(p.spatial_scale);
  const T start_w = roi[0] * scale - offset, start_h = roi[1] * scale - offset;
  const T end_w = roi[2] * scale - offset, end_h = roi[3] * scale - offset;
  T roi_w = end_w - start_w, roi_h = end_h - start_h;
  if (!p.half_pixel) {  // malformed RoIs are forced to 1x1
    roi_w = std::max(roi_w, T(1));
    roi_h = std::max(roi_h, T(1));
  }
  const T bin_h = roi_h / static_cast<T>(p.out_h), bin_w = roi_w / static_cast<T>(p.out_w);
  auto adaptive = [](T v) {
    const T c = std::ceil(v);
    return c > 0 && c < T(1 << 20) ? static_cast<int64_t>(c) : int64_t{0};
  };
  grid_h = p.sampling_ratio > 0 ? p.sampling_ratio : adaptive(roi_h / static_cast<T>(p.out_h));
  grid_w = p.sampling_ratio > 0 ? p.sampling_ratio : adaptive(roi_w / static_cast<T>(p.out_w));
  table.clear();
  table.reserve(static_cast<size_t>(p.out_h * p.out_w * grid_h * grid_w));
  const T height = static_cast<T>(p.height), width = static_cast<T>(p.width);
  for (int64_t ph = 0; ph < p.out_h; ++ph) {
    for (int64_t pw = 0; pw < p.out_w; ++pw) {
      for (int64_t iy = 0; iy < grid_h; ++iy) {
        const T yy =
            start_h + static_cast<T>(ph) * bin_h + (static_cast<T>(iy) + T(0.5)) * bin_h / static_cast<T>(grid_h);
        for (int64_t ix = 0; ix < grid_w; ++ix) {
          const T xx =
              start_w + static_cast<T>(pw) * bin_w + (static_cast<T>(ix) + T(0.5)) * bin_w / static_cast<T>(grid_w);
          Sample<T> s{{0, 0, 0, 0}, {0, 0, 0, 0}};
          // Points outside the feature map (beyond one pixel) contribute zero; NaN too.
          if (!(yy >= T(-1) && yy <= height && xx >= T(-1) && xx <= width)) {
            table.push_back(s);
            continue;
          }
          T y = std::max(yy, T(0)), x = std::max(xx, T(0));
          int64_t y_lo = static_cast<int64_t>(y), x_lo = static_cast<int64_t>(x), y_hi, x_hi;
          if (y_lo >= p.height - 1) {
            y_hi = y_lo = p.height - 1;
            y = static_cast<T>(y_lo);
          } else {
            y_hi = y_lo + 1;
          }
          if (x_lo >= p.width - 1) {
            x_hi = x_lo = p.width - 1;
            x = static_cast<T>(x_lo);
          } else {
            x_hi = x_lo + 1;
          }
          const T ly = y - static_cast<T>(y_lo), lx = x - static_cast<T>(x_lo);
          const T hy = 1 - ly, hx = 1 - lx;
          s.pos[0] = y_lo * p.width + x_lo;
          s.pos[1] = y_lo * p.width + x_hi;
          s.pos[2] = y_hi * p.width + x_lo;
          s.pos[3] = y_hi * p.width + x_hi;
          s.w[0] = hy * hx;
          s.w[1] = hy * lx;
          s.w[2] = ly * hx;
          s.w[3] = ly * lx;
          table.push_back(s);
        }
      }
    }
  }
}

}  // namespace

template <class T>
void roi_align(const RoiAlignParams& p, const T* x, const T* rois, const int64_t* batch_index, T* y, Parallel& par) {
  const int64_t plane = p.height * p.width, bins = p.out_h * p.out_w;
  if (p.num_rois == 0 || p.channels == 0 || bins == 0) return;
  if (plane == 0) {  // nothing to sample: every sample reads zero
    std::fill(y, y + p.num_rois * p.channels * bins, T(0));
    return;
  }
  par.for_range(p.num_rois, static_cast<double>(p.channels * bins) * 16.0, [&](int64_t r0, int64_t r1) {
    std::vector<Sample<T>> table;
    for (int64_t r = r0; r < r1; ++r) {
      int64_t gh = 0, gw = 0;
      build_table(p, rois + r * 4, gh, gw, table);
      const int64_t per_bin = gh * gw;
      const T count = static_cast<T>(std::max<int64_t>(per_bin, 1));
      for (int64_t c = 0; c < p.channels; ++c) {
        const T* src = x + (batch_index[r] * p.channels + c) * plane;
        T* dst = y + (r * p.channels + c) * bins;
        for (int64_t b = 0; b < bins; ++b) {
          const Sample<T>* s = table.data() + b * per_bin;
          T acc = 0;
          for (int64_t i = 0; i < per_bin; ++i) {
            const Sample<T>& t = s[i];
            if (p.max_mode) {
              const T v = std::max(std::max(t.w[0] * src[t.pos[0]], t.w[1] * src[t.pos[1]]),
                                   std::max(t.w[2] * src[t.pos[2]], t.w[3] * src[t.pos[3]]));
              acc = i == 0 ? v : std::max(acc, v);
            } else {
              acc += t.w[0] * src[t.pos[0]] + t.w[1] * src[t.pos[1]] + t.w[2] * src[t.pos[2]] + t.w[3] * src[t.pos[3]];
            }
          }
          dst[b] = p.max_mode ? acc : acc / count;
        }
      }
    }
  });
}

template void roi_align<float>(const RoiAlignParams&, const float*, const float*, const int64_t*, float*, Parallel&);
template void roi_align<double>(const RoiAlignParams&, const double*, const double*, const int64_t*, double*,
                                Parallel&);

}  // namespace ortl::kernels
