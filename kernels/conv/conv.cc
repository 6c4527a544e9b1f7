// Fast f32 Conv. Four paths, picked per shape (conv_f32_path):
//  - 1x1: kernel 1, stride 1, no padding: Y_g = W_g [C_out/g x C_in/g] * X_g [C_in/g x HW], one
//    GEMM straight on the input.
//  - depthwise: group == C_in (C_out any multiple of it), 1-D or 2-D: a direct kernel per output
//    plane (depthwise_impl.h, SIMD over output columns); as a GEMM it would have M = C_out / C_in
//    and K = kernel size, all packing overhead.
//  - im2col: the columns of a chunk of output positions ([C_in/g * prod(kernel)] x T, T chosen so
//    the chunk stays around 1 MiB) are gathered into per-thread scratch and multiplied by W_g.
//    Chunking bounds the scratch for big images and gives the pool independent tasks.
//  - few_out_direct: C_out <= 8, group 1, 2-D, stride 1 (SRCNN's 32 -> 3 output layer): a direct
//    kernel with output pixels along the vectors (conv_few_out_impl.h); the GEMM would have M =
//    C_out, or transposed, a whole im2col to read once.
// Work is split across threads over (image, group, chunk) tasks when there are enough of them,
// otherwise the GEMM itself runs in parallel.
#include "kernels/conv/conv.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "kernels/base/isa.h"
#include "kernels/conv/conv_common.h"
#include "kernels/conv/depthwise_impl.h"
#include "kernels/eltwise/eltwise.h"

namespace ortl::kernels {

void depthwise_plane_f32_avx2(const ConvParams& p, const float* x, const float* w, float bias, float* y);
void depthwise_narrow8_f32_avx2(const ConvParams& p, const float* const* xs, const float* const* ws, const float* bias,
                                float* const* ys, int count);

namespace {

using namespace conv_detail;

constexpr int64_t kColFloats = 256 * 1024;

bool is_pointwise(const ConvParams& p) {
  for (size_t d = 0; d < p.in.size(); ++d) {
    if (p.kernel[d] != 1 || p.strides[d] != 1 || p.pads_begin[d] != 0 || p.out[d] != p.in[d]) return false;
  }
  return true;
}

// Few output channels, 2-D, group 1, stride 1, a kernel larger than 1x1 and rows of at least 16
// outputs: the direct kernel of conv_few_out_impl.h (no im2col).
bool is_few_out(const ConvParams& p) {
  if (p.group != 1 || p.in.size() != 2 || p.c_out > kFewOutMax || p.out[1] < 16) return false;
  return p.strides[0] == 1 && p.strides[1] == 1 && p.kernel[0] * p.kernel[1] > 1 &&
         (p.kernel[1] - 1) * p.dilations[1] <= kFewOutSpanMax;
}

// One input channel per group (C_out a multiple of C_in: the channel multiplier).
bool is_depthwise(const ConvParams& p) {
  return p.group == p.c_in && p.group > 1 && p.c_out % p.c_in == 0 && (p.in.size() == 1 || p.in.size() == 2);
}

// The float im2col (conv_common.h's walk): contiguous runs are one memcpy.
void im2col(const ConvParams& p, const float* x, int64_t channels, int64_t p0, int64_t cols, float* col) {
  im2col_walk(p, x, channels, p0, cols, col, [](float* dst, const float* src, int64_t n, int64_t stride) {
    if (stride == 1) {
      std::memcpy(dst, src, static_cast<size_t>(n) * sizeof(float));
    } else {
      for (int64_t q = 0; q < n; ++q) dst[q] = src[q * stride];
    }
  });
}

// Direct depthwise kernel per channel plane (depthwise_impl.h): baseline build here, AVX2 + FMA
// build picked at run time.
using DepthwisePlaneFn = void (*)(const ConvParams&, const float*, const float*, float, float*);
DepthwisePlaneFn depthwise_plane_fn() {
  static const DepthwisePlaneFn fn = (active_isa() & kIsaAvx2) != 0 ? depthwise_plane_f32_avx2 : depthwise_plane_impl;
  return fn;
}

// y = act(y + bias + sum): one switch per row, a plain loop per activation (vectorized).
template <class T>
void epilogue_row(T* y, const T* sum, int64_t n, T bias, const ConvEpilogue& ep) {
  using Act = ConvEpilogue::Act;
  if (sum) {
    for (int64_t j = 0; j < n; ++j) y[j] += bias + sum[j];
  } else if (bias != T(0)) {
    for (int64_t j = 0; j < n; ++j) y[j] += bias;
  }
  const T a = static_cast<T>(ep.alpha), b = static_cast<T>(ep.beta);
  switch (ep.act) {
    case Act::kNone: break;
    case Act::kRelu:
      for (int64_t j = 0; j < n; ++j) y[j] = y[j] > T(0) ? y[j] : T(0);
      break;
    case Act::kClip:
      for (int64_t j = 0; j < n; ++j) y[j] = std::min(std::max(y[j], a), b);
      break;
    case Act::kLeakyRelu:
      for (int64_t j = 0; j < n; ++j) y[j] = y[j] < T(0) ? a * y[j] : y[j];
      break;
    case Act::kHardSwish:
    case Act::kSilu:
      if constexpr (std::is_same_v<T, float>) {
        // The eltwise kernels' per-ISA builds: exp only vectorizes there (this file is baseline).
        static const UnaryF32Fn unary = select_unary_f32(active_isa()).run;
        UnaryParams prm;
        prm.alpha = 1.f;
        unary(ep.act == Act::kSilu ? UnaryOp::kSwish : UnaryOp::kHardSwish, prm, y, y, n);
      } else if (ep.act == Act::kSilu) {
        for (int64_t j = 0; j < n; ++j) y[j] /= T(1) + std::exp(-y[j]);
      } else {
        for (int64_t j = 0; j < n; ++j) y[j] *= std::min(std::max(y[j] * T(1.0 / 6.0) + T(0.5), T(0)), T(1));
      }
      break;
  }
}

using DepthwiseNarrowFn = void (*)(const ConvParams&, const float* const*, const float* const*, const float*,
                                   float* const*, int);
DepthwiseNarrowFn depthwise_narrow_fn() {
  static const DepthwiseNarrowFn fn =
      (active_isa() & kIsaAvx2) != 0 ? depthwise_narrow8_f32_avx2 : depthwise_narrow8_impl;
  return fn;
}

}  // namespace

void conv_epilogue_row(float* y, const float* sum, int64_t n, float bias, const ConvEpilogue& ep) {
  epilogue_row(y, sum, n, bias, ep);
}
void conv_epilogue_row(double* y, const double* sum, int64_t n, double bias, const ConvEpilogue& ep) {
  epilogue_row(y, sum, n, bias, ep);
}

std::vector<float> conv_pack_weights(int64_t c_out, int64_t group, int64_t kdim, const float* w,
                                     const GemmF32Impl& gemm) {
  if (!gemm.pack_a || group <= 0 || c_out % group != 0 || c_out == 0 || kdim == 0) return {};
  const int64_t cout_g = c_out / group, per = gemm.packed_a_floats(cout_g, kdim);
  std::vector<float> packed(static_cast<size_t>(per * group));
  for (int64_t g = 0; g < group; ++g) {
    GemmF32Args args;
    args.m = cout_g, args.k = kdim, args.a = w + g * cout_g * kdim, args.lda = kdim;
    gemm.pack_a(args, packed.data() + g * per);
  }
  return packed;
}

const char* conv_f32_path(const ConvParams& p) {
  if (is_depthwise(p)) return p.out.back() <= 16 ? "depthwise_narrow" : "depthwise";
  if (is_pointwise(p)) return "1x1";
  if (is_few_out(p)) return "few_out_direct";
  return "im2col";
}

void conv_f32(const ConvParams& p, const float* x, const float* w, const float* bias, float* y, const GemmF32Impl& gemm,
              Parallel& par, const ConvEpilogue& ep, const float* w_packed) {
  const int64_t in_size = product(p.in), out_size = product(p.out), k_size = product(p.kernel);
  const int64_t cin_g = p.c_in / p.group, cout_g = p.c_out / p.group, kdim = cin_g * k_size;
  if (p.batch == 0 || p.c_out == 0 || out_size == 0) return;
  const int nt = std::max(1, par.num_threads());

  // Narrow planes: 8 channels per vector (MobileNetV2 14x14 layers: 0.96 -> 0.79 ms).
  if (is_depthwise(p) && p.out.back() <= 16) {
    const int64_t mult = p.c_out / p.c_in, planes = p.batch * p.c_out;
    const DepthwiseNarrowFn narrow = depthwise_narrow_fn();
    par.for_range(cdiv(planes, 8), static_cast<double>(8 * out_size * k_size) / 8.0, [&](int64_t b, int64_t e) {
      for (int64_t blk = b; blk < e; ++blk) {
        const float* xs[8];
        const float* ws[8];
        float* ys[8];
        float bs[8];
        const int count = static_cast<int>(std::min<int64_t>(8, planes - blk * 8));
        for (int l = 0; l < count; ++l) {
          const int64_t plane = blk * 8 + l, co = plane % p.c_out;
          xs[l] = x + (plane / p.c_out * p.c_in + co / mult) * in_size;
          ws[l] = w + co * k_size;
          bs[l] = bias ? bias[co] : 0.f;
          ys[l] = y + plane * out_size;
        }
        narrow(p, xs, ws, bs, ys, count);
        if (!ep.trivial()) {
          for (int l = 0; l < count; ++l) {
            const int64_t off = ys[l] - y;
            conv_epilogue_row(ys[l], ep.sum ? ep.sum + off : nullptr, out_size, 0.f, ep);
          }
        }
      }
    });
    return;
  }
  if (is_depthwise(p)) {
    const int64_t mult = p.c_out / p.c_in;
    const DepthwisePlaneFn depthwise_plane = depthwise_plane_fn();
    par.for_range(p.batch * p.c_out, static_cast<double>(out_size * k_size), [&](int64_t b, int64_t e) {
      for (int64_t plane = b; plane < e; ++plane) {  // plane = n * C_out + co, input channel co / mult
        const int64_t co = plane % p.c_out, xi = plane / p.c_out * p.c_in + co / mult;
        depthwise_plane(p, x + xi * in_size, w + co * k_size, bias ? bias[co] : 0.f, y + plane * out_size);
        if (!ep.trivial()) {
          conv_epilogue_row(y + plane * out_size, ep.sum ? ep.sum + plane * out_size : nullptr, out_size, 0.f, ep);
        }
      }
    });
    return;
  }

  if (is_few_out(p)) {
    const ConvFewOutRowsFn rows_fn = conv_few_out_rows_fn(active_isa());
    const int64_t oh = p.out[0], ow = p.out[1];
    par.for_range(p.batch * oh, static_cast<double>(p.c_out * kdim * ow) / 16.0, [&](int64_t r0, int64_t r1) {
      rows_fn(p, x, w, bias, y, r0, r1);
      if (ep.trivial()) return;
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t co = 0; co < p.c_out; ++co) {
          const int64_t off = ((r / oh * p.c_out + co) * oh + r % oh) * ow;
          conv_epilogue_row(y + off, ep.sum ? ep.sum + off : nullptr, ow, 0.f, ep);
        }
      }
    });
    return;
  }

  const bool pointwise = is_pointwise(p);
  int64_t chunk = out_size;
  if (pointwise) {
    // Column chunks of the output keep each GEMM's C block (C_out x 512) in L2 for the bias and
    // epilogue pass that follows; with packed weights nothing is repacked per chunk.
    if (out_size > 1024 && (w_packed || bias || !ep.trivial())) chunk = 512;
  } else {
    chunk = std::clamp<int64_t>(kColFloats / std::max<int64_t>(kdim, 1), 128, out_size);
    if (p.batch * p.group * cdiv(out_size, chunk) < 2 * nt) {
      chunk = std::min(chunk, std::max<int64_t>(cdiv(cdiv(out_size, 2 * nt), 16) * 16, 64));
    }
  }
  const int64_t chunks = cdiv(out_size, chunk);
  // Very few output channels (SRCNN's last conv: 3) would fill a fraction of the MR-row
  // register tile: those convs are computed transposed (see task).
  const bool few_out = gemm.pack_a != nullptr && cout_g * 2 <= gemm.mr && out_size >= gemm.mr;
  auto task = [&](int64_t t, Parallel& inner) {
    const int64_t ch = t % chunks, g = (t / chunks) % p.group, n = t / chunks / p.group;
    const int64_t p0 = ch * chunk, cols = std::min(chunk, out_size - p0);
    const float* xg = x + (n * p.c_in + g * cin_g) * in_size;
    float* yg = y + (n * p.c_out + g * cout_g) * out_size + p0;
    GemmF32Args args;
    args.m = cout_g, args.n = cols, args.k = kdim;
    args.a = w + g * cout_g * kdim, args.lda = kdim;
    if (w_packed) args.a_packed = w_packed + g * gemm.packed_a_floats(cout_g, kdim);
    args.c = yg, args.ldc = out_size;
    if (pointwise) {
      args.b = xg + p0, args.ldb = in_size;
    } else {
      float* col = thread_scratch_f32(1, kdim * cols);
      im2col(p, xg, cin_g, p0, cols, col);
      args.b = col, args.ldb = cols;
    }
    if (few_out) {
      // Y^T [cols x C_out/g] = X^T W^T: pixels run down the register tile, the few output
      // channels are the GEMM's small N; then one transpose into the NCHW rows.
      float* yt = thread_scratch_f32(3, cols * cout_g);
      GemmF32Args t;
      t.m = cols, t.n = cout_g, t.k = kdim;
      t.trans_a = true, t.a = args.b, t.lda = args.ldb;
      t.trans_b = true, t.b = args.a, t.ldb = kdim;
      t.c = yt, t.ldc = cout_g;
      gemm.run(t, inner);
      for (int64_t co = 0; co < cout_g; ++co) {
        float* row = yg + co * out_size;
        for (int64_t j = 0; j < cols; ++j) row[j] = yt[j * cout_g + co];
      }
    } else {
      gemm.run(args, inner);
    }
    if (bias || !ep.trivial()) {
      const float* sg = ep.sum ? ep.sum + (yg - y) : nullptr;
      for (int64_t co = 0; co < cout_g; ++co) {
        conv_epilogue_row(yg + co * out_size, sg ? sg + co * out_size : nullptr, cols,
                          bias ? bias[g * cout_g + co] : 0.f, ep);
      }
    }
  };
  const int64_t tasks = p.batch * p.group * chunks;
  if (tasks >= 2 * nt || nt == 1) {
    const double cost = static_cast<double>(cout_g * kdim * chunk) / 16.0;
    par.for_range(tasks, cost, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) task(t, serial());
    });
  } else {
    for (int64_t t = 0; t < tasks; ++t) task(t, par);
  }
}

}  // namespace ortl::kernels
