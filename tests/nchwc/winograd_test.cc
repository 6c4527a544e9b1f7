// NCHWc Winograd F(4x4, 3x3) (kernels/nchwc/nchwc.h) against the NCHW oracle kernels::conv_ref in
// double, with the data reordered NCHW <-> NCHWc by plain loops here. Pad lanes of x hold finite
// garbage (the packed weights must be zero there); pad lanes of y must come out finite.
// Tolerance: |err| <= 1e-5 * (sum |w x| + 1 (+ 1 with sum)) + 1e-6: a sum's rounding bound with
// room for the transforms' amplification (the largest error seen is well under it on every ISA).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "kernels/base/parallel.h"
#include "kernels/conv/conv.h"
#include "kernels/nchwc/nchwc.h"

namespace ortl::kernels::nchwc {
namespace {

using Act = ConvEpilogue::Act;

struct Case {
  int64_t batch, c_in, c_out, ih, iw, ph, pw, ph_end, pw_end;
  Act act = Act::kNone;
  bool sum = false, bias = true;
};

// NCHW [n, c, hw] -> NCHWc with pad lanes = `pad` (garbage or 0).
std::vector<float> to_nchwc(const std::vector<float>& x, int64_t n, int64_t c, int64_t hw, float pad) {
  std::vector<float> y(static_cast<size_t>(n * padded(c) * hw), pad);
  for (int64_t b = 0; b < n; ++b) {
    for (int64_t ch = 0; ch < c; ++ch) {
      for (int64_t i = 0; i < hw; ++i)
        y[static_cast<size_t>(((b * blocks(c) + ch / kBlock) * hw + i) * kBlock + ch % kBlock)] =
            x[static_cast<size_t>((b * c + ch) * hw + i)];
    }
  }
  return y;
}

std::vector<float> random_vec(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& f : v) f = dist(rng);
  return v;
}

// Runs one case through winograd_conv2d on `par` and checks it against conv_ref<double>.
void check(const Case& cs, Parallel& par, unsigned seed) {
  SCOPED_TRACE("seed " + std::to_string(seed) + " n" + std::to_string(cs.batch) + " c" + std::to_string(cs.c_in) +
               "->" + std::to_string(cs.c_out) + " " + std::to_string(cs.ih) + "x" + std::to_string(cs.iw) + " pad " +
               std::to_string(cs.ph) + "," + std::to_string(cs.pw) + "," + std::to_string(cs.ph_end) + "," +
               std::to_string(cs.pw_end) + " act " + std::to_string(static_cast<int>(cs.act)) + (cs.sum ? " sum" : ""));
  std::mt19937 rng(seed);
  Conv2dParams p;
  p.batch = cs.batch, p.c_in = cs.c_in, p.c_out = cs.c_out, p.ih = cs.ih, p.iw = cs.iw;
  p.kh = p.kw = 3, p.ph = cs.ph, p.pw = cs.pw;
  p.oh = std::max<int64_t>(0, cs.ih + cs.ph + cs.ph_end - 2);
  p.ow = std::max<int64_t>(0, cs.iw + cs.pw + cs.pw_end - 2);
  const int64_t ihw = p.ih * p.iw, ohw = p.oh * p.ow;
  const std::vector<float> x = random_vec(p.batch * p.c_in * ihw, rng);
  const std::vector<float> w = random_vec(p.c_out * p.c_in * 9, rng);
  const std::vector<float> b = random_vec(p.c_out, rng);
  const std::vector<float> s = random_vec(p.batch * p.c_out * ohw, rng);

  std::vector<float> bias_c(static_cast<size_t>(padded(p.c_out)), 0.f);
  std::copy(b.begin(), b.end(), bias_c.begin());
  const std::vector<float> xc = to_nchwc(x, p.batch, p.c_in, ihw, 3.5f);
  const std::vector<float> sc = to_nchwc(s, p.batch, p.c_out, ohw, 0.25f);
  std::vector<float> u(static_cast<size_t>(winograd_packed_weights_floats(p)));
  winograd_pack_weights(p, w.data(), u.data());
  std::vector<float> yc(static_cast<size_t>(p.batch * padded(p.c_out) * ohw), NAN);
  ConvEpilogue ep;
  ep.act = cs.act;
  ep.alpha = cs.act == Act::kClip ? -0.5f : 0.1f;
  ep.beta = 0.75f;
  ep.sum = cs.sum ? sc.data() : nullptr;
  winograd_conv2d(p, xc.data(), u.data(), cs.bias ? bias_c.data() : nullptr, yc.data(), ep, par);

  // Reference in double, plus the bound sum |w x| (conv of |x| and |w|).
  ConvParams rp;
  rp.batch = p.batch, rp.c_in = p.c_in, rp.c_out = p.c_out;
  rp.in = {p.ih, p.iw}, rp.out = {p.oh, p.ow}, rp.kernel = {3, 3}, rp.strides = {1, 1}, rp.dilations = {1, 1};
  rp.pads_begin = {p.ph, p.pw};
  std::vector<double> xd(x.begin(), x.end()), wd(w.begin(), w.end()), bd(b.begin(), b.end());
  std::vector<double> ref(static_cast<size_t>(p.batch * p.c_out * ohw)), mag(ref.size());
  conv_ref<double>(rp, xd.data(), wd.data(), cs.bias ? bd.data() : nullptr, ref.data());
  for (double& f : xd) f = std::fabs(f);
  for (double& f : wd) f = std::fabs(f);
  conv_ref<double>(rp, xd.data(), wd.data(), nullptr, mag.data());
  std::vector<double> sd(s.begin(), s.end());
  ConvEpilogue epd = ep;
  for (int64_t plane = 0; plane < p.batch * p.c_out; ++plane)
    conv_epilogue_row(ref.data() + plane * ohw, cs.sum ? sd.data() + plane * ohw : nullptr, ohw, 0.0, epd);

  int bad = 0;
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t k = 0; k < padded(p.c_out); ++k) {
      for (int64_t i = 0; i < ohw; ++i) {
        const float got = yc[static_cast<size_t>(((n * blocks(p.c_out) + k / kBlock) * ohw + i) * kBlock + k % kBlock)];
        if (k >= p.c_out) {
          if (!std::isfinite(got) && ++bad < 5) ADD_FAILURE() << "pad lane k " << k << " pixel " << i << ": " << got;
          continue;
        }
        const size_t j = static_cast<size_t>((n * p.c_out + k) * ohw + i);
        const double tol = 1e-5 * (mag[j] + 1.0 + (cs.sum ? 1.0 : 0.0)) + 1e-6;
        if (!(std::fabs(got - ref[j]) <= tol) && ++bad < 5)
          ADD_FAILURE() << "n " << n << " k " << k << " pixel " << i << ": got " << got << " want " << ref[j];
      }
    }
  }
  EXPECT_EQ(bad, 0);
}

TEST(NchwcWinograd, Shapes) {
  const Case cases[] = {
      {1, 16, 16, 8, 8, 1, 1, 1, 1},   {1, 17, 24, 9, 11, 1, 1, 1, 1},  {2, 3, 5, 7, 7, 1, 1, 1, 1},
      {1, 40, 33, 14, 14, 1, 1, 1, 1}, {1, 32, 48, 15, 13, 0, 1, 2, 0}, {2, 24, 40, 56, 5, 1, 1, 1, 1},
      {1, 5, 17, 1, 1, 1, 1, 1, 1},    {1, 16, 16, 3, 9, 0, 0, 0, 0},   {1, 64, 64, 18, 18, 1, 1, 1, 1},
      {1, 20, 36, 10, 6, 2, 0, 0, 2},  {1, 16, 32, 23, 2, 1, 1, 1, 1},  {1, 48, 16, 30, 30, 1, 1, 1, 1},
  };
  unsigned seed = 1;
  for (const Case& cs : cases) check(cs, serial(), seed++);
}

TEST(NchwcWinograd, Epilogues) {
  const Act acts[] = {Act::kNone, Act::kRelu, Act::kClip, Act::kLeakyRelu, Act::kSilu, Act::kHardSwish};
  unsigned seed = 100;
  for (Act a : acts) {
    for (bool sum : {false, true}) {
      Case cs{2, 19, 21, 11, 10, 1, 1, 1, 1, a, sum, true};
      check(cs, serial(), seed++);
      cs.bias = false;
      check(cs, serial(), seed++);
    }
  }
}

TEST(NchwcWinograd, ZeroSize) {
  check({1, 16, 16, 2, 8, 0, 0, 0, 0}, serial(), 7);  // oh = 0
  check({1, 16, 16, 8, 1, 0, 0, 0, 0}, serial(), 8);  // ow = 0
  check({0, 16, 16, 8, 8, 1, 1, 1, 1}, serial(), 9);  // batch 0
}

TEST(NchwcWinograd, Random) {
  std::mt19937 rng(2024);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  for (unsigned i = 0; i < 20; ++i) {
    Case cs{pick(1, 2), pick(1, 50), pick(1, 50), pick(1, 30), pick(1, 30),
            pick(0, 2), pick(0, 2),  pick(0, 2),  pick(0, 2)};
    cs.act = static_cast<Act>(pick(0, 5));
    cs.sum = pick(0, 1) == 1;
    check(cs, serial(), 1000 + i);
  }
}

// Two threads, each taking half of [0, n).
class TwoThreads : public Parallel {
 public:
  int num_threads() const override { return 2; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    std::thread t([&] { fn(n / 2, n); });
    if (n / 2 > 0) fn(0, n / 2);
    t.join();
  }
};

// Bitwise equal to the serial run: each output is computed the same way whatever the split.
void check_same_as_serial(const Conv2dParams& p, Parallel& par) {
  std::mt19937 rng(3);
  const std::vector<float> x = random_vec(p.batch * padded(p.c_in) * p.ih * p.iw, rng);
  const std::vector<float> w = random_vec(p.c_out * p.c_in * 9, rng);
  std::vector<float> u(static_cast<size_t>(winograd_packed_weights_floats(p)));
  winograd_pack_weights(p, w.data(), u.data());
  std::vector<float> y1(static_cast<size_t>(p.batch * padded(p.c_out) * p.oh * p.ow)), y2(y1.size());
  winograd_conv2d(p, x.data(), u.data(), nullptr, y1.data(), {}, serial());
  winograd_conv2d(p, x.data(), u.data(), nullptr, y2.data(), {}, par);
  EXPECT_EQ(y1, y2);
}

TEST(NchwcWinograd, ThreadsSameResult) {
  TwoThreads two;
  check({2, 24, 40, 30, 30, 1, 1, 1, 1}, two, 500);  // split over tiles
  check({1, 64, 64, 56, 56, 1, 1, 1, 1}, two, 501);
  check({1, 176, 200, 7, 7, 1, 1, 1, 1}, two, 502);  // few tiles, U > 4 MiB: split over output channels
  Conv2dParams p;
  p.batch = 1, p.c_in = 32, p.c_out = 48, p.ih = p.iw = p.oh = p.ow = 29, p.kh = p.kw = 3, p.ph = p.pw = 1;
  check_same_as_serial(p, two);
  p.c_in = 256, p.c_out = 272, p.ih = p.iw = p.oh = p.ow = 14;
  check_same_as_serial(p, two);
}

TEST(NchwcWinograd, Applicable) {
  Conv2dParams p;
  p.c_in = p.c_out = 64, p.ih = p.iw = p.oh = p.ow = 56, p.kh = p.kw = 3, p.ph = p.pw = 1;
  EXPECT_TRUE(winograd_applicable(p));
  Conv2dParams q = p;
  q.sh = q.sw = 2;
  EXPECT_FALSE(winograd_applicable(q));
  q = p, q.kh = q.kw = 5;
  EXPECT_FALSE(winograd_applicable(q));
  q = p, q.depthwise = true;
  EXPECT_FALSE(winograd_applicable(q));
  q = p, q.input_nchw = true;
  EXPECT_FALSE(winograd_applicable(q));
  q = p, q.dh = 2;
  EXPECT_FALSE(winograd_applicable(q));
  q = p, q.c_in = 8;
  EXPECT_FALSE(winograd_applicable(q));
  // Few tiles: taken while U streams from the cache, not from memory, and never for one tile.
  q = p, q.c_in = q.c_out = 256, q.ih = q.iw = q.oh = q.ow = 7;
  EXPECT_TRUE(winograd_applicable(q));
  q.c_in = q.c_out = 512;
  EXPECT_FALSE(winograd_applicable(q));
  q = p, q.ih = q.iw = q.oh = q.ow = 4;
  EXPECT_FALSE(winograd_applicable(q));
}

}  // namespace
}  // namespace ortl::kernels::nchwc
