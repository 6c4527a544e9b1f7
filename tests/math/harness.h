// Test helpers for the math family: a chunking Parallel (so kernels see runs split mid-row),
// random data, and a one-node stand-in runtime that builds an op from the registry, infers its
// outputs and runs it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "opset/op.h"
#include "opset/registry.h"

namespace ortl::mathtest {

// Splits [0, n) into `parts` uneven chunks run one after another on the calling thread.
class ChunkedParallel final : public kernels::Parallel {
 public:
  explicit ChunkedParallel(int parts = 3) : parts_(parts) {}
  int num_threads() const override { return parts_; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    if (n <= 0) return;
    int64_t begin = 0;
    for (int p = 0; p < parts_ && begin < n; ++p) {
      // Chunk sizes 1/2, 1/3, ... of what is left, so boundaries fall at odd places.
      int64_t end = p == parts_ - 1 ? n : begin + std::max<int64_t>(1, (n - begin) / (p + 2));
      fn(begin, end);
      begin = end;
    }
    if (begin < n) fn(begin, n);
  }

 private:
  int parts_;
};

inline graph::Attribute attr_i(int64_t v) {
  graph::Attribute a;
  a.type = graph::AttrType::kInt;
  a.i = v;
  return a;
}
inline graph::Attribute attr_f(float v) {
  graph::Attribute a;
  a.type = graph::AttrType::kFloat;
  a.f = v;
  return a;
}
inline graph::Attribute attr_s(const std::string& v) {
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = v;
  return a;
}

template <class T>
Tensor make_tensor(DType dt, std::vector<int64_t> shape, const std::vector<T>& values) {
  Tensor t(dt, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.numel()), values.size());
  for (size_t i = 0; i < values.size(); ++i) t.data_as<T>()[i] = values[i];
  return t;
}

class FakeInfer final : public opset::InferContext {
 public:
  FakeInfer(const std::vector<Tensor>& in, int outputs) : in_(in), out_(static_cast<size_t>(outputs)) {
    for (const Tensor& t : in)
      types_.push_back(t.defined() ? TypeInfo::of(t.dtype(), graph::from_concrete(t.shape())) : TypeInfo{});
  }
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  bool has_input(int i) const override { return i >= 0 && i < num_inputs() && in_[i].defined(); }
  const graph::TypeInfo& input_type(int i) const override { return types_.at(i); }
  const Tensor* input_value(int i) const override { return has_input(i) ? &in_[i] : nullptr; }
  void set_output(int i, graph::TypeInfo t) override { out_.at(i) = std::move(t); }
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim("unk__" + std::to_string(fresh_++)); }
  const graph::TypeInfo& out(int i) const { return out_.at(i); }

 private:
  using TypeInfo = graph::TypeInfo;
  const std::vector<Tensor>& in_;
  std::vector<TypeInfo> types_;
  std::vector<TypeInfo> out_;
  int fresh_ = 0;
};

class FakeRun final : public opset::RunContext {
 public:
  FakeRun(const std::vector<Tensor>& in, std::vector<graph::TypeInfo> planned, kernels::Parallel& par)
      : in_(in), planned_(std::move(planned)), out_(planned_.size()), par_(par) {}
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  const Tensor* input(int i) const override { return i < num_inputs() && in_[i].defined() ? &in_[i] : nullptr; }
  Tensor& output(int i) override {
    const graph::TypeInfo& t = planned_.at(i);
    check(t.has_shape && graph::all_known(t.shape), ErrorCode::kRuntime, "output ", i, " has no planned shape");
    return output(i, graph::to_concrete(t.shape));
  }
  Tensor& output(int i, const std::vector<int64_t>& shape) override {
    Tensor& o = out_.at(i);
    if (!o.defined() || o.shape() != shape) o = Tensor(planned_.at(i).dtype, shape);
    return o;
  }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    out_.at(i) = src.reshaped(shape);
  }
  bool has_output(int i) const override { return i < num_outputs(); }
  kernels::Parallel& par() override { return par_; }
  std::vector<Tensor>& outputs() { return out_; }

 private:
  const std::vector<Tensor>& in_;
  std::vector<graph::TypeInfo> planned_;
  std::vector<Tensor> out_;
  kernels::Parallel& par_;
};

// Builds op_type at `opset` with `attrs`, infers from the inputs (an undefined Tensor is an
// omitted optional input) and runs it; returns the outputs. Throws what the op throws.
inline std::vector<Tensor> run_op(const std::string& op_type, int opset, const std::vector<Tensor>& inputs,
                                  const std::map<std::string, graph::Attribute>& attrs = {}, int outputs = 1) {
  graph::Graph g;
  graph::Node node;
  node.op_type = op_type;
  node.opset = opset;
  node.attrs = attrs;
  const opset::OpEntry* e = opset::Registry::global().find("", op_type, opset);
  check(e != nullptr, ErrorCode::kNotImplemented, "no entry for ", op_type, " at opset ", opset);
  const auto kernel = e->build(opset::BuildContext{node, g, opset});
  FakeInfer infer(inputs, outputs);
  kernel->infer(infer);
  std::vector<graph::TypeInfo> planned;
  for (int i = 0; i < outputs; ++i) planned.push_back(infer.out(i));
  ChunkedParallel par(3);
  FakeRun run(inputs, planned, par);
  kernel->run(run);
  for (int i = 0; i < outputs; ++i) {
    // What the op ran must agree with what it inferred.
    EXPECT_EQ(run.outputs()[i].dtype(), planned[i].dtype) << op_type;
    if (planned[i].has_shape && graph::all_known(planned[i].shape)) {
      EXPECT_EQ(run.outputs()[i].shape(), graph::to_concrete(planned[i].shape)) << op_type;
    }
  }
  return run.outputs();
}

}  // namespace ortl::mathtest
