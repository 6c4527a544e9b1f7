// Loss and optimizer kernels: the gather / reduce step of NegativeLogLikelihoodLoss (also the
// tail of SoftmaxCrossEntropyLoss, after a log-softmax), and the elementwise update rules of the
// ai.onnx.preview.training optimizers (Adagrad, Adam, Momentum).
//
// Layout: log-probabilities are [n, c, d] row-major (the ONNX (N, C, d1..dk) with the trailing
// dims flattened into d), labels are [n, d]. dtypes: float, double (the op layer widens
// float16 / bfloat16 to float); labels int32 or int64.
#pragma once

#include <cstdint>

namespace ortl::kernels {

struct NllParams {
  int64_t n = 0;
  int64_t c = 0;
  int64_t d = 1;
  bool has_ignore = false;  // ignore_index attribute present
  int64_t ignore_index = 0;
};

struct NllResult {
  int64_t bad = -1;       // position of the first label outside [0, c) that is not ignored, else -1
  double loss_sum = 0;    // sum of the weighted per-sample losses
  double weight_sum = 0;  // sum of the applied weights (weight[label], or 1; 0 where ignored)
};

// loss[i] = -src[n, label, d] * weight[label] for each sample i = n * d + d', 0 where the label
// equals ignore_index. `weight` may be null (all ones); `dst` may be null (reductions only need
// the sums). Stops at the first bad label (result.bad >= 0; dst is then partly written).
// Sums are accumulated in double, so "sum" and "mean" reductions do not depend on n * d.
template <class T, class I>
NllResult nll_loss(const NllParams& p, const T* src, const I* label, const T* weight, T* dst);

// ---- ai.onnx.preview.training optimizers: one tensor's update over `n` elements. -----------
// Coefficients are computed once per call in double (learning-rate decay, bias correction) and
// each element is updated in double and rounded once, as the onnx reference (float64 scalars
// against float32 tensors) does.

struct AdagradParams {
  double lr = 0;  // R / (1 + T * decay_factor)
  double norm_coefficient = 0;
  double epsilon = 0;
};
// g' = norm_coefficient * x + g; h_new = h + g'^2; x_new = x - lr * g' / (sqrt(h_new) + epsilon).
template <class T>
void adagrad_update(const AdagradParams& p, int64_t n, const T* x, const T* g, const T* h, T* x_new, T* h_new);

struct AdamParams {
  double lr = 0;  // R, bias-corrected when T > 0: R * sqrt(1 - beta^T) / (1 - alpha^T)
  double alpha = 0;
  double beta = 0;
  double epsilon = 0;
  double norm_coefficient = 0;
  double norm_coefficient_post = 0;
};
// g' = norm_coefficient * x + g; v_new = alpha * v + (1 - alpha) * g';
// h_new = beta * h + (1 - beta) * g'^2; x_new = (1 - norm_coefficient_post) *
// (x - lr * v_new / (sqrt(h_new) + epsilon)).
template <class T>
void adam_update(const AdamParams& p, int64_t n, const T* x, const T* g, const T* v, const T* h, T* x_new, T* v_new,
                 T* h_new);

struct MomentumParams {
  double lr = 0;  // R
  double alpha = 0;
  double beta = 0;  // already 1 at the first step (T == 0)
  double norm_coefficient = 0;
  bool nesterov = false;
};
// g' = norm_coefficient * x + g; v_new = alpha * v + beta * g';
// x_new = x - lr * v_new (standard) or x - lr * (g' + alpha * v_new) (nesterov).
template <class T>
void momentum_update(const MomentumParams& p, int64_t n, const T* x, const T* g, const T* v, T* x_new, T* v_new);

}  // namespace ortl::kernels
