// Fast data-movement kernels against the spec-literal references: random shapes (ranks 1-6,
// zero-size and size-1 dims, odd sizes), every element size plus strings, and a threaded
// Parallel so chunk boundaries are exercised. Each case prints its seed on failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "kernels/base/isa.h"
#include "kernels/transform/transform.h"
#include "tests/tensor/tensor_harness.h"

namespace ortl::tensor_test {
namespace {

using kernels::Dims;

int64_t numel(const Dims& s) { return std::accumulate(s.begin(), s.end(), int64_t{1}, std::multiplies<>()); }

template <class T>
T value_of(int64_t i) {
  if constexpr (std::is_same_v<T, std::string>) {
    std::string s("s");  // appended, not "s" + ...: GCC 12 warns (-Wrestrict) on the insert path
    s += std::to_string(i);
    return s;
  } else {
    return static_cast<T>(i * 2654435761u + 7);
  }
}

template <class T>
std::vector<T> pattern(int64_t n) {
  std::vector<T> v(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) v[i] = value_of<T>(i);
  return v;
}

// Dims drawn from {0 (rarely), 1, 2, 3, 7, 13, 31}, capped so the element count stays small.
Dims random_shape(std::mt19937& rng, int rank, bool allow_zero) {
  static const int64_t kSizes[] = {1, 2, 3, 7, 13, 31, 5};
  Dims s(rank);
  for (int k = 0; k < rank; ++k) s[k] = kSizes[rng() % 7];
  while (numel(s) > 20000) *std::max_element(s.begin(), s.end()) /= 2;
  if (allow_zero && rng() % 8 == 0) s[rng() % rank] = 0;
  return s;
}

template <class T>
void check_transpose(uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  const int rank = 1 + static_cast<int>(rng() % 6);
  const Dims shape = random_shape(rng, rank, true);
  Dims perm(rank);
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  const std::vector<T> src = pattern<T>(numel(shape));
  std::vector<T> want(src.size()), got(src.size(), value_of<T>(-1));
  kernels::transpose_ref(src.data(), want.data(), shape, perm);
  ThreadedParallel par;
  kernels::transpose(src.data(), got.data(), shape, perm, par);
  ASSERT_EQ(want, got) << "shape " << shape_str(shape) << " perm " << shape_str(perm);
}

TEST(TransposeKernel, RandomPermutationsMatchReference) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    check_transpose<uint32_t>(seed);
    if (seed % 3 == 0) check_transpose<uint8_t>(seed);
    if (seed % 3 == 1) check_transpose<uint64_t>(seed);
    if (seed % 3 == 2) check_transpose<uint16_t>(seed);
    if (seed % 10 == 0) check_transpose<std::string>(seed);
  }
}

TEST(TransposeKernel, LargeTiled2D) {
  // Exercises the 16x16 tiles with remainders on both axes.
  for (const Dims& shape : {Dims{257, 129}, Dims{3, 33, 65}, Dims{1, 17, 1, 31}}) {
    Dims perm(shape.size());
    std::iota(perm.begin(), perm.end(), 0);
    std::reverse(perm.begin(), perm.end());
    const auto src = pattern<uint32_t>(numel(shape));
    std::vector<uint32_t> want(src.size()), got(src.size());
    kernels::transpose_ref(src.data(), want.data(), shape, perm);
    ThreadedParallel par(4);
    kernels::transpose(src.data(), got.data(), shape, perm, par);
    EXPECT_EQ(want, got) << shape_str(shape);
  }
}

// Every 4-byte block variant the host can run, directly, on odd block sizes with row strides
// larger than the block (elements outside the block must stay untouched).
TEST(TransposeKernel, BlockVariantsOddSizes) {
  const int64_t sizes[] = {0, 1, 3, 4, 5, 7, 8, 9, 13, 16, 33};
  int ran = 0;
  for (const kernels::TransposeBlockU32Kernel& k : kernels::transpose_block_u32_kernels()) {
    if ((k.isa & kernels::host_isa()) != k.isa) continue;
    ++ran;
    for (int64_t na : sizes) {
      for (int64_t nb : sizes) {
        SCOPED_TRACE(std::string(k.name) + " na " + std::to_string(na) + " nb " + std::to_string(nb));
        const int64_t ls = na + 3, ld = nb + 2;
        const auto src = pattern<uint32_t>(std::max<int64_t>(nb * ls, 1));
        std::vector<uint32_t> got(static_cast<size_t>(std::max<int64_t>(na * ld, 1)), 0xdeadu), want(got);
        for (int64_t a = 0; a < na; ++a)
          for (int64_t b = 0; b < nb; ++b) want[static_cast<size_t>(a * ld + b)] = src[static_cast<size_t>(b * ls + a)];
        k.fn(src.data(), ls, got.data(), ld, na, nb);
        ASSERT_EQ(want, got);
      }
    }
  }
  EXPECT_GE(ran, 2);
  EXPECT_STREQ(kernels::select_transpose_block_u32(0).name, "transpose_block_u32_4x4_base");
}

// The common model permutations on odd sizes: NCHW <-> NHWC, BERT's [B,S,H,D] -> [B,H,S,D] and
// [B,H,S,D] -> [B,H,D,S], float-sized and 8-byte elements.
TEST(TransposeKernel, ModelPermutations) {
  const std::vector<std::pair<Dims, Dims>> cases = {
      {{2, 13, 7, 33}, {0, 2, 3, 1}},
      {{2, 7, 33, 13}, {0, 3, 1, 2}},
      {{1, 3, 5, 9}, {0, 2, 3, 1}},
      {{2, 33, 3, 17}, {0, 2, 1, 3}},
      {{2, 3, 33, 17}, {0, 1, 3, 2}},
      {{40, 33}, {1, 0}},
      {{8, 16}, {1, 0}},
      {{0, 5, 7, 3}, {0, 2, 3, 1}},
      {{2, 5, 0, 3}, {0, 3, 1, 2}},
  };
  for (const auto& [shape, perm] : cases) {
    const auto src = pattern<uint32_t>(numel(shape));
    std::vector<uint32_t> want(src.size()), got(src.size(), 7);
    kernels::transpose_ref(src.data(), want.data(), shape, perm);
    ThreadedParallel par(3);
    kernels::transpose(src.data(), got.data(), shape, perm, par);
    EXPECT_EQ(want, got) << shape_str(shape) << " perm " << shape_str(perm);
    const auto src8 = pattern<uint64_t>(numel(shape));
    std::vector<uint64_t> want8(src8.size()), got8(src8.size(), 7);
    kernels::transpose_ref(src8.data(), want8.data(), shape, perm);
    kernels::transpose(src8.data(), got8.data(), shape, perm, par);
    EXPECT_EQ(want8, got8) << shape_str(shape) << " perm " << shape_str(perm);
  }
}

TEST(StridedCopyKernel, RandomStridesMatchReference) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const int rank = 1 + static_cast<int>(rng() % 5);
    const Dims shape = random_shape(rng, rank, true);
    // A source big enough for strides in [-3, 3] per dim, with src pointing at its middle.
    Dims strides(rank);
    int64_t span = 1;
    for (int k = rank - 1; k >= 0; --k) {
      const int64_t mult = static_cast<int64_t>(rng() % 7) - 3;  // includes 0 (broadcast) and negatives
      strides[k] = mult * span;
      span *= std::max<int64_t>(shape[k], 1) * 3 + 1;
    }
    const auto buf = pattern<uint32_t>(2 * span + 1);
    const uint32_t* src = buf.data() + span;
    std::vector<uint32_t> want(numel(shape)), got(numel(shape), 0xdeadbeef);
    kernels::strided_copy_ref(src, want.data(), {shape, strides});
    ThreadedParallel par;
    kernels::strided_copy(src, got.data(), {shape, strides}, par);
    ASSERT_EQ(want, got) << shape_str(shape) << " strides " << shape_str(strides);
  }
}

template <class T>
void check_pad(uint32_t seed, kernels::PadMode mode) {
  SCOPED_TRACE("seed " + std::to_string(seed) + " mode " + std::to_string(static_cast<int>(mode)));
  std::mt19937 rng(seed);
  const int rank = 1 + static_cast<int>(rng() % 4);
  kernels::PadParams p;
  p.mode = mode;
  p.src_shape = random_shape(rng, rank, mode == kernels::PadMode::kConstant);
  for (int k = 0; k < rank; ++k) {
    const int64_t n = p.src_shape[k];
    // Pads up to 2n+2 (reflect/wrap past one period); negative pads crop at most n.
    auto draw = [&] { return static_cast<int64_t>(rng() % (2 * n + 3)) - std::min<int64_t>(n / 2, rng() % 3); };
    p.begin.push_back(draw());
    p.end.push_back(draw());
    if (p.src_shape[k] + p.begin[k] + p.end[k] < 0) p.end[k] = -p.src_shape[k] - p.begin[k];
  }
  Dims out(rank);
  for (int k = 0; k < rank; ++k) out[k] = p.src_shape[k] + p.begin[k] + p.end[k];
  const auto src = pattern<T>(numel(p.src_shape));
  const T value = value_of<T>(-5);
  std::vector<T> want(numel(out)), got(numel(out), value_of<T>(-1));
  kernels::pad_ref(src.data(), want.data(), p, value);
  ThreadedParallel par;
  kernels::pad(src.data(), got.data(), p, value, par);
  ASSERT_EQ(want, got) << "src " << shape_str(p.src_shape) << " begin " << shape_str(p.begin) << " end "
                       << shape_str(p.end);
}

TEST(PadKernel, AllModesMatchReference) {
  using kernels::PadMode;
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    for (PadMode m : {PadMode::kConstant, PadMode::kReflect, PadMode::kEdge, PadMode::kWrap}) {
      check_pad<uint32_t>(seed, m);
    }
    if (seed % 5 == 0) check_pad<std::string>(seed, PadMode::kReflect);
    if (seed % 5 == 1) check_pad<uint8_t>(seed, PadMode::kConstant);
  }
}

TEST(PadKernel, ReflectMatchesNumpy) {
  // numpy.pad([0, 1, 2], (5, 4), 'reflect') = [1 0 1 2 1 | 0 1 2 | 1 0 1 2]
  const std::vector<uint32_t> src = {0, 1, 2};
  kernels::PadParams p{{3}, {5}, {4}, kernels::PadMode::kReflect};
  std::vector<uint32_t> got(12);
  kernels::pad(src.data(), got.data(), p, 9u, kernels::serial());
  EXPECT_EQ(got, (std::vector<uint32_t>{1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2}));
}

TEST(GatherKernel, MatchesReference) {
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const int64_t outer = rng() % 5, dim = 1 + rng() % 9, inner = 1 + rng() % 8 * (rng() % 2), n_idx = rng() % 12;
    std::vector<int64_t> idx(n_idx);
    for (auto& v : idx) v = static_cast<int64_t>(rng() % (2 * dim)) - dim;
    ASSERT_EQ(kernels::normalize_indices(idx.data(), n_idx, dim), -1);
    const auto src = pattern<uint16_t>(outer * dim * inner);
    std::vector<uint16_t> want(outer * n_idx * inner), got(want.size(), 0xffff);
    kernels::gather_ref(src.data(), idx.data(), n_idx, outer, dim, inner, want.data());
    ThreadedParallel par;
    kernels::gather(src.data(), idx.data(), n_idx, outer, dim, inner, got.data(), par);
    ASSERT_EQ(want, got);
  }
}

TEST(GatherKernel, NormalizeRejectsOutOfRange) {
  std::vector<int64_t> idx = {0, -3, 2, 3, -1};
  EXPECT_EQ(kernels::normalize_indices(idx.data(), 5, 3), 3);
  idx = {-4};
  EXPECT_EQ(kernels::normalize_indices(idx.data(), 1, 3), 0);
  idx = {-3, 2};
  EXPECT_EQ(kernels::normalize_indices(idx.data(), 2, 3), -1);
  EXPECT_EQ(idx, (std::vector<int64_t>{0, 2}));
}

TEST(ConcatSplitKernel, RoundTripWithZeroSizeParts) {
  const std::vector<int64_t> inners = {3, 0, 5, 1};
  const int64_t outer = 7;
  std::vector<std::vector<uint64_t>> parts;
  std::vector<const uint64_t*> srcs;
  for (size_t i = 0; i < inners.size(); ++i) {
    parts.push_back(pattern<uint64_t>(outer * inners[i]));
    for (auto& v : parts.back()) v += 1000 * i;
  }
  for (auto& p : parts) srcs.push_back(p.data());
  std::vector<uint64_t> cat(outer * 9);
  ThreadedParallel par;
  kernels::concat(srcs.data(), inners.data(), 4, outer, cat.data(), par);
  for (int64_t o = 0; o < outer; ++o) {
    EXPECT_EQ(cat[o * 9 + 0], parts[0][o * 3]);
    EXPECT_EQ(cat[o * 9 + 3], parts[2][o * 5]);
    EXPECT_EQ(cat[o * 9 + 8], parts[3][o]);
  }
  std::vector<std::vector<uint64_t>> back(4);
  std::vector<uint64_t*> dsts;
  for (size_t i = 0; i < 4; ++i) {
    back[i].resize(outer * inners[i]);
    dsts.push_back(back[i].data());
  }
  kernels::split(cat.data(), outer, inners.data(), 4, dsts.data(), par);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(back[i], parts[i]);
}

TEST(FillKernels, TriluEyeOneHot) {
  const auto src = pattern<uint32_t>(12);  // 3x4
  std::vector<uint32_t> got(12);
  kernels::trilu(src.data(), got.data(), 1, 3, 4, -1, false, kernels::serial());  // keep j <= i - 1
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(got[i * 4 + j], j <= i - 1 ? src[i * 4 + j] : 0u) << i << "," << j;
  kernels::trilu(src.data(), got.data(), 1, 3, 4, 2, true, kernels::serial());  // keep j >= i + 2
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) EXPECT_EQ(got[i * 4 + j], j >= i + 2 ? src[i * 4 + j] : 0u) << i << "," << j;

  std::vector<uint8_t> eye(12);
  kernels::eye<uint8_t>(eye.data(), 3, 4, 1, 0, 1);
  EXPECT_EQ(eye, (std::vector<uint8_t>{0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));

  const std::vector<int64_t> idx = {1, 5, 0};  // 5 is out of range for depth 3: all off
  std::vector<uint32_t> oh(9);
  kernels::one_hot<uint32_t>(idx.data(), 3, 3, 1, 0, 7, oh.data());
  EXPECT_EQ(oh, (std::vector<uint32_t>{0, 7, 0, 0, 0, 0, 7, 0, 0}));
}

TEST(FillKernels, NonZeroAndCumSum) {
  const std::vector<float> x = {0.f, -0.f, 2.f, 0.f, 1.f, 0.f};  // 2x3, -0 counts as zero
  std::vector<int64_t> coords(4);
  EXPECT_EQ(kernels::nonzero(x.data(), {2, 3}, nullptr), 2);
  kernels::nonzero(x.data(), {2, 3}, coords.data());
  EXPECT_EQ(coords, (std::vector<int64_t>{0, 1, 2, 1}));
  const std::vector<uint16_t> h = {0x8000, 0x3c00, 0x0000};
  EXPECT_EQ(kernels::nonzero_half(h.data(), {3}, nullptr), 1);

  const std::vector<int32_t> v = {1, 2, 3, 4, 5, 6};  // 2x3, along axis 1
  std::vector<int32_t> y(6);
  kernels::cumsum(v.data(), y.data(), 2, 3, 1, false, false);
  EXPECT_EQ(y, (std::vector<int32_t>{1, 3, 6, 4, 9, 15}));
  kernels::cumsum(v.data(), y.data(), 2, 3, 1, true, true);
  EXPECT_EQ(y, (std::vector<int32_t>{5, 3, 0, 11, 6, 0}));
}

}  // namespace
}  // namespace ortl::tensor_test
