// NCHWc depthwise conv (nchwc_internal.h): weight packing, the spec-literal reference, the
// baseline build of nchwc_depthwise_impl.h and the per-ISA selection (once per process).
//
// Packed weights: [blocks(c), kh, kw, 16], channel ch at lane ch % 16 of block ch / 16, pad lanes
// zero, so one tap of one block is one contiguous vector.
#include <algorithm>
#include <vector>

#include "kernels/base/isa.h"
#include "kernels/nchwc/nchwc_depthwise_impl.h"

namespace ortl::kernels::nchwc {

void dw_conv2d_avx2(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                    const ConvEpilogue& ep, Parallel& par);
void dw_conv2d_avx512(const Conv2dParams& p, const float* x, const float* w, const float* bias, float* y,
                      const ConvEpilogue& ep, Parallel& par);

namespace {

using DwFn = void (*)(const Conv2dParams&, const float*, const float*, const float*, float*, const ConvEpilogue&,
                      Parallel&);
struct DwKernel {
  const char* name;
  DwFn fn;
};

const DwKernel& dw_selected() {
  static const DwKernel k = (active_isa() & kIsaAvx512) != 0 ? DwKernel{"nchwc_dw_f32_avx512", dw_conv2d_avx512}
                            : (active_isa() & kIsaAvx2) != 0 ? DwKernel{"nchwc_dw_f32_avx2", dw_conv2d_avx2}
                                                             : DwKernel{"nchwc_dw_f32_generic", dw_conv2d_impl};
  return k;
}

}  // namespace

int64_t dw_packed_weights_floats(const Conv2dParams& p) { return blocks(p.c_out) * p.kh * p.kw * kBlock; }

void dw_pack_weights(const Conv2dParams& p, const float* w, float* dst) {
  const int64_t taps = p.kh * p.kw;
  std::fill(dst, dst + dw_packed_weights_floats(p), 0.f);
  for (int64_t ch = 0; ch < p.c_out; ++ch) {
    for (int64_t t = 0; t < taps; ++t) dst[((ch / kBlock) * taps + t) * kBlock + ch % kBlock] = w[ch * taps + t];
  }
}

void dw_conv2d(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
               const ConvEpilogue& ep, Parallel& par) {
  dw_selected().fn(p, x, w_packed, bias, y, ep, par);
}

const char* dw_kernel_name() { return dw_selected().name; }

// Every lane of every output pixel (pad lanes too) in double: bias + in-range taps, then the
// epilogue element rule.
void dw_conv2d_ref(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
                   const ConvEpilogue& ep) {
  const int64_t cb = blocks(p.c_out);
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t b = 0; b < cb; ++b) {
      const float* xb = x + (n * cb + b) * p.ih * p.iw * kBlock;
      const float* wb = w_packed + b * p.kh * p.kw * kBlock;
      for (int64_t r = 0; r < p.oh; ++r) {
        for (int64_t c = 0; c < p.ow; ++c) {
          const int64_t o = (((n * cb + b) * p.oh + r) * p.ow + c) * kBlock;
          for (int64_t l = 0; l < kBlock; ++l) {
            double acc = bias ? bias[b * kBlock + l] : 0.0;
            for (int64_t i = 0; i < p.kh; ++i) {
              const int64_t row = r * p.sh + i * p.dh - p.ph;
              if (row < 0 || row >= p.ih) continue;
              for (int64_t j = 0; j < p.kw; ++j) {
                const int64_t col = c * p.sw + j * p.dw - p.pw;
                if (col < 0 || col >= p.iw) continue;
                acc += static_cast<double>(wb[(i * p.kw + j) * kBlock + l]) *
                       static_cast<double>(xb[(row * p.iw + col) * kBlock + l]);
              }
            }
            const double s = ep.sum ? static_cast<double>(ep.sum[o + l]) : 0.0;
            conv_epilogue_row(&acc, ep.sum ? &s : nullptr, 1, 0.0, ep);
            y[o + l] = static_cast<float>(acc);
          }
        }
      }
    }
  }
}

}  // namespace ortl::kernels::nchwc
