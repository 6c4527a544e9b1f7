// The in-register epilogue (kernels/nchwc/nchwc_epilogue_impl.h) over the whole float range the
// activations care about, through the kernels that run it: a depthwise 1x1 conv with weight 1 and
// a regular 1x1 conv with identity weights make y = act(x + sum) exactly up to the activation, so
// SiLU / HardSwish are checked against the double rule at a tight relative tolerance on inputs in
// [-120, 120] (the conv tests' random data stays within a few units, where the exp tails never
// show). Every activation, with and without sum, on the ISA build active_isa() picks (rerun under
// ORTL_MAX_ISA=avx2 / ref for the others); the direct conv at stride 1 (tiles with SiLU /
// HardSwish inlined) and stride 2 with two output blocks (the out-of-line epilogue of the 12x2
// tile). The eltwise SiLU (x / (1 + exp(-x))) rounds to -0 below x = -89; results whose
// magnitude is below 1e-30 are only checked to be that small.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/nchwc/nchwc.h"

namespace ortl::kernels::nchwc {
namespace {

using Act = ConvEpilogue::Act;

double rule(Act act, double v, double alpha, double beta) {
  switch (act) {
    case Act::kRelu: return v > 0 ? v : 0;
    case Act::kClip: return std::min(std::max(v, alpha), beta);
    case Act::kLeakyRelu: return v < 0 ? alpha * v : v;
    case Act::kHardSwish: return v * std::min(std::max(v / 6 + 0.5, 0.0), 1.0);
    case Act::kSilu: return v / (1 + std::exp(-v));
    default: return v;
  }
}

void check(bool depthwise, int64_t stride, Act act, bool with_sum) {
  Conv2dParams p;
  const int64_t c = stride == 1 ? 16 : 32;
  p.c_in = p.c_out = c, p.ih = 16, p.iw = 17, p.depthwise = depthwise;
  p.sh = p.sw = stride, p.oh = (p.ih - 1) / stride + 1, p.ow = (p.iw - 1) / stride + 1;
  const int64_t nx = c * p.ih * p.iw, n = c * p.oh * p.ow;
  std::vector<float> x(static_cast<size_t>(nx)), sum(static_cast<size_t>(n)), y(static_cast<size_t>(n), NAN);
  // A ramp over [-120, 120] with every lane and pixel distinct; sum a smaller second ramp.
  for (int64_t i = 0; i < nx; ++i) x[i] = -120.f + 240.f * static_cast<float>((i * 7919) % nx) / static_cast<float>(nx);
  for (int64_t i = 0; i < n; ++i) sum[i] = with_sum ? 0.5f * std::sin(static_cast<float>(i)) : 0.f;
  std::vector<float> w(static_cast<size_t>(depthwise ? c : c * c), 0.f);
  for (int64_t ch = 0; ch < c; ++ch) w[depthwise ? ch : ch * c + ch] = 1.f;
  std::vector<float> wp(static_cast<size_t>(conv_packed_weights_floats(p)));
  conv_pack_weights(p, w.data(), wp.data());
  ConvEpilogue ep;
  ep.act = act;
  ep.alpha = act == Act::kClip ? -3.f : 0.1f;
  ep.beta = 5.f;
  ep.sum = with_sum ? sum.data() : nullptr;
  conv2d(p, x.data(), wp.data(), nullptr, y.data(), ep, serial());
  int bad = 0;
  for (int64_t i = 0; i < n && bad < 5; ++i) {
    // y[cb][r][col][l] = x[cb][r * stride][col * stride][l] + sum
    const int64_t l = i % kBlock, col = i / kBlock % p.ow, r = i / kBlock / p.ow % p.oh, cb = i / kBlock / p.ow / p.oh;
    const int64_t xi = ((cb * p.ih + r * stride) * p.iw + col * stride) * kBlock + l;
    const double v = static_cast<double>(x[xi]) + static_cast<double>(sum[i]);
    const double want = rule(act, v, ep.alpha, ep.beta);
    const bool ok =
        std::fabs(want) < 1e-30 ? std::fabs(y[i]) < 1e-30 : std::fabs(y[i] - want) <= 1e-6 * std::fabs(want) + 1e-7;
    if (!ok) {
      ++bad;
      ADD_FAILURE() << conv2d_kernel_name(p) << " act " << static_cast<int>(act) << " sum " << with_sum << " x " << v
                    << ": " << y[i] << " vs " << want;
    }
  }
}

TEST(NchwcEpilogue, WideRangeEveryActivation) {
  for (Act act : {Act::kNone, Act::kRelu, Act::kClip, Act::kLeakyRelu, Act::kHardSwish, Act::kSilu}) {
    for (bool with_sum : {false, true}) {
      for (int64_t stride : {1, 2}) {
        check(true, stride, act, with_sum);
        check(false, stride, act, with_sum);
      }
    }
  }
}

}  // namespace
}  // namespace ortl::kernels::nchwc
