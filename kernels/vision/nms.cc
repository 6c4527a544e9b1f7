// NonMaxSuppression: greedy per (batch, class) selection by descending score.
//
// Candidates (score > threshold when one is given) are stably sorted by score, so equal scores
// keep ascending box order, the order of the onnx reference and onnxruntime. Each candidate is
// checked against the boxes kept so far in its class; corners are normalized once per class
// (min/max of each coordinate pair), so flipped boxes work. All arithmetic is float, as in the
// reference, so IoU values on the threshold compare the same way.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "kernels/vision/vision.h"

namespace ortl::kernels {
namespace {

struct Box {
  float x_min, y_min, x_max, y_max, area;
};

Box corners(const float* b, bool center) {
  Box r{};
  if (center) {
    const float hw = b[2] / 2, hh = b[3] / 2;
    r = {b[0] - hw, b[1] - hh, b[0] + hw, b[1] + hh, 0.f};
  } else {
    r = {std::min(b[1], b[3]), std::min(b[0], b[2]), std::max(b[1], b[3]), std::max(b[0], b[2]), 0.f};
  }
  r.area = (r.x_max - r.x_min) * (r.y_max - r.y_min);
  return r;
}

// True when box a suppresses box b (IoU strictly above the threshold).
bool suppresses(const Box& a, const Box& b, float iou_threshold) {
  const float ix_min = std::max(a.x_min, b.x_min), ix_max = std::min(a.x_max, b.x_max);
  if (ix_max <= ix_min) return false;
  const float iy_min = std::max(a.y_min, b.y_min), iy_max = std::min(a.y_max, b.y_max);
  if (iy_max <= iy_min) return false;
  const float inter = (ix_max - ix_min) * (iy_max - iy_min);
  if (inter <= 0) return false;
  const float uni = a.area + b.area - inter;
  if (a.area <= 0 || b.area <= 0 || uni <= 0) return false;
  return inter / uni > iou_threshold;
}

}  // namespace

std::vector<int64_t> non_max_suppression(const NmsParams& p, const float* boxes, const float* scores) {
  std::vector<int64_t> out;
  if (p.max_per_class <= 0) return out;
  std::vector<Box> bx(static_cast<size_t>(p.boxes));
  std::vector<int64_t> order;
  std::vector<int64_t> kept;
  for (int64_t b = 0; b < p.batches; ++b) {
    for (int64_t i = 0; i < p.boxes; ++i) bx[i] = corners(boxes + (b * p.boxes + i) * 4, p.center_point_box);
    for (int64_t c = 0; c < p.classes; ++c) {
      const float* s = scores + (b * p.classes + c) * p.boxes;
      order.clear();
      for (int64_t i = 0; i < p.boxes; ++i) {
        if (!p.has_score_threshold || s[i] > p.score_threshold) order.push_back(i);
      }
      // NaN scores rank last (a strict weak order even then).
      auto key = [&](int64_t i) { return std::isnan(s[i]) ? -INFINITY : s[i]; };
      std::stable_sort(order.begin(), order.end(), [&](int64_t i, int64_t j) { return key(i) > key(j); });
      kept.clear();
      for (int64_t i : order) {
        if (static_cast<int64_t>(kept.size()) >= p.max_per_class) break;
        bool keep = true;
        for (int64_t k : kept) {
          if (suppresses(bx[i], bx[k], p.iou_threshold)) {
            keep = false;
            break;
          }
        }
        if (!keep) continue;
        kept.push_back(i);
        out.insert(out.end(), {b, c, i});
      }
    }
  }
  return out;
}

}  // namespace ortl::kernels
