// NCHW <-> NCHWc reorders against plain index loops: odd channel counts (pad lanes must come out
// 0), pixel counts around the 16-pixel tile and the 256-pixel task chunk, batch 2, serial and
// threaded, and the round trip. Values are copied, so the checks are exact.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/nchwc/nchwc.h"
#include "tests/linalg/test_parallel.h"

namespace ortl::kernels::nchwc {
namespace {

struct Case {
  int64_t n, c, hw;
};

std::vector<float> random_floats(int64_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-4.f, 4.f);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = d(rng);
  return v;
}

TEST(NchwcReorder, MatchesIndexLoops) {
  const Case cases[] = {{1, 1, 1},   {1, 3, 50176}, {2, 5, 17}, {1, 16, 16}, {2, 17, 15}, {1, 24, 257},
                        {1, 40, 49}, {1, 1280, 49}, {2, 33, 1}, {1, 3, 0},   {0, 3, 5},   {1, 32, 300}};
  testing::ThreadedParallel threaded(2);
  for (const Case& cs : cases) {
    for (Parallel* par : {&serial(), static_cast<Parallel*>(&threaded)}) {
      SCOPED_TRACE(::testing::Message() << "n=" << cs.n << " c=" << cs.c << " hw=" << cs.hw);
      const int64_t cb = blocks(cs.c);
      const std::vector<float> x = random_floats(cs.n * cs.c * cs.hw, 7);
      std::vector<float> y(static_cast<size_t>(cs.n * cb * cs.hw * kBlock), 99.f);
      reorder_to_nchwc(cs.n, cs.c, cs.hw, x.data(), y.data(), *par);
      for (int64_t n = 0; n < cs.n; ++n) {
        for (int64_t ch = 0; ch < cb * kBlock; ++ch) {
          for (int64_t p = 0; p < cs.hw; ++p) {
            const float want = ch < cs.c ? x[static_cast<size_t>((n * cs.c + ch) * cs.hw + p)] : 0.f;
            const float got = y[static_cast<size_t>(((n * cb + ch / kBlock) * cs.hw + p) * kBlock + ch % kBlock)];
            ASSERT_EQ(got, want) << "n=" << n << " ch=" << ch << " p=" << p;
          }
        }
      }
      std::vector<float> back(x.size(), 99.f);
      reorder_from_nchwc(cs.n, cs.c, cs.hw, y.data(), back.data(), *par);
      EXPECT_EQ(back, x);
    }
  }
}

// reorder_from_nchwc drops pad lanes whatever they hold.
TEST(NchwcReorder, FromIgnoresPadLanes) {
  const int64_t c = 21, hw = 37;
  std::vector<float> y = random_floats(blocks(c) * hw * kBlock, 3);
  std::vector<float> x(static_cast<size_t>(c * hw));
  reorder_from_nchwc(1, c, hw, y.data(), x.data(), serial());
  for (int64_t ch = 0; ch < c; ++ch) {
    for (int64_t p = 0; p < hw; ++p) {
      ASSERT_EQ(x[static_cast<size_t>(ch * hw + p)],
                y[static_cast<size_t>(((ch / kBlock) * hw + p) * kBlock + ch % kBlock)]);
    }
  }
}

}  // namespace
}  // namespace ortl::kernels::nchwc
