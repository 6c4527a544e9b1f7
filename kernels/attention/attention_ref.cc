// Reference attention: one query row at a time, the spec's steps in order (scores, softcap,
// bias, softmax with the fully-masked-row guard, weighted sum of V), accumulated in double.
// It is the oracle for attention_f32_gemm and the double path.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/attention/attention.h"

namespace ortl::kernels {
namespace {

template <class T>
void ref_rows(const AttentionArgs<T>& a, int64_t r0, int64_t r1) {
  const double ninf = -std::numeric_limits<double>::infinity();
  const int64_t group = a.q_heads / a.kv_heads;
  std::vector<double> s(static_cast<size_t>(a.kv_len)), bias(s.size());
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t i = r % a.q_len, h = r / a.q_len % a.q_heads, b = r / a.q_len / a.q_heads;
    const T* q = a.q + b * a.qs.batch + h * a.qs.head + i * a.qs.seq;
    const T* kb = a.k + b * a.ks.batch + h / group * a.ks.head;
    const T* vb = a.v + b * a.vs.batch + h / group * a.vs.head;
    T* qk = a.qk ? a.qk + r * a.kv_len : nullptr;
    bool all_masked = true;
    for (int64_t j = 0; j < a.kv_len; ++j) {
      double bj = attn_key_allowed(a, b, i, j) ? 0.0 : ninf;
      if (a.mask) {
        bj += j < a.mask_len ? static_cast<double>(a.mask[b * a.ms.batch + h * a.ms.head + i * a.ms.seq + j]) : ninf;
      }
      bias[j] = bj;
      if (bj != ninf) all_masked = false;
      double dot = 0;
      for (int64_t d = 0; d < a.head_dim; ++d)
        dot += static_cast<double>(q[d]) * static_cast<double>(kb[j * a.ks.seq + d]);
      double sj = static_cast<double>(a.scale) * dot;
      if (qk && a.qk_mode == 0) qk[j] = static_cast<T>(sj);
      if (a.softcap > 0) sj = a.softcap * std::tanh(sj / a.softcap);
      if (qk && a.qk_mode == 1) qk[j] = static_cast<T>(sj);
      s[j] = sj + bj;
      if (qk && a.qk_mode == 2) qk[j] = static_cast<T>(s[j]);
    }
    // Softmax as in the reference: an all -inf row shifts by 0 and divides by 1.
    double m = ninf;
    for (int64_t j = 0; j < a.kv_len; ++j) m = std::max(m, s[j]);
    if (m == ninf) m = 0;
    double sum = 0;
    for (int64_t j = 0; j < a.kv_len; ++j) sum += s[j] = std::exp(s[j] - m);
    if (sum == 0) sum = 1;
    for (int64_t j = 0; j < a.kv_len; ++j) s[j] = all_masked ? 0.0 : s[j] / sum;
    if (qk && a.qk_mode == 3) {
      for (int64_t j = 0; j < a.kv_len; ++j) qk[j] = static_cast<T>(s[j]);
    }
    T* y = a.y + b * a.ys.batch + h * a.ys.head + i * a.ys.seq;
    for (int64_t d = 0; d < a.v_head_dim; ++d) {
      double acc = 0;
      for (int64_t j = 0; j < a.kv_len; ++j) acc += s[j] * static_cast<double>(vb[j * a.vs.seq + d]);
      y[d] = static_cast<T>(acc);
    }
  }
}

// The reference's arithmetic in a narrow type: each numpy step rounds (reductions add one
// element at a time), matmuls accumulate in float (ml_dtypes' dot).
void rounded_rows(const AttentionArgs<float>& a, int64_t r0, int64_t r1) {
  const auto R = a.round;
  const float ninf = -std::numeric_limits<float>::infinity();
  const int64_t group = a.q_heads / a.kv_heads;
  const float sc = R(std::sqrt(a.scale));
  std::vector<float> s(static_cast<size_t>(a.kv_len)), qs(static_cast<size_t>(a.head_dim));
  for (int64_t r = r0; r < r1; ++r) {
    const int64_t i = r % a.q_len, h = r / a.q_len % a.q_heads, b = r / a.q_len / a.q_heads;
    const float* q = a.q + b * a.qs.batch + h * a.qs.head + i * a.qs.seq;
    const float* kb = a.k + b * a.ks.batch + h / group * a.ks.head;
    const float* vb = a.v + b * a.vs.batch + h / group * a.vs.head;
    float* qk = a.qk ? a.qk + r * a.kv_len : nullptr;
    for (int64_t d = 0; d < a.head_dim; ++d) qs[d] = R(q[d] * sc);
    bool all_masked = true;
    for (int64_t j = 0; j < a.kv_len; ++j) {
      float bj = attn_key_allowed(a, b, i, j) ? 0.0f : ninf;
      if (a.mask) bj = R(bj + (j < a.mask_len ? a.mask[b * a.ms.batch + h * a.ms.head + i * a.ms.seq + j] : ninf));
      if (bj != ninf) all_masked = false;
      float dot = 0;
      for (int64_t d = 0; d < a.head_dim; ++d) dot += qs[d] * R(kb[j * a.ks.seq + d] * sc);
      float sj = R(dot);
      if (qk && a.qk_mode == 0) qk[j] = sj;
      if (a.softcap > 0) sj = R(R(std::tanh(R(sj / a.softcap))) * a.softcap);
      if (qk && a.qk_mode == 1) qk[j] = sj;
      s[j] = R(sj + bj);
      if (qk && a.qk_mode == 2) qk[j] = s[j];
    }
    float m = ninf;
    for (int64_t j = 0; j < a.kv_len; ++j) m = std::max(m, s[j]);
    if (m == ninf) m = 0;
    float sum = 0;
    for (int64_t j = 0; j < a.kv_len; ++j) sum = R(sum + (s[j] = R(std::exp(R(s[j] - m)))));
    if (sum == 0) sum = 1;
    for (int64_t j = 0; j < a.kv_len; ++j) s[j] = all_masked ? 0.0f : R(s[j] / sum);
    if (qk && a.qk_mode == 3) std::copy(s.begin(), s.end(), qk);
    float* y = a.y + b * a.ys.batch + h * a.ys.head + i * a.ys.seq;
    for (int64_t d = 0; d < a.v_head_dim; ++d) {
      float acc = 0;
      for (int64_t j = 0; j < a.kv_len; ++j) acc += s[j] * vb[j * a.vs.seq + d];
      y[d] = R(acc);
    }
  }
}

}  // namespace

template <class T>
void attention_ref(const AttentionArgs<T>& a) {
  if constexpr (sizeof(T) == 4) {
    if (a.round) return rounded_rows(a, 0, a.batch * a.q_heads * a.q_len);
  }
  ref_rows(a, 0, a.batch * a.q_heads * a.q_len);
}

void attention_f32_ref(const AttentionArgs<float>& a, Parallel&) { attention_ref(a); }

template <class T>
void attention(const AttentionArgs<T>& a, Parallel& par) {
  if constexpr (sizeof(T) == 4) {
    static const AttentionF32Fn fn = attention_f32_impls().front().run;
    if (a.round) {
      par.for_range(a.batch * a.q_heads * a.q_len, static_cast<double>(a.kv_len * (a.head_dim + a.v_head_dim)),
                    [&](int64_t r0, int64_t r1) { rounded_rows(a, r0, r1); });
    } else {
      fn(a, par);
    }
  } else {
    const double cost = static_cast<double>(a.kv_len) * static_cast<double>(a.head_dim + a.v_head_dim);
    par.for_range(a.batch * a.q_heads * a.q_len, cost, [&](int64_t r0, int64_t r1) { ref_rows(a, r0, r1); });
  }
}

template void attention_ref<float>(const AttentionArgs<float>&);
template void attention_ref<double>(const AttentionArgs<double>&);
template void attention<float>(const AttentionArgs<float>&, Parallel&);
template void attention<double>(const AttentionArgs<double>&, Parallel&);

}  // namespace ortl::kernels
