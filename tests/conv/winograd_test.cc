// Winograd F(4x4, 3x3) against the spec-literal conv_ref on odd channel counts, partial edge
// tiles, paddings 0..2, batches, several tile-row blocks, every GEMM implementation the host can
// run (packed and unpacked weights), one and two threads, with bias and the fused epilogue.
// The transforms reassociate sums, so the comparison is relative to the sum of |terms|.
#include "kernels/conv/winograd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "tests/linalg/test_parallel.h"

namespace ortl::kernels {
namespace {

ConvParams make(int64_t n, int64_t c, int64_t k, int64_t h, int64_t w, int64_t pad) {
  ConvParams p;
  p.batch = n, p.c_in = c, p.c_out = k, p.group = 1;
  p.in = {h, w}, p.kernel = {3, 3}, p.strides = {1, 1}, p.dilations = {1, 1}, p.pads_begin = {pad, pad};
  p.out = {h + 2 * pad - 2, w + 2 * pad - 2};
  return p;
}

void check(const ConvParams& p, uint32_t seed, bool relu) {
  ASSERT_TRUE(winograd_applicable(p));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> x(static_cast<size_t>(p.batch * p.c_in * p.in[0] * p.in[1]));
  std::vector<float> w(static_cast<size_t>(p.c_out * p.c_in * 9)), b(static_cast<size_t>(p.c_out));
  for (auto& v : x) v = u(rng);
  for (auto& v : w) v = u(rng);
  for (auto& v : b) v = u(rng);
  const size_t ny = static_cast<size_t>(p.batch * p.c_out * p.out[0] * p.out[1]);
  std::vector<float> want(ny), absw(ny);
  conv_ref(p, x.data(), w.data(), b.data(), want.data());
  {  // the scale of each output: the same conv over |x| and |w|
    std::vector<float> ax(x), aw(w), ab(b);
    for (auto& v : ax) v = std::fabs(v);
    for (auto& v : aw) v = std::fabs(v);
    for (auto& v : ab) v = std::fabs(v);
    conv_ref(p, ax.data(), aw.data(), ab.data(), absw.data());
  }
  ConvEpilogue ep;
  if (relu) {
    ep.act = ConvEpilogue::Act::kRelu;
    for (auto& v : want) v = std::max(v, 0.f);
  }
  testing::ThreadedParallel par2(2);
  for (const GemmF32Impl& gemm : gemm_f32_impls()) {
    if ((gemm.isa & host_isa()) != gemm.isa) continue;
    const WinogradWeights uw = winograd_pack_weights(p.c_out, p.c_in, w.data(), gemm);
    for (Parallel* par : {&serial(), static_cast<Parallel*>(&par2)}) {
      std::vector<float> got(ny + 1, -7.f);  // sentinel past the end
      conv_winograd_f32(p, x.data(), uw, b.data(), got.data(), gemm, *par, ep);
      ASSERT_EQ(got[ny], -7.f) << "wrote past the output";
      for (size_t i = 0; i < ny; ++i) {
        ASSERT_LE(std::fabs(got[i] - want[i]), 1e-5f * (absw[i] + 1.f))
            << gemm.name << " threads=" << par->num_threads() << " C=" << p.c_in << " K=" << p.c_out << " " << p.in[0]
            << "x" << p.in[1] << " pad=" << p.pads_begin[0] << " at " << i;
      }
    }
  }
}

TEST(Winograd, MatchesReference) {
  uint32_t seed = 1;
  check(make(1, 8, 8, 20, 20, 1), ++seed, false);    // whole tiles
  check(make(1, 13, 17, 23, 29, 1), ++seed, true);   // partial edge tiles, odd channels
  check(make(2, 9, 11, 22, 26, 0), ++seed, false);   // no padding, batch 2
  check(make(1, 16, 8, 21, 40, 2), ++seed, true);    // pad 2: output larger than input
  check(make(1, 8, 12, 90, 60, 1), ++seed, false);   // several tile-row blocks
  check(make(1, 40, 24, 28, 28, 1), ++seed, false);  // ResNet-like, K slices of the GEMM
}

TEST(Winograd, Applicability) {
  EXPECT_FALSE(winograd_applicable(make(1, 8, 8, 12, 12, 1)));  // 144 output pixels: too few
  EXPECT_FALSE(winograd_applicable(make(1, 4, 8, 30, 30, 1)));  // too few input channels
  ConvParams s2 = make(1, 8, 8, 40, 40, 1);
  s2.strides = {2, 2};
  EXPECT_FALSE(winograd_applicable(s2));
  ConvParams g2 = make(1, 8, 8, 40, 40, 1);
  g2.group = 2;
  EXPECT_FALSE(winograd_applicable(g2));
}

}  // namespace
}  // namespace ortl::kernels
