// NCHWc regular conv, every tile mode (NCHWc or NCHW input x stride 1, 2, other): conv2d_ref
// against the NCHW kernels::conv_ref (double, data reordered in the test), and conv2d (the ISA
// build active_isa() picks; run under ORTL_MAX_ISA=avx2 / ref for the others) against the same
// oracle, serial and threaded (bitwise equal), on curated shapes (1x1 flattened planes, 3x3 /
// 5x5 / 7x7, strides, dilation, asymmetric pads, NCHW input, widths 1 / 7 / 14 / 56, odd channel
// counts, 1 to 5 output blocks (every tile height: 16x1, 12x2, 8x3, 7x4 on AVX-512), batch 2,
// zero-size outputs) and seeded random draws, with every epilogue. Pad lanes of y must be finite
// and equal act(0 + sum).
#include "kernels/conv/conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/nchwc/nchwc.h"
#include "tests/linalg/test_parallel.h"
#include "tests/nchwc/nchwc_test_util.h"

namespace ortl::kernels::nchwc {
namespace {

using Act = ConvEpilogue::Act;

std::string describe(const Conv2dParams& p, Act act, bool sum) {
  std::ostringstream os;
  os << "n=" << p.batch << " cin=" << p.c_in << " cout=" << p.c_out << " in=" << p.ih << "x" << p.iw << " out=" << p.oh
     << "x" << p.ow << " k=" << p.kh << "x" << p.kw << " s=" << p.sh << "," << p.sw << " d=" << p.dh << "," << p.dw
     << " pad=" << p.ph << "," << p.pw << " nchw_in=" << p.input_nchw << " act=" << static_cast<int>(act)
     << " sum=" << sum;
  return os.str();
}

// Output extent for explicit padding before / after.
int64_t out_dim(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  return std::max<int64_t>(0, (in + pb + pe - ((k - 1) * d + 1)) / s + 1);
}

Conv2dParams make(int64_t n, int64_t cin, int64_t cout, int64_t ih, int64_t iw, int64_t k, int64_t s, int64_t pad,
                  bool nchw_in = false, int64_t d = 1) {
  Conv2dParams p;
  p.batch = n, p.c_in = cin, p.c_out = cout, p.ih = ih, p.iw = iw;
  p.kh = p.kw = k, p.sh = p.sw = s, p.dh = p.dw = d, p.ph = p.pw = pad;
  p.oh = out_dim(ih, k, s, d, pad, pad), p.ow = out_dim(iw, k, s, d, pad, pad);
  p.input_nchw = nchw_in;
  return p;
}

void check_case(const Conv2dParams& p, Act act, bool with_sum, unsigned seed) {
  SCOPED_TRACE(describe(p, act, with_sum) + " seed=" + std::to_string(seed));
  std::mt19937 rng(seed);
  const int64_t plane_in = p.ih * p.iw, plane_out = p.oh * p.ow;
  const std::vector<float> x = uniform(rng, p.batch * p.c_in * plane_in);
  const std::vector<float> w = uniform(rng, p.c_out * p.c_in * p.kh * p.kw);
  const std::vector<float> b = uniform(rng, p.c_out);
  const std::vector<float> s = uniform(rng, p.batch * p.c_out * plane_out);
  ConvEpilogue ep;
  ep.act = act;
  ep.alpha = act == Act::kClip ? -0.5f : 0.1f;
  ep.beta = 0.5f;

  // Oracle: NCHW conv in double, then the epilogue in double.
  ConvParams cp;
  cp.batch = p.batch, cp.c_in = p.c_in, cp.c_out = p.c_out, cp.group = 1;
  cp.in = {p.ih, p.iw}, cp.out = {p.oh, p.ow}, cp.kernel = {p.kh, p.kw};
  cp.strides = {p.sh, p.sw}, cp.dilations = {p.dh, p.dw}, cp.pads_begin = {p.ph, p.pw};
  const std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end()), bd(b.begin(), b.end());
  std::vector<double> yd(static_cast<size_t>(p.batch * p.c_out * plane_out));
  conv_ref<double>(cp, xd.data(), wd.data(), bd.data(), yd.data());
  ConvEpilogue act_only = ep;
  act_only.sum = nullptr;
  for (size_t i = 0; i < yd.size(); ++i) {
    if (with_sum) yd[i] += s[i];
    conv_epilogue_row(&yd[i], nullptr, 1, 0.0, act_only);
  }
  const std::vector<double> want = to_blocked<double>(yd, p.batch, p.c_out, plane_out, std::nan(""));

  const std::vector<float> xb = p.input_nchw ? x : to_blocked<float>(x, p.batch, p.c_in, plane_in, 7.f);
  const std::vector<float> sb = to_blocked<float>(s, p.batch, p.c_out, plane_out, 0.25f);
  std::vector<float> bias(static_cast<size_t>(padded(p.c_out)), 0.f);
  std::copy(b.begin(), b.end(), bias.begin());
  std::vector<float> wp(static_cast<size_t>(conv_packed_weights_floats(p)));
  conv_pack_weights(p, w.data(), wp.data());
  if (with_sum) ep.sum = sb.data();

  const size_t ysize = static_cast<size_t>(p.batch * padded(p.c_out) * plane_out);
  std::vector<float> ref(ysize, -9.f), fast(ysize, -9.f), threaded(ysize, -9.f);
  conv2d_ref(p, xb.data(), wp.data(), bias.data(), ref.data(), ep);
  conv2d(p, xb.data(), wp.data(), bias.data(), fast.data(), ep, serial());
  testing::ThreadedParallel par(3);
  conv2d(p, xb.data(), wp.data(), bias.data(), threaded.data(), ep, par);

  const double k_eff = static_cast<double>(p.c_in * p.kh * p.kw);
  int bad = 0;
  for (size_t i = 0; i < ysize && bad < 5; ++i) {
    ASSERT_TRUE(std::isfinite(fast[i])) << "at " << i;
    ASSERT_EQ(fast[i], threaded[i]) << "thread count changed the result at " << i;
    double expect = want[i];
    if (std::isnan(expect)) {  // pad lane: act(0 + sum pad lane)
      expect = with_sum ? 0.25 : 0.0;
      conv_epilogue_row(&expect, nullptr, 1, 0.0, act_only);
    }
    const double tol_ref = 1e-5 * std::max(1.0, std::abs(expect));
    if (std::abs(ref[i] - expect) > tol_ref) {
      ADD_FAILURE() << "ref vs conv_ref at " << i << ": " << ref[i] << " vs " << expect;
      ++bad;
    }
    const double tol = 1e-4 * std::max(1.0, std::abs(expect)) + 2e-7 * k_eff;
    if (std::abs(fast[i] - expect) > tol) {
      ADD_FAILURE() << conv2d_kernel_name(p) << " vs ref at " << i << ": " << fast[i] << " vs " << expect;
      ++bad;
    }
  }
}

TEST(NchwcConv, KernelName) {
  const std::string name = conv2d_kernel_name(make(1, 16, 16, 4, 4, 1, 1, 0));
  EXPECT_EQ(name.rfind("nchwc_conv_", 0), 0u) << name;
}

TEST(NchwcConv, CuratedShapes) {
  const Conv2dParams shapes[] = {
      make(1, 32, 16, 7, 7, 1, 1, 0),             // flattened 1x1, 49 pixels
      make(1, 40, 24, 14, 14, 1, 1, 0),           // odd blocks both sides
      make(1, 64, 80, 14, 14, 1, 2, 0),           // 1x1 stride 2
      make(1, 17, 40, 14, 14, 3, 1, 1),           // 3x3 padded
      make(1, 16, 16, 56, 56, 3, 1, 1),           // width 56
      make(2, 24, 5, 9, 11, 5, 1, 2),             // batch 2, 5x5, 5 outputs
      make(1, 5, 17, 12, 13, 3, 2, 1),            // stride 2
      make(1, 16, 64, 9, 9, 3, 1, 2, false, 2),   // dilation 2
      make(1, 3, 32, 17, 19, 3, 2, 1, true),      // first conv: NCHW input
      make(1, 3, 64, 30, 30, 7, 2, 3, true),      // ResNet stem
      make(1, 32, 48, 1, 1, 1, 1, 0),             // one pixel
      make(1, 16, 32, 7, 1, 3, 1, 1),             // width 1
      make(1, 48, 48, 3, 3, 7, 1, 3),             // kernel wider than the input
      make(1, 16, 16, 28, 28, 1, 1, 0),           // 784 pixels
      make(1, 17, 20, 15, 16, 3, 3, 1),           // stride 3 (run-time pixel stride)
      make(1, 3, 16, 15, 16, 3, 3, 1, true),      // NCHW input, stride 3
      make(1, 3, 32, 16, 14, 5, 2, 2, true),      // NCHW input, stride 2, 5x5
      make(1, 40, 40, 7, 7, 3, 1, 1),             // 7-wide rows: zero-padded copy, one 7-pixel tile
      make(2, 33, 48, 14, 14, 3, 1, 1),           // 14-wide rows: padded copy, 7 + 7 tiles
      make(1, 24, 40, 14, 14, 3, 2, 1),           // padded copy, stride 2
      make(1, 16, 16, 6, 13, 5, 1, 2, false, 2),  // padded copy, dilation 2
      make(1, 32, 64, 21, 71, 3, 2, 1),           // stride 2, 4 output blocks: 4-block tiles
      make(1, 24, 48, 14, 30, 1, 2, 0),           // 1x1 stride 2, 3 output blocks
      make(2, 17, 80, 9, 40, 3, 2, 1),            // stride 2, 5 output blocks: 2 + 3
      make(1, 3, 64, 23, 61, 7, 2, 3, true),      // NCHW input, 4 output blocks, 7x7 (stem)
      make(1, 3, 80, 13, 37, 3, 2, 1, true),      // NCHW input, 5 output blocks
      make(1, 5, 48, 11, 33, 3, 2, 1, true),      // NCHW input, 5 channels (run-time count)
      make(1, 64, 64, 7, 7, 3, 1, 1),             // 7x7 plane, 4 output blocks
  };
  unsigned seed = 1;
  for (const Conv2dParams& p : shapes) check_case(p, Act::kNone, false, seed++);
}

TEST(NchwcConv, AsymmetricPadding) {
  Conv2dParams p = make(1, 20, 33, 10, 12, 3, 1, 0);
  p.ph = 2, p.pw = 0, p.kw = 5, p.dw = 1;
  p.oh = out_dim(p.ih, p.kh, p.sh, p.dh, 2, 0), p.ow = out_dim(p.iw, p.kw, p.sw, p.dw, 0, 3);
  check_case(p, Act::kRelu, true, 11);
  p.input_nchw = true;
  check_case(p, Act::kNone, false, 12);
}

TEST(NchwcConv, Epilogues) {
  // Stride 1 (SiLU / HardSwish inlined), 1x1, NCHW input and stride 2 with 4 output blocks (both
  // apply SiLU / HardSwish out of line, in place), and NCHW input at stride 1 (SRCNN's 9x9 RGB
  // layer: 4-block tiles, border columns on both sides).
  const Conv2dParams shapes[] = {make(1, 24, 40, 7, 9, 3, 1, 1), make(1, 32, 64, 5, 5, 1, 1, 0),
                                 make(1, 3, 20, 11, 11, 3, 2, 1, true), make(1, 20, 64, 9, 29, 3, 2, 1),
                                 make(1, 3, 64, 12, 45, 9, 1, 4, true)};
  const Act acts[] = {Act::kNone, Act::kRelu, Act::kClip, Act::kLeakyRelu, Act::kHardSwish, Act::kSilu};
  unsigned seed = 100;
  for (const Conv2dParams& p : shapes) {
    for (Act a : acts) {
      for (bool sum : {false, true}) check_case(p, a, sum, seed++);
    }
  }
}

TEST(NchwcConv, ZeroSize) {
  for (Conv2dParams p :
       {make(1, 16, 16, 0, 5, 1, 1, 0), make(0, 16, 16, 4, 4, 3, 1, 1), make(1, 16, 16, 4, 2, 3, 1, 0)}) {
    std::vector<float> x(static_cast<size_t>(std::max<int64_t>(1, padded(16) * p.ih * p.iw * p.batch)), 1.f);
    std::vector<float> wp(static_cast<size_t>(conv_packed_weights_floats(p)));
    std::vector<float> w(static_cast<size_t>(16 * 16 * p.kh * p.kw), 1.f);
    conv_pack_weights(p, w.data(), wp.data());
    std::vector<float> y(16, 5.f);
    conv2d(p, x.data(), wp.data(), nullptr, y.data(), {}, serial());
    conv2d_ref(p, x.data(), wp.data(), nullptr, y.data(), {});
    EXPECT_EQ(y[0], 5.f);
  }
}

TEST(NchwcConv, RandomDraws) {
  std::mt19937 rng(2024);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  const int64_t chans[] = {1, 3, 5, 16, 17, 24, 32, 40, 48};
  const Act acts[] = {Act::kNone, Act::kRelu, Act::kClip, Act::kLeakyRelu, Act::kHardSwish, Act::kSilu};
  for (int it = 0; it < 60; ++it) {
    Conv2dParams p;
    p.batch = pick(1, 2);
    p.input_nchw = pick(0, 3) == 0;
    p.c_in = chans[pick(0, 8)], p.c_out = chans[pick(0, 8)];
    p.kh = pick(1, 4), p.kw = pick(1, 4), p.sh = pick(1, 3), p.sw = pick(1, 3), p.dh = pick(1, 2), p.dw = pick(1, 2);
    const int64_t pb = pick(0, 2), pe = pick(0, 2), qb = pick(0, 2), qe = pick(0, 2);
    p.ph = pb, p.pw = qb;
    p.ih = pick(1, 12), p.iw = pick(1, 20);
    p.oh = out_dim(p.ih, p.kh, p.sh, p.dh, pb, pe), p.ow = out_dim(p.iw, p.kw, p.sw, p.dw, qb, qe);
    check_case(p, acts[pick(0, 5)], pick(0, 1) == 1, 1000 + static_cast<unsigned>(it));
  }
}

}  // namespace
}  // namespace ortl::kernels::nchwc
