// attention_f32_gemm: blocks of kRows query rows of one (batch, head) per task. The block's
// scores S = scale * Q K^T (rows x keys) and Y = P V both run on the selected SGEMM (serially
// inside the task: the tasks already fill the pool); the bias, softcap and softmax (the
// vectorised kernels/softmax row kernel, exact 0 for -inf) work on S in place.
//
// Without the qk output, keys no row of the block can see (past the causal or right-window
// frontier, the valid count, the mask's columns, or before the left window) are cut from both
// products: their probabilities are exactly 0 in the reference too.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/attention/attention.h"
#include "kernels/base/isa.h"
#include "kernels/gemm/gemm.h"
#include "kernels/softmax/softmax.h"

namespace ortl::kernels {
namespace {

// 64 rows keep a block's scores in L2 for kv_len up to a few thousand while giving the SGEMM
// full register tiles (6 / 12 rows).
constexpr int64_t kRows = 64;

struct KeyRange {
  int64_t lo, hi;
};

// Keys [lo, hi) that rows [i0, i1) of batch b may attend.
KeyRange visible_keys(const AttentionArgs<float>& a, int64_t b, int64_t i0, int64_t i1) {
  if (a.qk) return {0, a.kv_len};
  int64_t lo = 0, hi = a.kv_len;
  const int64_t off = a.nonpad ? a.nonpad[b] - a.q_len : a.offset;
  if (a.nonpad) hi = std::min(hi, a.nonpad[b]);
  if (a.mask) hi = std::min(hi, a.mask_len);
  if (a.causal) hi = std::min(hi, i1 - 1 + off + 1);
  if (a.right_window >= 0) hi = std::min(hi, i1 - 1 + off + a.right_window + 1);
  if (a.left_window >= 0) lo = std::max(lo, i0 + off - a.left_window);
  return {lo, std::max(lo, hi)};
}

void copy_row(const float* s, float* qk, int64_t lo, int64_t n) { std::memcpy(qk + lo, s, n * sizeof(float)); }

}  // namespace

void attention_f32_gemm(const AttentionArgs<float>& a, Parallel& par) {
  if (a.round) return attention(a, par);  // storage-precision emulation is reference-only
  static const GemmF32Fn gemm = select_gemm_f32().run;
  static const SoftmaxF32Fn softmax = select_softmax_f32(active_isa()).fn;
  const float ninf = -std::numeric_limits<float>::infinity();
  const int64_t group = a.q_heads / a.kv_heads;
  const int64_t blocks = (a.q_len + kRows - 1) / kRows;
  const bool any_bias = a.mask || a.causal || a.nonpad || a.left_window >= 0 || a.right_window >= 0;
  const double cost = 0.25 * static_cast<double>(std::min(a.q_len, kRows)) * static_cast<double>(a.kv_len) *
                      static_cast<double>(a.head_dim + a.v_head_dim + 8);
  par.for_range(a.batch * a.q_heads * blocks, cost, [&](int64_t t0, int64_t t1) {
    thread_local std::vector<float> scores;
    bool masked[kRows];
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t blk = t % blocks, h = t / blocks % a.q_heads, b = t / blocks / a.q_heads;
      const int64_t i0 = blk * kRows, rows = std::min(kRows, a.q_len - i0);
      const KeyRange kr = visible_keys(a, b, i0, i0 + rows);
      const int64_t n = kr.hi - kr.lo;
      float* y = a.y + b * a.ys.batch + h * a.ys.head + i0 * a.ys.seq;
      if (n == 0) {  // no key visible: every row is fully masked (the qk path never lands here)
        for (int64_t r = 0; r < rows; ++r) std::fill_n(y + r * a.ys.seq, a.v_head_dim, 0.0f);
        continue;
      }
      if (static_cast<int64_t>(scores.size()) < rows * n) scores.resize(static_cast<size_t>(rows * n));
      float* s = scores.data();
      GemmF32Args g;
      g.m = rows;
      g.n = n;
      g.k = a.head_dim;
      g.trans_b = true;
      g.alpha = a.scale;
      g.a = a.q + b * a.qs.batch + h * a.qs.head + i0 * a.qs.seq;
      g.lda = a.qs.seq;
      g.b = a.k + b * a.ks.batch + h / group * a.ks.head + kr.lo * a.ks.seq;
      g.ldb = a.ks.seq;
      g.c = s;
      g.ldc = n;
      if (a.head_dim > 0) {
        gemm(g, serial());
      } else {
        std::fill_n(s, rows * n, 0.0f);
      }
      const float* mask_b = a.mask ? a.mask + b * a.ms.batch + h * a.ms.head : nullptr;
      for (int64_t r = 0; r < rows; ++r) {
        const int64_t i = i0 + r;
        float* sr = s + r * n;
        float* qk = a.qk ? a.qk + ((b * a.q_heads + h) * a.q_len + i) * a.kv_len : nullptr;
        if (qk && a.qk_mode == 0) copy_row(sr, qk, kr.lo, n);
        if (a.softcap > 0) {
          const float c = a.softcap, inv = 1.0f / a.softcap;
          for (int64_t j = 0; j < n; ++j) sr[j] = c * std::tanh(sr[j] * inv);
        }
        if (qk && a.qk_mode == 1) copy_row(sr, qk, kr.lo, n);
        bool all_masked = any_bias;
        for (int64_t jj = 0; any_bias && jj < n; ++jj) {
          const int64_t j = kr.lo + jj;
          float bias = attn_key_allowed(a, b, i, j) ? 0.0f : ninf;
          if (mask_b) bias += j < a.mask_len ? mask_b[i * a.ms.seq + j] : ninf;
          if (bias != ninf) all_masked = false;
          sr[jj] += bias;
        }
        masked[r] = all_masked;
        if (qk && a.qk_mode == 2) copy_row(sr, qk, kr.lo, n);
      }
      softmax(SoftmaxKind::kSoftmax, {rows, n, 1}, s, s, serial());
      for (int64_t r = 0; r < rows; ++r) {
        if (masked[r]) std::fill_n(s + r * n, n, 0.0f);
        if (a.qk && a.qk_mode == 3)
          copy_row(s + r * n, a.qk + ((b * a.q_heads + h) * a.q_len + i0 + r) * a.kv_len, kr.lo, n);
      }
      GemmF32Args g2;
      g2.m = rows;
      g2.n = a.v_head_dim;
      g2.k = n;
      g2.a = s;
      g2.lda = n;
      g2.b = a.v + b * a.vs.batch + h / group * a.vs.head + kr.lo * a.vs.seq;
      g2.ldb = a.vs.seq;
      g2.c = y;
      g2.ldc = a.ys.seq;
      if (a.v_head_dim > 0) gemm(g2, serial());
    }
  });
}

std::span<const AttentionF32Impl> attention_f32_impls() {
  static const AttentionF32Impl list[] = {
      {"attention_f32_gemm", 0, attention_f32_gemm},
      {"attention_f32_ref", 0, attention_f32_ref},
  };
  return list;
}

}  // namespace ortl::kernels
