// kernels/reduce against its spec-literal reference: every op x dtype on seeded random shapes
// (odd sizes 7/12/13/33, size-1 and zero-size dims, any axes set), every float32 variant the
// host can run, on a threaded Parallel. Integers must match exactly (both wrap the same way),
// floats within a bound derived from the reduced length.
#include <gtest/gtest.h>

#include <random>

#include "kernels/base/isa.h"
#include "kernels/reduce/reduce.h"
#include "tests/nn/test_util.h"

namespace ortl::kernels {
namespace {

using nntest::numel_of;
using nntest::ThreadedParallel;

constexpr ReduceOp kOps[] = {ReduceOp::kSum,       ReduceOp::kMean,     ReduceOp::kMax, ReduceOp::kMin,
                             ReduceOp::kProd,      ReduceOp::kL1,       ReduceOp::kL2,  ReduceOp::kLogSum,
                             ReduceOp::kLogSumExp, ReduceOp::kSumSquare};

const char* op_name(ReduceOp op) {
  static const char* names[] = {"Sum", "Mean", "Max", "Min", "Prod", "L1", "L2", "LogSum", "LogSumExp", "SumSquare"};
  return names[static_cast<int>(op)];
}

struct Problem {
  std::vector<int64_t> shape;
  std::vector<bool> mask;
};

Problem random_problem(std::mt19937& rng, bool allow_zero) {
  static const int64_t kDims[] = {1, 2, 3, 7, 12, 13, 33};
  Problem p;
  const int rank = std::uniform_int_distribution<int>(0, 5)(rng);
  int64_t total = 1;
  for (int i = 0; i < rank; ++i) {
    int64_t d = kDims[std::uniform_int_distribution<int>(0, 6)(rng)];
    if (total * d > 20000) d = 1;
    if (allow_zero && std::uniform_int_distribution<int>(0, 15)(rng) == 0) d = 0;
    total *= std::max<int64_t>(d, 1);
    p.shape.push_back(d);
    p.mask.push_back(std::uniform_int_distribution<int>(0, 1)(rng) == 1);
  }
  return p;
}

int64_t reduced_count(const Problem& p) {
  int64_t n = 1;
  for (size_t i = 0; i < p.shape.size(); ++i)
    if (p.mask[i]) n *= p.shape[i];
  return n;
}

int64_t out_count(const Problem& p) {
  int64_t n = 1;
  for (size_t i = 0; i < p.shape.size(); ++i)
    if (!p.mask[i]) n *= p.shape[i];
  return n;
}

// Inputs suited to the op: positive for the logs, near 1 for products (no overflow).
template <class T>
std::vector<T> input_for(ReduceOp op, std::mt19937& rng, int64_t n) {
  if constexpr (std::is_floating_point_v<T>) {
    if (op == ReduceOp::kProd) return nntest::random_vec<T>(rng, n, 0.8, 1.25);
    if (op == ReduceOp::kLogSum) return nntest::random_vec<T>(rng, n, 0.1, 3);
    return nntest::random_vec<T>(rng, n, -3, 3);
  } else {
    if (std::is_unsigned_v<T> || op == ReduceOp::kLogSum) return nntest::random_vec<T>(rng, n, 0, 5);
    return nntest::random_vec<T>(rng, n, -5, 5);
  }
}

template <class T>
void expect_match(ReduceOp op, const Problem& p, const T* got, const T* want, uint32_t seed, const char* variant) {
  const int64_t n = out_count(p), k = reduced_count(p);
  if constexpr (std::is_floating_point_v<T>) {
    const double eps = std::numeric_limits<T>::epsilon();
    // Sum-like results: error grows with the reduced length (16-lane blocks, then pairwise).
    const double rtol = (op == ReduceOp::kMax || op == ReduceOp::kMin) ? 0 : 4 * eps * (8 + static_cast<double>(k));
    const double atol = (op == ReduceOp::kMax || op == ReduceOp::kMin) ? 0 : 4 * eps * (8 + static_cast<double>(k)) * 9;
    EXPECT_TRUE(nntest::all_close(got, want, n, rtol, atol))
        << op_name(op) << " " << variant << " shape " << shape_str(p.shape) << " seed " << seed;
  } else {
    const double tol = op == ReduceOp::kLogSumExp ? 1 : 0;  // computed in double, truncated
    EXPECT_TRUE(nntest::all_close(got, want, n, 0, tol))
        << op_name(op) << " " << variant << " shape " << shape_str(p.shape) << " seed " << seed;
  }
}

template <class T>
void check_random(int cases) {
  ThreadedParallel par(3);
  for (int c = 0; c < cases; ++c) {
    const uint32_t seed = 1000 + c;
    std::mt19937 rng(seed);
    const Problem p = random_problem(rng, true);
    for (ReduceOp op : kOps) {
      const std::vector<T> x = input_for<T>(op, rng, numel_of(p.shape));
      std::vector<T> want(static_cast<size_t>(out_count(p)) + 1), got(want.size());
      reduce_ref<T>(op, p.shape, p.mask, x.data(), want.data());
      reduce<T>(op, p.shape, p.mask, x.data(), got.data(), par);
      expect_match<T>(op, p, got.data(), want.data(), seed, "default");
    }
  }
}

TEST(ReduceKernel, RandomFloat) { check_random<float>(150); }
TEST(ReduceKernel, RandomDouble) { check_random<double>(80); }
TEST(ReduceKernel, RandomInt32) { check_random<int32_t>(80); }
TEST(ReduceKernel, RandomInt64) { check_random<int64_t>(80); }
TEST(ReduceKernel, RandomInt8) { check_random<int8_t>(80); }
TEST(ReduceKernel, RandomUInt8) { check_random<uint8_t>(80); }

// Every float32 variant the host can run, on canonical [outer, reduced, inner] problems around
// the vector widths and the 256-column block, with serial and threaded execution.
TEST(ReduceKernel, EveryF32Variant) {
  const int64_t kSizes[] = {0, 1, 3, 4, 7, 8, 9, 16, 17, 33, 255, 257};
  ThreadedParallel threaded(4);
  for (const auto& k : reduce_3d_f32_kernels()) {
    if ((k.isa & host_isa()) != k.isa) {
      std::printf("skipping %s: host lacks its ISA\n", k.name);
      continue;
    }
    std::mt19937 rng(7);
    for (ReduceOp op : kOps) {
      for (int64_t outer : {1, 3}) {
        for (int64_t red : kSizes) {
          for (int64_t inner : {1, 2, 7, 12, 33, 300}) {
            Problem p{{outer, red, inner}, {false, true, false}};
            const std::vector<float> x = input_for<float>(op, rng, outer * red * inner);
            std::vector<float> want(static_cast<size_t>(outer * inner)), got(want.size());
            reduce_ref<float>(op, p.shape, p.mask, x.data(), want.data());
            k.fn(op, {outer, red, inner}, x.data(), got.data(), (red % 2) ? threaded : serial());
            expect_match<float>(op, p, got.data(), want.data(), 7, k.name);
            if (op == ReduceOp::kLogSumExp || red > 33) continue;
            // With a leading reduced dim: [pre, outer, reduced, inner].
            Problem q{{3, outer, red, inner}, {true, false, true, false}};
            const std::vector<float> xq = input_for<float>(op, rng, 3 * outer * red * inner);
            reduce_ref<float>(op, q.shape, q.mask, xq.data(), want.data());
            k.fn(op, {outer, red, inner, 3}, xq.data(), got.data(), (red % 2) ? threaded : serial());
            expect_match<float>(op, q, got.data(), want.data(), 7, k.name);
          }
        }
      }
    }
  }
}

// A long reduced dim with few outputs takes the split-reduction path.
TEST(ReduceKernel, SplitLongReduction) {
  ThreadedParallel par(4);
  std::mt19937 rng(3);
  for (ReduceOp op : kOps) {
    for (int64_t inner : {1, 5}) {
      Problem p{{100003, inner}, {true, false}};
      const std::vector<float> x = input_for<float>(op, rng, numel_of(p.shape));
      std::vector<float> want(static_cast<size_t>(inner)), got(want.size());
      reduce_ref<float>(op, p.shape, p.mask, x.data(), want.data());
      reduce<float>(op, p.shape, p.mask, x.data(), got.data(), par);
      if (op == ReduceOp::kProd) continue;  // the product of 1e5 values under/overflows
      expect_match<float>(op, p, got.data(), want.data(), 3, "split");
    }
  }
}

TEST(ReduceKernel, EmptyReductionGivesIdentity) {
  const std::vector<int64_t> shape{3, 0, 2};
  const std::vector<bool> mask{false, true, false};
  const float kInf = std::numeric_limits<float>::infinity();
  const std::pair<ReduceOp, float> cases[] = {
      {ReduceOp::kSum, 0},      {ReduceOp::kProd, 1}, {ReduceOp::kMax, -kInf},    {ReduceOp::kMin, kInf},
      {ReduceOp::kL1, 0},       {ReduceOp::kL2, 0},   {ReduceOp::kLogSum, -kInf}, {ReduceOp::kLogSumExp, -kInf},
      {ReduceOp::kSumSquare, 0}};
  for (auto [op, want] : cases) {
    std::vector<float> got(6, 42.0f);
    reduce<float>(op, shape, mask, nullptr, got.data(), serial());
    for (float g : got) EXPECT_EQ(g, want) << op_name(op);
  }
  std::vector<float> mean(6);
  reduce<float>(ReduceOp::kMean, shape, mask, nullptr, mean.data(), serial());
  EXPECT_TRUE(std::isnan(mean[0]));
  std::vector<int32_t> imax(6);
  reduce<int32_t>(ReduceOp::kMax, shape, mask, nullptr, imax.data(), serial());
  EXPECT_EQ(imax[0], std::numeric_limits<int32_t>::min());
  std::vector<uint8_t> umin(6);
  reduce<uint8_t>(ReduceOp::kMin, shape, mask, nullptr, umin.data(), serial());
  EXPECT_EQ(umin[0], 255);
}

TEST(ReduceKernel, LogSumExpLargeAndInfinite) {
  const float kInf = std::numeric_limits<float>::infinity();
  const std::vector<float> x{1000, 1000, -kInf, -kInf, 1, kInf};
  std::vector<float> y(3);
  reduce<float>(ReduceOp::kLogSumExp, {3, 2}, {false, true}, x.data(), y.data(), serial());
  EXPECT_NEAR(y[0], 1000 + std::log(2.0f), 1e-3);
  EXPECT_EQ(y[1], -kInf);
  EXPECT_EQ(y[2], kInf);
}

TEST(ReducePlan, MergesAndPermutes) {
  ReducePlan p = plan_reduce({2, 3, 4, 5}, {false, true, true, false});
  EXPECT_TRUE(p.perm.empty());
  EXPECT_EQ(p.dims.outer, 2);
  EXPECT_EQ(p.dims.reduced, 12);
  EXPECT_EQ(p.dims.inner, 5);
  p = plan_reduce({2, 1, 3, 4}, {true, false, false, true});  // NCHW axes {0, 3}: R K R
  EXPECT_TRUE(p.perm.empty());
  EXPECT_EQ(p.dims.pre, 2);
  EXPECT_EQ(p.dims.outer, 3);
  EXPECT_EQ(p.dims.reduced, 4);
  EXPECT_EQ(p.dims.inner, 1);
  p = plan_reduce({2, 1, 3, 4}, {true, false, false, true}, false);  // LogSumExp: permute
  EXPECT_EQ(p.perm, (std::vector<int64_t>{1, 0, 2}));
  EXPECT_EQ(p.dims.outer, 3);
  EXPECT_EQ(p.dims.reduced, 8);
  p = plan_reduce({2, 3, 4, 5}, {false, true, false, true});  // K R K R: permute
  EXPECT_EQ(p.perm, (std::vector<int64_t>{0, 2, 1, 3}));
  EXPECT_EQ(p.dims.outer, 8);
  EXPECT_EQ(p.dims.reduced, 15);
  EXPECT_EQ(p.dims.inner, 1);
  p = plan_reduce({2, 1, 4}, {true, false, true});  // the size-1 kept dim merges away
  EXPECT_TRUE(p.perm.empty());
  EXPECT_EQ(p.dims.reduced, 8);
  p = plan_reduce({2, 0, 4}, {true, false, true});
  EXPECT_TRUE(p.empty_output);
}

TEST(PermuteCopy, MatchesNaive) {
  std::mt19937 rng(5);
  ThreadedParallel par(3);
  for (int c = 0; c < 40; ++c) {
    const int rank = std::uniform_int_distribution<int>(1, 5)(rng);
    std::vector<int64_t> shape, perm(rank);
    for (int i = 0; i < rank; ++i) shape.push_back(std::uniform_int_distribution<int>(1, 6)(rng));
    for (int i = 0; i < rank; ++i) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    const int64_t n = numel_of(shape);
    std::vector<int32_t> x(n), got(n), want(n);
    for (int64_t i = 0; i < n; ++i) x[i] = static_cast<int32_t>(i);
    // naive: walk dst indices, map back to src
    std::vector<int64_t> dshape(rank), sstride(rank);
    for (int i = rank - 1, s = 1; i >= 0; --i) {
      sstride[i] = s;
      s *= static_cast<int>(shape[i]);
    }
    for (int i = 0; i < rank; ++i) dshape[i] = shape[perm[i]];
    for (int64_t o = 0; o < n; ++o) {
      int64_t rem = o, off = 0;
      for (int i = rank - 1; i >= 0; --i) {
        off += (rem % dshape[i]) * sstride[perm[i]];
        rem /= dshape[i];
      }
      want[o] = x[off];
    }
    permute_copy(4, shape, perm, x.data(), got.data(), par);
    EXPECT_EQ(got, want) << shape_str(shape);
  }
}

template <class T>
void check_arg(int cases) {
  ThreadedParallel par(3);
  for (int c = 0; c < cases; ++c) {
    const uint32_t seed = 500 + c;
    std::mt19937 rng(seed);
    const int64_t kD[] = {1, 2, 7, 12, 33, 300};
    ReduceDims d{kD[rng() % 4], kD[rng() % 6], kD[rng() % 6]};
    // Small integer values make ties common, so first/last index selection matters.
    const std::vector<T> x = nntest::random_vec<T>(rng, d.outer * d.reduced * d.inner, 0, 4);
    for (bool is_max : {true, false}) {
      for (bool last : {false, true}) {
        std::vector<int64_t> want(static_cast<size_t>(d.outer * d.inner)), got(want.size());
        arg_reduce_ref<T>(is_max, last, d, x.data(), want.data());
        arg_reduce<T>(is_max, last, d, x.data(), got.data(), par);
        EXPECT_EQ(got, want) << "seed " << seed << " max " << is_max << " last " << last;
      }
    }
  }
}

TEST(ArgReduceKernel, Float) { check_arg<float>(40); }
TEST(ArgReduceKernel, Int64) { check_arg<int64_t>(20); }
TEST(ArgReduceKernel, UInt8) { check_arg<uint8_t>(20); }

TEST(ArgReduceKernel, TiesFirstOrLast) {
  const std::vector<float> x{1, 3, 3, 0, 0};
  int64_t i = -1;
  arg_reduce<float>(true, false, {1, 5, 1}, x.data(), &i, serial());
  EXPECT_EQ(i, 1);
  arg_reduce<float>(true, true, {1, 5, 1}, x.data(), &i, serial());
  EXPECT_EQ(i, 2);
  arg_reduce<float>(false, false, {1, 5, 1}, x.data(), &i, serial());
  EXPECT_EQ(i, 3);
  arg_reduce<float>(false, true, {1, 5, 1}, x.data(), &i, serial());
  EXPECT_EQ(i, 4);
}

}  // namespace
}  // namespace ortl::kernels
