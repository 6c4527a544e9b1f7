// FftPlan (radix-2 iterative FFT, O(n^2) DFT fallback) and the DFT / STFT kernels on top of it.
// Lines along the transform axis are strided in memory (inner elements apart); each is gathered
// into a contiguous complex buffer, transformed and scattered, one line per work item.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "kernels/signal/signal.h"

namespace ortl::kernels {

FftPlan::FftPlan(int64_t n) : n_(n), pow2_(n > 0 && (n & (n - 1)) == 0) {
  if (!pow2_ && n > kDirectMax) {
    m_ = 1;
    while (m_ < 2 * n - 1) m_ <<= 1;
    bluestein_ = std::make_shared<const FftPlan>(m_);
    chirp_.resize(static_cast<size_t>(n));
    chirp_fft_.assign(static_cast<size_t>(m_), Complex(0));
    for (int64_t k = 0; k < n; ++k) {
      const int64_t q = (k * k) % (2 * n);  // exact: e^{-pi i k^2/n} has period 2n in k^2
      chirp_[k] = std::polar(1.0, -std::numbers::pi * static_cast<double>(q) / static_cast<double>(n));
      chirp_fft_[k] = std::conj(chirp_[k]);
      if (k > 0) chirp_fft_[m_ - k] = std::conj(chirp_[k]);
    }
    bluestein_->radix2(chirp_fft_.data(), false);
    return;
  }
  tw_.resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    const double a = -2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n);
    tw_[k] = Complex(std::cos(a), std::sin(a));
  }
  if (pow2_) {
    int bits = 0;
    while ((int64_t{1} << bits) < n) ++bits;
    perm_.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      int64_t r = 0;
      for (int b = 0; b < bits; ++b) r |= ((i >> b) & 1) << (bits - 1 - b);
      perm_[i] = r;
    }
  }
}

void FftPlan::radix2(Complex* a, bool inverse) const {
  const int64_t n = n_;
  for (int64_t i = 0; i < n; ++i) {
    if (i < perm_[i]) std::swap(a[i], a[perm_[i]]);
  }
  for (int64_t len = 2; len <= n; len <<= 1) {
    const int64_t half = len / 2, step = n / len;
    for (int64_t i = 0; i < n; i += len) {
      for (int64_t j = 0; j < half; ++j) {
        const Complex w = inverse ? std::conj(tw_[j * step]) : tw_[j * step];
        const Complex u = a[i + j], v = a[i + j + half] * w;
        a[i + j] = u + v;
        a[i + j + half] = u - v;
      }
    }
  }
}

void FftPlan::run(Complex* a, bool inverse, Complex* scratch) const {
  const int64_t n = n_;
  if (n <= 1) return;
  if (pow2_) return radix2(a, inverse);
  if (bluestein_) {
    // X_k = c_k sum_j (x_j c_j) conj(c_{k-j}), c_q = e^{-pi i q^2/n}: a convolution done as two
    // radix-2 FFTs of length m. The inverse is conj(DFT(conj(x))).
    Complex* t = scratch;
    for (int64_t k = 0; k < n; ++k) t[k] = (inverse ? std::conj(a[k]) : a[k]) * chirp_[k];
    std::fill(t + n, t + m_, Complex(0));
    bluestein_->radix2(t, false);
    for (int64_t k = 0; k < m_; ++k) t[k] *= chirp_fft_[k];
    bluestein_->radix2(t, true);
    const double scale = 1.0 / static_cast<double>(m_);
    for (int64_t k = 0; k < n; ++k) {
      const Complex y = t[k] * chirp_[k] * scale;
      a[k] = inverse ? std::conj(y) : y;
    }
    return;
  }
  for (int64_t k = 0; k < n; ++k) {
    Complex sum = 0;
    int64_t idx = 0;  // j * k mod n, kept exact by stepping
    for (int64_t j = 0; j < n; ++j) {
      const Complex w = inverse ? std::conj(tw_[idx]) : tw_[idx];
      sum += a[j] * w;
      idx += k;
      if (idx >= n) idx -= n;
    }
    scratch[k] = sum;
  }
  std::copy(scratch, scratch + n, a);
}

namespace {

// Loads one line of the DFT input into buf (n values) in the form the plan transforms.
template <class T>
void load_line(const DftParams& p, const T* src, int64_t stride, Complex* buf) {
  const int64_t n = p.n;
  auto at = [&](int64_t j) {
    const T* e = src + j * stride;
    return Complex(static_cast<double>(e[0]), p.c_in == 2 ? static_cast<double>(e[1]) : 0.0);
  };
  if (p.inverse && p.onesided) {
    // IRFFT: bins 0..n/2 from the input, the rest their conjugate mirror. The imaginary parts of
    // bins 0 and n/2 drop out of the real part of the result, as in numpy's irfft.
    const int64_t half = n / 2;
    for (int64_t k = 0; k <= half; ++k) buf[k] = k < p.n_in ? at(k) : Complex(0);
    for (int64_t k = half + 1; k < n; ++k) buf[k] = std::conj(buf[n - k]);
    return;
  }
  const int64_t m = std::min(n, p.n_in);
  for (int64_t j = 0; j < m; ++j) buf[j] = at(j);
  std::fill(buf + m, buf + n, Complex(0));
}

template <class T>
void store_line(const DftParams& p, const Complex* buf, int64_t stride, T* dst) {
  const int64_t n_out = dft_out_len(p);
  const double scale = p.inverse ? 1.0 / static_cast<double>(p.n) : 1.0;
  if (dft_out_channels(p) == 1) {
    for (int64_t k = 0; k < n_out; ++k) dst[k * stride] = static_cast<T>(buf[k].real() * scale);
    return;
  }
  for (int64_t k = 0; k < n_out; ++k) {
    dst[k * stride * 2] = static_cast<T>(buf[k].real() * scale);
    dst[k * stride * 2 + 1] = static_cast<T>(buf[k].imag() * scale);
  }
}

}  // namespace

template <class T>
void dft(const DftParams& p, const T* src, T* dst, Parallel& par) {
  const int64_t lines = p.outer * p.inner;
  if (lines == 0 || p.n <= 0) return;
  const FftPlan plan(p.n);
  const int64_t n_out = dft_out_len(p), c_out = dft_out_channels(p);
  const double cost = plan.fast() ? 20.0 * p.n * std::log2(static_cast<double>(p.n) + 1) : 5.0 * p.n * p.n;
  par.for_range(lines, cost, [&](int64_t l0, int64_t l1) {
    std::vector<Complex> buf(static_cast<size_t>(p.n)), scratch(static_cast<size_t>(plan.scratch_size()));
    for (int64_t l = l0; l < l1; ++l) {
      const int64_t o = l / p.inner, i = l % p.inner;
      load_line(p, src + (o * p.n_in * p.inner + i) * p.c_in, p.inner * p.c_in, buf.data());
      plan.run(buf.data(), p.inverse, scratch.data());
      store_line(p, buf.data(), p.inner, dst + (o * n_out * p.inner + i) * c_out);
    }
  });
}

template <class T>
void dft_ref(const DftParams& p, const T* src, T* dst) {
  const int64_t n = p.n, n_out = dft_out_len(p), c_out = dft_out_channels(p);
  std::vector<Complex> x(static_cast<size_t>(n));
  const double sign = p.inverse ? 1.0 : -1.0;
  for (int64_t o = 0; o < p.outer; ++o) {
    for (int64_t i = 0; i < p.inner; ++i) {
      load_line(p, src + (o * p.n_in * p.inner + i) * p.c_in, p.inner * p.c_in, x.data());
      for (int64_t k = 0; k < n_out; ++k) {
        Complex sum = 0;
        for (int64_t j = 0; j < n; ++j) {
          const double a = sign * 2.0 * std::numbers::pi * static_cast<double>((j * k) % n) / static_cast<double>(n);
          sum += x[j] * Complex(std::cos(a), std::sin(a));
        }
        if (p.inverse) sum /= static_cast<double>(n);
        T* d = dst + ((o * n_out + k) * p.inner + i) * c_out;
        d[0] = static_cast<T>(sum.real());
        if (c_out == 2) d[1] = static_cast<T>(sum.imag());
      }
    }
  }
}

template <class T>
void stft(const StftParams& p, const T* src, const T* window, T* dst, Parallel& par) {
  const int64_t n = p.frame_length, bins = p.onesided ? n / 2 + 1 : n;
  const int64_t items = p.batch * p.frames;
  if (items == 0 || n <= 0) return;
  const FftPlan plan(n);
  const double cost = plan.fast() ? 20.0 * n * std::log2(static_cast<double>(n) + 1) : 5.0 * n * n;
  par.for_range(items, cost, [&](int64_t i0, int64_t i1) {
    std::vector<Complex> buf(static_cast<size_t>(n)), scratch(static_cast<size_t>(plan.scratch_size()));
    for (int64_t it = i0; it < i1; ++it) {
      const int64_t b = it / p.frames, f = it % p.frames;
      const T* s = src + (b * p.length + f * p.frame_step) * p.c_in;
      for (int64_t j = 0; j < n; ++j) {
        const double w = window ? static_cast<double>(window[j]) : 1.0;
        const double im = p.c_in == 2 ? static_cast<double>(s[j * 2 + 1]) : 0.0;
        buf[j] = Complex(static_cast<double>(s[j * p.c_in]) * w, im * w);
      }
      plan.run(buf.data(), false, scratch.data());
      T* d = dst + it * bins * 2;
      for (int64_t k = 0; k < bins; ++k) {
        d[2 * k] = static_cast<T>(buf[k].real());
        d[2 * k + 1] = static_cast<T>(buf[k].imag());
      }
    }
  });
}

template void dft<float>(const DftParams&, const float*, float*, Parallel&);
template void dft<double>(const DftParams&, const double*, double*, Parallel&);
template void dft_ref<float>(const DftParams&, const float*, float*);
template void dft_ref<double>(const DftParams&, const double*, double*);
template void stft<float>(const StftParams&, const float*, const float*, float*, Parallel&);
template void stft<double>(const StftParams&, const double*, const double*, double*, Parallel&);

}  // namespace ortl::kernels
