// kernels/norm against its double-precision reference on odd sizes (7, 12, 33), size-1 and
// zero-size dims, a threaded Parallel, and with ORTL's selected ISA (the float32 AVX2 bodies are
// also run directly when the host has AVX2).
#include <gtest/gtest.h>

#include <random>

#include "kernels/base/isa.h"
#include "kernels/norm/norm.h"
#include "tests/nn/test_util.h"

namespace ortl::kernels {
namespace {

using nntest::random_vec;
using nntest::ThreadedParallel;

template <class T>
double tol() {
  return sizeof(T) == 4 ? 2e-5 : 1e-11;
}

template <class T>
void check_layer_norm() {
  std::mt19937 rng(21);
  ThreadedParallel par(3);
  for (int64_t rows : {0, 1, 3, 12}) {
    for (int64_t n : {1, 7, 12, 33, 768}) {
      for (bool with_bias : {true, false}) {
        LayerNormParams p{rows, n, 1e-5f};
        auto x = random_vec<T>(rng, rows * n, -4, 6), s = random_vec<T>(rng, n), b = random_vec<T>(rng, n);
        std::vector<T> want(x.size()), got(x.size()), m0(rows), m1(rows), i0(rows), i1(rows);
        layer_norm_ref<T>(p, x.data(), s.data(), with_bias ? b.data() : nullptr, want.data(), m0.data(), i0.data());
        layer_norm<T>(p, x.data(), s.data(), with_bias ? b.data() : nullptr, got.data(), m1.data(), i1.data(), par);
        EXPECT_TRUE(nntest::all_close(got.data(), want.data(), rows * n, tol<T>(), tol<T>())) << rows << "x" << n;
        EXPECT_TRUE(nntest::all_close(m1.data(), m0.data(), rows, tol<T>(), tol<T>()));
        EXPECT_TRUE(nntest::all_close(i1.data(), i0.data(), rows, tol<T>(), tol<T>()));
        // in place, no statistics
        layer_norm<T>(p, x.data(), s.data(), with_bias ? b.data() : nullptr, x.data(), nullptr, nullptr, serial());
        EXPECT_TRUE(nntest::all_close(x.data(), want.data(), rows * n, tol<T>(), tol<T>()));
      }
    }
  }
}

TEST(NormKernel, LayerNormFloat) { check_layer_norm<float>(); }
TEST(NormKernel, LayerNormDouble) { check_layer_norm<double>(); }

template <class T>
void check_group_norm() {
  std::mt19937 rng(22);
  ThreadedParallel par(3);
  struct Case {
    int64_t n, c, s, g;
  };
  for (Case k : {Case{1, 4, 9, 2}, Case{2, 12, 7, 3}, Case{3, 33, 1, 33}, Case{2, 7, 13, 7}, Case{1, 6, 0, 2},
                 Case{2, 32, 64, 8}, Case{1, 12, 5, 1}}) {
    GroupNormParams p{k.n, k.c, k.s, k.g, 1e-5f};
    auto x = random_vec<T>(rng, k.n * k.c * k.s, -2, 5), sc = random_vec<T>(rng, k.c), b = random_vec<T>(rng, k.c);
    std::vector<T> want(x.size()), got(x.size());
    group_norm_ref<T>(p, x.data(), sc.data(), b.data(), want.data());
    group_norm<T>(p, x.data(), sc.data(), b.data(), got.data(), par);
    EXPECT_TRUE(nntest::all_close(got.data(), want.data(), static_cast<int64_t>(x.size()), tol<T>(), tol<T>()))
        << k.n << " " << k.c << " " << k.s << " " << k.g;
  }
}

TEST(NormKernel, GroupNormFloat) { check_group_norm<float>(); }
TEST(NormKernel, GroupNormDouble) { check_group_norm<double>(); }

TEST(NormKernel, BatchNormAndMoments) {
  std::mt19937 rng(23);
  ThreadedParallel par(3);
  for (auto [n, c, s] : {std::tuple<int64_t, int64_t, int64_t>{2, 7, 9}, {1, 12, 1}, {3, 33, 13}, {0, 3, 4}}) {
    BatchNormParams p{n, c, s, 1e-3f};
    auto x = random_vec<float>(rng, n * c * s), sc = random_vec<float>(rng, c), b = random_vec<float>(rng, c);
    auto mean = random_vec<float>(rng, c), var = random_vec<float>(rng, c, 0.1, 2);
    std::vector<float> want(x.size()), got(x.size());
    batch_norm_ref<float>(p, x.data(), sc.data(), b.data(), mean.data(), var.data(), want.data());
    batch_norm<float>(p, x.data(), sc.data(), b.data(), mean.data(), var.data(), got.data(), par);
    EXPECT_TRUE(nntest::all_close(got.data(), want.data(), static_cast<int64_t>(x.size()), 1e-5, 1e-5));
    // Batch statistics against a direct computation in double.
    std::vector<float> bm(c), bv(c);
    channel_moments<float>(p, x.data(), bm.data(), bv.data(), par);
    for (int64_t ch = 0; ch < c && n * s > 0; ++ch) {
      double sum = 0, sq = 0;
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < s; ++j) sum += x[(i * c + ch) * s + j];
      const double m = sum / static_cast<double>(n * s);
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < s; ++j) sq += (x[(i * c + ch) * s + j] - m) * (x[(i * c + ch) * s + j] - m);
      EXPECT_NEAR(bm[ch], m, 1e-5);
      EXPECT_NEAR(bv[ch], sq / static_cast<double>(n * s), 1e-5);
    }
  }
}

// The typed entry points above run the selected build; here every float32 build the host can.
TEST(NormKernel, EveryF32Variant) {
  std::mt19937 rng(27);
  ThreadedParallel par(3);
  for (const auto& k : norm_f32_kernels()) {
    if ((k.isa & host_isa()) != k.isa) {
      std::printf("skipping %s: host lacks its ISA\n", k.name);
      continue;
    }
    for (int64_t n : {1, 7, 33, 300}) {
      LayerNormParams lp{5, n, 1e-5f};
      auto x = random_vec<float>(rng, 5 * n), s = random_vec<float>(rng, n), b = random_vec<float>(rng, n);
      std::vector<float> want(x.size()), got(x.size());
      layer_norm_ref<float>(lp, x.data(), s.data(), b.data(), want.data(), nullptr, nullptr);
      k.layer_norm(lp, x.data(), s.data(), b.data(), got.data(), nullptr, nullptr, par);
      EXPECT_TRUE(nntest::all_close(got.data(), want.data(), 5 * n, 2e-5, 2e-5)) << k.name;

      GroupNormParams gp{2, 6, n, 3, 1e-5f};
      auto gx = random_vec<float>(rng, 12 * n), gs = random_vec<float>(rng, 6), gb = random_vec<float>(rng, 6);
      std::vector<float> gw(gx.size()), gg(gx.size());
      group_norm_ref<float>(gp, gx.data(), gs.data(), gb.data(), gw.data());
      k.group_norm(gp, gx.data(), gs.data(), gb.data(), gg.data(), par);
      EXPECT_TRUE(nntest::all_close(gg.data(), gw.data(), 12 * n, 2e-5, 2e-5)) << k.name;

      BatchNormParams bp{2, 6, n, 1e-5f};
      auto var = random_vec<float>(rng, 6, 0.1, 2);
      k.batch_norm(bp, gx.data(), gs.data(), gb.data(), gb.data(), var.data(), gg.data(), par);
      batch_norm_ref<float>(bp, gx.data(), gs.data(), gb.data(), gb.data(), var.data(), gw.data());
      EXPECT_TRUE(nntest::all_close(gg.data(), gw.data(), 12 * n, 2e-5, 2e-5)) << k.name;
    }
  }
}

TEST(NormKernel, LpNorm) {
  std::mt19937 rng(24);
  ThreadedParallel par(2);
  for (int p : {1, 2}) {
    for (auto [o, n, i] : {std::tuple<int64_t, int64_t, int64_t>{3, 7, 1}, {2, 12, 5}, {1, 33, 2}, {4, 1, 3}}) {
      auto x = random_vec<float>(rng, o * n * i);
      if (o > 1) std::fill(x.begin(), x.begin() + n * i, 0.0f);  // an all-zero slice: stays 0
      std::vector<float> want(x.size()), got(x.size());
      lp_norm_ref<float>(o, n, i, p, x.data(), want.data());
      lp_norm<float>(o, n, i, p, x.data(), got.data(), par);
      EXPECT_TRUE(nntest::all_close(got.data(), want.data(), static_cast<int64_t>(x.size()), 1e-5, 1e-6));
      for (int64_t k = 0; k < (o > 1 ? n * i : 0); ++k) EXPECT_EQ(got[k], 0.0f);
    }
  }
}

TEST(NormKernel, Lrn) {
  std::mt19937 rng(25);
  ThreadedParallel par(2);
  for (int64_t size : {1, 2, 3, 5, 8}) {
    for (auto [n, c, s] : {std::tuple<int64_t, int64_t, int64_t>{2, 7, 9}, {1, 12, 1}, {1, 3, 33}}) {
      LrnParams p{n, c, s, size, 1e-2f, 0.75f, 2.0f};
      auto x = random_vec<float>(rng, n * c * s);
      std::vector<float> want(x.size()), got(x.size());
      lrn_ref<float>(p, x.data(), want.data());
      lrn<float>(p, x.data(), got.data(), par);
      EXPECT_TRUE(nntest::all_close(got.data(), want.data(), static_cast<int64_t>(x.size()), 1e-5, 1e-6)) << size;
    }
  }
}

TEST(NormKernel, MvnRows) {
  std::mt19937 rng(26);
  ThreadedParallel par(2);
  for (auto [rows, n] : {std::pair<int64_t, int64_t>{3, 7}, {12, 33}, {1, 1000}, {5, 1}}) {
    auto x = random_vec<float>(rng, rows * n, -1, 4);
    std::vector<float> want(x.size()), got(x.size());
    mvn_rows_ref<float>(rows, n, 1e-9f, x.data(), want.data());
    mvn_rows<float>(rows, n, 1e-9f, x.data(), got.data(), par);
    EXPECT_TRUE(nntest::all_close(got.data(), want.data(), rows * n, 2e-5, 2e-5));
  }
}

}  // namespace
}  // namespace ortl::kernels
