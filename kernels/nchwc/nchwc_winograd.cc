// Winograd F(4x4, 3x3) on the NCHWc layout (nchwc.h): weights transformed once into
// U [36][kb][cpad][16] (U[pos][k / 16][c][k % 16] = (G g G^T)[pos] of W[k][c], zero for pad
// channels both ways, the same order on every ISA), then per block of tiles the three phases of
// nchwc_winograd_impl.h (input transform -> 36 small GEMMs on a register tile -> output transform
// with bias and epilogue), built per ISA and picked once.
//
// Blocking: a block is T consecutive tiles of one image (across tile rows), sized so V and M
// ([36][T][cpad] + [36][T][kpad] floats) stay within ~2 MiB (L2 plus a little L3); U (36 cpad kpad
// floats) is streamed once per block. Threads take equal shares of the blocks of all images or,
// when there are too few blocks and U is large, of the output channels of each block. Every output
// is computed the same way whatever the split, so results do not depend on the thread count.
#include <algorithm>

#include "kernels/base/isa.h"
#include "kernels/gemm/gemm.h"
#include "kernels/nchwc/nchwc.h"
#include "kernels/nchwc/nchwc_winograd_impl.h"

namespace ortl::kernels::nchwc {

WinoKernels winograd_kernels_avx2();
WinoKernels winograd_kernels_avx512();

namespace {

int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

// V + M per block. Measured (Zen 4, 1 MiB L2, 32 MiB L3, 1 thread) for 0.75 / 1.5 / 3 / 6 MiB:
// 128x28x28: 698 / 623 / 614 / 646 us, 512x7x7: 2169 / 2162 / 1779 / 2238 us; spilling V + M
// partly to L3 costs less than streaming U (36 c_in c_out floats) once more per extra block.
constexpr int64_t kBudgetBytes = 2 << 20;
// U larger than this (in bytes; past the 1 MiB L2, so it streams from L3) is split across threads
// by output channels when the tiles alone do not give every thread an equal share. 2 threads, busy
// machine, K split vs tile split: 256x7x7 229 vs 402 us, 512x7x7 1733 vs 3176 us.
constexpr int64_t kSplitKBytes = 4 << 20;

const WinoKernels& kernels() {
  static const WinoKernels k = (active_isa() & kIsaAvx512) != 0 ? winograd_kernels_avx512()
                               : (active_isa() & kIsaAvx2) != 0 ? winograd_kernels_avx2()
                                                                : wino_kernels<2, 1, 4>();
  return k;
}

}  // namespace

// A roofline per (input channel, output channel) pair, from the timings in
// bench/bench_nchwc_winograd.cc (Zen 4, 1 thread; oneDNN's brgconv as the direct conv, ~125 GFLOP/s):
//   direct:   18 flops per output pixel, compute-bound at ~120 flops/ns;
//   Winograd: 72 flops per 4x4 tile at ~110 flops/ns (transforms included), or, when that is less,
//             U's 144 bytes per block of tiles at ~50 B/ns from L3 (U <= 16 MiB: half of the L3)
//             or ~20 B/ns from memory.
// It takes 256x7x7 -> 256 (4 tiles: 200 us vs 416 direct) and 128x8x8 (49 vs 139 us) and leaves
// 512x7x7 -> 512 (U = 36 MiB from memory: 1.5 - 2.0 ms, varying with the load, vs 1.73 direct)
// and outputs of one tile (4x4) direct.
bool winograd_applicable(const Conv2dParams& p) {
  if (p.depthwise || p.input_nchw || p.kh != 3 || p.kw != 3 || p.sh != 1 || p.sw != 1 || p.dh != 1 || p.dw != 1)
    return false;
  if (p.c_in < 16 || p.c_out < 16 || p.oh <= 0 || p.ow <= 0) return false;
  const int64_t cpad = padded(p.c_in), kpad = padded(p.c_out), tiles = cdiv(p.oh, 4) * cdiv(p.ow, 4);
  const double u_bytes = 144.0 * static_cast<double>(cpad * kpad);
  const int64_t nblocks = cdiv(tiles, std::max<int64_t>(12, kBudgetBytes / 4 / (36 * (cpad + kpad))));
  const double direct_ns = 18.0 * static_cast<double>(p.oh * p.ow) / 120.0;
  const double wino_ns = std::max(72.0 * static_cast<double>(tiles) / 110.0,
                                  144.0 * static_cast<double>(nblocks) / (u_bytes <= 16.0 * (1 << 20) ? 50.0 : 20.0));
  return wino_ns < 0.8 * direct_ns;
}

int64_t winograd_packed_weights_floats(const Conv2dParams& p) { return 36 * padded(p.c_in) * padded(p.c_out); }

void winograd_pack_weights(const Conv2dParams& p, const float* w, float* dst) {
  static const double G[6][3] = {{1.0 / 4, 0, 0},
                                 {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                 {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                 {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                 {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                 {0, 0, 1}};
  const int64_t cpad = padded(p.c_in), kpad = padded(p.c_out), per_pos = cpad * kpad;
  std::fill(dst, dst + 36 * per_pos, 0.f);
  for (int64_t k = 0; k < p.c_out; ++k) {
    for (int64_t c = 0; c < p.c_in; ++c) {
      const float* g = w + (k * p.c_in + c) * 9;
      double gg[6][3];  // G g
      for (int i = 0; i < 6; ++i) {
        for (int j = 0; j < 3; ++j) gg[i][j] = G[i][0] * g[j] + G[i][1] * g[3 + j] + G[i][2] * g[6 + j];
      }
      float* u = dst + ((k / kBlock) * cpad + c) * kBlock + k % kBlock;
      for (int pos = 0; pos < 36; ++pos) {
        const int i = pos / 6, j = pos % 6;
        u[pos * per_pos] = static_cast<float>(gg[i][0] * G[j][0] + gg[i][1] * G[j][1] + gg[i][2] * G[j][2]);
      }
    }
  }
}

void winograd_conv2d(const Conv2dParams& p, const float* x, const float* u_packed, const float* bias, float* y,
                     const ConvEpilogue& ep, Parallel& par) {
  if (p.batch <= 0 || p.oh <= 0 || p.ow <= 0 || p.c_out <= 0) return;
  const WinoKernels& kern = kernels();
  WinoDims d;
  d.ih = p.ih, d.iw = p.iw, d.oh = p.oh, d.ow = p.ow, d.ph = p.ph, d.pw = p.pw;
  d.tw = cdiv(p.ow, 4), d.c = p.c_in, d.cb = blocks(p.c_in), d.kb = blocks(p.c_out);
  const int64_t cpad = d.cb * kBlock, kpad = d.kb * kBlock, tiles = cdiv(p.oh, 4) * d.tw;

  // T: V + M within the budget, as few blocks as that allows, split evenly.
  const int64_t r = kern.r;
  const int64_t t_max = std::max<int64_t>(r, kBudgetBytes / 4 / (36 * (cpad + kpad)));
  int64_t nblocks = cdiv(tiles, t_max), kparts = 1;
  const int nt = std::max(1, par.num_threads());
  if (nt > 1 && (p.batch * nblocks) % nt != 0) {
    if (36 * cpad * kpad * 4 > kSplitKBytes && d.kb >= 2 * nt) {
      // Few tiles, large U: each thread takes a share of the output channels (and of U) and
      // repeats the cheap input transform, rather than each streaming all of U for fewer tiles.
      kparts = nt;
    } else {
      // Equal shares: a multiple of the threads in blocks over the batch.
      nblocks = std::max<int64_t>(1, cdiv(cdiv(p.batch * nblocks, nt) * nt, p.batch));
    }
  }
  const int64_t T = cdiv(tiles, nblocks);
  nblocks = cdiv(tiles, T);
  const int64_t tasks = p.batch * nblocks * kparts, pairs = cdiv(d.kb, 2);
  const int64_t x_img = cpad * p.ih * p.iw, y_img = kpad * p.oh * p.ow;
  const double cost = 2.0 * 36 * static_cast<double>(T * cpad * kpad / kparts) / 32.0;  // ~ns at 32 flop/ns
  par.for_range(tasks, cost, [&](int64_t b, int64_t e) {
    float* v = thread_scratch_f32(1, 36 * (T + r) * (cpad + kpad));
    float* m = v + 36 * (T + r) * cpad;
    for (int64_t task = b; task < e; ++task) {
      const int64_t part = task % kparts, blk = task / kparts % nblocks, n = task / kparts / nblocks;
      const int64_t t0 = blk * T, tn = std::min(T, tiles - t0);
      // Output blocks in pairs (the AVX-512 register tile is two blocks wide).
      const int64_t k0 = std::min(d.kb, 2 * (pairs * part / kparts));
      const int64_t k1 = std::min(d.kb, 2 * (pairs * (part + 1) / kparts));
      kern.input(d, x + n * x_img, t0, tn, v);
      kern.multiply(d, v, u_packed, tn, k0, k1, m);
      kern.output(d, m, t0, tn, k0, k1, bias, y + n * y_img, ep.sum ? ep.sum + n * y_img : nullptr, ep);
    }
  });
}

}  // namespace ortl::kernels::nchwc
