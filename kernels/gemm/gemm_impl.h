// Templated body of the blocked f32 GEMM, instantiated once per ISA translation unit with that
// unit's vector traits (gemm.cc: 4-wide GCC vectors, gemm_avx2.cc: __m256, gemm_avx512.cc:
// __m512). Everything here is a member of a template over the traits, and each unit defines its
// traits in an anonymous namespace, so no code compiled with AVX flags can be merged by the
// linker into a path that runs on a lesser CPU.
//
// Blocking (BLIS-style, per task): C is cut into MC x NC tasks run in parallel; each task walks
// K in slices of at most 256 (384 for K >= 1024 on AVX-512 when nothing is session-packed) and, per slice, sweeps the
// MR x NR register tile over A rows (MR per tile, kc p-steps) and B panels (kc x NR, p-major). Loop order: row tile
// outer, B panel inner, so the tile's A rows (MR x kc, 12 KiB for 12 x 256) stay in L1 while the B block (kc x NC, NC =
// 256: 256 KiB) streams from L2 (a 32-wide B panel of kc = 256 is all of a 32 KiB L1, so keeping it there while A
// streams lost 5-10% on Zen 4). Operands, measured on Zen 4 (bench_gemm vs oneDNN):
//  - A (row-major op(A)) is read in place by the micro-kernel (12 row pointers' worth of L1
//    lines) and cut into equal row tiles (M = 49: 10+10+10+10+9, not 4 x 12 + 1); packing it
//    cost as much as the multiply for N = 64. When its row stride is a multiple of 4 KiB (all
//    rows of a tile in one L1 set: BERT FFN-down, K = 3072) the block's rows are first copied
//    to a padded stride (AVX-512 with N > NC: all of op(A) once per call, see blocked). A^T is packed into MR-row
//    panels (zero-padded), as are session-packed weights (pack_a_all: 4 x 4 register transposes).
//  - B is packed per task and slice into NR-column panels (row by row, so the source is one
//    prefetchable stream; panels padded so their store streams do not share an L1 set), except
//    for small B with few rows (see direct_b), whose panels are read in place from row-major
//    op(B). With few rows (M <= 4 MC) the packing of the next block is staged inside the tiles of
//    the current one (see kStage), so the weights stream from memory under the multiply-adds.
// M == 1 or N == 1 goes to a GEMV path instead, since a
// register tile would waste MR (or NR) - 1 of every MR rows there. N <= NR / 2 (1x1 convs on
// small feature maps: N = 4 pixels, M = 960 channels) turns the tile around: vectors run down an
// A panel's MR rows and each of the N columns of B is broadcast (small_n).
// Constant weights can be packed once for all calls (pack_a_all, GemmArgs::a_packed; pack_b_all,
// GemmArgs::b_packed): the packed layouts depend only on kc_of(k), MR, NR and kPanelPad.
//
// Traits interface: V, kW (floats per vector), zero, set1, load, store (unaligned), fmadd(a, b,
// c) = a * b + c, mul, add, hsum.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include "kernels/gemm/gemm.h"

namespace ortl::kernels::gemm_detail {

template <class VT, int MR, int NV>
struct Blocked {
  using V = typename VT::V;
  static constexpr int kW = VT::kW;
  static constexpr int kMr = MR;
  static constexpr int kNr = NV * kW;
  static constexpr int64_t kKc = 256;
  static constexpr int64_t kMc = (144 + MR - 1) / MR * MR;
  static constexpr int64_t kNc = (256 + kNr - 1) / kNr * kNr;
  // Rough single-core multiply-adds per ns, only to tell the pool what a task costs.
  static constexpr double kMacPerNs = 4.0 * kW;

  static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
  // Floats past a packed A the small-N path may read (whole vectors over an MR-row panel).
  static constexpr int64_t kSlack = 64;
  // K is cut into equal slices of at most kKc (no thin tail slice). This is the slicing of the
  // session-packed layouts (pack_a_all, pack_b_all), which depend on K alone.
  static int64_t kc_of(int64_t k) { return cdiv(k, cdiv(k, kKc)); }
  // Slices of a call with nothing packed ahead (AVX-512 tile only; the others keep kc_of): deep K (>= kDeepK) takes
  // slices of up to kKcDeep, so C is re-read and re-written fewer times (BERT FFN-down, K = 3072: 8 rather than 12
  // passes) and each packed B block serves more multiply-adds; the 12 x 384 A tile (18 KiB) still fits L1. Measured on
  // Zen 4 (noisy, shared): 0-4% on FFN-down and square1024; 512 was no better. Session-packed operands keep kc_of, so
  // pack_a_all / pack_b_all and their readers agree.
  static constexpr int64_t kKcDeep = 384, kDeepK = 1024;
  static int64_t kc_run(const GemmF32Args& g) {
    if (kNr < 32 || g.a_packed || g.b_packed || g.k < kDeepK) return kc_of(g.k);
    return cdiv(g.k, cdiv(g.k, kKcDeep));
  }

  // The whole op(A), packed once: per K slice (offset p0, width kc), ceil(m / MR) panels of
  // MR x kc, so slice p0 starts at packed_a_floats-so-far = ceil(m / MR) * MR * p0.
  static int64_t packed_a_floats(int64_t m, int64_t k) { return cdiv(m, MR) * MR * k + kSlack; }
  // The whole op(B) likewise: per K slice, ceil(n / NR) panels of kc x NR.
  // Packed B panels are kc x NR floats plus kPanelPad: panels kc * NR * 4 bytes apart (a multiple of 4 KiB) would put
  // the NC / NR store streams of pack_b (one row of each panel per source row) in one L1 set.
  static constexpr int64_t kPanelPad = 16;
  static int64_t panel_floats(int64_t kc) { return kc * kNr + kPanelPad; }
  // Offset of K slice p0 (slices of kc_of(k)) in pack_b_all's layout, whose slices hold `panels` panels each.
  static int64_t packed_b_slice(int64_t k, int64_t panels, int64_t p0) {
    return panels * (kNr * p0 + kPanelPad * (p0 / kc_of(k)));
  }
  static int64_t packed_b_floats(int64_t k, int64_t n) {
    return cdiv(n, kNr) * (kNr * k + kPanelPad * cdiv(k, kc_of(k))) + kSlack;
  }
  static void pack_b_all(const GemmF32Args& g, float* dst) {
    const int64_t kc_max = kc_of(g.k), panels = cdiv(g.n, kNr);
    for (int64_t p0 = 0; p0 < g.k; p0 += kc_max)
      pack_b(g, p0, std::min(kc_max, g.k - p0), 0, g.n, dst + packed_b_slice(g.k, panels, p0));
  }
  static void pack_a_all(const GemmF32Args& g, float* dst) {
    const int64_t kc_max = kc_of(g.k), mpad = cdiv(g.m, MR) * MR;
    for (int64_t p0 = 0; p0 < g.k; p0 += kc_max) pack_a(g, 0, g.m, p0, std::min(kc_max, g.k - p0), dst + mpad * p0);
  }

  static void run(const GemmF32Args& g, Parallel& par) {
    if (g.m <= 0 || g.n <= 0) return;
    if (g.k <= 0) return scale_c(g);
    if (g.m == 1 || g.n == 1) return gemv(g, par);
    if (g.n <= kSmallN && g.m >= MR) return small_n(g, par);
    blocked(g, par);
  }

  // C = beta * C (K == 0: the product is empty).
  static void scale_c(const GemmF32Args& g) {
    for (int64_t i = 0; i < g.m; ++i) {
      float* c = g.c + i * g.ldc;
      for (int64_t j = 0; j < g.n; ++j) c[j] = g.beta == 0.f ? 0.f : g.beta * c[j];
    }
  }

  // ---- packing ------------------------------------------------------------------------------
  // dst[pp * ld + r] = src[r][p + pp] for r, pp < 4 (GCC vector shuffles: SSE on any x86-64).
  static void transpose4(const float* const* src, int64_t p, float* dst, int64_t ld) {
    typedef float V4 __attribute__((vector_size(16)));
    V4 r[4];
    for (int i = 0; i < 4; ++i) std::memcpy(&r[i], src[i] + p, sizeof(V4));
    const V4 t0 = __builtin_shufflevector(r[0], r[1], 0, 4, 1, 5), t1 = __builtin_shufflevector(r[2], r[3], 0, 4, 1, 5);
    const V4 t2 = __builtin_shufflevector(r[0], r[1], 2, 6, 3, 7), t3 = __builtin_shufflevector(r[2], r[3], 2, 6, 3, 7);
    const V4 o[4] = {__builtin_shufflevector(t0, t1, 0, 1, 4, 5), __builtin_shufflevector(t0, t1, 2, 3, 6, 7),
                     __builtin_shufflevector(t2, t3, 0, 1, 4, 5), __builtin_shufflevector(t2, t3, 2, 3, 6, 7)};
    for (int i = 0; i < 4; ++i) std::memcpy(dst + i * ld, &o[i], sizeof(V4));
  }

  // op(A)[i0 .. i0+mc, p0 .. p0+kc] -> ceil(mc / MR) panels, panel r at dst + r * MR * kc.
  static void pack_a(const GemmF32Args& g, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst) {
    for (int64_t ir = 0; ir < mc; ir += MR) {
      const int rows = static_cast<int>(std::min<int64_t>(MR, mc - ir));
      float* d = dst + ir * kc;
      if (!g.trans_a) {
        const float* src[MR];
        for (int i = 0; i < MR; ++i) src[i] = g.a + (i0 + ir + std::min(i, rows - 1)) * g.lda + p0;
        // 4 x 4 blocks transposed in registers (4 loads, 8 shuffles, 4 stores per 16 floats),
        // then the rows past the last whole quad and the last kc % 4 columns one at a time.
        const int quads = rows / 4;
        int64_t p = 0;
        for (; p + 4 <= kc; p += 4) {
          for (int q = 0; q < quads; ++q) transpose4(src + 4 * q, p, d + p * MR + 4 * q, MR);
          for (int i = 4 * quads; i < MR; ++i) {
            for (int pp = 0; pp < 4; ++pp) d[(p + pp) * MR + i] = i < rows ? src[i][p + pp] : 0.f;
          }
        }
        for (; p < kc; ++p) {
          for (int i = 0; i < MR; ++i) d[p * MR + i] = i < rows ? src[i][p] : 0.f;
        }
      } else {
        const float* s = g.a + p0 * g.lda + i0 + ir;
        for (int64_t p = 0; p < kc; ++p) {
          for (int i = 0; i < MR; ++i) d[p * MR + i] = i < rows ? s[p * g.lda + i] : 0.f;
        }
      }
    }
  }

  // op(B)[p0 .. p0+kc, j0 .. j0+nc] -> ceil(nc / NR) panels, panel r at dst + r * NR * kc.
  // Row-major op(B) is copied row by row (p outer), so the source is read sequentially (one
  // stream the hardware prefetcher follows) rather than NR floats from kc pages per panel.
  static constexpr int64_t kPfRows = 8;
  static constexpr int64_t kCopyPad = 16;
  static void pack_b(const GemmF32Args& g, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
    const int64_t pstride = panel_floats(kc);
    if (!g.trans_b) {
      const int64_t full = nc / kNr * kNr;
      const int tail = static_cast<int>(nc - full);
      for (int64_t p = 0; p < kc; ++p) {
        const float* sp = g.b + (p0 + p) * g.ldb + j0;
        float* dp = dst + p * kNr;
        // B is usually streamed from memory (BERT FFN weights: 9 MiB); rows ldb apart are
        // not a stream the L2 prefetcher keeps up with, so fetch kPfRows rows ahead into L2
        // (measured: L1-targeted prefetches 8 or 12 rows ahead were slower than 4, and 4 than this).
        if (p + kPfRows < kc) {
          const float* pf = sp + kPfRows * g.ldb;
          for (int64_t j = 0; j < nc; j += 16) __builtin_prefetch(pf + j, 0, 1);
        }
        for (int64_t jr = 0; jr < full; jr += kNr) {
          float* d = dp + jr / kNr * pstride;
#pragma GCC unroll 8
          for (int v = 0; v < NV; ++v) VT::store(d + v * kW, VT::load(sp + jr + v * kW));
        }
        if (tail) {
          float* d = dp + full / kNr * pstride;
          for (int j = 0; j < kNr; ++j) d[j] = j < tail ? sp[full + j] : 0.f;
        }
      }
      return;
    }
    for (int64_t jr = 0; jr < nc; jr += kNr) {
      const int cols = static_cast<int>(std::min<int64_t>(kNr, nc - jr));
      float* d = dst + jr / kNr * pstride;
      // op(B)[p, j] = B[j, p]: read rows of B contiguously, write panel columns.
      const float* s = g.b + (j0 + jr) * g.ldb + p0;
      for (int j = 0; j < kNr; ++j) {
        if (j < cols) {
          const float* sj = s + j * g.ldb;
          for (int64_t p = 0; p < kc; ++p) d[p * kNr + j] = sj[p];
        } else {
          for (int64_t p = 0; p < kc; ++p) d[p * kNr + j] = 0.f;
        }
      }
    }
  }

  // ---- register tile --------------------------------------------------------------------------
  // C[0..R, 0..cols] = alpha * (A rows x B panel) + beta * C; beta == 0 never reads C. R <= MR
  // is a template argument so a short last row block (M = 49: 4 x 12 + 1) runs an R-row tile
  // instead of a zero-padded MR-row one. The A rows come either from a packed panel (element
  // (i, p) at a[p * MR + i]) or, kDirect, straight from row-major op(A) (a[i * lda + p]): the
  // scalar transpose that packing A costs is as large as the multiply when N is small (N = 64:
  // 4 FMAs per A element), while reading 12 rows in place only needs 12 L1 lines live.
  //
  // Side work, once every side.every k steps (see task, staging): prefetch a row of the B block the task multiplies
  // next (kNr floats of op(B), ld apart) and copy one of its rows already prefetched into its packed panel (src, ld
  // apart, to dst, kNr apart). Copy rows that do not fit in kc steps are copied after the loop.
  struct Side {
    const float* pf = nullptr;
    const float* src = nullptr;
    float* dst = nullptr;
    int64_t ld = 0, pf_rows = 0, cp_rows = 0, every = 0;  // every == 0: none
    bool prefetch_c = false;  // C larger than L2: its tile's lines are fetched for writing before the loop
  };
  static void copy_row(const float* src, float* dst) {
#pragma GCC unroll 8
    for (int v = 0; v < NV; ++v) VT::store(dst + v * kW, VT::load(src + v * kW));
  }
  template <int R, bool kDirect>
  static void micro(int64_t kc, const float* __restrict a, int64_t lda, const float* __restrict b, int64_t ldb,
                    float* __restrict c, int64_t ldc, int cols, float alpha, float beta, const Side& side) {
    V acc[R][NV];
#pragma GCC unroll 32
    for (int i = 0; i < R; ++i) {
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[i][v] = VT::zero();
    }
    // kDirect: rows 4q .. 4q+3 are read at offsets 0, lda, 2 lda, 3 lda from one pointer per
    // quad, so the loop keeps ceil(R / 4) moving pointers plus lda and 3 lda in registers.
    const int64_t lda3 = 3 * lda;
    const float* aq[(R + 3) / 4];
    for (int q = 0; q < (R + 3) / 4; ++q) aq[q] = a + (kDirect ? 4 * q * lda : 0);
    if (side.prefetch_c) {
      for (int i = 0; i < R; ++i) {
        for (int l = 0; l < cols + 15; l += 16) __builtin_prefetch(c + i * ldc + std::min(l, cols - 1), 1, 3);
      }
    }
    const float* pf = side.pf;
    const float* src = side.src;
    float* dst = side.dst;
    int64_t pf_left = side.pf_rows, cp_left = side.cp_rows, at = side.every > 0 ? 0 : kc;
    for (int64_t p = 0; p < kc; ++p) {
      if (p == at) {
        if (pf_left > 0) {
          for (int l = 0; l < kNr; l += 16) __builtin_prefetch(pf + l, 0, 2);
          pf += side.ld;
          --pf_left;
        }
        if (cp_left > 0) {
          copy_row(src, dst);
          src += side.ld;
          dst += kNr;
          --cp_left;
        }
        at = pf_left > 0 || cp_left > 0 ? at + side.every : kc;
      }
      V bv[NV];
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) bv[v] = VT::load(b + v * kW);
#pragma GCC unroll 32
      for (int i = 0; i < R; ++i) {
        float x;
        if constexpr (kDirect) {
          const int r = i % 4;
          x = aq[i / 4][r == 0 ? 0 : r == 1 ? lda : r == 2 ? 2 * lda : lda3];
        } else {
          x = a[i];
        }
        const V av = VT::set1(x);
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) acc[i][v] = VT::fmadd(av, bv[v], acc[i][v]);
      }
      if constexpr (kDirect) {
        for (int q = 0; q < (R + 3) / 4; ++q) ++aq[q];
      } else {
        a += MR;
      }
      b += ldb;
    }
    for (; cp_left > 0; --cp_left, src += side.ld, dst += kNr) copy_row(src, dst);
    const V va = VT::set1(alpha);
    if (cols == kNr) {
      const V vb = VT::set1(beta);
#pragma GCC unroll 32
      for (int i = 0; i < R; ++i) {
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) {
          float* cp = c + i * ldc + v * kW;
          if (beta == 0.f) {
            VT::store(cp, VT::mul(acc[i][v], va));
          } else if (beta == 1.f) {
            VT::store(cp, VT::fmadd(acc[i][v], va, VT::load(cp)));
          } else {
            VT::store(cp, VT::fmadd(acc[i][v], va, VT::mul(VT::load(cp), vb)));
          }
        }
      }
      return;
    }
    alignas(64) float tile[R * kNr];
    for (int i = 0; i < R; ++i) {
      for (int v = 0; v < NV; ++v) VT::store(tile + i * kNr + v * kW, VT::mul(acc[i][v], va));
    }
    for (int i = 0; i < R; ++i) {
      float* ci = c + i * ldc;
      const float* ti = tile + i * kNr;
      if (beta == 0.f) {
        for (int j = 0; j < cols; ++j) ci[j] = ti[j];
      } else {
        for (int j = 0; j < cols; ++j) ci[j] = ti[j] + beta * ci[j];
      }
    }
  }

  using MicroFn = void (*)(int64_t, const float*, int64_t, const float*, int64_t, float*, int64_t, int, float, float,
                           const Side&);
  template <bool kDirect, int... Rs>
  static constexpr std::array<MicroFn, MR> micro_table(std::integer_sequence<int, Rs...>) {
    return {&micro<Rs + 1, kDirect>...};
  }
  // [direct][rows - 1]
  static constexpr std::array<MicroFn, MR> kMicro[2] = {micro_table<false>(std::make_integer_sequence<int, MR>{}),
                                                        micro_table<true>(std::make_integer_sequence<int, MR>{})};

  // Tasks are (row range, column block) pairs: a task packs each K slice of its B block once and
  // sweeps all its MC-row blocks over it, so B is packed once per column block (not once per
  // row block as well). One thread takes whole column blocks; threads split N first, then M.
  // AVX-512, row-major op(A) whose row stride is a multiple of 4 KiB (K = 1024, 3072): the
  // tasks would copy each row block of A to a padded stride once per (column block, K slice),
  // i.e. ceil(N / NC) times over (4.7% of square1024's time, 2.7% of FFN-down's, in memmove).
  // Copying all of op(A) once per call to a stride of K + 16 makes every later read in place.
  static constexpr int64_t kMaxACopy = int64_t{1} << 22;  // floats (16 MiB)
  static void blocked(const GemmF32Args& g, Parallel& par) {
    if (kNr >= 32 && !g.a_packed && !g.trans_a && (g.lda * 4) % 4096 == 0 && g.m * g.k <= kMaxACopy && g.n > kNc) {
      GemmF32Args h = g;
      h.lda = g.k + kCopyPad;
      float* copy = thread_scratch_f32(2, g.m * h.lda);
      par.for_range(g.m, static_cast<double>(g.k) / 64.0, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) std::memcpy(copy + i * h.lda, g.a + i * g.lda, g.k * sizeof(float));
      });
      h.a = copy;
      return blocked_impl(h, par);
    }
    blocked_impl(g, par);
  }

  // A column block width near nc (within a quarter, whole panels) that cuts N into a multiple of
  // nt blocks, or nc itself when none does: BERT's fused QKV (N = 2304) at 2 threads was 9 blocks
  // of 256, one thread doing 5 of them (1.77x over one thread; 8 blocks of 288: 1.9x).
  static int64_t balanced_nc(int64_t n, int64_t nc, int nt) {
    const int64_t panels = cdiv(n, kNr), ppt = nc / kNr;
    for (int64_t d = 1; d <= ppt / 4; ++d) {
      for (const int64_t p : {ppt + d, ppt - d}) {
        if (p >= 1 && cdiv(panels, p) % nt == 0) return p * kNr;
      }
    }
    return nc;
  }

  static void blocked_impl(const GemmF32Args& g, Parallel& par) {
    const int nt = std::max(1, par.num_threads());
    int64_t mc = std::min<int64_t>(kMc, cdiv(g.m, MR) * MR);
    // AVX-512: many rows (M > 4 MC, square1024) take column blocks of 2 NC: A (too large for L2) is streamed again
    // for every column block, and a 2 NC x kc B block still fits the 1 MiB L2.
    const int64_t nc_max = kNr >= 32 && g.m > 4 * kMc ? 2 * kNc : kNc;
    int64_t nc = std::min<int64_t>(nc_max, cdiv(g.n, kNr) * kNr);
    while (nt > 1 && cdiv(g.n, nc) < 2 * nt && nc > 2 * kNr) nc = cdiv(nc / 2, kNr) * kNr;
    if (nt > 1 && cdiv(g.n, nc) % nt != 0) nc = balanced_nc(g.n, nc, nt);
    const int64_t tn = cdiv(g.n, nc);
    // With few column blocks (N = 49 pixels of a 7x7 map) the rows are cut into about 4 even
    // ranges per thread rather than whole MC blocks plus a short one.
    // Only when N alone gives too few tasks: more row ranges repack B (BERT-base at 2 threads
    // lost 12% when its 6 column blocks were also cut in two).
    const bool split_m = nt > 1 && tn < 2 * nt;
    if (split_m) mc = std::min(mc, cdiv(cdiv(g.m, cdiv(4 * nt, tn)), MR) * MR);
    const int64_t mblocks = cdiv(g.m, mc);
    const int64_t parts = split_m ? std::clamp<int64_t>(cdiv(4 * nt, tn), 1, mblocks) : 1;
    const int64_t rows = cdiv(mblocks, parts) * mc;  // a multiple of mc, hence of MR
    const int64_t kc_max = kc_run(g);
    const int64_t tasks = cdiv(g.m, rows) * tn;
    // Row-major op(B) is also read in place (whole NR-column panels; a partial last panel is
    // packed) when few rows reuse it (M <= 4 MC: packing B is not amortized, BERT's M = 128),
    // B is at most 4 MiB and A is row-major; not when its row stride is a multiple of 4 KiB
    // (L1/L2 set conflicts down a panel). Measured on Zen 4: packing was faster for M = 3136,
    // for the 9 MiB FFN-down weights (16% slower in place: the packing pass streams them from
    // memory better than the tiles' strided reads), and for the 16-wide AVX2 panel (one line
    // per k: square512 lost 20%). In place: BERT QKV +4%, ResNet res4 +6%.
    const bool direct_b = kNr >= 32 && !g.b_packed && !g.trans_b && (g.ldb * 4) % 4096 != 0 && g.m <= 4 * kMc &&
                          g.k * g.n <= (int64_t{1} << 20) && !g.a_packed && !g.trans_a;
    const bool stage = kStage && !g.b_packed && !direct_b && !g.trans_b && g.m <= kStageMaxM;
    const int64_t bfloats = cdiv(nc, kNr) * panel_floats(kc_max);
    par.for_range(tasks, static_cast<double>(rows * nc) * static_cast<double>(g.k) / kMacPerNs,
                  [&](int64_t t0, int64_t t1) {
                    float* apack = thread_scratch_f32(0, mc * (kc_max + kCopyPad) + (stage ? 2 : 1) * bfloats);
                    Blocks bl;
                    bl.buf[0] = apack + mc * (kc_max + kCopyPad);
                    bl.buf[1] = bl.buf[0] + bfloats;
                    for (int64_t t = t0; t < t1; ++t) {
                      const int64_t i_lo = (t / tn) * rows;
                      // The task after this one, on this thread: its first block is staged by this one.
                      const int64_t j_next = stage && t + 1 < t1 ? ((t + 1) % tn) * nc : -1;
                      task(g, i_lo, std::min(g.m, i_lo + rows), (t % tn) * nc, j_next, mc, nc, kc_max, direct_b, stage,
                           apack, bl);
                    }
                  });
  }

  // Staging (row-major op(B) packed per call, few rows: M <= kStageMaxM, so each packed block serves few tiles, BERT
  // FFN-down's 9 MiB of weights): the packing of the next B block (the next K slice, or the first slice of the task
  // that follows on this thread) is spread over this block's tiles rather than done in one pass between them. With T
  // tiles per slice, the next block's rows are cut into T chunks: tile t prefetches chunk t into L2 and copies chunk
  // t - 1 (prefetched one tile sweep earlier) into the other packed buffer, both from inside its multiply loop (see
  // Side), so op(B) is streamed from memory under the multiply-adds instead of between them; the last chunk, and the
  // panels this block has no tile for, are copied after the sweep. Measured on Zen 4 (FFN-down, 128 x 768 x 3072, one
  // thread): the packing pass alone, at 12 GB/s from L3 / memory, was 12% of the call; staged, the call went from
  // 0.87 to 0.91-0.93 of dnnl_sgemm (AVX-512 tile) and from 0.85 to 0.89-0.91 (AVX2 tile). Packing the first tile's
  // panels inside its multiply loop instead (as oneDNN's no-copy kernel does) ran that tile 1.6x slower than the rest.
  static constexpr bool kStage = kNr >= 16;
  static constexpr int64_t kLargeC = int64_t{1} << 18;  // floats (1 MiB)
  static constexpr int64_t kStageMaxM = 4 * kMc;
  struct Blocks {
    float* buf[2] = {nullptr, nullptr};  // packed B blocks: the current one and the staged next one
    int cur = 0;
    int64_t staged_j = -1;  // column block whose first K slice is already packed in buf[cur], or -1
  };
  // The next block to stage: rows p0n .. p0n + kcn of op(B), columns jn .. jn + ncn (nfn in whole panels).
  struct NextB {
    int64_t p0 = 0, kc = 0, j = 0, nfull = 0, n = 0;
    float* dst = nullptr;
    // Rows of chunk c (of `tiles`): [row(c), row(c + 1)).
    int64_t row(int64_t c, int64_t tiles) const { return kc * c / tiles; }
  };

  static void task(const GemmF32Args& g, int64_t i_lo, int64_t i_hi, int64_t j0, int64_t j_next, int64_t mc, int64_t nc,
                   int64_t kc_max, bool direct_b, bool stage, float* apack, Blocks& bl) {
    const int64_t ncur = std::min(nc, g.n - j0), mpad = cdiv(g.m, MR) * MR;
    const bool a_aliased = (g.lda * 4) % 4096 == 0;
    // C past L2 (square1024: 4 MiB, rows 4 KiB apart): each tile's C lines come from L3 or memory when it adds to
    // them. Prefetched for writing before the multiply loop, square1024 and square2048 gained 2-3% on Zen 4 (BERT's
    // FFN-down, C 384 KiB, lost 2%: hence the bound).
    const bool c_large = g.m * g.n > kLargeC;
    int64_t tiles_total = 0;
    for (int64_t i0 = i_lo; i0 < i_hi; i0 += mc) tiles_total += cdiv(std::min(mc, i_hi - i0), MR);
    for (int64_t p0 = 0; p0 < g.k; p0 += kc_max) {
      const int64_t kc = std::min(kc_max, g.k - p0), pstride = panel_floats(kc);
      float* bpack = bl.buf[bl.cur];
      const float* bp = bpack;
      const int64_t nfull = ncur / kNr * kNr;
      if (g.b_packed) {
        bp = g.b_packed + packed_b_slice(g.k, cdiv(g.n, kNr), p0) + j0 / kNr * pstride;  // j0: a multiple of NR
      } else if (direct_b) {
        if (nfull < ncur) pack_b(g, p0, kc, j0 + nfull, ncur - nfull, bpack + nfull / kNr * pstride);
      } else if (!(stage && (p0 > 0 || bl.staged_j == j0))) {
        pack_b(g, p0, kc, j0, ncur, bpack);
      }
      NextB nx;
      if (stage) {
        nx.p0 = p0 + kc, nx.j = j0;
        if (nx.p0 >= g.k) nx.p0 = 0, nx.j = j_next;
        if (nx.j >= 0) {
          nx.kc = std::min(kc_max, g.k - nx.p0);
          nx.n = std::min(nc, g.n - nx.j);
          nx.nfull = nx.n / kNr * kNr;
          nx.dst = bl.buf[bl.cur ^ 1];
        }
      }
      const int64_t pstride_n = panel_floats(nx.kc);
      const float beta = p0 == 0 ? g.beta : 1.f;
      int64_t tile = 0;
      for (int64_t i0 = i_lo; i0 < i_hi; i0 += mc) {
        const int64_t mcur = std::min(mc, i_hi - i0);
        // Row-major op(A) is read in place (see micro); when its row stride is a multiple of
        // 4 KiB (all MR rows of a tile in one 8-way L1 set) the block's rows are first copied
        // to a stride of kc + 16 floats. op(A) = A^T is packed into MR-row panels.
        const bool direct = !g.a_packed && !g.trans_a;
        const float* ap = apack;
        int64_t lda = g.lda;
        if (g.a_packed) {
          ap = g.a_packed + mpad * p0 + i0 * kc;  // i0 is a multiple of MR
        } else if (direct && !a_aliased) {
          ap = g.a + i0 * g.lda + p0;
        } else if (direct) {
          lda = kc + kCopyPad;
          for (int64_t i = 0; i < mcur; ++i)
            std::memcpy(apack + i * lda, g.a + (i0 + i) * g.lda + p0, kc * sizeof(float));
        } else {
          pack_a(g, i0, mcur, p0, kc, apack);
        }
        const auto& fns = kMicro[direct];
        // Packed A comes in MR-row panels (the last one short); A read in place is cut into
        // equal tiles instead (M = 49: 10, 10, 10, 10, 9 rows rather than 4 x 12 + 1, whose one
        // row runs 2 FMA chains on a 4-cycle latency).
        const int64_t tiles = cdiv(mcur, MR), even = mcur / tiles, longer = mcur % tiles;
        int64_t ir = 0;
        for (int64_t t = 0; t < tiles; ++t, ++tile) {
          const int r = static_cast<int>(direct ? even + (t < longer) : std::min<int64_t>(MR, mcur - ir));
          const float* ar = ap + (direct ? ir * lda : ir * kc);
          for (int64_t jr = 0; jr < ncur; jr += kNr) {
            const int cols = static_cast<int>(std::min<int64_t>(kNr, ncur - jr));
            const bool in_place = direct_b && jr < nfull;
            const float* b = in_place ? g.b + p0 * g.ldb + j0 + jr : bp + jr / kNr * pstride;
            Side side;
            side.prefetch_c = c_large;
            if (nx.dst && jr < nx.nfull) {
              const float* src = g.b + nx.p0 * g.ldb + nx.j + jr;
              const int64_t r0 = nx.row(tile, tiles_total), r1 = nx.row(tile + 1, tiles_total);
              side.ld = g.ldb;
              side.pf = src + r0 * g.ldb;
              side.pf_rows = r1 - r0;
              if (tile > 0) {
                const int64_t q0 = nx.row(tile - 1, tiles_total);
                side.src = src + q0 * g.ldb;
                side.dst = nx.dst + jr / kNr * pstride_n + q0 * kNr;
                side.cp_rows = r0 - q0;
              }
              side.every = std::max<int64_t>(1, kc / std::max<int64_t>({side.pf_rows, side.cp_rows, 1}));
            }
            fns[r - 1](kc, ar, lda, b, in_place ? g.ldb : kNr, g.c + (i0 + ir) * g.ldc + j0 + jr, g.ldc, cols, g.alpha,
                       beta, side);
          }
          ir += r;
        }
      }
      if (nx.dst) {
        // What the sweep did not stage: the last chunk of each panel it had a tile for, the panels past this block's
        // width, and a partial last panel.
        const int64_t covered = std::min(nx.nfull, cdiv(ncur, kNr) * kNr);
        const int64_t q0 = nx.row(tiles_total - 1, tiles_total);
        for (int64_t jr = 0; jr < covered; jr += kNr) {
          const float* src = g.b + (nx.p0 + q0) * g.ldb + nx.j + jr;
          float* dst = nx.dst + jr / kNr * pstride_n + q0 * kNr;
          for (int64_t q = q0; q < nx.kc; ++q, src += g.ldb, dst += kNr) copy_row(src, dst);
        }
        if (covered < nx.n) pack_b(g, nx.p0, nx.kc, nx.j + covered, nx.n - covered, nx.dst + covered / kNr * pstride_n);
        bl.cur ^= 1;
        bl.staged_j = nx.p0 == 0 ? nx.j : -1;
      }
    }
  }

  // ---- small N: vectors over M ----------------------------------------------------------------
  // For each MR-row panel of op(A) (packed: MR contiguous floats per k), acc[j] += A[:, p] *
  // B[p, j] for the N columns j, all of K, then C = alpha * acc + beta * C once. A panel row is
  // read as whole vectors, so the packed buffers have kW floats of slack at their end (the
  // lanes past MR are computed and dropped).
  static constexpr int kSmallN = kNr / 2;
  static constexpr int kMv = (MR + kW - 1) / kW;

  template <int N>
  // panel_k0: the panel over all of K with `astride` floats per k (MR when packed here, lda
  // when op(A) = A^T is read in place); unused when `sliced` (the session-packed A).
  static void small_n_panel(const GemmF32Args& g, const float* bp, const float* panel_k0, int64_t astride, int64_t ir,
                            int rows, bool sliced) {
    V acc[N][kMv];
    for (int j = 0; j < N; ++j) {
      for (int v = 0; v < kMv; ++v) acc[j][v] = VT::zero();
    }
    const int64_t kc_max = kc_of(g.k), mpad = cdiv(g.m, MR) * MR;
    for (int64_t p0 = 0; p0 < g.k; p0 += kc_max) {
      const int64_t kc = sliced ? std::min(kc_max, g.k - p0) : g.k;
      const float* a = sliced ? g.a_packed + mpad * p0 + ir * kc : panel_k0;
      const int64_t as = sliced ? MR : astride;
      const float* b = bp + p0 * N;
      for (int64_t p = 0; p < kc; ++p) {
        V av[kMv];
        for (int v = 0; v < kMv; ++v) av[v] = VT::load(a + p * as + v * kW);
#pragma GCC unroll 16
        for (int j = 0; j < N; ++j) {
          const V bj = VT::set1(b[p * N + j]);
          for (int v = 0; v < kMv; ++v) acc[j][v] = VT::fmadd(av[v], bj, acc[j][v]);
        }
      }
      if (!sliced) break;
    }
    alignas(64) float tile[N][kMv * kW];
    for (int j = 0; j < N; ++j) {
      for (int v = 0; v < kMv; ++v) VT::store(&tile[j][v * kW], acc[j][v]);
    }
    for (int i = 0; i < rows; ++i) {
      float* c = g.c + (ir + i) * g.ldc;
      for (int j = 0; j < N; ++j) c[j] = g.beta == 0.f ? g.alpha * tile[j][i] : g.alpha * tile[j][i] + g.beta * c[j];
    }
  }

  template <int N>
  static void small_n_fixed(const GemmF32Args& g, Parallel& par) {
    // op(B) copied once, p-major with the N columns contiguous: the broadcasts read one line.
    float* bp = thread_scratch_f32(2, g.k * N);
    for (int64_t p = 0; p < g.k; ++p) {
      for (int j = 0; j < N; ++j) bp[p * N + j] = g.trans_b ? g.b[j * g.ldb + p] : g.b[p * g.ldb + j];
    }
    const int64_t panels = cdiv(g.m, MR);
    par.for_range(panels, static_cast<double>(MR * N) * static_cast<double>(g.k) / kMacPerNs,
                  [&](int64_t r0, int64_t r1) {
                    float* own = g.a_packed ? nullptr : thread_scratch_f32(0, MR * g.k + kW);
                    for (int64_t r = r0; r < r1; ++r) {
                      const int64_t ir = r * MR;
                      const int rows = static_cast<int>(std::min<int64_t>(MR, g.m - ir));
                      // op(A) = A^T holds a panel's MR rows contiguously for each k: read it in
                      // place while whole vectors stay inside op(A)'s M columns (X^T W^T of few-channel convs).
                      if (own && g.trans_a && ir + kMv * kW <= g.m) {
                        small_n_panel<N>(g, bp, g.a + ir, g.lda, ir, rows, false);
                        continue;
                      }
                      if (own) pack_a(g, ir, rows, 0, g.k, own);  // one panel, all of K
                      small_n_panel<N>(g, bp, own, MR, ir, rows, own == nullptr);
                    }
                  });
  }

  template <int... Ns>
  static void small_n_dispatch(const GemmF32Args& g, Parallel& par, std::integer_sequence<int, Ns...>) {
    using Fn = void (*)(const GemmF32Args&, Parallel&);
    static constexpr Fn fns[] = {&small_n_fixed<Ns + 1>...};
    fns[g.n - 1](g, par);
  }

  static void small_n(const GemmF32Args& g, Parallel& par) {
    small_n_dispatch(g, par, std::make_integer_sequence<int, kSmallN>{});
  }

  // ---- GEMV: M == 1 or N == 1 ---------------------------------------------------------------
  // y[i * incy] = alpha * sum_l Mat(i, l) * v[l] + beta * y[i * incy], i < len, where Mat(i, l)
  // is mat[i * ld + l] (rows contiguous: dot products) or mat[l * ld + i] (axpy over rows).
  static void gemv(const GemmF32Args& g, Parallel& par) {
    int64_t len, incy, ld, incv;
    const float *mat, *v;
    bool rows_contiguous;
    if (g.m == 1) {  // y = C row 0, Mat(j, l) = op(B)[l, j], v = op(A)[0, :]
      len = g.n, incy = 1, mat = g.b, ld = g.ldb, rows_contiguous = g.trans_b;
      v = g.a, incv = g.trans_a ? g.lda : 1;
    } else {  // y = C column 0, Mat(i, l) = op(A)[i, l], v = op(B)[:, 0]
      len = g.m, incy = g.ldc, mat = g.a, ld = g.lda, rows_contiguous = !g.trans_a;
      v = g.b, incv = g.trans_b ? 1 : g.ldb;
    }
    const int64_t k = g.k;
    if (incv != 1) {
      float* packed = thread_scratch_f32(0, k);
      for (int64_t l = 0; l < k; ++l) packed[l] = v[l * incv];
      v = packed;
    }
    const float alpha = g.alpha, beta = g.beta;
    float* y = g.c;
    auto finish = [&](int64_t i, float sum) {
      float& dst = y[i * incy];
      dst = beta == 0.f ? alpha * sum : alpha * sum + beta * dst;
    };
    if (rows_contiguous) {
      par.for_range(len, static_cast<double>(k) / kW, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) finish(i, dot(mat + i * ld, v, k));
      });
      return;
    }
    constexpr int64_t kBlk = 256;
    par.for_range(cdiv(len, kBlk), static_cast<double>(k * kBlk) / kW, [&](int64_t b0, int64_t b1) {
      alignas(64) float acc[kBlk];
      for (int64_t blk = b0; blk < b1; ++blk) {
        const int64_t i0 = blk * kBlk, cnt = std::min(kBlk, len - i0);
        std::fill(acc, acc + cnt, 0.f);
        for (int64_t l = 0; l < k; ++l) axpy(v[l], mat + l * ld + i0, acc, cnt);
        for (int64_t i = 0; i < cnt; ++i) finish(i0 + i, acc[i]);
      }
    });
  }

  static float dot(const float* __restrict x, const float* __restrict y, int64_t k) {
    V s0 = VT::zero(), s1 = VT::zero(), s2 = VT::zero(), s3 = VT::zero();
    int64_t l = 0;
    for (; l + 4 * kW <= k; l += 4 * kW) {
      s0 = VT::fmadd(VT::load(x + l), VT::load(y + l), s0);
      s1 = VT::fmadd(VT::load(x + l + kW), VT::load(y + l + kW), s1);
      s2 = VT::fmadd(VT::load(x + l + 2 * kW), VT::load(y + l + 2 * kW), s2);
      s3 = VT::fmadd(VT::load(x + l + 3 * kW), VT::load(y + l + 3 * kW), s3);
    }
    for (; l + kW <= k; l += kW) s0 = VT::fmadd(VT::load(x + l), VT::load(y + l), s0);
    float s = VT::hsum(VT::add(VT::add(s0, s1), VT::add(s2, s3)));
    for (; l < k; ++l) s += x[l] * y[l];
    return s;
  }

  static void axpy(float a, const float* __restrict x, float* __restrict y, int64_t n) {
    const V va = VT::set1(a);
    int64_t i = 0;
    for (; i + kW <= n; i += kW) VT::store(y + i, VT::fmadd(va, VT::load(x + i), VT::load(y + i)));
    for (; i < n; ++i) y[i] += a * x[i];
  }
};

}  // namespace ortl::kernels::gemm_detail
