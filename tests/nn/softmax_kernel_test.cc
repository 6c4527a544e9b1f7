// kernels/softmax against its double-precision reference: every float32 variant the host can
// run, Softmax and LogSoftmax, [outer, n, inner] around the vector widths and the 256-column
// block, large and infinite inputs, in-place runs; plus the polynomial exp's accuracy.
#include <gtest/gtest.h>

#include <random>

#include "kernels/base/isa.h"
#include "kernels/softmax/softmax.h"
#include "tests/nn/test_util.h"

namespace ortl::kernels {
namespace {

using nntest::ThreadedParallel;

TEST(ExpF32, WithinFewUlp) {
  std::vector<float> x, y;
  for (float v = -87.0f; v < 88.0f; v += 0.0137f) x.push_back(v);
  y.resize(x.size());
  exp_f32(x.data(), y.data(), static_cast<int64_t>(x.size()));
  for (size_t i = 0; i < x.size(); ++i) {
    const double want = std::exp(static_cast<double>(x[i]));
    ASSERT_NEAR(y[i], want, 3e-7 * want) << "x = " << x[i];
  }
  const float edge[] = {-200.0f, -88.0f, 0.0f, 100.0f, -INFINITY, INFINITY, NAN};
  float out[7];
  exp_f32(edge, out, 7);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[2], 1.0f);
  EXPECT_EQ(out[3], INFINITY);
  EXPECT_EQ(out[4], 0.0f);
  EXPECT_EQ(out[5], INFINITY);
  EXPECT_TRUE(std::isnan(out[6]));
}

void check_variant(const SoftmaxF32Kernel& k) {
  ThreadedParallel threaded(3);
  std::mt19937 rng(11);
  for (SoftmaxKind kind : {SoftmaxKind::kSoftmax, SoftmaxKind::kLogSoftmax}) {
    for (int64_t outer : {1, 4}) {
      for (int64_t n : {1, 2, 3, 7, 8, 9, 12, 16, 17, 33, 1000}) {
        for (int64_t inner : {1, 2, 5, 12, 33, 257}) {
          if (n * inner > 40000) continue;
          const SoftmaxDims d{outer, n, inner};
          const int64_t total = outer * n * inner;
          const double scale = (n % 3 == 0) ? 300 : 5;  // large logits need the max shift
          std::vector<float> x = nntest::random_vec<float>(rng, total, -scale, scale);
          std::vector<float> want(total), got(total);
          softmax_ref<float>(kind, d, x.data(), want.data());
          k.fn(kind, d, x.data(), got.data(), inner % 2 ? threaded : serial());
          EXPECT_TRUE(nntest::all_close(got.data(), want.data(), total, 2e-6,
                                        1e-6 * (kind == SoftmaxKind::kSoftmax ? 1 : scale)))
              << k.name << " kind " << static_cast<int>(kind) << " dims " << outer << "x" << n << "x" << inner;
          // In place: src == dst.
          k.fn(kind, d, x.data(), x.data(), serial());
          EXPECT_TRUE(
              nntest::all_close(x.data(), want.data(), total, 2e-6, 1e-6 * (kind == SoftmaxKind::kSoftmax ? 1 : scale)))
              << k.name << " in place, dims " << outer << "x" << n << "x" << inner;
        }
      }
    }
  }
}

TEST(SoftmaxKernel, EveryF32Variant) {
  for (const auto& k : softmax_f32_kernels()) {
    if ((k.isa & host_isa()) != k.isa) {
      std::printf("skipping %s: host lacks its ISA\n", k.name);
      continue;
    }
    check_variant(k);
  }
}

TEST(SoftmaxKernel, Double) {
  std::mt19937 rng(2);
  for (SoftmaxKind kind : {SoftmaxKind::kSoftmax, SoftmaxKind::kLogSoftmax}) {
    for (SoftmaxDims d : {SoftmaxDims{3, 17, 1}, SoftmaxDims{2, 5, 7}, SoftmaxDims{1, 1, 3}}) {
      const int64_t total = d.outer * d.n * d.inner;
      std::vector<double> x = nntest::random_vec<double>(rng, total, -50, 50), want(total), got(total);
      softmax_ref<double>(kind, d, x.data(), want.data());
      softmax<double>(kind, d, x.data(), got.data(), serial());
      EXPECT_TRUE(nntest::all_close(got.data(), want.data(), total, 1e-12, 1e-12));
    }
  }
}

TEST(SoftmaxKernel, InfiniteInputs) {
  const std::vector<float> x{-INFINITY, 0.0f, -INFINITY, 1.0f};
  std::vector<float> y(4);
  softmax<float>(SoftmaxKind::kSoftmax, {1, 4, 1}, x.data(), y.data(), serial());
  EXPECT_EQ(y[0], 0.0f);
  EXPECT_NEAR(y[1], 1 / (1 + std::exp(1.0f)), 1e-6);
  softmax<float>(SoftmaxKind::kLogSoftmax, {1, 4, 1}, x.data(), y.data(), serial());
  EXPECT_EQ(y[0], -INFINITY);
}

TEST(HardmaxKernel, MatchesReference) {
  std::mt19937 rng(4);
  ThreadedParallel par(2);
  for (SoftmaxDims d : {SoftmaxDims{3, 7, 1}, SoftmaxDims{2, 5, 12}, SoftmaxDims{1, 1, 3}, SoftmaxDims{4, 33, 2}}) {
    const int64_t total = d.outer * d.n * d.inner;
    std::vector<float> x = nntest::random_vec<float>(rng, total, 0, 3), want(total), got(total);
    for (float& v : x) v = std::round(v);  // ties: the first maximum wins
    hardmax_ref<float>(d, x.data(), want.data());
    hardmax<float>(d, x.data(), got.data(), par);
    EXPECT_EQ(got, want);
  }
}

}  // namespace
}  // namespace ortl::kernels
