// Col2Im (N-d, the inverse of im2col: overlapping blocks summed) and MaxUnpool (scatter of the
// pooled values to the positions their indices name).
//
// Col2Im walks the column matrix row by row (one kernel offset per row) so reads are
// contiguous; each row's image positions are computed incrementally, one dim at a time.
// Parallel over (batch, channel) planes, which never write to the same output.
#include <algorithm>
#include <cstring>

#include "kernels/vision/vision.h"

namespace ortl::kernels {

template <class T>
void col2im(const Col2ImParams& p, const T* src, T* dst, Parallel& par) {
  const size_t r = p.image.size();
  int64_t image_size = 1, block_size = 1, col_size = 1;
  for (size_t d = 0; d < r; ++d) {
    image_size *= p.image[d];
    block_size *= p.block[d];
    col_size *= p.cols[d];
  }
  std::vector<int64_t> img_stride(r, 1);
  for (size_t d = r; d-- > 1;) img_stride[d - 1] = img_stride[d] * p.image[d];
  par.for_range(p.batch * p.channels, static_cast<double>(block_size * col_size), [&](int64_t c0, int64_t c1) {
    std::vector<int64_t> koff(r), pos(r);
    for (int64_t nc = c0; nc < c1; ++nc) {
      T* out = dst + nc * image_size;
      std::fill(out, out + image_size, T{});
      const T* in = src + nc * block_size * col_size;
      for (int64_t k = 0; k < block_size; ++k) {
        int64_t rem = k;
        for (size_t d = r; d-- > 0;) {
          koff[d] = rem % p.block[d];
          rem /= p.block[d];
        }
        const T* row = in + k * col_size;
        for (int64_t col = 0; col < col_size; ++col) {
          int64_t rest = col, o = 0;
          bool inside = true;
          for (size_t d = r; d-- > 0;) {
            const int64_t ic = rest % p.cols[d];
            rest /= p.cols[d];
            const int64_t i = ic * p.strides[d] - p.pads_begin[d] + koff[d] * p.dilations[d];
            if (i < 0 || i >= p.image[d]) inside = false;
            o += i * img_stride[d];
          }
          if (inside) out[o] += row[col];
        }
      }
    }
  });
}

void max_unpool(const void* src, const int64_t* idx, int64_t count, size_t elem_size, const VDims& inferred,
                const VDims& out_shape, void* dst) {
  const size_t r = inferred.size();
  int64_t out_numel = 1;
  for (int64_t d : out_shape) out_numel *= d;
  std::memset(dst, 0, static_cast<size_t>(out_numel) * elem_size);
  const auto* s = static_cast<const unsigned char*>(src);
  auto* o = static_cast<unsigned char*>(dst);
  for (int64_t i = 0; i < count; ++i) {
    // Coordinates of idx[i] in the inferred shape, re-linearized in the output shape.
    int64_t rem = idx[i], pos = 0, stride = 1;
    for (size_t d = r; d-- > 0;) {
      pos += (rem % inferred[d]) * stride;
      rem /= inferred[d];
      stride *= out_shape[d];
    }
    std::memcpy(o + pos * elem_size, s + i * elem_size, elem_size);
  }
}

#define ORTL_COL2IM(T) template void col2im<T>(const Col2ImParams&, const T*, T*, Parallel&);
ORTL_COL2IM(float)
ORTL_COL2IM(double)
ORTL_COL2IM(int8_t)
ORTL_COL2IM(int16_t)
ORTL_COL2IM(int32_t)
ORTL_COL2IM(int64_t)
ORTL_COL2IM(uint8_t)
ORTL_COL2IM(uint16_t)
ORTL_COL2IM(uint32_t)
ORTL_COL2IM(uint64_t)
#undef ORTL_COL2IM

}  // namespace ortl::kernels
