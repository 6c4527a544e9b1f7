// Winograd F(4x4, 3x3) convolution for 3x3 stride-1 convs with constant weights: 36 GEMMs of
// [C_out x C_in] x [C_in x tiles] replace one of [C_out x 9 C_in] x [9 C_in x 16 tiles] (4x fewer
// multiply-adds), plus the input and output transforms (winograd_impl.h, built per ISA).
//
// Work runs in blocks of whole tile rows of one image, sized so the transformed input V [36][C][T]
// and product M [36][K][T] stay around 2 MiB; blocks are split across threads, or, when there are
// fewer blocks than threads, the GEMMs are.
#include "kernels/conv/winograd.h"

#include <algorithm>

#include "kernels/base/isa.h"
#include "kernels/conv/conv_common.h"
#include "kernels/conv/winograd_impl.h"

namespace ortl::kernels {

WinogradTransforms winograd_transforms_avx2();
WinogradTransforms winograd_transforms_avx512();

namespace {

using conv_detail::cdiv;

const WinogradTransforms& transforms() {
  static const WinogradTransforms t = (active_isa() & kIsaAvx512) != 0 ? winograd_transforms_avx512()
                                      : (active_isa() & kIsaAvx2) != 0
                                          ? winograd_transforms_avx2()
                                          : WinogradTransforms{wino_input_row, wino_output_row};
  return t;
}

}  // namespace

bool winograd_applicable(const ConvParams& p) {
  if (p.in.size() != 2 || p.group != 1 || p.c_in < 8 || p.c_out < 8) return false;
  for (int d = 0; d < 2; ++d) {
    if (p.kernel[d] != 3 || p.strides[d] != 1 || p.dilations[d] != 1) return false;
  }
  // Few tiles: the transforms cost more than the saved multiplies (and partial tiles waste).
  return p.out[0] * p.out[1] >= 196 && p.out[0] >= 8 && p.out[1] >= 8;
}

WinogradWeights winograd_pack_weights(int64_t c_out, int64_t c_in, const float* w, const GemmF32Impl& gemm) {
  // U = G g G^T per (k, c), in double, laid out U[pos][k][c].
  static const double G[6][3] = {{1.0 / 4, 0, 0},
                                 {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                 {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                 {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                 {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                 {0, 0, 1}};
  std::vector<float> u(static_cast<size_t>(36 * c_out * c_in));
  for (int64_t k = 0; k < c_out; ++k) {
    for (int64_t c = 0; c < c_in; ++c) {
      const float* g = w + (k * c_in + c) * 9;
      double gg[6][3];  // G g
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 3; ++j) gg[i][j] = G[i][0] * g[j] + G[i][1] * g[3 + j] + G[i][2] * g[6 + j];
      }
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 6; ++j) {
          const double v = gg[i][0] * G[j][0] + gg[i][1] * G[j][1] + gg[i][2] * G[j][2];
          u[static_cast<size_t>(((i * 6 + j) * c_out + k) * c_in + c)] = static_cast<float>(v);
        }
      }
    }
  }
  WinogradWeights out;
  out.c_out = c_out, out.c_in = c_in;
  if (!gemm.pack_a) {
    out.per_pos = c_out * c_in;
    out.raw = std::move(u);
    return out;
  }
  out.packed = true;
  out.per_pos = gemm.packed_a_floats(c_out, c_in);
  out.u.resize(static_cast<size_t>(36 * out.per_pos));
  for (int pos = 0; pos < 36; ++pos) {
    GemmF32Args a;
    a.m = c_out, a.k = c_in, a.a = u.data() + pos * c_out * c_in, a.lda = c_in;
    gemm.pack_a(a, out.u.data() + pos * out.per_pos);
  }
  return out;
}

void conv_winograd_f32(const ConvParams& p, const float* x, const WinogradWeights& u, const float* bias, float* y,
                       const GemmF32Impl& gemm, Parallel& par, const ConvEpilogue& ep) {
  const int64_t ih = p.in[0], iw = p.in[1], oh = p.out[0], ow = p.out[1];
  const int64_t ph = p.pads_begin[0], pw = p.pads_begin[1];
  const int64_t C = p.c_in, K = p.c_out;
  const int64_t tile_rows = cdiv(oh, 4), tw = cdiv(ow, 4);
  const int64_t want_tiles = std::clamp<int64_t>((512 * 1024) / (36 * (C + K)), 16, 512);
  const int nt = std::max(1, par.num_threads());
  int64_t rows_per_block = std::clamp<int64_t>(want_tiles / tw, 1, tile_rows);
  // Enough blocks for every thread to run whole blocks (transforms included): splitting the 36
  // small GEMMs of one block across threads instead scales poorly.
  if (nt > 1 && p.batch * cdiv(tile_rows, rows_per_block) < 2 * nt)
    rows_per_block = std::max<int64_t>(1, std::min(rows_per_block, cdiv(tile_rows, cdiv(2 * nt, p.batch))));
  const int64_t blocks = cdiv(tile_rows, rows_per_block);
  const int64_t tasks = p.batch * blocks;
  const WinogradTransforms& tr = transforms();

  auto task = [&](int64_t t, Parallel& inner) {
    const int64_t n = t / blocks, th0 = (t % blocks) * rows_per_block;
    const int64_t th1 = std::min(tile_rows, th0 + rows_per_block), T = (th1 - th0) * tw;
    float* v = thread_scratch_f32(1, 36 * (C + K) * T + 42 * tw);
    float* m = v + 36 * C * T;
    float* scratch = m + 36 * K * T;
    const float* xn = x + n * C * ih * iw;
    float* yn = y + n * K * oh * ow;
    for (int64_t c = 0; c < C; ++c) {
      for (int64_t th = th0; th < th1; ++th)
        tr.input_row(xn + c * ih * iw, ih, iw, ph, pw, th, tw, v + c * T + (th - th0) * tw, C * T, scratch);
    }
    for (int pos = 0; pos < 36; ++pos) {
      GemmF32Args g;
      g.m = K, g.n = T, g.k = C;
      // M = C_out >= 8 and N = T >= 2 tiles: never the GEMV paths, the only readers of `a`
      // besides packing, so with packed weights `a` needs no unpacked copy.
      g.a = u.packed ? u.u.data() + pos * u.per_pos : u.raw.data() + pos * K * C;
      g.lda = C;
      if (u.packed) g.a_packed = u.u.data() + pos * u.per_pos;
      g.b = v + pos * C * T, g.ldb = T;
      g.c = m + pos * K * T, g.ldc = T;
      gemm.run(g, inner);
    }
    const int64_t r0 = 4 * th0, r1 = std::min(oh, 4 * th1);
    for (int64_t k = 0; k < K; ++k) {
      float* yk = yn + k * oh * ow;
      for (int64_t th = th0; th < th1; ++th)
        tr.output_row(m + k * T + (th - th0) * tw, K * T, tw, th, bias ? bias[k] : 0.f, yk, oh, ow, scratch);
      if (!ep.trivial()) {
        const float* sum = ep.sum ? ep.sum + (yk - y) + r0 * ow : nullptr;
        conv_epilogue_row(yk + r0 * ow, sum, (r1 - r0) * ow, 0.f, ep);
      }
    }
  };
  if (tasks >= 2 * nt || nt == 1) {
    const double cost = static_cast<double>(36 * K * C * want_tiles) / 16.0;
    par.for_range(tasks, cost, [&](int64_t b, int64_t e) {
      for (int64_t t = b; t < e; ++t) task(t, serial());
    });
  } else {
    for (int64_t t = 0; t < tasks; ++t) task(t, par);
  }
}

}  // namespace ortl::kernels
