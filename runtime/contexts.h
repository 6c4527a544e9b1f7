// The InferContext and RunContext implementations the planner and the executor hand to kernels.
#pragma once

#include <optional>
#include <vector>

#include "opset/op.h"

namespace ortl::runtime {

// Inference over a per-value table of types and known values (plan time and session creation).
class TableInferContext final : public opset::InferContext {
 public:
  TableInferContext(const graph::Node& node, std::vector<graph::TypeInfo>& types,
                    std::vector<std::optional<Tensor>>& values, int& symbol_counter)
      : node_(node), types_(types), values_(values), symbols_(symbol_counter) {}

  int num_inputs() const override { return static_cast<int>(node_.inputs.size()); }
  int num_outputs() const override { return static_cast<int>(node_.outputs.size()); }
  bool has_input(int i) const override { return i >= 0 && i < num_inputs() && node_.inputs[i] >= 0; }
  const graph::TypeInfo& input_type(int i) const override;
  const Tensor* input_value(int i) const override;
  void set_output(int i, graph::TypeInfo t) override;
  void set_output_value(int i, Tensor v) override;
  graph::Dim fresh_dim() override { return graph::Dim("unk__" + std::to_string(symbols_++)); }

 private:
  const graph::Node& node_;
  std::vector<graph::TypeInfo>& types_;
  std::vector<std::optional<Tensor>>& values_;
  int& symbols_;
};

// Inference over the actual run-time tensors of a node (every input value is known), used for
// outputs whose shape the planner could not know.
class TensorInferContext final : public opset::InferContext {
 public:
  TensorInferContext(const graph::Node& node, const std::vector<Tensor>& vals);
  int num_inputs() const override { return static_cast<int>(node_.inputs.size()); }
  int num_outputs() const override { return static_cast<int>(node_.outputs.size()); }
  bool has_input(int i) const override;
  const graph::TypeInfo& input_type(int i) const override { return in_types_[i]; }
  const Tensor* input_value(int i) const override;
  void set_output(int i, graph::TypeInfo t) override;
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim(); }
  const std::vector<graph::TypeInfo>& outputs() const { return out_types_; }

 private:
  const graph::Node& node_;
  const std::vector<Tensor>& vals_;
  std::vector<graph::TypeInfo> in_types_;
  std::vector<graph::TypeInfo> out_types_;
};

// Runs one node over a per-value tensor table. Slots already holding a tensor (arena buffers
// laid out by the planner) are used as outputs; empty slots get fresh memory.
class TableRunContext final : public opset::RunContext {
 public:
  // `composites`: the per-value table of sequence/optional values, sized on first use; nullptr
  // where none can occur (plan-time folding).
  TableRunContext(const graph::Node& node, const opset::OpKernel& kernel, std::vector<Tensor>& vals,
                  const std::vector<graph::TypeInfo>& types, kernels::Parallel& par,
                  std::vector<graph::CompositePtr>* composites = nullptr)
      : node_(node), kernel_(kernel), vals_(vals), types_(types), par_(par), composites_(composites) {}

  int num_inputs() const override { return static_cast<int>(node_.inputs.size()); }
  int num_outputs() const override { return static_cast<int>(node_.outputs.size()); }
  const Tensor* input(int i) const override;
  Tensor& output(int i) override;
  Tensor& output(int i, const std::vector<int64_t>& shape) override;
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override;
  bool has_output(int i) const override { return i >= 0 && i < num_outputs() && node_.outputs[i] >= 0; }
  kernels::Parallel& par() override { return par_; }
  const graph::Composite* input_composite(int i) const override { return input_composite_ptr(i).get(); }
  graph::CompositePtr input_composite_ptr(int i) const override;
  void set_output_composite(int i, graph::CompositePtr v) override;

 private:
  int out_id(int i) const;
  DType out_dtype(int i) const;

  const graph::Node& node_;
  const opset::OpKernel& kernel_;
  std::vector<Tensor>& vals_;
  const std::vector<graph::TypeInfo>& types_;
  kernels::Parallel& par_;
  std::vector<graph::CompositePtr>* composites_;
  std::optional<std::vector<graph::TypeInfo>> runtime_types_;  // lazily inferred
};

}  // namespace ortl::runtime
