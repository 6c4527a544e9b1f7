// NCHWc MaxPool / AveragePool / global pools (nchwc.h): the spec-literal reference, the baseline
// build of nchwc_pool_impl.h and the per-ISA selection (once per process).
#include <limits>

#include "kernels/base/isa.h"
#include "kernels/nchwc/nchwc_pool_impl.h"

namespace ortl::kernels::nchwc {

void pool2d_avx2(const Pool2dParams& p, const float* x, float* y, Parallel& par);
void pool2d_avx512(const Pool2dParams& p, const float* x, float* y, Parallel& par);
void global_pool_avx2(int64_t n, int64_t c, int64_t hw, bool max, const float* x, float* y, Parallel& par);
void global_pool_avx512(int64_t n, int64_t c, int64_t hw, bool max, const float* x, float* y, Parallel& par);

void pool2d(const Pool2dParams& p, const float* x, float* y, Parallel& par) {
  using Fn = void (*)(const Pool2dParams&, const float*, float*, Parallel&);
  static const Fn fn = (active_isa() & kIsaAvx512) != 0 ? pool2d_avx512
                       : (active_isa() & kIsaAvx2) != 0 ? pool2d_avx2
                                                        : pool2d_impl;
  fn(p, x, y, par);
}

void global_pool(int64_t n, int64_t c, int64_t hw, bool max, const float* x, float* y, Parallel& par) {
  using Fn = void (*)(int64_t, int64_t, int64_t, bool, const float*, float*, Parallel&);
  static const Fn fn = (active_isa() & kIsaAvx512) != 0 ? global_pool_avx512
                       : (active_isa() & kIsaAvx2) != 0 ? global_pool_avx2
                                                        : global_pool_impl;
  fn(n, c, hw, max, x, y, par);
}

// Every lane of every output pixel walks its whole window in double, classifying each tap as
// inside the input, inside the explicit padding box (counted with count_include_pad) or beyond
// it (ceil_mode room, never counted). Empty windows: lowest() for max, NaN for average.
void pool2d_ref(const Pool2dParams& p, const float* x, float* y) {
  const int64_t cb = blocks(p.c);
  for (int64_t nb = 0; nb < p.batch * cb; ++nb) {
    const float* xb = x + nb * p.ih * p.iw * kBlock;
    for (int64_t r = 0; r < p.oh; ++r) {
      for (int64_t c = 0; c < p.ow; ++c) {
        for (int64_t l = 0; l < kBlock; ++l) {
          double best = 0, sum = 0;
          int64_t valid = 0, padded = 0;
          for (int64_t i = 0; i < p.kh; ++i) {
            for (int64_t j = 0; j < p.kw; ++j) {
              const int64_t row = r * p.sh + i * p.dh - p.ph, col = c * p.sw + j * p.dw - p.pw;
              if (row >= -p.ph && row < p.ih + p.ph_end && col >= -p.pw && col < p.iw + p.pw_end) ++padded;
              if (row < 0 || row >= p.ih || col < 0 || col >= p.iw) continue;
              const double v = xb[(row * p.iw + col) * kBlock + l];
              if (valid == 0 || v > best) best = v;
              sum += v;
              ++valid;
            }
          }
          double out;
          if (p.max) {
            out = valid == 0 ? std::numeric_limits<float>::lowest() : best;
          } else {
            const int64_t n = p.count_include_pad ? padded : valid;
            out = n > 0 ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
          }
          y[((nb * p.oh + r) * p.ow + c) * kBlock + l] = static_cast<float>(out);
        }
      }
    }
  }
}

}  // namespace ortl::kernels::nchwc
