// Pad, every mode through one per-axis index map: map[a][o] is the source index output
// coordinate o reads along axis a, or -1 for the constant. Reflect, edge and wrap differ only
// in how the map is filled, and negative pads (crops) fall out of the same arithmetic.
//
// Layout: rows of the innermost axis. A row whose outer coordinates hit the constant is a fill;
// otherwise its in-range middle is one memcpy and only the pad margins go through the map.
#include <algorithm>
#include <cstring>
#include <type_traits>

#include "kernels/transform/transform.h"

namespace ortl::kernels {
namespace {

// Source index for i = o - begin along an axis of size n (n > 0 unless mode is constant).
int64_t source_index(int64_t i, int64_t n, PadMode mode) {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case PadMode::kConstant: return -1;
    case PadMode::kEdge: return i < 0 ? 0 : n - 1;
    case PadMode::kWrap: return ((i % n) + n) % n;
    case PadMode::kReflect: {
      if (n == 1) return 0;
      const int64_t period = 2 * (n - 1);  // mirror without repeating the edge: 0 1 2 1 0 1 2 ...
      int64_t m = ((i % period) + period) % period;
      return m < n ? m : period - m;
    }
  }
  return -1;
}

std::vector<Dims> index_maps(const PadParams& p, Dims& out_shape) {
  const size_t r = p.src_shape.size();
  std::vector<Dims> maps(r);
  out_shape.resize(r);
  for (size_t a = 0; a < r; ++a) {
    out_shape[a] = p.src_shape[a] + p.begin[a] + p.end[a];
    maps[a].resize(static_cast<size_t>(std::max<int64_t>(out_shape[a], 0)));
    for (int64_t o = 0; o < out_shape[a]; ++o) maps[a][o] = source_index(o - p.begin[a], p.src_shape[a], p.mode);
  }
  return maps;
}

}  // namespace

template <class T>
void pad(const T* src, T* dst, const PadParams& p, const T& value, Parallel& par) {
  Dims out_shape;
  const std::vector<Dims> maps = index_maps(p, out_shape);
  const int r = static_cast<int>(out_shape.size());
  if (r == 0) {
    dst[0] = src[0];
    return;
  }
  for (int64_t d : out_shape)
    if (d <= 0) return;
  const Dims src_strides = contiguous_strides(p.src_shape);
  const int64_t n = out_shape[r - 1], src_n = p.src_shape[r - 1];
  const Dims& inner = maps[r - 1];
  // Output columns [c0, c1) read source columns [c0 - begin, c1 - begin) contiguously.
  const int64_t c0 = std::clamp<int64_t>(p.begin[r - 1], 0, n);
  const int64_t c1 = std::clamp<int64_t>(p.begin[r - 1] + src_n, c0, n);
  int64_t rows = 1;
  for (int k = 0; k < r - 1; ++k) rows *= out_shape[k];

  par.for_range(rows, static_cast<double>(n) * 0.4 + 4.0, [&](int64_t b, int64_t e) {
    Dims coord(r - 1);
    int64_t rem = b;
    for (int k = r - 2; k >= 0; --k) {
      coord[k] = rem % out_shape[k];
      rem /= out_shape[k];
    }
    for (int64_t row = b; row < e; ++row) {
      T* d = dst + row * n;
      int64_t off = 0;
      bool constant = false;
      for (int k = 0; k < r - 1 && !constant; ++k) {
        const int64_t s = maps[k][coord[k]];
        constant = s < 0;
        off += s * src_strides[k];
      }
      if (constant) {
        std::fill_n(d, n, value);
      } else {
        const T* s = src + off;
        for (int64_t c = 0; c < c0; ++c) d[c] = inner[c] < 0 ? value : s[inner[c]];
        if constexpr (std::is_trivially_copyable_v<T>) {
          if (c1 > c0) std::memcpy(d + c0, s + (c0 - p.begin[r - 1]), static_cast<size_t>(c1 - c0) * sizeof(T));
        } else {
          std::copy(s + (c0 - p.begin[r - 1]), s + (c1 - p.begin[r - 1]), d + c0);
        }
        for (int64_t c = c1; c < n; ++c) d[c] = inner[c] < 0 ? value : s[inner[c]];
      }
      for (int k = r - 2; k >= 0; --k) {
        if (++coord[k] < out_shape[k]) break;
        coord[k] = 0;
      }
    }
  });
}

#define ORTL_INSTANTIATE(T) template void pad<T>(const T*, T*, const PadParams&, const T&, Parallel&);
ORTL_INSTANTIATE(uint8_t)
ORTL_INSTANTIATE(uint16_t)
ORTL_INSTANTIATE(uint32_t)
ORTL_INSTANTIATE(uint64_t)
ORTL_INSTANTIATE(std::string)
#undef ORTL_INSTANTIATE

}  // namespace ortl::kernels
