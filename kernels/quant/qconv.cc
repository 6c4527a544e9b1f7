// Integer convolution (qconv.h): im2col into int16 columns with the zero point subtracted, then
// qgemm_s16 per (image, group, chunk of output positions). Chunks keep the column scratch near
// 256 KiB and give the pool independent tasks, as conv_f32 does.
#include "kernels/quant/qconv.h"

#include <algorithm>
#include <vector>

#include "kernels/conv/conv_common.h"
#include "kernels/quant/qgemm.h"

namespace ortl::kernels {
namespace {

using namespace conv_detail;

constexpr int64_t kColElems = 128 * 1024;  // int16 column scratch per task

// The int16 im2col (conv_common.h's walk): X - zp in each in-bounds entry, 0 in the padding.
template <class TX>
void im2col_s16(const ConvParams& p, const TX* x, int32_t zp, int64_t channels, int64_t p0, int64_t cols,
                int16_t* col) {
  im2col_walk(p, x, channels, p0, cols, col, [zp](int16_t* dst, const TX* src, int64_t n, int64_t stride) {
    for (int64_t q = 0; q < n; ++q) dst[q] = static_cast<int16_t>(src[q * stride] - zp);
  });
}

}  // namespace

template <class TX, class TW>
void conv_integer_ref(const ConvParams& p, const TX* x, int32_t x_zp, const TW* w, const int32_t* w_zp,
                      int64_t w_zp_stride, int32_t* y) {
  const size_t rank = p.in.size();
  const int64_t in_size = product(p.in), out_size = product(p.out), k_size = product(p.kernel);
  const int64_t cin_g = p.c_in / p.group, cout_g = p.c_out / p.group;
  std::vector<int64_t> o(rank), k(rank);
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t co = 0; co < p.c_out; ++co) {
      const int64_t g = co / cout_g, wz = w_zp ? w_zp[co * w_zp_stride] : 0;
      for (int64_t op = 0; op < out_size; ++op) {
        unravel(op, p.out, o);
        int64_t sum = 0;
        for (int64_t ci = 0; ci < cin_g; ++ci) {
          const TX* xc = x + (n * p.c_in + g * cin_g + ci) * in_size;
          for (int64_t kp = 0; kp < k_size; ++kp) {
            unravel(kp, p.kernel, k);
            int64_t off = 0;
            bool inside = true;
            for (size_t d = 0; d < rank && inside; ++d) {
              const int64_t i = o[d] * p.strides[d] + k[d] * p.dilations[d] - p.pads_begin[d];
              inside = i >= 0 && i < p.in[d];
              off = off * p.in[d] + i;
            }
            if (!inside) continue;
            sum += (xc[off] - int64_t{x_zp}) * (w[(co * cin_g + ci) * k_size + kp] - wz);
          }
        }
        y[(n * p.c_out + co) * out_size + op] = static_cast<int32_t>(sum);  // modulo 2^32 (C++20)
      }
    }
  }
}

template <class TX, class TW>
void conv_integer_s32(const ConvParams& p, const TX* x, int32_t x_zp, const TW* w, const int32_t* w_zp,
                      int64_t w_zp_stride, int32_t* y, Parallel& par) {
  const int64_t in_size = product(p.in), out_size = product(p.out), k_size = product(p.kernel);
  const int64_t cin_g = p.c_in / p.group, cout_g = p.c_out / p.group, kdim = cin_g * k_size;
  if (p.batch == 0 || p.c_out == 0 || out_size == 0) return;
  std::vector<int16_t> w16(static_cast<size_t>(p.c_out * kdim));
  pack_s16(p.c_out, kdim, w, kdim, w_zp, w_zp_stride, 0, w16.data());

  const int64_t chunk = std::clamp<int64_t>(kColElems / std::max<int64_t>(kdim, 1), 64, out_size);
  const int64_t chunks = cdiv(out_size, chunk);
  par.for_range(p.batch * p.group * chunks, static_cast<double>(cout_g * chunk * kdim), [&](int64_t t0, int64_t t1) {
    std::vector<int16_t> col(static_cast<size_t>(kdim * chunk));
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t ch = t % chunks, g = (t / chunks) % p.group, n = t / chunks / p.group;
      const int64_t p0 = ch * chunk, cols = std::min(chunk, out_size - p0);
      im2col_s16(p, x + (n * p.c_in + g * cin_g) * in_size, x_zp, cin_g, p0, cols, col.data());
      qgemm_s16(cout_g, cols, kdim, w16.data() + g * cout_g * kdim, kdim, col.data(), cols,
                y + (n * p.c_out + g * cout_g) * out_size + p0, out_size);
    }
  });
}

template void conv_integer_ref<uint8_t, uint8_t>(const ConvParams&, const uint8_t*, int32_t, const uint8_t*,
                                                 const int32_t*, int64_t, int32_t*);
template void conv_integer_ref<uint8_t, int8_t>(const ConvParams&, const uint8_t*, int32_t, const int8_t*,
                                                const int32_t*, int64_t, int32_t*);
template void conv_integer_ref<int8_t, uint8_t>(const ConvParams&, const int8_t*, int32_t, const uint8_t*,
                                                const int32_t*, int64_t, int32_t*);
template void conv_integer_ref<int8_t, int8_t>(const ConvParams&, const int8_t*, int32_t, const int8_t*, const int32_t*,
                                               int64_t, int32_t*);
template void conv_integer_s32<uint8_t, uint8_t>(const ConvParams&, const uint8_t*, int32_t, const uint8_t*,
                                                 const int32_t*, int64_t, int32_t*, Parallel&);
template void conv_integer_s32<uint8_t, int8_t>(const ConvParams&, const uint8_t*, int32_t, const int8_t*,
                                                const int32_t*, int64_t, int32_t*, Parallel&);
template void conv_integer_s32<int8_t, uint8_t>(const ConvParams&, const int8_t*, int32_t, const uint8_t*,
                                                const int32_t*, int64_t, int32_t*, Parallel&);
template void conv_integer_s32<int8_t, int8_t>(const ConvParams&, const int8_t*, int32_t, const int8_t*, const int32_t*,
                                               int64_t, int32_t*, Parallel&);

}  // namespace ortl::kernels
