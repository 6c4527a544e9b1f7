// What NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss share: the reduction and
// ignore_index attributes, the (N, C, d1..dk) / (N, d1..dk) / (C) shape contract, and the
// gather-and-reduce step over log-probabilities.
#pragma once

#include <cstdint>

#include "opset/op.h"

namespace ortl::opset::loss {

enum class Reduction { kNone, kSum, kMean };

struct LossAttrs {
  Reduction reduction = Reduction::kMean;
  bool has_ignore = false;
  int64_t ignore_index = 0;
};

// Reads `reduction` (none / sum / mean, default mean) and `ignore_index`.
LossAttrs parse_loss_attrs(const graph::Node& node, const char* op);

// Checks dtypes and (known) shapes of inputs 0..2 and sets output 0: the labels' shape for
// reduction none, a scalar otherwise, with input 0's dtype.
void infer_loss(InferContext& ctx, const LossAttrs& a, const char* op);

// Throws kInvalidArgument unless x is (N, C, d1..dk), labels (N, d1..dk) int32/int64 and
// weight (C) of x's dtype.
void check_loss_inputs(const Tensor& x, const Tensor& labels, const Tensor* weight, const char* op);

// loss = reduce(-logp[n, label, d...] * weight[label]) into `dst` (float or double, as logp).
// Mean divides by the sum of the applied weights (0 for ignored samples), so without weights it
// averages over the samples that are not ignored: the spec's function body. (The onnx Python
// reference divides by all samples when ignore_index is -1 and there is no weight; no node test
// covers that case and its own function body disagrees.)
void run_nll(const LossAttrs& a, const Tensor& logp, const Tensor& labels, const Tensor* weight, Tensor& dst,
             const char* op);

}  // namespace ortl::opset::loss
