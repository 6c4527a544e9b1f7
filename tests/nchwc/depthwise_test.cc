// NCHWc depthwise conv: the reference (dw_conv2d_ref) against the NCHW oracle kernels::conv_ref
// (group == c) with the data reordered, and the fast dw_conv2d (the ISA build active_isa()
// picks; rerun under ORTL_MAX_ISA for the others) against the reference on every lane, pad lanes
// included. Input pad lanes hold junk (finite) that must not leak into real channels; outputs are
// prefilled with NaN so an unwritten element fails. Random shapes over odd / multiple-of-16
// channels, 1..7 kernels, strides 1-2, dilation 2, asymmetric pads, batch 2, every epilogue with
// and without sum, serial and threaded; the failing seed is printed.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/nchwc/nchwc_internal.h"
#include "tests/linalg/test_parallel.h"
#include "tests/nchwc/nchwc_test_util.h"

namespace ortl::kernels::nchwc {
namespace {

using Act = ConvEpilogue::Act;

struct Case {
  Conv2dParams p;
  int64_t ph_end = 0, pw_end = 0;
  Act act = Act::kNone;
  bool sum = false;
  bool bias = true;
  std::string describe() const {
    std::ostringstream os;
    os << "n=" << p.batch << " c=" << p.c_out << " in=" << p.ih << "x" << p.iw << " out=" << p.oh << "x" << p.ow
       << " k=" << p.kh << "x" << p.kw << " s=" << p.sh << "," << p.sw << " d=" << p.dh << "," << p.dw
       << " pad=" << p.ph << "," << p.pw << "/" << ph_end << "," << pw_end << " act=" << static_cast<int>(act)
       << " sum=" << sum << " bias=" << bias;
    return os.str();
  }
};

Case make_case(int64_t n, int64_t c, int64_t ih, int64_t iw, int64_t kh, int64_t kw, int64_t s, int64_t d, int64_t ph,
               int64_t pw, int64_t ph_end, int64_t pw_end, Act act, bool sum) {
  Case cs;
  Conv2dParams& p = cs.p;
  p.batch = n, p.c_in = p.c_out = c, p.ih = ih, p.iw = iw, p.kh = kh, p.kw = kw, p.sh = p.sw = s, p.dh = p.dw = d;
  p.ph = ph, p.pw = pw, p.depthwise = true;
  p.oh = std::max<int64_t>(0, (ih + ph + ph_end - ((kh - 1) * d + 1)) / s + 1);
  p.ow = std::max<int64_t>(0, (iw + pw + pw_end - ((kw - 1) * d + 1)) / s + 1);
  cs.ph_end = ph_end, cs.pw_end = pw_end, cs.act = act, cs.sum = sum;
  return cs;
}

ConvEpilogue epilogue(Act act, const float* sum) {
  ConvEpilogue ep;
  ep.act = act;
  ep.sum = sum;
  if (act == Act::kClip) ep.alpha = -0.5f, ep.beta = 0.75f;
  if (act == Act::kLeakyRelu) ep.alpha = 0.1f;
  return ep;
}

void check_case(const Case& cs, unsigned seed) {
  SCOPED_TRACE(cs.describe() + " seed=" + std::to_string(seed));
  std::mt19937 rng(seed);
  const Conv2dParams& p = cs.p;
  const int64_t c = p.c_out, in_hw = p.ih * p.iw, out_hw = p.oh * p.ow;
  const std::vector<float> x = uniform(rng, p.batch * c * in_hw), w = uniform(rng, c * p.kh * p.kw),
                           b = uniform(rng, c), s = uniform(rng, p.batch * c * out_hw);
  const std::vector<float> xb = to_blocked(x, p.batch, c, in_hw, 7.f);
  const std::vector<float> sb = to_blocked(s, p.batch, c, out_hw, -3.f);
  std::vector<float> bias(static_cast<size_t>(padded(c)), 0.f);
  std::copy(b.begin(), b.end(), bias.begin());
  std::vector<float> wp(static_cast<size_t>(dw_packed_weights_floats(p)));
  dw_pack_weights(p, w.data(), wp.data());
  const ConvEpilogue ep = epilogue(cs.act, cs.sum ? sb.data() : nullptr);

  const size_t ysize = static_cast<size_t>(p.batch * padded(c) * out_hw);
  std::vector<float> yref(ysize, NAN);
  const float* bias_ptr = cs.bias ? bias.data() : nullptr;
  dw_conv2d_ref(p, xb.data(), wp.data(), bias_ptr, yref.data(), ep);

  // NCHW oracle in double, then the epilogue element rule.
  ConvParams q;
  q.batch = p.batch, q.c_in = q.c_out = q.group = c;
  q.in = {p.ih, p.iw}, q.out = {p.oh, p.ow}, q.kernel = {p.kh, p.kw}, q.strides = {p.sh, p.sw};
  q.dilations = {p.dh, p.dw}, q.pads_begin = {p.ph, p.pw};
  const std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end()), bd(b.begin(), b.end()),
      sd(s.begin(), s.end());
  std::vector<double> yd(static_cast<size_t>(p.batch * c * out_hw));
  conv_ref<double>(q, xd.data(), wd.data(), cs.bias ? bd.data() : nullptr, yd.data());
  conv_epilogue_row(yd.data(), cs.sum ? sd.data() : nullptr, static_cast<int64_t>(yd.size()), 0.0, ep);
  const std::vector<float> want = to_blocked(std::vector<float>(yd.begin(), yd.end()), p.batch, c, out_hw, 0.f);
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t i = 0; i < out_hw; ++i) {
        const size_t o = static_cast<size_t>(((n * blocks(c) + ch / kBlock) * out_hw + i) * kBlock + ch % kBlock);
        ASSERT_NEAR(yref[o], want[o], 1e-4 * (1.0 + std::fabs(want[o]))) << "ref vs NCHW oracle at " << o;
      }

  testing::ThreadedParallel threaded(2);
  for (Parallel* par : {&serial(), static_cast<Parallel*>(&threaded)}) {
    std::vector<float> y(ysize, NAN);
    dw_conv2d(p, xb.data(), wp.data(), bias_ptr, y.data(), ep, *par);
    for (size_t o = 0; o < ysize; ++o) {
      ASSERT_TRUE(std::isfinite(y[o])) << "at " << o << " (" << dw_kernel_name() << ")";
      ASSERT_NEAR(y[o], yref[o], 1e-4 * (1.0 + std::fabs(yref[o]))) << "at " << o << " (" << dw_kernel_name() << ")";
    }
  }
}

constexpr Act kActs[] = {Act::kNone, Act::kRelu, Act::kClip, Act::kLeakyRelu, Act::kHardSwish, Act::kSilu};

TEST(NchwcDepthwise, ModelShapes) {
  // MobileNetV2 / EfficientNet layers (narrowed channels) with their fused Clip / SiLU.
  const Case cases[] = {
      make_case(1, 32, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, Act::kClip, false),
      make_case(1, 24, 28, 28, 3, 3, 2, 1, 0, 0, 1, 1, Act::kClip, false),  // TF-style asymmetric pad
      make_case(1, 40, 14, 14, 5, 5, 1, 1, 2, 2, 2, 2, Act::kSilu, false),
      make_case(2, 48, 14, 14, 5, 5, 2, 1, 2, 2, 2, 2, Act::kSilu, true),
      make_case(1, 16, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, Act::kNone, true),
      make_case(1, 17, 56, 56, 3, 3, 1, 1, 1, 1, 1, 1, Act::kRelu, false),
      make_case(1, 5, 112, 113, 3, 3, 2, 1, 1, 1, 1, 1, Act::kClip, false),
  };
  unsigned seed = 1;
  for (const Case& cs : cases) check_case(cs, seed++);
}

TEST(NchwcDepthwise, EveryEpilogue) {
  unsigned seed = 100;
  for (Act act : kActs)
    for (bool sum : {false, true})
      for (int64_t k : {3, 5})
        check_case(make_case(1, 20, 9, 11, k, k, 1, 1, k / 2, k / 2, k / 2, k / 2, act, sum), seed++);
}

TEST(NchwcDepthwise, EdgeShapes) {
  unsigned seed = 200;
  Case no_bias = make_case(1, 17, 9, 12, 3, 3, 2, 1, 1, 1, 1, 1, Act::kRelu, true);
  no_bias.bias = false;
  check_case(no_bias, seed++);
  no_bias = make_case(1, 24, 6, 12, 3, 5, 1, 2, 2, 3, 1, 0, Act::kNone, false);  // non-square, generic path
  no_bias.bias = false;
  check_case(no_bias, seed++);
  // Output widths 1, 7, 14, 56; kernels larger than the input; zero-size outputs.
  check_case(make_case(1, 3, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1, Act::kNone, false), seed++);
  check_case(make_case(1, 24, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1, Act::kRelu, true), seed++);
  check_case(make_case(2, 17, 7, 7, 7, 7, 1, 1, 3, 3, 3, 3, Act::kNone, false), seed++);
  check_case(make_case(1, 40, 14, 14, 1, 1, 1, 1, 0, 0, 0, 0, Act::kClip, false), seed++);
  check_case(make_case(1, 5, 3, 3, 5, 5, 1, 1, 2, 2, 2, 2, Act::kNone, false), seed++);
  check_case(make_case(1, 16, 2, 2, 5, 5, 2, 1, 2, 2, 2, 2, Act::kNone, false), seed++);
  check_case(make_case(1, 16, 4, 4, 3, 3, 1, 1, 0, 0, 0, 0, Act::kNone, false), seed++);
  Case zero = make_case(1, 16, 4, 4, 3, 3, 1, 1, 0, 0, 0, 0, Act::kNone, false);
  zero.p.oh = 0;
  check_case(zero, seed++);
  zero.p.oh = 2, zero.p.ow = 0;
  check_case(zero, seed++);
}

TEST(NchwcDepthwise, RandomShapes) {
  std::mt19937 rng(12345);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  const int64_t channels[] = {3, 5, 16, 17, 24, 32, 40};
  for (unsigned iter = 0; iter < 150; ++iter) {
    const int64_t kh = pick(1, 7), kw = pick(0, 2) == 0 ? pick(1, 7) : kh, s = pick(1, 2), d = pick(1, 2);
    const int64_t dkh = (kh - 1) * d + 1, dkw = (kw - 1) * d + 1;
    const int64_t ph = pick(0, std::min<int64_t>(kh - 1, 3)), pw = pick(0, std::min<int64_t>(kw - 1, 3));
    const int64_t ph_end = pick(0, 2), pw_end = pick(0, 2);
    const int64_t ih = pick(std::max<int64_t>(1, dkh - ph - ph_end), 20);
    const int64_t iw = pick(std::max<int64_t>(1, dkw - pw - pw_end), 40);
    Case cs = make_case(pick(1, 2), channels[pick(0, 6)], ih, iw, kh, kw, s, d, ph, pw, ph_end, pw_end,
                        kActs[pick(0, 5)], pick(0, 1) == 1);
    if (pick(0, 3) == 0) {  // different row stride
      cs.p.sh = 3 - s;
      cs.p.oh = (ih + ph + ph_end - dkh) / cs.p.sh + 1;
    }
    check_case(cs, 1000 + iter);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace ortl::kernels::nchwc
