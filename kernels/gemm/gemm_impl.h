// Templated body of the blocked f32 GEMM, instantiated once per ISA translation unit with that
// unit's vector traits (gemm.cc: 4-wide GCC vectors, gemm_avx2.cc: __m256, gemm_avx512.cc:
// __m512). Everything here is a member of a template over the traits, and each unit defines its
// traits in an anonymous namespace, so no code compiled with AVX flags can be merged by the
// linker into a path that runs on a lesser CPU.
//
// Blocking (BLIS-style, per task): C is cut into MC x NC tasks run in parallel; each task walks
// K in slices of at most 256, packs its A slice into MR-row panels (kc x MR, p-major) and its B
// slice into NR-column panels (kc x NR, p-major), zero-padded at the edges, and sweeps the
// MR x NR register tile over them: one B panel (kc x NR, <= 32 KiB) stays in L1 while the A
// block (MC x kc) streams from L2. M == 1 or N == 1 goes to a GEMV path instead, since a
// register tile would waste MR (or NR) - 1 of every MR rows there. N <= NR / 2 (1x1 convs on
// small feature maps: N = 4 pixels, M = 960 channels) turns the tile around: vectors run down an
// A panel's MR rows and each of the N columns of B is broadcast (small_n).
// Constant weights can be packed once for all calls (pack_a_all, GemmArgs::a_packed): each task
// otherwise repacks its A block, which costs as much as the multiply when N is small.
//
// Traits interface: V, kW (floats per vector), zero, set1, load, store (unaligned), fmadd(a, b,
// c) = a * b + c, mul, add, hsum.
#pragma once

#include <algorithm>
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
  static constexpr int64_t kNc = (512 + kNr - 1) / kNr * kNr;
  // Rough single-core multiply-adds per ns, only to tell the pool what a task costs.
  static constexpr double kMacPerNs = 4.0 * kW;

  static int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
  // Floats past a packed A the small-N path may read (whole vectors over an MR-row panel).
  static constexpr int64_t kSlack = 64;
  // K is cut into equal slices of at most kKc (no thin tail slice).
  static int64_t kc_of(int64_t k) { return cdiv(k, cdiv(k, kKc)); }

  // The whole op(A), packed once: per K slice (offset p0, width kc), ceil(m / MR) panels of
  // MR x kc, so slice p0 starts at packed_a_floats-so-far = ceil(m / MR) * MR * p0.
  static int64_t packed_a_floats(int64_t m, int64_t k) { return cdiv(m, MR) * MR * k + kSlack; }
  // The whole op(B) likewise: per K slice, ceil(n / NR) panels of kc x NR.
  static int64_t packed_b_floats(int64_t k, int64_t n) { return cdiv(n, kNr) * kNr * k + kSlack; }
  static void pack_b_all(const GemmF32Args& g, float* dst) {
    const int64_t kc_max = kc_of(g.k), npad = cdiv(g.n, kNr) * kNr;
    for (int64_t p0 = 0; p0 < g.k; p0 += kc_max) pack_b(g, p0, std::min(kc_max, g.k - p0), 0, g.n, dst + npad * p0);
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
  // op(A)[i0 .. i0+mc, p0 .. p0+kc] -> ceil(mc / MR) panels, panel r at dst + r * MR * kc.
  static void pack_a(const GemmF32Args& g, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst) {
    for (int64_t ir = 0; ir < mc; ir += MR) {
      const int rows = static_cast<int>(std::min<int64_t>(MR, mc - ir));
      float* d = dst + ir * kc;
      if (!g.trans_a) {
        const float* src[MR];
        for (int i = 0; i < MR; ++i) src[i] = g.a + (i0 + ir + std::min(i, rows - 1)) * g.lda + p0;
        for (int64_t p = 0; p < kc; ++p) {
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
  static void pack_b(const GemmF32Args& g, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
    for (int64_t jr = 0; jr < nc; jr += kNr) {
      const int cols = static_cast<int>(std::min<int64_t>(kNr, nc - jr));
      float* d = dst + jr * kc;
      if (!g.trans_b) {
        const float* s = g.b + p0 * g.ldb + j0 + jr;
        for (int64_t p = 0; p < kc; ++p) {
          const float* sp = s + p * g.ldb;
          float* dp = d + p * kNr;
          if (cols == kNr) {
            for (int j = 0; j < kNr; ++j) dp[j] = sp[j];
          } else {
            for (int j = 0; j < kNr; ++j) dp[j] = j < cols ? sp[j] : 0.f;
          }
        }
      } else {
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
  }

  // ---- register tile --------------------------------------------------------------------------
  // C[0..rows, 0..cols] = alpha * (A panel x B panel) + beta * C; beta == 0 never reads C.
  static void micro(int64_t kc, const float* __restrict a, const float* __restrict b, float* __restrict c, int64_t ldc,
                    int rows, int cols, float alpha, float beta) {
    V acc[MR][NV];
#pragma GCC unroll 32
    for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) acc[i][v] = VT::zero();
    }
    for (int64_t p = 0; p < kc; ++p) {
      V bv[NV];
#pragma GCC unroll 8
      for (int v = 0; v < NV; ++v) bv[v] = VT::load(b + v * kW);
#pragma GCC unroll 32
      for (int i = 0; i < MR; ++i) {
        const V av = VT::set1(a[i]);
#pragma GCC unroll 8
        for (int v = 0; v < NV; ++v) acc[i][v] = VT::fmadd(av, bv[v], acc[i][v]);
      }
      a += MR;
      b += kNr;
    }
    const V va = VT::set1(alpha);
    if (rows == MR && cols == kNr) {
      const V vb = VT::set1(beta);
#pragma GCC unroll 32
      for (int i = 0; i < MR; ++i) {
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
    alignas(64) float tile[MR * kNr];
    for (int i = 0; i < MR; ++i) {
      for (int v = 0; v < NV; ++v) VT::store(tile + i * kNr + v * kW, VT::mul(acc[i][v], va));
    }
    for (int i = 0; i < rows; ++i) {
      float* ci = c + i * ldc;
      const float* ti = tile + i * kNr;
      if (beta == 0.f) {
        for (int j = 0; j < cols; ++j) ci[j] = ti[j];
      } else {
        for (int j = 0; j < cols; ++j) ci[j] = ti[j] + beta * ci[j];
      }
    }
  }

  // Tasks are (row range, column block) pairs: a task packs each K slice of its B block once and
  // sweeps all its MC-row blocks over it, so B is packed once per column block (not once per
  // row block as well). One thread takes whole column blocks; threads split N first, then M.
  static void blocked(const GemmF32Args& g, Parallel& par) {
    const int nt = std::max(1, par.num_threads());
    int64_t mc = std::min<int64_t>(kMc, cdiv(g.m, MR) * MR);
    int64_t nc = std::min<int64_t>(kNc, cdiv(g.n, kNr) * kNr);
    while (nt > 1 && cdiv(g.n, nc) < 2 * nt && nc > 2 * kNr) nc = cdiv(nc / 2, kNr) * kNr;
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
    const int64_t kc_max = kc_of(g.k);
    const int64_t tasks = cdiv(g.m, rows) * tn;
    par.for_range(tasks, static_cast<double>(rows * nc) * static_cast<double>(g.k) / kMacPerNs,
                  [&](int64_t t0, int64_t t1) {
                    float* apack = thread_scratch_f32(0, mc * kc_max + kc_max * nc);
                    float* bpack = apack + mc * kc_max;
                    for (int64_t t = t0; t < t1; ++t) {
                      const int64_t i_lo = (t / tn) * rows;
                      task(g, i_lo, std::min(g.m, i_lo + rows), (t % tn) * nc, mc, nc, kc_max, apack, bpack);
                    }
                  });
  }

  static void task(const GemmF32Args& g, int64_t i_lo, int64_t i_hi, int64_t j0, int64_t mc, int64_t nc, int64_t kc_max,
                   float* apack, float* bpack) {
    const int64_t ncur = std::min(nc, g.n - j0), mpad = cdiv(g.m, MR) * MR;
    for (int64_t p0 = 0; p0 < g.k; p0 += kc_max) {
      const int64_t kc = std::min(kc_max, g.k - p0);
      const float* bp = bpack;
      if (g.b_packed) {
        bp = g.b_packed + cdiv(g.n, kNr) * kNr * p0 + j0 * kc;  // j0 is a multiple of NR
      } else {
        pack_b(g, p0, kc, j0, ncur, bpack);
      }
      const float beta = p0 == 0 ? g.beta : 1.f;
      for (int64_t i0 = i_lo; i0 < i_hi; i0 += mc) {
        const int64_t mcur = std::min(mc, i_hi - i0);
        const float* ap = apack;
        if (g.a_packed) {
          ap = g.a_packed + mpad * p0 + i0 * kc;  // i0 is a multiple of MR
        } else {
          pack_a(g, i0, mcur, p0, kc, apack);
        }
        for (int64_t jr = 0; jr < ncur; jr += kNr) {
          const int cols = static_cast<int>(std::min<int64_t>(kNr, ncur - jr));
          for (int64_t ir = 0; ir < mcur; ir += MR) {
            const int r = static_cast<int>(std::min<int64_t>(MR, mcur - ir));
            micro(kc, ap + ir * kc, bp + jr * kc, g.c + (i0 + ir) * g.ldc + j0 + jr, g.ldc, r, cols, g.alpha, beta);
          }
        }
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
