// Scaled dot-product attention (ONNX Attention 23-25) on strided Q/K/V.
//
// Layout: every tensor is addressed as [batch, head, seq, dim] with element strides for batch,
// head and seq and a contiguous dim, so the op layer's 3-D [B, S, H*D] and 4-D [B, H, S, D]
// inputs are read in place (no transposes). K and V hold all kv_len keys (past + new); query
// head h reads kv head h / (q_heads / kv_heads) (GQA, interleaved repeat as in the reference).
//
// Per query row i the additive bias over keys j is: the mask value (columns >= mask_len read
// -inf, as the reference pads a short mask) plus -inf where the causal frontier j <= i + off,
// the window off + i - left <= j <= off + i + right, or the valid-key count nonpad[b] excludes
// j. off = offset, or nonpad[b] - q_len when nonpad is set. A row whose bias is -inf everywhere
// gives zero probabilities (and a zero output row), never NaN.
//
// Scores are scale * q.k, soft-capped (softcap * tanh(s / softcap)) before the bias is added.
// The optional qk output [B, Hq, q_len, kv_len] holds the raw scores (mode 0), the capped
// scores (1), capped + bias (2) or the probabilities (3).
//
// attention_ref is the spec-literal oracle (double accumulation, one row at a time, or the
// rounded emulation when args.round is set);
// attention_f32_gemm blocks 64 query rows per task and runs both products on the SGEMM.
#pragma once

#include <cstdint>
#include <span>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

struct AttnStrides {
  int64_t batch = 0, head = 0, seq = 0;
};

template <class T>
struct AttentionArgs {
  int64_t batch = 1, q_heads = 1, kv_heads = 1;
  int64_t q_len = 0, kv_len = 0;
  int64_t head_dim = 0, v_head_dim = 0;
  const T* q = nullptr;
  const T* k = nullptr;
  const T* v = nullptr;
  T* y = nullptr;
  AttnStrides qs, ks, vs, ys;
  float scale = 1.0f;
  float softcap = 0.0f;  // <= 0: none
  bool causal = false;
  int64_t left_window = -1, right_window = -1;  // -1: unbounded
  int64_t offset = 0;                           // keys preceding the query block
  const int64_t* nonpad = nullptr;              // [batch] valid keys, or nullptr
  // Additive mask read at b * ms.batch + h * ms.head + i * ms.seq + j (0 strides broadcast).
  const T* mask = nullptr;
  AttnStrides ms;
  int64_t mask_len = 0;  // columns the mask holds
  T* qk = nullptr;       // optional [batch, q_heads, q_len, kv_len]
  int qk_mode = 0;
  // float only: emulate a narrower storage type (bfloat16) as the ONNX reference computes in
  // it: every intermediate (scaled Q and K, scores, biased scores, exp, running sum,
  // probabilities, Y) is rounded by `round`; dot products accumulate in float. Runs the
  // reference path.
  float (*round)(float) = nullptr;
};

// Bias of key j for query row i of batch b, head h (the mask part excluded): 0 or -inf.
template <class T>
bool attn_key_allowed(const AttentionArgs<T>& a, int64_t b, int64_t i, int64_t j) {
  if (a.nonpad && j >= a.nonpad[b]) return false;
  const int64_t off = a.nonpad ? a.nonpad[b] - a.q_len : a.offset;
  const int64_t diff = i + off - j;  // how far key j lies behind the query's absolute position
  if (a.causal && diff < 0) return false;
  if (a.left_window >= 0 && diff > a.left_window) return false;
  if (a.right_window >= 0 && -diff > a.right_window) return false;
  return true;
}

template <class T>
void attention_ref(const AttentionArgs<T>& a);

using AttentionF32Fn = void (*)(const AttentionArgs<float>& a, Parallel& par);
struct AttentionF32Impl {
  const char* name;
  uint32_t isa;
  AttentionF32Fn run;
};
// Best first; the reference last.
std::span<const AttentionF32Impl> attention_f32_impls();
void attention_f32_gemm(const AttentionArgs<float>& a, Parallel& par);
void attention_f32_ref(const AttentionArgs<float>& a, Parallel& par);

// float: the first implementation (the SGEMM path); double: the reference, rows in parallel.
template <class T>
void attention(const AttentionArgs<T>& a, Parallel& par);

}  // namespace ortl::kernels
