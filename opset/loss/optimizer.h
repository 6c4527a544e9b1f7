// The shape shared by the ai.onnx.preview.training optimizers (Adagrad, Adam, Momentum):
// inputs R (scalar learning rate, float/double), T (scalar int64 step count), then k groups of n
// tensors each (X1..Xn, G1..Gn, and the optimizer's state tensors); outputs are selected groups
// updated (X1_new..Xn_new, then each state). Every tensor of one index i shares X_i's shape and
// dtype; the update is elementwise, one kernel call per tensor.
#pragma once

#include <utility>
#include <vector>

#include "opset/op.h"

namespace ortl::opset::loss {

class OptimizerOp : public OpKernel {
 public:
  // `groups`: inputs per tensor after R and T (3 for X, G, H); `out_groups`: which of those
  // groups come back updated, in output order (for Adagrad {0, 2}: X and H).
  OptimizerOp(const char* name, int groups, std::vector<int> out_groups)
      : name_(name), groups_(groups), out_groups_(std::move(out_groups)) {}

  void infer(InferContext& ctx) const override;
  void run(RunContext& ctx) const override;

 protected:
  // One tensor's update: `in` holds its `groups` inputs (same shape and dtype, float or double),
  // `out` its outputs in out_groups order, allocated with that shape.
  virtual void update(double r, int64_t t, const std::vector<const Tensor*>& in,
                      const std::vector<Tensor*>& out) const = 0;
  const char* name() const { return name_; }

 private:
  int tensor_count(int num_inputs, int num_outputs) const;

  const char* name_;
  int groups_;
  std::vector<int> out_groups_;
};

// A float attribute the spec marks required: kInvalidArgument naming it when absent.
float required_float(const graph::Node& node, const char* attr, const char* op);

}  // namespace ortl::opset::loss
