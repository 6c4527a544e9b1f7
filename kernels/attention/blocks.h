// The building blocks around attention in decoder models: RMSNorm, rotary embeddings (RoPE),
// SwiGLU, the stateful causal depthwise convolution and the linear-attention recurrence
// (Gated DeltaNet / Mamba-style layers). Plain loops over raw pointers; float (and double
// where the op allows it), 16-bit floats are widened by the op layer.
#pragma once

#include <cstdint>

#include "kernels/attention/attention.h"
#include "kernels/base/parallel.h"

namespace ortl::kernels {

// y = x / sqrt(mean(x^2) + eps) * scale on each row of [rows, n]; the mean accumulates in
// double. scale row r starts at scale + r * scale_row_stride (0: one row shared by all).
template <class T>
void rms_norm(int64_t rows, int64_t n, float epsilon, const T* src, const T* scale, int64_t scale_row_stride, T* dst,
              Parallel& par);

// Rotary embedding of the first rot_dim values of each [batch, head, seq] row (strides as for
// attention; dst uses the same strides as src). Halves (x[0:r/2], x[r/2:r]) or interleaved
// pairs (x[2k], x[2k+1]) rotate by the angle whose cos/sin sit at cache row
// pos[b * seq + s] (pos given) or b * cache_batch_stride_rows + s (no pos), half = rot_dim / 2.
struct RotaryParams {
  int64_t batch = 0, heads = 0, seq = 0, head_dim = 0, rot_dim = 0;
  AttnStrides xs;
  bool interleaved = false;
  const int64_t* pos = nullptr;  // [batch, seq] cache rows (validated by the caller)
  int64_t cache_batch_rows = 0;  // no pos: rows a batch advances in the cache (0: broadcast)
};
void rotary_embedding(const RotaryParams& p, const float* src, const float* cos, const float* sin, float* dst,
                      Parallel& par);

// y = a * sigmoid(alpha * a) * b, n elements.
template <class T>
void swiglu(int64_t n, float alpha, const T* a, const T* b, T* dst, Parallel& par);

// Depthwise causal conv over [batch, channels, len] with the k - 1 previous positions taken
// from past ([batch, channels, k - 1], zeros when nullptr); weight [channels, k], bias
// [channels] or nullptr; silu applies x * sigmoid(x). present ([batch, channels, k - 1]) gets
// the last k - 1 positions of past ++ src.
struct CausalConvParams {
  int64_t batch = 0, channels = 0, len = 0, k = 1;
  bool silu = false;
};
void causal_conv_with_state(const CausalConvParams& p, const float* src, const float* weight, const float* bias,
                            const float* past, float* dst, float* present, Parallel& par);

// Linear-attention recurrence per (batch, kv head), state S [d_k, d_v] in float:
//   S = exp(g_t) * S (gated);  v_t = beta_t * (v_t - S^T k_t) (delta);  S += k_t v_t^T;
//   o_t = scale * q_t^T S for each query head of the group.
// q [B, T, Hq*dk], k [B, T, Hkv*dk], v [B, T, Hkv*dv], out [B, T, Hq*dv]; decay [B, T, Hkv *
// decay_width] (width 1 or dk), beta [B, T, beta_heads] (Hkv or 1); state [B, Hkv, dk, dv]
// holds the past state on entry (zeros for none) and the present state on return.
struct LinearAttentionParams {
  int64_t batch = 0, len = 0, q_heads = 1, kv_heads = 1, dk = 0, dv = 0;
  float scale = 1.0f;
  const float* decay = nullptr;
  int64_t decay_width = 1;
  const float* beta = nullptr;
  int64_t beta_heads = 1;
};
void linear_attention(const LinearAttentionParams& p, const float* q, const float* k, const float* v, float* out,
                      float* state, Parallel& par);

}  // namespace ortl::kernels
