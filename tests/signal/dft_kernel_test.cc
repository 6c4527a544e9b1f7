// kernels::dft / stft against naive DFTs: n = 1, 7, 16, 30 (trivial, prime, power of two,
// composite), real and complex input, forward / inverse / RFFT / IRFFT, zero-padding and
// truncation to dft_length, strided lines (inner > 1), on a threaded Parallel. Outputs are
// prefilled with a sentinel. Tolerance: the transform runs in double, so float outputs are off
// by about one rounding of the largest bin, |err| <= 4 eps_f * sum |x|.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "kernels/signal/signal.h"
#include "tests/nn/test_util.h"

namespace ortl::signaltest {
namespace {

using kernels::Complex;
using kernels::DftParams;

// The textbook sum for one contiguous complex line.
std::vector<Complex> naive(const std::vector<Complex>& x, bool inverse) {
  const size_t n = x.size();
  std::vector<Complex> y(n);
  for (size_t k = 0; k < n; ++k) {
    for (size_t j = 0; j < n; ++j) {
      const double a = (inverse ? 2 : -2) * std::numbers::pi * static_cast<double>(j * k) / static_cast<double>(n);
      y[k] += x[j] * std::polar(1.0, a);
    }
  }
  return y;
}

TEST(FftPlan, MatchesNaiveDft) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> u(-1, 1);
  // 100 and 400 (whisper's n_fft) take the Bluestein path, 65 its smallest length.
  for (int64_t n : {1, 2, 7, 16, 30, 64, 65, 100, 400}) {
    std::vector<Complex> x(static_cast<size_t>(n));
    for (auto& v : x) v = Complex(u(rng), u(rng));
    const kernels::FftPlan plan(n);
    for (bool inv : {false, true}) {
      std::vector<Complex> y = x, scratch(static_cast<size_t>(plan.scratch_size()));
      plan.run(y.data(), inv, scratch.data());
      const auto want = naive(x, inv);
      for (int64_t k = 0; k < n; ++k) {
        ASSERT_NEAR(y[k].real(), want[k].real(), 1e-12 * n) << "n " << n << " k " << k;
        ASSERT_NEAR(y[k].imag(), want[k].imag(), 1e-12 * n) << "n " << n << " k " << k;
      }
    }
  }
}

TEST(DftKernel, ComplexLineMatchesTextbook) {
  std::mt19937 rng(2);
  for (int64_t n : {1, 7, 16, 30}) {
    const auto src = nntest::random_vec<double>(rng, 2 * n, -1, 1);
    std::vector<Complex> x(static_cast<size_t>(n));
    for (int64_t j = 0; j < n; ++j) x[j] = Complex(src[2 * j], src[2 * j + 1]);
    for (bool inv : {false, true}) {
      DftParams p;
      p.n_in = p.n = n, p.c_in = 2, p.inverse = inv;
      std::vector<double> y(static_cast<size_t>(2 * n), 1e30);
      kernels::dft<double>(p, src.data(), y.data(), kernels::serial());
      auto want = naive(x, inv);
      for (int64_t k = 0; k < n; ++k) {
        if (inv) want[k] /= static_cast<double>(n);
        EXPECT_NEAR(y[2 * k], want[k].real(), 1e-12) << "n " << n;
        EXPECT_NEAR(y[2 * k + 1], want[k].imag(), 1e-12) << "n " << n;
      }
    }
  }
}

// Every mode and layout, fast path vs dft_ref, float and double.
template <class T>
void check_modes() {
  std::mt19937 rng(3);
  nntest::ThreadedParallel par(3);
  for (int64_t n : {1, 7, 16, 30, 100}) {
    for (int64_t n_in : {n, n + 3, std::max<int64_t>(1, n - 2)}) {
      for (int mode = 0; mode < 4; ++mode) {  // DFT, IDFT, RFFT, IRFFT
        for (int c_in : {1, 2}) {
          DftParams p;
          p.outer = 2, p.inner = 3, p.n_in = n_in, p.c_in = c_in, p.n = n;
          p.inverse = mode == 1 || mode == 3, p.onesided = mode >= 2;
          const auto src = nntest::random_vec<T>(rng, p.outer * n_in * p.inner * c_in, -1, 1);
          const int64_t n_out = kernels::dft_out_len(p),
                        count = p.outer * n_out * p.inner * kernels::dft_out_channels(p);
          std::vector<T> got(static_cast<size_t>(count), T(1e30)), want(static_cast<size_t>(count));
          kernels::dft<T>(p, src.data(), got.data(), par);
          kernels::dft_ref<T>(p, src.data(), want.data());
          const double tol = std::is_same_v<T, float> ? 4 * 1.2e-7 * 2 * n_in : 1e-12 * n;
          EXPECT_TRUE(nntest::all_close(got.data(), want.data(), count, 0, tol))
              << "n " << n << " n_in " << n_in << " mode " << mode << " c_in " << c_in;
        }
      }
    }
  }
}

TEST(DftKernel, ModesMatchReferenceFloat) { check_modes<float>(); }
TEST(DftKernel, ModesMatchReferenceDouble) { check_modes<double>(); }

TEST(DftKernel, IrfftInvertsRfft) {
  std::mt19937 rng(4);
  for (int64_t n : {1, 7, 16, 30}) {
    const auto x = nntest::random_vec<double>(rng, n, -1, 1);
    DftParams f;
    f.n_in = f.n = n, f.onesided = true;
    std::vector<double> spec(static_cast<size_t>(2 * (n / 2 + 1)));
    kernels::dft<double>(f, x.data(), spec.data(), kernels::serial());
    DftParams inv = f;
    inv.n_in = n / 2 + 1, inv.c_in = 2, inv.inverse = true;
    std::vector<double> back(static_cast<size_t>(n));
    kernels::dft<double>(inv, spec.data(), back.data(), kernels::serial());
    EXPECT_TRUE(nntest::all_close(back.data(), x.data(), n, 0, 1e-12)) << "n " << n;
  }
}

TEST(StftKernel, FramesAreWindowedDfts) {
  std::mt19937 rng(5);
  kernels::StftParams p;
  p.batch = 2, p.length = 40, p.c_in = 2, p.frame_step = 7, p.frame_length = 10, p.onesided = false;
  p.frames = (p.length - p.frame_length) / p.frame_step + 1;
  const auto sig = nntest::random_vec<double>(rng, p.batch * p.length * 2, -1, 1);
  const auto win = nntest::random_vec<double>(rng, p.frame_length, 0, 1);
  std::vector<double> y(static_cast<size_t>(p.batch * p.frames * p.frame_length * 2));
  nntest::ThreadedParallel par(2);
  kernels::stft<double>(p, sig.data(), win.data(), y.data(), par);
  for (int64_t b = 0; b < p.batch; ++b) {
    for (int64_t f = 0; f < p.frames; ++f) {
      std::vector<Complex> x(static_cast<size_t>(p.frame_length));
      for (int64_t j = 0; j < p.frame_length; ++j) {
        const double* s = &sig[(b * p.length + f * p.frame_step + j) * 2];
        x[j] = Complex(s[0], s[1]) * win[j];
      }
      const auto want = naive(x, false);
      for (int64_t k = 0; k < p.frame_length; ++k) {
        const double* got = &y[((b * p.frames + f) * p.frame_length + k) * 2];
        EXPECT_NEAR(got[0], want[k].real(), 1e-12);
        EXPECT_NEAR(got[1], want[k].imag(), 1e-12);
      }
    }
  }
}

}  // namespace
}  // namespace ortl::signaltest
