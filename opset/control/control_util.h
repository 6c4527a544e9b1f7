// Shared pieces of the control-flow and sequence ops: compiling a subgraph attribute with the
// node input slot of each value it captures, moving values between a RunContext and subgraph
// runs, and stacking / slicing tensors along an axis.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "opset/op.h"

namespace ortl::opset::control {

// A subgraph attribute compiled for one node.
struct Body {
  std::unique_ptr<Subgraph> graph;
  std::vector<int> capture_slots;  // node input index of each captured outer value
  std::string attr;                // attribute name, for messages

  // Runs with `inputs` (the declared inputs) followed by the captured values read from ctx.
  std::vector<AnyValue> run(std::vector<AnyValue> inputs, RunContext& ctx) const;
  // Output types for these declared-input types, the captures typed from ctx.
  std::vector<TypeInfo> infer(std::vector<TypeInfo> inputs, const InferContext& ctx) const;
};

// Compiles attribute `attr` (a graph). `num_inputs` / `num_outputs` < 0: any count; otherwise
// a mismatch is an error naming the attribute.
Body compile_body(const BuildContext& b, const std::string& attr, int num_inputs, int num_outputs);

// Declared inputs of the node (implicit capture inputs excluded).
inline int formal_inputs(const graph::Node& n) { return static_cast<int>(n.inputs.size()) - n.implicit_inputs; }

// Input i as a value: a tensor, a composite, or undefined when omitted.
AnyValue input_value(const RunContext& ctx, int i);
// Sets output i. `owned`: the value's memory belongs to nobody else (a subgraph result);
// otherwise a tensor is copied, since the output must not alias another value's buffer.
void set_output_value(RunContext& ctx, int i, const AnyValue& v, bool owned);

// `t` with its shape dropped: the type of a value that changes shape between iterations.
TypeInfo any_shape(TypeInfo t);

// The type of a control-flow output whose shape varies: kind and dtype of `t`, rank kept, every
// dim a fresh symbol (the planner then sizes it at run time).
TypeInfo loose_type(InferContext& ctx, const TypeInfo& t, int extra_leading_dims = 0);

// A scalar bool / int64 read from a tensor of one element.
bool scalar_bool(const Tensor& t, const char* what);
int64_t scalar_int(const Tensor& t, const char* what);

// Stacks equally shaped tensors along a new axis `axis` (0..rank).
Tensor stack(const std::vector<Tensor>& parts, int64_t axis, const char* what);
// The slice index `i` of `t` along `axis`, with that axis removed (a fresh tensor).
Tensor take(const Tensor& t, int64_t axis, int64_t i);
// Copies every element of `src` into `dst` (same dtype and element count; strings too).
void copy_tensor(const Tensor& src, Tensor& dst);

}  // namespace ortl::opset::control
