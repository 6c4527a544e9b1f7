// Broadcast plans and binary kernels against the spec-literal reference, on seeded random shapes
// with rank mismatch, size-1 and size-0 dims, scalars, and every op x type.
#include <array>
#include <cstring>
#include <random>

#include "harness.h"
#include "kernels/eltwise/eltwise.h"
#include "kernels/eltwise/scalar_ops.h"

namespace ortl::mathtest {
namespace {

using kernels::BinaryOp;

TEST(BroadcastPlan, CollapsesToInnerRuns) {
  // Same shape: one contiguous run.
  auto p = kernels::make_broadcast_plan({2, 3, 4}, {{2, 3, 4}, {2, 3, 4}});
  EXPECT_EQ(p.dims, (std::vector<int64_t>{24}));
  // Scalar vs tensor.
  p = kernels::make_broadcast_plan({2, 3, 4}, {{2, 3, 4}, {}});
  EXPECT_EQ(p.dims, (std::vector<int64_t>{24}));
  EXPECT_EQ(p.inner_stride(1), 0);
  // Row broadcast: [M, N] + [N].
  p = kernels::make_broadcast_plan({5, 6}, {{5, 6}, {6}});
  EXPECT_EQ(p.dims, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(p.inner_stride(1), 1);
  EXPECT_EQ(p.strides[1][0], 0);
  // Per-channel bias on NCHW: [N, C, H, W] + [C, 1, 1] -> [N, C, HW] with a scalar inner.
  p = kernels::make_broadcast_plan({2, 3, 4, 5}, {{2, 3, 4, 5}, {3, 1, 1}});
  EXPECT_EQ(p.dims, (std::vector<int64_t>{2, 3, 20}));
  EXPECT_EQ(p.inner_stride(1), 0);
  // Size-1 output dims vanish.
  p = kernels::make_broadcast_plan({1, 4, 1, 3}, {{1, 4, 1, 3}, {4, 1, 1}});
  EXPECT_EQ(p.dims, (std::vector<int64_t>{4, 3}));
  // Scalar output.
  p = kernels::make_broadcast_plan({}, {{}, {}});
  EXPECT_EQ(p.dims, (std::vector<int64_t>{1}));
  EXPECT_EQ(p.numel, 1);
}

TEST(BroadcastPlan, BroadcastsTo) {
  EXPECT_TRUE(kernels::broadcasts_to({3, 1}, {2, 3, 4}));
  EXPECT_TRUE(kernels::broadcasts_to({}, {2}));
  EXPECT_FALSE(kernels::broadcasts_to({2}, {3}));
  EXPECT_FALSE(kernels::broadcasts_to({1, 1, 1, 1}, {3, 3, 3}));
  EXPECT_TRUE(kernels::broadcasts_to({0}, {2, 0}));
}

struct Shapes {
  std::vector<int64_t> out, a, b;
};

// Random output shape (rank 0-5, dims from a list with 0, 1, primes), and inputs that drop
// leading dims and set some dims to 1.
Shapes random_shapes(std::mt19937& rng) {
  static const int64_t kDims[] = {1, 2, 3, 5, 7, 13, 1, 4, 0};
  Shapes s;
  const int rank = static_cast<int>(rng() % 6);
  const bool allow_zero = rng() % 8 == 0;
  for (int i = 0; i < rank; ++i) {
    int64_t d = kDims[rng() % (allow_zero ? 9 : 8)];
    s.out.push_back(d);
  }
  auto derive = [&]() {
    std::vector<int64_t> in = s.out;
    const size_t drop = rng() % (in.size() + 1);
    in.erase(in.begin(), in.begin() + static_cast<long>(rng() % 3 == 0 ? drop : 0));
    for (auto& d : in)
      if (rng() % 3 == 0) d = 1;
    return in;
  };
  s.a = derive();
  s.b = derive();
  // Make sure out is the broadcast of a and b: restore dims neither input carries.
  const size_t r = s.out.size();
  for (size_t i = 0; i < r; ++i) {
    const size_t ia = i + s.a.size() - r, ib = i + s.b.size() - r;
    const bool from_a = i >= r - s.a.size() && s.a[ia] == s.out[i];
    const bool from_b = i >= r - s.b.size() && s.b[ib] == s.out[i];
    if (!from_a && !from_b) {
      if (i >= r - s.a.size()) {
        s.a[ia] = s.out[i];
      } else {
        s.out[i] = 1;
      }
    }
  }
  return s;
}

int64_t numel(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

template <class T>
std::vector<T> random_values(std::mt19937& rng, int64_t n, BinaryOp op, bool exponent) {
  std::vector<T> v(static_cast<size_t>(n));
  for (auto& x : v) {
    if constexpr (std::is_floating_point_v<T>) {
      x = static_cast<T>(static_cast<int>(rng() % 2001) - 1000) / T(64);
      if (op == BinaryOp::kPow) x = exponent ? static_cast<T>(static_cast<int>(rng() % 7) - 2) : std::fabs(x);
    } else if (op == BinaryOp::kShl || op == BinaryOp::kShr) {
      x = exponent ? static_cast<T>(static_cast<int>(rng() % (sizeof(T) * 8 + 4)) - (std::is_signed_v<T> ? 2 : 0))
                   : static_cast<T>(rng());
    } else if (op == BinaryOp::kPow) {
      x = static_cast<T>(rng() % (exponent ? 5 : 9));
    } else {
      // Small values with zeros and, for signed types, the minimum (division guards).
      const int k = static_cast<int>(rng() % 64);
      x = k == 0 ? T(0) : (k == 1 ? std::numeric_limits<T>::min() : static_cast<T>(static_cast<int>(rng() % 41) - 20));
    }
  }
  return v;
}

constexpr BinaryOp kAllOps[] = {
    BinaryOp::kAdd,   BinaryOp::kSub,    BinaryOp::kMul,    BinaryOp::kDiv,     BinaryOp::kPow,      BinaryOp::kMax,
    BinaryOp::kMin,   BinaryOp::kMod,    BinaryOp::kFMod,   BinaryOp::kShl,     BinaryOp::kShr,      BinaryOp::kBitAnd,
    BinaryOp::kBitOr, BinaryOp::kBitXor, BinaryOp::kPRelu,  BinaryOp::kAnd,     BinaryOp::kOr,       BinaryOp::kXor,
    BinaryOp::kEqual, BinaryOp::kLess,   BinaryOp::kLessEq, BinaryOp::kGreater, BinaryOp::kGreaterEq};

bool supported(BinaryOp op, bool is_float) {
  if (!is_float) return true;
  return !(op == BinaryOp::kShl || op == BinaryOp::kShr || op == BinaryOp::kBitAnd || op == BinaryOp::kBitOr ||
           op == BinaryOp::kBitXor || op == BinaryOp::kAnd || op == BinaryOp::kOr || op == BinaryOp::kXor);
}

template <class T>
void check_random(uint32_t seed) {
  std::mt19937 rng(seed);
  ChunkedParallel par(4);
  for (int iter = 0; iter < 60; ++iter) {
    const Shapes s = random_shapes(rng);
    for (BinaryOp op : kAllOps) {
      if (!supported(op, std::is_floating_point_v<T>)) continue;
      const auto a = random_values<T>(rng, numel(s.a), op, false);
      const auto b = random_values<T>(rng, numel(s.b), op, true);
      const size_t n = static_cast<size_t>(numel(s.out));
      const size_t esz = kernels::binary_outputs_bool(op) ? 1 : sizeof(T);
      std::vector<unsigned char> got(n * esz + 1, 0xAB), want(n * esz + 1, 0xAB);
      const auto plan = kernels::make_broadcast_plan(s.out, {s.a, s.b});
      kernels::binary<T>(op, plan, a.data(), b.data(), got.data(), par);
      kernels::binary_ref<T>(op, s.out, s.a, a.data(), s.b, b.data(), want.data());
      // Bitwise equality (NaN patterns included); the guard byte must be untouched.
      ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size()))
          << "seed " << seed << " iter " << iter << " op " << static_cast<int>(op) << " out " << shape_str(s.out)
          << " a " << shape_str(s.a) << " b " << shape_str(s.b);
      // In place over a, when a has the output's shape and type.
      if (n > 0 && s.a == s.out && esz == sizeof(T)) {
        auto inplace = a;
        kernels::binary<T>(op, plan, inplace.data(), b.data(), inplace.data(), par);
        ASSERT_EQ(0, std::memcmp(inplace.data(), want.data(), n * esz)) << "in place, seed " << seed;
      }
    }
  }
}

// Short rows repeated along the next dim (the NCHWc per-channel scale), taken as whole rows.
TEST(BinaryKernel, RowBroadcastMatchesReference) {
  using V = std::vector<int64_t>;
  const std::vector<std::array<V, 3>> cases = {
      {V{2, 3, 5, 4, 16}, V{2, 3, 5, 4, 16}, V{2, 3, 1, 1, 16}},
      {V{2, 3, 5, 4, 16}, V{2, 3, 1, 1, 16}, V{2, 3, 5, 4, 16}},
      {V{3, 7, 17}, V{3, 7, 17}, V{3, 1, 17}},
      {V{1, 5, 64}, V{1, 1, 64}, V{1, 5, 64}},
      {V{4, 65}, V{4, 65}, V{1, 65}},  // rows too long: the plain path
      {V{2, 6, 16}, V{6, 16}, V{2, 1, 16}},
  };
  std::mt19937 rng(11);
  ChunkedParallel par(3);
  for (const auto& [out, sa, sb] : cases) {
    for (BinaryOp op : {BinaryOp::kMul, BinaryOp::kSub, BinaryOp::kDiv, BinaryOp::kLess}) {
      const auto a = random_values<float>(rng, numel(sa), op, false);
      const auto b = random_values<float>(rng, numel(sb), op, true);
      const size_t esz = kernels::binary_outputs_bool(op) ? 1 : sizeof(float);
      std::vector<unsigned char> got(static_cast<size_t>(numel(out)) * esz + 1, 0xAB), want = got;
      kernels::binary<float>(op, kernels::make_broadcast_plan(out, {sa, sb}), a.data(), b.data(), got.data(), par);
      kernels::binary_ref<float>(op, out, sa, a.data(), sb, b.data(), want.data());
      ASSERT_EQ(0, std::memcmp(got.data(), want.data(), got.size()))
          << "op " << static_cast<int>(op) << " out " << shape_str(out) << " a " << shape_str(sa);
    }
  }
}

TEST(BinaryKernel, MatchesReferenceF32) { check_random<float>(1); }
TEST(BinaryKernel, MatchesReferenceF64) { check_random<double>(2); }
TEST(BinaryKernel, MatchesReferenceI32) { check_random<int32_t>(3); }
TEST(BinaryKernel, MatchesReferenceI64) { check_random<int64_t>(4); }
TEST(BinaryKernel, MatchesReferenceI8) { check_random<int8_t>(5); }
TEST(BinaryKernel, MatchesReferenceU8) { check_random<uint8_t>(6); }
TEST(BinaryKernel, MatchesReferenceI16) { check_random<int16_t>(7); }
TEST(BinaryKernel, MatchesReferenceU16) { check_random<uint16_t>(8); }
TEST(BinaryKernel, MatchesReferenceU32) { check_random<uint32_t>(9); }
TEST(BinaryKernel, MatchesReferenceU64) { check_random<uint64_t>(10); }

TEST(BinaryKernel, IntegerEdgeCasesDoNotTrap) {
  ChunkedParallel par;
  const std::vector<int32_t> a = {INT32_MIN, 7, -7, 7, -7, 5};
  const std::vector<int32_t> b = {-1, 0, 2, -2, -2, 0};
  const auto plan = kernels::make_broadcast_plan({6}, {{6}, {6}});
  std::vector<int32_t> d(6);
  kernels::binary<int32_t>(BinaryOp::kDiv, plan, a.data(), b.data(), d.data(), par);
  EXPECT_EQ(d, (std::vector<int32_t>{INT32_MIN, 0, -3, -3, 3, 0}));  // truncation toward zero
  kernels::binary<int32_t>(BinaryOp::kMod, plan, a.data(), b.data(), d.data(), par);
  EXPECT_EQ(d, (std::vector<int32_t>{0, 0, 1, -1, -1, 0}));  // sign of the divisor
  kernels::binary<int32_t>(BinaryOp::kFMod, plan, a.data(), b.data(), d.data(), par);
  EXPECT_EQ(d, (std::vector<int32_t>{0, 0, -1, 1, -1, 0}));  // sign of the dividend
}

TEST(BinaryKernel, FloatModAndMinMaxNaN) {
  ChunkedParallel par;
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  const std::vector<float> a = {-4.3f, 5.0f, -1.0f, nan, 1.0f, -0.0f};
  const std::vector<float> b = {2.1f, -2.0f, inf, 1.0f, nan, 3.0f};
  const auto plan = kernels::make_broadcast_plan({6}, {{6}, {6}});
  std::vector<float> d(6);
  kernels::binary<float>(BinaryOp::kMod, plan, a.data(), b.data(), d.data(), par);
  EXPECT_NEAR(d[0], 2.0f, 1e-5f);  // -4.3 - floor(-4.3 / 2.1) * 2.1
  EXPECT_EQ(d[1], -1.0f);
  EXPECT_EQ(d[2], inf);  // numpy: mod(-1, inf) = inf
  kernels::binary<float>(BinaryOp::kMax, plan, a.data(), b.data(), d.data(), par);
  EXPECT_TRUE(std::isnan(d[3]) && std::isnan(d[4]));
  kernels::binary<float>(BinaryOp::kMin, plan, a.data(), b.data(), d.data(), par);
  EXPECT_TRUE(std::isnan(d[3]) && std::isnan(d[4]));
}

}  // namespace
}  // namespace ortl::mathtest
