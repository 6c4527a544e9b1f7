// DeformConv (2-D): im2col over offset (and optionally masked) bilinear samples, then one GEMM
// per (image, group): y[g] = W[g] (OC/g x C/g*kh*kw) * cols (C/g*kh*kw x OH*OW) + bias.
//
// Sampling is bilinear with zeros outside the image, exactly what the onnx reference gets from
// GridSample(align_corners=1, padding zeros) on the unnormalized positions. The column buffer
// holds one group of one image; rows are filled in parallel, the GEMM is the family's best
// float kernel (double runs the reference GEMM).
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "kernels/vision/vision.h"

namespace ortl::kernels {
namespace {

template <class T>
T bilinear_zero(const T* img, int64_t h, int64_t w, T y, T x) {
  if (!(y > T(-1) && y < static_cast<T>(h) && x > T(-1) && x < static_cast<T>(w))) return T(0);  // NaN too
  const T fy = std::floor(y), fx = std::floor(x);
  const int64_t y0 = static_cast<int64_t>(fy), x0 = static_cast<int64_t>(fx);
  const T ly = y - fy, lx = x - fx;
  auto at = [&](int64_t yy, int64_t xx) { return yy >= 0 && yy < h && xx >= 0 && xx < w ? img[yy * w + xx] : T(0); };
  return (1 - ly) * ((1 - lx) * at(y0, x0) + lx * at(y0, x0 + 1)) +
         ly * ((1 - lx) * at(y0 + 1, x0) + lx * at(y0 + 1, x0 + 1));
}

}  // namespace

template <class T>
void deform_conv(const DeformConvParams& p, const T* x, const T* w, const T* offset, const T* mask, const T* bias, T* y,
                 Parallel& par) {
  const int64_t cg = p.in_c / p.group, ocg = p.out_c / p.group;
  const int64_t kk = p.kernel_h * p.kernel_w, opix = p.out_h * p.out_w, ipix = p.in_h * p.in_w;
  const int64_t c_per_og = p.in_c / p.offset_group;
  const int64_t rows = cg * kk;
  if (p.batch == 0 || p.out_c == 0 || opix == 0) return;
  if (rows == 0) std::fill(y, y + p.batch * p.out_c * opix, T(0));  // no input channels: bias only
  std::vector<T> cols(static_cast<size_t>(rows * opix));
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t g = 0; g < p.group && rows > 0; ++g) {
      par.for_range(rows, static_cast<double>(opix) * 12.0, [&](int64_t r0, int64_t r1) {
        for (int64_t row = r0; row < r1; ++row) {
          const int64_t c = g * cg + row / kk, k = row % kk, ki = k / p.kernel_w, kj = k % p.kernel_w;
          const int64_t og = c / c_per_og;
          const T* img = x + (n * p.in_c + c) * ipix;
          const T* off_h = offset + ((n * p.offset_group + og) * kk * 2 + k * 2) * opix;
          const T* off_w = off_h + opix;
          const T* m = mask ? mask + ((n * p.offset_group + og) * kk + k) * opix : nullptr;
          T* dst = cols.data() + row * opix;
          for (int64_t oh = 0; oh < p.out_h; ++oh) {
            const T base_h = static_cast<T>(oh * p.stride_h - p.pad_h + ki * p.dil_h);
            for (int64_t ow = 0; ow < p.out_w; ++ow) {
              const int64_t q = oh * p.out_w + ow;
              const T base_w = static_cast<T>(ow * p.stride_w - p.pad_w + kj * p.dil_w);
              T v = bilinear_zero(img, p.in_h, p.in_w, base_h + off_h[q], base_w + off_w[q]);
              if (m) v *= m[q];
              dst[q] = v;
            }
          }
        }
      });
      GemmArgs<T> a;
      a.m = ocg, a.n = opix, a.k = rows;
      a.a = w + g * ocg * rows, a.lda = rows;
      a.b = cols.data(), a.ldb = opix;
      a.c = y + (n * p.out_c + g * ocg) * opix, a.ldc = opix;
      a.beta = T(0);
      if constexpr (std::is_same_v<T, float>) {
        gemm_f32(a, par);
      } else {
        gemm_ref(a);
      }
    }
  }
  if (bias) {
    for (int64_t n = 0; n < p.batch; ++n) {
      for (int64_t oc = 0; oc < p.out_c; ++oc) {
        T* dst = y + (n * p.out_c + oc) * opix;
        for (int64_t q = 0; q < opix; ++q) dst[q] += bias[oc];
      }
    }
  }
}

template void deform_conv<float>(const DeformConvParams&, const float*, const float*, const float*, const float*,
                                 const float*, float*, Parallel&);
template void deform_conv<double>(const DeformConvParams&, const double*, const double*, const double*, const double*,
                                  const double*, double*, Parallel&);

}  // namespace ortl::kernels
