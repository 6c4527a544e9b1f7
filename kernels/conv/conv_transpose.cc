// Fast f32 ConvTranspose: GEMM + col2im. For image n and group g, with X_g [C_in/g x in] and W_g
// viewed as [C_in/g x (C_out/g * prod(kernel))]:
//   col = W_g^T * X_g[:, chunk]     ([C_out/g * prod(kernel)] x T, per-thread scratch)
//   Y_g[co, i * s + k * d - pad] += col[(co, k), i]   for taps landing inside Y (col2im)
// on top of Y prefilled with the bias. Kernel 1 / stride 1 / no padding skips col2im: the GEMM
// accumulates into Y directly (beta = 1). Input positions are chunked so col stays near 1 MiB.
// col2im writes of different output channels never overlap, so it runs in parallel over them;
// whole (image, group) pairs run in parallel when there are enough of them.
#include <algorithm>

#include "kernels/conv/conv.h"
#include "kernels/conv/conv_common.h"

namespace ortl::kernels {
namespace {

using namespace conv_detail;

constexpr int64_t kColFloats = 256 * 1024;

// Y[co, ...] += col rows of output channels [c0, c1) for input positions [p0, p0 + cols).
void col2im(const ConvParams& p, const float* col, int64_t c0, int64_t c1, int64_t p0, int64_t cols, float* y) {
  const size_t last = p.in.size() - 1;
  const int64_t out_size = product(p.out), k_size = product(p.kernel);
  const int64_t ol = p.out[last], sl = p.strides[last];
  std::vector<int64_t> k(p.in.size()), i(p.in.size());
  for (int64_t kp = 0; kp < k_size; ++kp) {
    unravel(kp, p.kernel, k);
    const int64_t base = k[last] * p.dilations[last] - p.pads_begin[last];
    const Range ok = valid_range(base, sl, ol, p.in[last]);
    for_each_row_segment(
        p.in, p0, cols, i, [&](const std::vector<int64_t>& pos, int64_t first, int64_t len, int64_t j) {
          const int64_t outer = outer_offset(p, pos, k, p.out);
          const int64_t lo = std::clamp(ok.lo - first, int64_t{0}, len), hi = std::clamp(ok.hi - first, lo, len);
          if (outer < 0 || lo >= hi) return;
          for (int64_t co = c0; co < c1; ++co) {
            const float* src = col + (co * k_size + kp) * cols + j + lo;
            // Output column of src[q] is (first + lo + q) * sl + base.
            float* dst = y + co * out_size + outer * ol + (first + lo) * sl + base;
            if (sl == 1) {
              for (int64_t q = 0; q < hi - lo; ++q) dst[q] += src[q];
            } else {
              for (int64_t q = 0; q < hi - lo; ++q) dst[q * sl] += src[q];
            }
          }
        });
  }
}

bool is_pointwise(const ConvParams& p) {
  for (size_t d = 0; d < p.in.size(); ++d) {
    if (p.kernel[d] != 1 || p.strides[d] != 1 || p.pads_begin[d] != 0 || p.out[d] != p.in[d]) return false;
  }
  return true;
}

}  // namespace

void conv_transpose_f32(const ConvParams& p, const float* x, const float* w, const float* bias, float* y,
                        const GemmF32Impl& gemm, Parallel& par) {
  const int64_t in_size = product(p.in), out_size = product(p.out), k_size = product(p.kernel);
  const int64_t cin_g = p.c_in / p.group, cout_g = p.c_out / p.group, rows = cout_g * k_size;
  if (p.batch == 0 || p.c_out == 0 || out_size == 0) return;
  const int nt = std::max(1, par.num_threads());

  par.for_range(p.batch * p.c_out, static_cast<double>(out_size) * 0.3, [&](int64_t b, int64_t e) {
    for (int64_t plane = b; plane < e; ++plane) {
      std::fill(y + plane * out_size, y + (plane + 1) * out_size, bias ? bias[plane % p.c_out] : 0.f);
    }
  });
  if (in_size == 0 || cin_g == 0) return;

  const bool pointwise = is_pointwise(p);
  const int64_t chunk =
      pointwise ? in_size : std::clamp<int64_t>(kColFloats / std::max<int64_t>(rows, 1), 128, in_size);
  const int64_t chunks = cdiv(in_size, chunk);
  // One (image, group) pair: all its chunks, in order (they accumulate into the same outputs).
  auto pair = [&](int64_t ng, Parallel& inner) {
    const int64_t g = ng % p.group, n = ng / p.group;
    const float* xg = x + (n * p.c_in + g * cin_g) * in_size;
    float* yg = y + (n * p.c_out + g * cout_g) * out_size;
    GemmF32Args args;
    args.trans_a = true, args.k = cin_g;
    args.a = w + g * cin_g * rows, args.lda = rows;
    if (pointwise) {
      args.m = cout_g, args.n = in_size, args.b = xg, args.ldb = in_size;
      args.c = yg, args.ldc = out_size, args.beta = 1.f;
      gemm.run(args, inner);
      return;
    }
    for (int64_t ch = 0; ch < chunks; ++ch) {
      const int64_t p0 = ch * chunk, cols = std::min(chunk, in_size - p0);
      float* col = thread_scratch_f32(1, rows * cols);
      args.m = rows, args.n = cols, args.b = xg + p0, args.ldb = in_size;
      args.c = col, args.ldc = cols, args.beta = 0.f;
      gemm.run(args, inner);
      inner.for_range(cout_g, static_cast<double>(k_size * cols),
                      [&](int64_t c0, int64_t c1) { col2im(p, col, c0, c1, p0, cols, yg); });
    }
  };
  const int64_t pairs = p.batch * p.group;
  if (pairs >= 2 * nt || nt == 1) {
    par.for_range(pairs, static_cast<double>(rows * cin_g * in_size) / 16.0, [&](int64_t b, int64_t e) {
      for (int64_t ng = b; ng < e; ++ng) pair(ng, serial());
    });
  } else {
    for (int64_t ng = 0; ng < pairs; ++ng) pair(ng, par);
  }
}

}  // namespace ortl::kernels
