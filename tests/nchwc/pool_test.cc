// NCHWc pools: pool2d_ref against the NCHW oracle kernels::pool_ref with the data reordered, the
// fast pool2d against pool2d_ref on every lane (pad lanes included, which must be finite), and
// global_pool against plain double loops. Max and average, count_include_pad, ceil_mode-extended
// outputs (pool_out_len), dilation, asymmetric pads, odd channel counts, batch 2, serial and
// threaded. Model shapes: ResNet-50 MaxPool 3x3 s2 p1, YOLO SPPF MaxPool 5x5 s1 p2.
#include "kernels/pool/pool.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/nchwc/nchwc.h"
#include "tests/linalg/test_parallel.h"
#include "tests/nchwc/nchwc_test_util.h"

namespace ortl::kernels::nchwc {
namespace {

std::string describe(const Pool2dParams& p, bool ceil) {
  std::ostringstream os;
  os << (p.max ? "max" : "avg") << " n=" << p.batch << " c=" << p.c << " in=" << p.ih << "x" << p.iw << " out=" << p.oh
     << "x" << p.ow << " k=" << p.kh << "x" << p.kw << " s=" << p.sh << "," << p.sw << " d=" << p.dh << "," << p.dw
     << " pad=" << p.ph << "," << p.pw << "/" << p.ph_end << "," << p.pw_end << " cip=" << p.count_include_pad
     << " ceil=" << ceil;
  return os.str();
}

Pool2dParams make(bool max, int64_t n, int64_t c, int64_t ih, int64_t iw, int64_t kh, int64_t kw, int64_t s, int64_t d,
                  int64_t ph, int64_t pw, int64_t ph_end, int64_t pw_end, bool cip, bool ceil) {
  Pool2dParams p;
  p.max = max, p.batch = n, p.c = c, p.ih = ih, p.iw = iw, p.kh = kh, p.kw = kw, p.sh = p.sw = s, p.dh = p.dw = d;
  p.ph = ph, p.pw = pw, p.ph_end = ph_end, p.pw_end = pw_end, p.count_include_pad = cip;
  p.oh = std::max<int64_t>(0, pool_out_len(ih, kh, s, d, ph, ph_end, ceil));
  p.ow = std::max<int64_t>(0, pool_out_len(iw, kw, s, d, pw, pw_end, ceil));
  return p;
}

void check(const Pool2dParams& p, bool ceil, unsigned seed) {
  SCOPED_TRACE(describe(p, ceil) + " seed=" + std::to_string(seed));
  std::mt19937 rng(seed);
  const int64_t in_hw = p.ih * p.iw, out_hw = p.oh * p.ow;
  const std::vector<float> x = uniform(rng, p.batch * p.c * in_hw);
  const std::vector<float> xb = to_blocked(x, p.batch, p.c, in_hw, 5.f);
  const size_t ysize = static_cast<size_t>(p.batch * padded(p.c) * out_hw);
  std::vector<float> yref(ysize, NAN);
  pool2d_ref(p, xb.data(), yref.data());

  PoolParams q;
  q.kind = p.max ? PoolKind::kMax : PoolKind::kAvg;
  q.batch = p.batch, q.channels = p.c, q.in = {p.ih, p.iw}, q.out = {p.oh, p.ow}, q.kernel = {p.kh, p.kw};
  q.stride = {p.sh, p.sw}, q.dilation = {p.dh, p.dw}, q.pad_begin = {p.ph, p.pw}, q.pad_end = {p.ph_end, p.pw_end};
  q.count_include_pad = p.count_include_pad;
  std::vector<double> xd(x.begin(), x.end()), yd(static_cast<size_t>(p.batch * p.c * out_hw));
  pool_ref(q, PoolType::kF64, xd.data(), yd.data(), nullptr);
  const std::vector<float> want = to_blocked(std::vector<float>(yd.begin(), yd.end()), p.batch, p.c, out_hw, 0.f);
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t ch = 0; ch < p.c; ++ch)
      for (int64_t i = 0; i < out_hw; ++i) {
        const size_t o = static_cast<size_t>(((n * blocks(p.c) + ch / kBlock) * out_hw + i) * kBlock + ch % kBlock);
        ASSERT_NEAR(yref[o], want[o], 1e-5 * (1.0 + std::fabs(want[o]))) << "ref vs NCHW oracle at " << o;
      }

  testing::ThreadedParallel threaded(2);
  for (Parallel* par : {&serial(), static_cast<Parallel*>(&threaded)}) {
    std::vector<float> y(ysize, NAN);
    pool2d(p, xb.data(), y.data(), *par);
    for (size_t o = 0; o < ysize; ++o) {
      ASSERT_TRUE(std::isfinite(y[o])) << "at " << o;
      ASSERT_NEAR(y[o], yref[o], 1e-5 * (1.0 + std::fabs(yref[o]))) << "at " << o;
    }
  }
}

TEST(NchwcPool, ModelShapes) {
  check(make(true, 1, 64, 112, 112, 3, 3, 2, 1, 1, 1, 1, 1, false, false), false, 1);  // ResNet-50
  check(make(true, 1, 32, 20, 20, 5, 5, 1, 1, 2, 2, 2, 2, false, false), false, 2);    // SPPF
  check(make(false, 2, 24, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, false, false), false, 3);
  check(make(false, 1, 17, 7, 7, 3, 3, 1, 1, 1, 1, 1, 1, true, false), false, 4);
}

TEST(NchwcPool, CeilModeAndEdges) {
  unsigned seed = 10;
  for (bool max : {true, false})
    for (bool cip : {false, true}) {
      check(make(max, 1, 5, 8, 9, 3, 3, 2, 1, 1, 0, 1, 0, cip, true), true, seed++);
      check(make(max, 2, 17, 6, 7, 2, 2, 2, 1, 0, 0, 0, 0, cip, true), true, seed++);
      check(make(max, 1, 3, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, cip, false), false, seed++);
      check(make(max, 1, 40, 9, 14, 3, 2, 3, 2, 1, 1, 2, 0, cip, true), true, seed++);
      check(make(max, 1, 16, 4, 4, 5, 5, 1, 1, 2, 2, 2, 2, cip, false), false, seed++);
    }
  Pool2dParams zero = make(true, 1, 16, 4, 4, 3, 3, 1, 1, 0, 0, 0, 0, false, false);
  zero.oh = 0;
  check(zero, false, seed++);
  zero.oh = 2, zero.ow = 0;
  check(zero, false, seed++);
}

TEST(NchwcPool, RandomShapes) {
  std::mt19937 rng(777);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  const int64_t channels[] = {3, 5, 16, 17, 24, 32, 40};
  for (unsigned iter = 0; iter < 150; ++iter) {
    const int64_t kh = pick(1, 5), kw = pick(1, 5), s = pick(1, 3), d = pick(1, 2);
    const int64_t ph = pick(0, kh - 1), pw = pick(0, kw - 1), ph_end = pick(0, kh - 1), pw_end = pick(0, kw - 1);
    const int64_t ih = pick((kh - 1) * d + 1, 16), iw = pick((kw - 1) * d + 1, 30);
    const bool ceil = pick(0, 1) == 1;
    const Pool2dParams p = make(pick(0, 1) == 1, pick(1, 2), channels[pick(0, 6)], ih, iw, kh, kw, s, d, ph, pw, ph_end,
                                pw_end, pick(0, 1) == 1, ceil);
    if (p.oh < 1 || p.ow < 1) continue;
    check(p, ceil, 2000 + iter);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(NchwcPool, Global) {
  testing::ThreadedParallel threaded(2);
  const int64_t shapes[][3] = {{1, 1280, 49}, {2, 17, 1}, {1, 40, 196}, {1, 3, 7}, {2, 96, 3136}};
  unsigned seed = 50;
  for (const auto& sh : shapes) {
    const int64_t n = sh[0], c = sh[1], hw = sh[2];
    std::mt19937 rng(seed++);
    const std::vector<float> x = uniform(rng, n * padded(c) * hw);
    for (bool max : {false, true})
      for (Parallel* par : {&serial(), static_cast<Parallel*>(&threaded)}) {
        std::vector<float> y(static_cast<size_t>(n * padded(c)), NAN);
        global_pool(n, c, hw, max, x.data(), y.data(), *par);
        for (int64_t b = 0; b < n * blocks(c); ++b)
          for (int64_t l = 0; l < kBlock; ++l) {
            double acc = max ? -std::numeric_limits<double>::infinity() : 0.0;
            for (int64_t i = 0; i < hw; ++i) {
              const double v = x[static_cast<size_t>((b * hw + i) * kBlock + l)];
              acc = max ? std::max(acc, v) : acc + v;
            }
            if (!max) acc /= static_cast<double>(hw);
            ASSERT_NEAR(y[static_cast<size_t>(b * kBlock + l)], acc, 1e-5 * (1.0 + std::fabs(acc)))
                << "n=" << n << " c=" << c << " hw=" << hw << " max=" << max;
          }
      }
  }
}

}  // namespace
}  // namespace ortl::kernels::nchwc
