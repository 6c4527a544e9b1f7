// Recurrent cells of ONNX RNN, GRU and LSTM: one layer, one or two directions, float or double.
//
// Layout (layout = 0): X [seq, batch, input], Y [seq, dirs, batch, hidden], initial_h / Y_h and
// initial_c / Y_c [dirs, batch, hidden]. layout = 1 (batch first): X [batch, seq, input],
// Y [batch, seq, dirs, hidden], states [batch, dirs, hidden]. Weights are always
// W [dirs, gates*hidden, input], R [dirs, gates*hidden, hidden], B [dirs, 2*gates*hidden]
// (Wb then Rb), P [dirs, 3*hidden] (LSTM peepholes i, o, f). Gate order: RNN i; GRU z, r, h;
// LSTM i, o, f, c.
//
// Sequence lengths: batch entry b runs steps t < len[b] (reverse: t = len[b]-1 down to 0); Y is
// zero at t >= len[b] and Y_h / Y_c hold the state after its last step, or zeros when
// len[b] = 0 (what onnxruntime gives; the spec is silent).
//
// rnn() computes the input projection X * W^T for all timesteps with one GEMM and the recurrent
// H * R^T with one GEMM per step (the SGEMM of kernels/gemm for float, the reference GEMM for
// double); rnn_ref() is the per-timestep, per-element oracle of the spec equations.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

enum class RnnCell { kRnn, kGru, kLstm };

enum class RnnActKind {
  kRelu,
  kTanh,
  kSigmoid,
  kAffine,
  kLeakyRelu,
  kThresholdedRelu,
  kScaledTanh,
  kHardSigmoid,
  kElu,
  kSoftsign,
  kSoftplus
};

struct RnnAct {
  RnnActKind kind = RnnActKind::kTanh;
  float alpha = 0, beta = 0;
};

// The ONNX activation applied to one value; defaults of alpha / beta are filled in by the op.
template <class T>
inline T rnn_activate(const RnnAct& a, T x) {
  const T al = static_cast<T>(a.alpha), be = static_cast<T>(a.beta);
  switch (a.kind) {
    case RnnActKind::kRelu: return x > T(0) ? x : T(0);
    case RnnActKind::kTanh: return std::tanh(x);
    case RnnActKind::kSigmoid: return T(1) / (T(1) + std::exp(-x));
    case RnnActKind::kAffine: return al * x + be;
    case RnnActKind::kLeakyRelu: return x >= T(0) ? x : al * x;
    case RnnActKind::kThresholdedRelu: return x > al ? x : T(0);
    case RnnActKind::kScaledTanh: return al * std::tanh(be * x);
    case RnnActKind::kHardSigmoid: return std::min(std::max(al * x + be, T(0)), T(1));
    case RnnActKind::kElu: return x >= T(0) ? x : al * (std::exp(x) - T(1));
    case RnnActKind::kSoftsign: return x / (T(1) + std::fabs(x));
    case RnnActKind::kSoftplus: return x > T(20) ? x : std::log1p(std::exp(x));
  }
  return x;
}

struct RnnParams {
  RnnCell cell = RnnCell::kRnn;
  int64_t seq = 0, batch = 0, input = 0, hidden = 0;
  int dirs = 1;                      // 1 or 2
  bool reverse = false;              // with dirs = 1: the one direction runs backwards
  bool batch_first = false;          // layout = 1
  float clip = 0;                    // > 0: gate pre-activations are clamped to [-clip, clip]
  bool linear_before_reset = false;  // GRU
  bool input_forget = false;         // LSTM: f = 1 - i
  RnnAct act[2][3];                  // per direction: f, g, h (RNN uses f, GRU f and g)
};

// Gates per hidden unit: 1 (RNN), 3 (GRU), 4 (LSTM).
inline int rnn_gates(RnnCell c) { return c == RnnCell::kRnn ? 1 : c == RnnCell::kGru ? 3 : 4; }

// Optional pointers may be null: b, p, h0, c0, seq_lens (all lengths = seq), y, y_h, y_c.
// seq_lens values must lie in [0, seq] (the op layer checks).
template <class T>
struct RnnTensors {
  const T *x = nullptr, *w = nullptr, *r = nullptr, *b = nullptr, *p = nullptr, *h0 = nullptr, *c0 = nullptr;
  const int32_t* seq_lens = nullptr;
  T *y = nullptr, *y_h = nullptr, *y_c = nullptr;
};

template <class T>
void rnn(const RnnParams& p, const RnnTensors<T>& t, Parallel& par);
template <class T>
void rnn_ref(const RnnParams& p, const RnnTensors<T>& t);

}  // namespace ortl::kernels
