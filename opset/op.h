// The contract between the runtime and every op: an OpKernel is built once per node from its
// attributes, infers output types/shapes (symbolic or concrete), and runs on tensors.
//
// Shapes are inferred by one function for both uses: at session creation with the declared
// (possibly symbolic) input shapes, and at plan time with concrete shapes plus the values of
// small constant-like inputs (Reshape's shape, Resize's scales), so the planner knows every
// buffer size before a run. run() must be const: one kernel serves concurrent runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "graph/ir.h"
#include "kernels/base/parallel.h"

namespace ortl::opset {

using graph::AnyValue;
using graph::Composite;
using graph::CompositePtr;
using graph::Dim;
using graph::Shape;
using graph::TypeInfo;
using graph::ValueKind;

class InferContext {
 public:
  virtual ~InferContext() = default;
  virtual int num_inputs() const = 0;
  virtual int num_outputs() const = 0;
  // False for an omitted optional input (empty name) or an index past the end.
  virtual bool has_input(int i) const = 0;
  virtual const TypeInfo& input_type(int i) const = 0;
  // The input's value when it is known now (initializer, constant-folded, or at plan time a
  // small graph input feeding a shape); nullptr otherwise.
  virtual const Tensor* input_value(int i) const = 0;
  virtual void set_output(int i, TypeInfo t) = 0;
  // Ops whose output value follows from shapes alone (Shape, Size) can publish it here.
  virtual void set_output_value(int i, Tensor v) = 0;
  // A fresh symbol for a dim nothing names yet ("unk__3").
  virtual Dim fresh_dim() = 0;
  // Convenience: input rank or -1, and the input dtype.
  int input_rank(int i) const { return has_input(i) ? input_type(i).rank() : -1; }
  DType input_dtype(int i) const { return has_input(i) ? input_type(i).dtype : DType::kUndefined; }
};

class RunContext {
 public:
  virtual ~RunContext() = default;
  virtual int num_inputs() const = 0;
  virtual int num_outputs() const = 0;
  // nullptr for an omitted optional input.
  virtual const Tensor* input(int i) const = 0;
  // The output buffer the planner prepared (its shape follows from infer()). Throws when the
  // planner could not know the shape; use the overload below then.
  virtual Tensor& output(int i) = 0;
  // An output whose shape only the kernel knows (NonZero, TopK with runtime k, ...). Returns the
  // planned buffer when the shape matches it, else a fresh one.
  virtual Tensor& output(int i, const std::vector<int64_t>& shape) = 0;
  // Makes output i share src's memory under another shape (Reshape, Squeeze, Identity).
  virtual void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) = 0;
  virtual bool has_output(int i) const = 0;
  virtual kernels::Parallel& par() = 0;
  // Sequence and optional values (control and sequence ops only; tensor kernels never call
  // these). input() is nullptr for such an input.
  virtual const Composite* input_composite(int) const { return nullptr; }
  virtual CompositePtr input_composite_ptr(int) const { return nullptr; }
  virtual void set_output_composite(int, CompositePtr) {
    fail(ErrorCode::kNotImplemented, "sequence/optional values are not supported in this context");
  }
};

// A subgraph (If branch, Loop/Scan body) compiled by the runtime for a control-flow kernel.
// Its inputs are the graph's declared inputs followed by its captures (Graph::captures order).
class Subgraph {
 public:
  virtual ~Subgraph() = default;
  virtual int num_inputs() const = 0;  // declared inputs only
  virtual int num_outputs() const = 0;
  virtual const TypeInfo& output_type(int i) const = 0;  // inferred at compile time (symbolic)
  // Output types for these input types (declared inputs, then captures); a node whose types
  // cannot be inferred leaves its outputs unknown.
  virtual std::vector<TypeInfo> infer(const std::vector<TypeInfo>& input_types) const = 0;
  // One execution; the results own their memory (never the caller's buffers). Thread-safe.
  virtual std::vector<AnyValue> run(const std::vector<AnyValue>& inputs, kernels::Parallel& par) const = 0;
};

class SubgraphCompiler {
 public:
  virtual ~SubgraphCompiler() = default;
  virtual std::unique_ptr<Subgraph> compile(const graph::Graph& g) const = 0;
};

// What a builder sees: the node (attributes, domain, opset version) and the graph for context.
struct BuildContext {
  BuildContext(const graph::Node& n, const graph::Graph& g, int version, const SubgraphCompiler* sc = nullptr)
      : node(n), graph(g), opset(version), subgraphs(sc) {}
  const graph::Node& node;
  const graph::Graph& graph;
  int opset;                          // version of the node's domain imported by the model
  const SubgraphCompiler* subgraphs;  // set by the runtime; nullptr in bare op tests
};

class OpKernel {
 public:
  virtual ~OpKernel() = default;
  virtual void infer(InferContext& ctx) const = 0;
  virtual void run(RunContext& ctx) const = 0;
  // (output, input) pairs where the output may overwrite the input's buffer when the input dies
  // at this node and has the same byte size (elementwise ops).
  virtual std::vector<std::pair<int, int>> inplace() const { return {}; }
  // Output 0 is a view of input 0 (Reshape-like): the planner allocates nothing for it.
  virtual bool is_view() const { return false; }
  // Inputs whose values decide output shapes; the planner folds them or keys plans on them.
  virtual std::vector<int> shape_inputs() const { return {}; }
  // False for ops that must not be evaluated at plan time (random generators).
  virtual bool deterministic() const { return true; }
  // Name of the compute kernel bound for this node, for --verbose.
  virtual std::string kernel_name() const { return "ref"; }
  // Input slots holding constant initializers that the kernel copied into a form of its own when
  // it was built (packed weights) and never reads again: run() accepts there a tensor with the
  // right dtype and shape but no data. When every consumer of an initializer says so, the session
  // frees it (BERT-base: 340 MB of MatMul weights were held twice).
  virtual std::vector<int> prepacked_inputs() const { return {}; }
};

using Builder = std::unique_ptr<OpKernel> (*)(const BuildContext& ctx);

}  // namespace ortl::opset
