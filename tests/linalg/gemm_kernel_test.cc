// GEMM kernels against gemm_ref: every implementation in kernels.inc the host can run, over
// dims around the register tiles and the K slice, all transpose combinations, alpha/beta,
// padded leading dimensions (with sentinels that must survive) and threaded splits.
// Inputs are small integers, so every partial sum is exact and results compare with ==.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "tests/linalg/test_parallel.h"

namespace ortl::kernels {
namespace {

constexpr float kSentinel = -12345.f;

struct Problem {
  int64_t m, n, k;
  bool ta, tb;
  float alpha, beta;
  int64_t pad = 0;  // extra elements per row of A, B and C
};

std::string describe(const Problem& p, uint32_t seed) {
  return "m=" + std::to_string(p.m) + " n=" + std::to_string(p.n) + " k=" + std::to_string(p.k) +
         " ta=" + std::to_string(p.ta) + " tb=" + std::to_string(p.tb) + " alpha=" + std::to_string(p.alpha) +
         " beta=" + std::to_string(p.beta) + " pad=" + std::to_string(p.pad) + " seed=" + std::to_string(seed);
}

// Runs impl and the reference on the same problem; returns an empty string when they agree.
// prepack: op(A) goes in through the implementation's pack_a (GemmArgs::a_packed).
std::string check(const GemmF32Impl& impl, const Problem& p, uint32_t seed, Parallel& par, bool exact = true,
                  bool prepack = false, bool prepack_b = false) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> small(-3, 3);
  std::uniform_real_distribution<float> real(-1.f, 1.f);
  auto value = [&] { return exact ? static_cast<float>(small(rng)) : real(rng); };
  const int64_t a_rows = p.ta ? p.k : p.m, a_cols = p.ta ? p.m : p.k;
  const int64_t b_rows = p.tb ? p.n : p.k, b_cols = p.tb ? p.k : p.n;
  const int64_t lda = a_cols + p.pad, ldb = b_cols + p.pad, ldc = p.n + p.pad;
  std::vector<float> a(a_rows * lda + 1), b(b_rows * ldb + 1), c(p.m * ldc + 1, kSentinel);
  for (auto& x : a) x = value();
  for (auto& x : b) x = value();
  for (int64_t i = 0; i < p.m; ++i) {
    for (int64_t j = 0; j < p.n; ++j) {
      // beta == 0 must not read C: NaN there must not leak into the result.
      c[i * ldc + j] = p.beta == 0.f ? std::numeric_limits<float>::quiet_NaN() : value();
    }
  }
  std::vector<float> want = c;
  GemmF32Args args;
  args.m = p.m, args.n = p.n, args.k = p.k, args.trans_a = p.ta, args.trans_b = p.tb;
  args.alpha = p.alpha, args.beta = p.beta;
  args.a = a.data(), args.lda = lda, args.b = b.data(), args.ldb = ldb;
  args.c = want.data(), args.ldc = ldc;
  gemm_ref(args);
  args.c = c.data();
  std::vector<float> packed;
  if (prepack && impl.pack_a) {
    packed.assign(static_cast<size_t>(impl.packed_a_floats(p.m, p.k)), kSentinel);
    impl.pack_a(args, packed.data());
    args.a_packed = packed.data();
  }
  std::vector<float> packed_b;
  if (prepack_b && impl.pack_b) {
    packed_b.assign(static_cast<size_t>(impl.packed_b_floats(p.k, p.n)), kSentinel);
    impl.pack_b(args, packed_b.data());
    args.b_packed = packed_b.data();
  }
  impl.run(args, par);
  for (size_t idx = 0; idx < c.size(); ++idx) {
    const int64_t i = ldc ? static_cast<int64_t>(idx) / ldc : 0, j = ldc ? static_cast<int64_t>(idx) % ldc : 0;
    const bool inside = i < p.m && j < p.n;
    const float got = c[idx], ref = want[idx];
    const float tol = exact || !inside ? 0.f : 1e-5f * static_cast<float>(p.k + 1) * (1.f + std::fabs(ref));
    if (!(std::fabs(got - ref) <= tol)) {
      return describe(p, seed) + ": C[" + std::to_string(i) + "," + std::to_string(j) + "] = " + std::to_string(got) +
             ", want " + std::to_string(ref) + (inside ? "" : " (outside C: sentinel)");
    }
  }
  return "";
}

class GemmF32Test : public ::testing::TestWithParam<int> {
 protected:
  const GemmF32Impl& impl() const { return gemm_f32_impls()[GetParam()]; }
  void SetUp() override {
    if ((impl().isa & host_isa()) != impl().isa) GTEST_SKIP() << impl().name << ": host lacks the ISA";
  }
};

TEST_P(GemmF32Test, EdgeDimsAllTransposes) {
  const int64_t dims[] = {0, 1, 5, 15, 16, 17, 33, 64, 100};
  const std::pair<float, float> ab[] = {{1.f, 0.f}, {0.5f, -1.5f}};
  uint32_t seed = 1;
  int failures = 0;
  for (int64_t m : dims) {
    for (int64_t n : dims) {
      for (int64_t k : dims) {
        for (int t = 0; t < 4; ++t) {
          for (auto [alpha, beta] : ab) {
            const Problem p{m, n, k, (t & 1) != 0, (t & 2) != 0, alpha, beta, (m + n + k) % 3};
            const std::string err = check(impl(), p, ++seed, serial());
            if (!err.empty() && ++failures <= 5) ADD_FAILURE() << impl().name << " " << err;
          }
        }
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST_P(GemmF32Test, AlphaBetaVariants) {
  const std::pair<float, float> ab[] = {{1.f, 1.f}, {2.f, 0.f}, {-1.f, 2.f}, {0.f, 0.5f}, {0.25f, 0.f}};
  uint32_t seed = 1000;
  for (auto [alpha, beta] : ab) {
    for (int64_t k : {0, 3, 40}) {
      for (const auto& mn : {std::pair<int64_t, int64_t>{1, 37}, {29, 1}, {13, 50}, {1, 1}}) {
        const Problem p{mn.first, mn.second, k, false, true, alpha, beta, 2};
        EXPECT_EQ(check(impl(), p, ++seed, serial()), "") << impl().name;
      }
    }
  }
}

// Dims past the M/N blocks and K slices (MC 144, NC 256, KC 256), single and multi-threaded.
TEST_P(GemmF32Test, LargeBlocked) {
  testing::ThreadedParallel par3(3);
  const Problem problems[] = {
      {300, 600, 300, false, false, 1.f, 0.f, 0},
      {161, 531, 517, true, true, 1.f, 1.f, 5},
      {145, 70, 257, false, true, 0.5f, 0.f, 1},
      {7, 1030, 33, true, false, 1.f, -1.f, 0},
      {1, 700, 600, false, true, 1.f, 0.f, 3},
      {700, 1, 600, true, false, 2.f, 1.f, 3},
      // Row stride a multiple of 4 KiB: op(A) is packed rather than read in place; M tails
      // of 1 and 8 rows past the 12-row tile; N tail of 5 columns.
      {49, 101, 1024, false, false, 1.f, 1.f, 0},
      {128, 69, 513, false, false, 1.f, 0.f, 0},
      // K >= 1024 takes 384-deep slices (AVX-512); an aliased op(A) with N > NC is copied
      // once per call; M > 4 MC takes 512-wide column blocks (AVX-512).
      {128, 300, 1024, false, false, 1.f, 1.f, 0},
      {40, 70, 1100, false, true, 1.f, 0.f, 0},
      {580, 520, 200, false, false, 1.f, 0.5f, 824},
      // B packed per call with few rows (M <= 4 MC), so the next block is staged during the tiles: several K
      // slices and column blocks, partial last panels, a B row stride of 4 KiB, more tiles than slice rows, and
      // (3 threads) task sequences whose next column block is wider than the current one.
      {128, 600, 1900, false, false, 1.f, 0.f, 0},
      {30, 1030, 1100, false, false, 1.f, 1.f, 0},
      {100, 1024, 300, false, false, 1.f, 0.f, 0},
      {576, 1024, 40, false, false, 1.f, 0.f, 0},
      {200, 1030, 1100, false, false, 0.5f, 0.f, 0},
  };
  uint32_t seed = 5000;
  for (const Problem& p : problems) {
    EXPECT_EQ(check(impl(), p, ++seed, serial()), "") << impl().name << " serial";
    EXPECT_EQ(check(impl(), p, ++seed, par3), "") << impl().name << " 3 threads";
  }
}

// Real-valued inputs: rounding differs from the double-accumulating reference within a bound.
TEST_P(GemmF32Test, RandomReal) {
  testing::ThreadedParallel par2(2);
  std::mt19937 rng(77);
  std::uniform_int_distribution<int64_t> dim(1, 130);
  for (int it = 0; it < 40; ++it) {
    const uint32_t seed = 9000 + it;
    const Problem p{dim(rng), dim(rng), dim(rng), (it & 1) != 0, (it & 2) != 0, 0.7f, (it & 4) ? 0.3f : 0.f, it % 4};
    EXPECT_EQ(check(impl(), p, seed, it % 2 ? par2 : serial(), /*exact=*/false), "") << impl().name;
  }
}

// Weights packed once (pack_a) give the same result as packing per call, across K slices, M
// blocks and threads, for both layouts of A.
// Only the implementations that pack (all but the reference) are instantiated for these.
class GemmF32PackTest : public GemmF32Test {};

TEST_P(GemmF32PackTest, PrepackedA) {
  testing::ThreadedParallel par2(2);
  const Problem problems[] = {
      {300, 600, 300, false, false, 1.f, 0.f, 0},
      {161, 531, 517, true, true, 1.f, 1.f, 5},
      {145, 70, 257, false, true, 0.5f, 0.f, 1},
      {13, 4, 1000, true, false, 1.f, 0.f, 2},
      {1, 70, 60, false, true, 1.f, 0.f, 3},
      {70, 1, 60, false, false, 2.f, 1.f, 3},
      {5, 3, 7, false, false, 1.f, 0.f, 0},
      {0, 3, 7, false, false, 1.f, 0.f, 0},
      // N <= NR / 2: the small-N path over packed panels, K in one or several slices.
      {960, 4, 160, false, false, 1.f, 0.f, 0},
      {100, 16, 300, false, true, 1.f, 1.f, 1},
      {37, 7, 600, true, false, 0.5f, 0.f, 2},
      {12, 2, 513, false, false, 1.f, 0.f, 0},
  };
  uint32_t seed = 7000;
  for (const Problem& p : problems) {
    EXPECT_EQ(check(impl(), p, ++seed, serial(), true, true), "") << impl().name << " serial";
    EXPECT_EQ(check(impl(), p, ++seed, par2, true, true), "") << impl().name << " 2 threads";
  }
}

// Constant B packed once (pack_b), alone and together with a packed A.
TEST_P(GemmF32PackTest, PrepackedB) {
  testing::ThreadedParallel par2(2);
  const Problem problems[] = {
      {300, 600, 300, false, false, 1.f, 0.f, 0}, {161, 531, 517, true, true, 1.f, 1.f, 5},
      {145, 70, 257, false, true, 0.5f, 0.f, 1},  {128, 768, 768, false, false, 1.f, 1.f, 0},
      {13, 4, 1000, true, false, 1.f, 0.f, 2},    {1, 70, 60, false, true, 1.f, 0.f, 3},
      {70, 1, 60, false, false, 2.f, 1.f, 3},     {5, 3, 7, false, false, 1.f, 0.f, 0},
      {37, 100, 33, false, false, 1.f, 0.f, 1},
  };
  uint32_t seed = 8000;
  for (const Problem& p : problems) {
    for (bool with_a : {false, true}) {
      EXPECT_EQ(check(impl(), p, ++seed, serial(), true, with_a, true), "") << impl().name << " serial";
      EXPECT_EQ(check(impl(), p, ++seed, par2, true, with_a, true), "") << impl().name << " 2 threads";
    }
  }
}

std::string impl_name(const ::testing::TestParamInfo<int>& info) { return gemm_f32_impls()[info.param].name; }

std::vector<int> packing_impls() {
  std::vector<int> out;
  for (size_t i = 0; i < gemm_f32_impls().size(); ++i)
    if (gemm_f32_impls()[i].pack_a && gemm_f32_impls()[i].pack_b) out.push_back(static_cast<int>(i));
  return out;
}

INSTANTIATE_TEST_SUITE_P(All, GemmF32Test, ::testing::Range(0, static_cast<int>(gemm_f32_impls().size())), impl_name);
INSTANTIATE_TEST_SUITE_P(All, GemmF32PackTest, ::testing::ValuesIn(packing_impls()), impl_name);

TEST(GemmSelect, HonoursIsaMask) {
  EXPECT_STREQ(select_gemm_f32(0).name, "gemm_f32_6x8_generic");
  EXPECT_EQ(select_gemm_f32(kIsaAvx2).isa & ~kIsaAvx2, 0u);
  EXPECT_STREQ(select_gemm_f32(kIsaAvx2 | kIsaAvx512).name, "gemm_f32_12x32_avx512");
}

TEST(GemmRef, IntegerAndDouble) {
  // [2x3] x [3x2] with transposed B, beta accumulates.
  const int64_t a[] = {1, 2, 3, 4, 5, 6}, b[] = {1, 0, -1, 2, 1, 0};
  int64_t c[] = {1, 1, 1, 1};
  GemmArgs<int64_t> g;
  g.m = 2, g.n = 2, g.k = 3, g.trans_b = true, g.alpha = 2, g.beta = 1;
  g.a = a, g.lda = 3, g.b = b, g.ldb = 3, g.c = c, g.ldc = 2;
  gemm_ref(g);
  // row0: [1,2,3].[1,0,-1] = -2, [1,2,3].[2,1,0] = 4; row1: [4,5,6].. = -2, 13
  EXPECT_EQ(c[0], 2 * -2 + 1);
  EXPECT_EQ(c[1], 2 * 4 + 1);
  EXPECT_EQ(c[2], 2 * -2 + 1);
  EXPECT_EQ(c[3], 2 * 13 + 1);
  const double ad[] = {0.5, 0.25}, bd[] = {2.0, 4.0};
  double cd = 0;
  GemmArgs<double> h;
  h.m = 1, h.n = 1, h.k = 2, h.a = ad, h.lda = 2, h.b = bd, h.ldb = 1, h.c = &cd, h.ldc = 1;
  gemm_ref(h);
  EXPECT_DOUBLE_EQ(cd, 2.0);
}

}  // namespace
}  // namespace ortl::kernels
