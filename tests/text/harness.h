// Test helpers for the text family: attribute and tensor builders (strings included), and a
// one-node stand-in runtime that builds an op through the registry, infers its outputs from the
// concrete inputs, runs it, and checks the outputs against the inferred types.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "opset/op.h"
#include "opset/registry.h"

namespace ortl::texttest {

// Splits [0, n) into uneven chunks run one after another, so kernels see odd boundaries.
class ChunkedParallel final : public kernels::Parallel {
 public:
  int num_threads() const override { return 3; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    int64_t begin = 0;
    for (int p = 0; p < 3 && begin < n; ++p) {
      const int64_t end = p == 2 ? n : begin + std::max<int64_t>(1, (n - begin) / (p + 2));
      fn(begin, end);
      begin = end;
    }
  }
};

using Attrs = std::map<std::string, graph::Attribute>;

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
inline graph::Attribute attr_ints(std::vector<int64_t> v) {
  graph::Attribute a;
  a.type = graph::AttrType::kInts;
  a.ints = std::move(v);
  return a;
}
inline graph::Attribute attr_floats(std::vector<float> v) {
  graph::Attribute a;
  a.type = graph::AttrType::kFloats;
  a.floats = std::move(v);
  return a;
}
inline graph::Attribute attr_strings(std::vector<std::string> v) {
  graph::Attribute a;
  a.type = graph::AttrType::kStrings;
  a.strings = std::move(v);
  return a;
}
inline graph::Attribute attr_t(Tensor t) {
  graph::Attribute a;
  a.type = graph::AttrType::kTensor;
  a.t = std::move(t);
  return a;
}

inline Tensor strs(std::vector<int64_t> shape, const std::vector<std::string>& v) {
  Tensor t(DType::kString, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.numel()), v.size());
  for (size_t i = 0; i < v.size() && i < static_cast<size_t>(t.numel()); ++i) t.data_as<std::string>()[i] = v[i];
  return t;
}

template <class T>
Tensor make(DType dt, std::vector<int64_t> shape, const std::vector<T>& v) {
  Tensor t(dt, std::move(shape));
  EXPECT_EQ(static_cast<size_t>(t.numel()), v.size());
  for (size_t i = 0; i < v.size() && i < static_cast<size_t>(t.numel()); ++i) t.data_as<T>()[i] = v[i];
  return t;
}

template <class T>
std::vector<T> values(const Tensor& t) {
  return std::vector<T>(t.data_as<T>(), t.data_as<T>() + t.numel());
}

class FakeInfer final : public opset::InferContext {
 public:
  FakeInfer(const std::vector<Tensor>& in, int outputs) : in_(in), out_(static_cast<size_t>(outputs)) {
    for (const Tensor& t : in)
      types_.push_back(t.defined() ? graph::TypeInfo::of(t.dtype(), graph::from_concrete(t.shape()))
                                   : graph::TypeInfo{});
  }
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  bool has_input(int i) const override { return i >= 0 && i < num_inputs() && in_[i].defined(); }
  const graph::TypeInfo& input_type(int i) const override { return types_.at(i); }
  const Tensor* input_value(int i) const override { return has_input(i) ? &in_[i] : nullptr; }
  void set_output(int i, graph::TypeInfo t) override { out_.at(i) = std::move(t); }
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim("unk__" + std::to_string(fresh_++)); }
  const std::vector<graph::TypeInfo>& outputs() const { return out_; }

 private:
  const std::vector<Tensor>& in_;
  std::vector<graph::TypeInfo> types_;
  std::vector<graph::TypeInfo> out_;
  int fresh_ = 0;
};

class FakeRun final : public opset::RunContext {
 public:
  FakeRun(const std::vector<Tensor>& in, const std::vector<graph::TypeInfo>& types)
      : in_(in), types_(types), out_(types.size()) {}
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  const Tensor* input(int i) const override { return i < num_inputs() && in_[i].defined() ? &in_[i] : nullptr; }
  Tensor& output(int i) override { return output(i, graph::to_concrete(types_.at(i).shape)); }
  Tensor& output(int i, const std::vector<int64_t>& shape) override {
    out_.at(i) = Tensor(types_.at(i).dtype, shape);
    // A sentinel in numeric outputs shows elements the kernel never wrote.
    if (out_[i].dtype() != DType::kString) std::memset(out_[i].data(), 0x7f, out_[i].nbytes());
    return out_[i];
  }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    out_.at(i) = src.reshaped(shape);
  }
  bool has_output(int i) const override { return i >= 0 && i < num_outputs(); }
  kernels::Parallel& par() override { return par_; }
  std::vector<Tensor>& outputs() { return out_; }

 private:
  const std::vector<Tensor>& in_;
  const std::vector<graph::TypeInfo>& types_;
  std::vector<Tensor> out_;
  ChunkedParallel par_;
};

struct Op {
  graph::Node node;
  graph::Graph graph;

  Op(const std::string& type, int opset, const std::string& domain = "") {
    node.op_type = type;
    node.domain = domain;
    node.opset = opset;
    node.name = "n0";
    graph.opsets[domain] = opset;
  }
  Op& attr(const std::string& name, graph::Attribute a) {
    node.attrs[name] = std::move(a);
    return *this;
  }
  std::unique_ptr<opset::OpKernel> build() const { return opset::build_kernel(node, graph); }

  // Builds, infers, runs; checks each output's dtype and shape against infer() where it knew them.
  std::vector<Tensor> run(const std::vector<Tensor>& in, int num_outputs = 1) const {
    auto k = build();
    FakeInfer ictx(in, num_outputs);
    k->infer(ictx);
    FakeRun rctx(in, ictx.outputs());
    k->run(rctx);
    for (int i = 0; i < num_outputs; ++i) {
      const graph::TypeInfo& t = ictx.outputs()[i];
      const Tensor& o = rctx.outputs()[i];
      EXPECT_EQ(o.dtype(), t.dtype) << "output " << i;
      if (t.has_shape && graph::all_known(t.shape)) {
        EXPECT_EQ(o.shape(), graph::to_concrete(t.shape)) << "output " << i << " shape differs from infer()";
      }
    }
    return rctx.outputs();
  }
};

// The ErrorCode an action throws (kOk when none), and its message through `msg`.
inline ErrorCode error_of(const std::function<void()>& fn, std::string* msg = nullptr) {
  try {
    fn();
  } catch (const Error& e) {
    if (msg) *msg = e.what();
    return e.code();
  }
  return ErrorCode::kOk;
}

}  // namespace ortl::texttest
