// Signal kernels: complex FFT of any length, the ONNX DFT over one axis (forward, inverse,
// one-sided RFFT / IRFFT, zero-padding or truncation to dft_length) and STFT.
//
// Numerics: transforms run in double whatever the tensor type (the twiddle table is computed
// once per plan with cos/sin of 2*pi*k/n, never by recurrence), so float results are rounded
// once at the end. Lengths that are powers of two use an iterative radix-2 FFT; other lengths up
// to kDirectMax a plain O(n^2) DFT over the same twiddle table (index j*k mod n, exact in its
// angles), longer ones Bluestein's chirp-z transform (a radix-2 convolution of length >= 2n-1;
// the chirp angles use k^2 mod 2n so they stay exact for long signals, e.g. n_fft = 400).
#pragma once

#include <complex>
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

using Complex = std::complex<double>;

class FftPlan {
 public:
  static constexpr int64_t kDirectMax = 64;

  explicit FftPlan(int64_t n);
  int64_t size() const { return n_; }
  // Operation count class, for work splitting: radix-2 and Bluestein are O(n log n).
  bool fast() const { return pow2_ || bluestein_ != nullptr; }
  // Complex values `scratch` must hold for run().
  int64_t scratch_size() const { return bluestein_ ? m_ : n_; }
  // In place on size() values: forward sum x[j] e^{-2 pi i jk/n}; inverse uses e^{+...} and does
  // not scale.
  void run(Complex* data, bool inverse, Complex* scratch) const;

 private:
  void radix2(Complex* data, bool inverse) const;  // pow2_ only

  int64_t n_, m_ = 0;
  bool pow2_;
  std::vector<Complex> tw_;    // e^{-2 pi i k/n}, k < n (radix-2 and direct)
  std::vector<int64_t> perm_;  // bit reversal (radix-2 only)
  // Bluestein: chirp e^{-pi i k^2/n} (k < n) and the FFT of its conjugate, wrapped to length m.
  std::shared_ptr<const FftPlan> bluestein_;
  std::vector<Complex> chirp_, chirp_fft_;
};

// Input [outer, n_in, inner, c_in] (c_in = 1 real, 2 complex interleaved), output
// [outer, n_out, inner, c_out] with the transform along n.
//   forward:            n_out = onesided ? n/2 + 1 : n, c_out = 2
//   inverse:            n_out = n, scaled by 1/n, c_out = 2
//   inverse + onesided: IRFFT, the first n/2 + 1 input bins extended by conjugate symmetry,
//                       c_out = 1 (the real signal)
// Input positions past n are ignored, missing ones are zero.
struct DftParams {
  int64_t outer = 1, n_in = 0, inner = 1;
  int c_in = 1;
  int64_t n = 0;  // dft_length, >= 1
  bool inverse = false, onesided = false;
};
inline int64_t dft_out_len(const DftParams& p) { return p.onesided && !p.inverse ? p.n / 2 + 1 : p.n; }
inline int dft_out_channels(const DftParams& p) { return p.onesided && p.inverse ? 1 : 2; }

// T: float or double.
template <class T>
void dft(const DftParams& p, const T* src, T* dst, Parallel& par);
// Spec-literal: every output bin as the direct sum with e^{-+2 pi i jk/n} evaluated per term.
template <class T>
void dft_ref(const DftParams& p, const T* src, T* dst);

// Signal [batch, length, c_in]; frames = (length - frame_length) / frame_step + 1 windowed frames
// (window: frame_length values, or null for all ones), each DFT'd to
// [batch, frames, bins, 2] with bins = onesided ? frame_length/2 + 1 : frame_length.
struct StftParams {
  int64_t batch = 1, length = 0;
  int c_in = 1;
  int64_t frame_step = 1, frame_length = 1, frames = 0;
  bool onesided = true;
};
template <class T>
void stft(const StftParams& p, const T* src, const T* window, T* dst, Parallel& par);

}  // namespace ortl::kernels
