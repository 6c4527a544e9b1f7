// Regular (group 1) NCHWc 2-D conv: weight packing, the plain reference, the baseline build of
// the direct kernel (nchwc_conv_impl.h over 4-wide GCC vectors, correctness only) and the ISA
// selection (once, by active_isa()). Depthwise params go to nchwc_depthwise.cc (dw_*).
//
// Packed W, per output block of 16 channels, in the order the kernel walks K:
//   [CBo][n_icb][KH][KW][icpb][16],  n_icb = blocks(C_in), icpb = 16         (NCHWc x)
//                                    n_icb = 1,            icpb = C_in       (NCHW x)
// so one input channel's weights for a block are one 16-float row; pad lanes (output channels
// past C_out) and pad input channels are zero.
#include <cstring>

#include "kernels/base/isa.h"
#include "kernels/nchwc/nchwc_conv_impl.h"
#include "kernels/nchwc/nchwc_internal.h"

namespace ortl::kernels::nchwc_detail {
namespace {

typedef float GenV __attribute__((vector_size(16)));

struct Generic {
  using V = GenV;
  static constexpr int kW = 4;
  static constexpr int kObMax = 1;
  static constexpr int pmax(int) { return 2; }
  static int64_t ob_max(int, const Conv2dParams&) { return 1; }
  static V zero() { return V{0.f, 0.f, 0.f, 0.f}; }
  static V set1(float x) { return V{x, x, x, x}; }
  static V load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  static void store(float* p, V v) { std::memcpy(p, &v, sizeof(v)); }
  static V fmadd(V a, V b, V c) { return a * b + c; }
  static V add(V a, V b) { return a + b; }
};

}  // namespace
}  // namespace ortl::kernels::nchwc_detail

namespace ortl::kernels::nchwc {
namespace {

using ConvFn = void (*)(const Conv2dParams&, const float*, const float*, const float*, float*, const ConvEpilogue&,
                        Parallel&);

struct Selected {
  ConvFn fn;
  const char* name;
};

Selected selected() {
  static const Selected s = [] {
    const uint32_t isa = active_isa();
    if (isa & kIsaAvx512) return Selected{nchwc_detail::conv2d_avx512, "nchwc_conv_avx512"};
    if (isa & kIsaAvx2) return Selected{nchwc_detail::conv2d_avx2, "nchwc_conv_avx2"};
    return Selected{nchwc_detail::Conv<nchwc_detail::Generic>::run, "nchwc_conv_generic"};
  }();
  return s;
}

// Input blocks and channels per block of the packed K order.
int64_t in_blocks(const Conv2dParams& p) { return p.input_nchw ? 1 : blocks(p.c_in); }
int64_t in_per_block(const Conv2dParams& p) { return p.input_nchw ? p.c_in : kBlock; }

}  // namespace

int64_t conv_packed_weights_floats(const Conv2dParams& p) {
  if (p.depthwise) return dw_packed_weights_floats(p);
  return blocks(p.c_out) * in_blocks(p) * p.kh * p.kw * in_per_block(p) * kBlock;
}

void conv_pack_weights(const Conv2dParams& p, const float* w, float* dst) {
  if (p.depthwise) return dw_pack_weights(p, w, dst);
  const int64_t cbo = blocks(p.c_out), nib = in_blocks(p), icpb = in_per_block(p);
  for (int64_t ob = 0; ob < cbo; ++ob) {
    for (int64_t icb = 0; icb < nib; ++icb) {
      for (int64_t a = 0; a < p.kh; ++a) {
        for (int64_t b = 0; b < p.kw; ++b) {
          for (int64_t ic = 0; ic < icpb; ++ic) {
            for (int64_t l = 0; l < kBlock; ++l) {
              const int64_t co = ob * kBlock + l, ci = icb * icpb + ic;
              *dst++ = co < p.c_out && ci < p.c_in ? w[((co * p.c_in + ci) * p.kh + a) * p.kw + b] : 0.f;
            }
          }
        }
      }
    }
  }
}

void conv2d(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
            const ConvEpilogue& ep, Parallel& par) {
  if (p.depthwise) return dw_conv2d(p, x, w_packed, bias, y, ep, par);
  selected().fn(p, x, w_packed, bias, y, ep, par);
}

void conv2d_ref(const Conv2dParams& p, const float* x, const float* w_packed, const float* bias, float* y,
                const ConvEpilogue& ep) {
  if (p.depthwise) return dw_conv2d_ref(p, x, w_packed, bias, y, ep);
  const int64_t cbo = blocks(p.c_out), nib = in_blocks(p), icpb = in_per_block(p);
  const int64_t plane = p.ih * p.iw;
  ConvEpilogue act_only = ep;
  act_only.sum = nullptr;
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t ob = 0; ob < cbo; ++ob) {
      for (int64_t oh = 0; oh < p.oh; ++oh) {
        for (int64_t ow = 0; ow < p.ow; ++ow) {
          const int64_t yo = (((n * cbo + ob) * p.oh + oh) * p.ow + ow) * kBlock;
          for (int64_t l = 0; l < kBlock; ++l) {
            double acc = bias ? bias[ob * kBlock + l] : 0.0;
            for (int64_t icb = 0; icb < nib; ++icb) {
              for (int64_t a = 0; a < p.kh; ++a) {
                const int64_t ih = oh * p.sh - p.ph + a * p.dh;
                if (ih < 0 || ih >= p.ih) continue;
                for (int64_t b = 0; b < p.kw; ++b) {
                  const int64_t iw = ow * p.sw - p.pw + b * p.dw;
                  if (iw < 0 || iw >= p.iw) continue;
                  for (int64_t ic = 0; ic < icpb; ++ic) {
                    const double xv = p.input_nchw ? x[(n * p.c_in + ic) * plane + ih * p.iw + iw]
                                                   : x[(((n * nib + icb) * p.ih + ih) * p.iw + iw) * kBlock + ic];
                    const double wv = w_packed[((((ob * nib + icb) * p.kh + a) * p.kw + b) * icpb + ic) * kBlock + l];
                    acc += xv * wv;
                  }
                }
              }
            }
            if (ep.sum) acc += ep.sum[yo + l];
            conv_epilogue_row(&acc, nullptr, 1, 0.0, act_only);
            y[yo + l] = static_cast<float>(acc);
          }
        }
      }
    }
  }
}

const char* conv2d_kernel_name(const Conv2dParams& p) {
  if (p.depthwise) return dw_kernel_name();
  return selected().name;
}

}  // namespace ortl::kernels::nchwc
