// A stand-in for the runtime for the tensor-op tests: builds a node through the registry (so
// the ops.inc lines are exercised too), infers its outputs with or without input values, and
// runs it, checking that inferred shapes match what run() produced.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "opset/registry.h"

namespace ortl::tensor_test {

using graph::Attribute;
using graph::AttrType;
using graph::Dim;
using graph::Shape;
using graph::TypeInfo;

// Splits [0, n) into uneven chunks run on real threads, as the session's pool would.
class ThreadedParallel final : public kernels::Parallel {
 public:
  explicit ThreadedParallel(int threads = 3) : threads_(threads) {}
  int num_threads() const override { return threads_; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    if (n <= 0) return;
    const int64_t chunks = std::min<int64_t>(n, 2 * threads_ + 1);
    std::vector<std::thread> pool;
    for (int64_t c = 1; c < chunks; ++c) pool.emplace_back([&, c] { fn(n * c / chunks, n * (c + 1) / chunks); });
    fn(0, n / chunks);
    for (auto& t : pool) t.join();
  }

 private:
  int threads_;
};

class Infer final : public opset::InferContext {
 public:
  Infer(std::vector<TypeInfo> types, std::vector<const Tensor*> values, int outputs)
      : out_(outputs), out_values_(outputs), types_(std::move(types)), values_(std::move(values)) {}
  int num_inputs() const override { return static_cast<int>(types_.size()); }
  int num_outputs() const override { return static_cast<int>(out_.size()); }
  bool has_input(int i) const override { return i >= 0 && i < num_inputs() && types_[i].dtype != DType::kUndefined; }
  const TypeInfo& input_type(int i) const override { return types_.at(i); }
  const Tensor* input_value(int i) const override {
    return i < static_cast<int>(values_.size()) ? values_[i] : nullptr;
  }
  void set_output(int i, TypeInfo t) override { out_.at(i) = std::move(t); }
  void set_output_value(int i, Tensor v) override { out_values_.at(i) = std::move(v); }
  Dim fresh_dim() override { return Dim("unk__" + std::to_string(fresh_++)); }

  std::vector<TypeInfo> out_;
  std::vector<std::optional<Tensor>> out_values_;

 private:
  std::vector<TypeInfo> types_;
  std::vector<const Tensor*> values_;
  int fresh_ = 0;
};

class Run final : public opset::RunContext {
 public:
  Run(std::vector<const Tensor*> inputs, std::vector<DType> types, kernels::Parallel& par)
      : outs_(types.size()), aliased_(types.size()), inputs_(std::move(inputs)), types_(std::move(types)), par_(par) {}
  int num_inputs() const override { return static_cast<int>(inputs_.size()); }
  int num_outputs() const override { return static_cast<int>(outs_.size()); }
  const Tensor* input(int i) const override { return i < num_inputs() ? inputs_[i] : nullptr; }
  Tensor& output(int) override { throw Error(ErrorCode::kRuntime, "test harness: use output(i, shape)"); }
  Tensor& output(int i, const std::vector<int64_t>& shape) override {
    // Pre-filled with a sentinel so a kernel that skips an element is caught.
    outs_.at(i) = Tensor(types_.at(i), shape);
    if (types_[i] != DType::kString && outs_[i].nbytes() > 0) std::memset(outs_[i].data(), 0x5a, outs_[i].nbytes());
    return outs_[i];
  }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    outs_.at(i) = src.reshaped(shape);
    aliased_.at(i) = true;
  }
  bool has_output(int i) const override { return i >= 0 && i < num_outputs(); }
  kernels::Parallel& par() override { return par_; }

  std::vector<Tensor> outs_;
  std::vector<bool> aliased_;

 private:
  std::vector<const Tensor*> inputs_;
  std::vector<DType> types_;
  kernels::Parallel& par_;
};

// One node of one op at one opset, built through the registry.
class OpTest {
 public:
  OpTest(const std::string& op, int opset, int outputs = 1) : outputs_(outputs) {
    node_.op_type = op;
    node_.name = "n0";
    node_.opset = opset;
  }
  OpTest& attr(const std::string& name, int64_t v) {
    return set(name, AttrType::kInt, [&](Attribute& a) { a.i = v; });
  }
  OpTest& attr(const std::string& name, float v) {
    return set(name, AttrType::kFloat, [&](Attribute& a) { a.f = v; });
  }
  OpTest& attr(const std::string& name, const std::string& v) {
    return set(name, AttrType::kString, [&](Attribute& a) { a.s = v; });
  }
  OpTest& attr(const std::string& name, std::vector<int64_t> v) {
    return set(name, AttrType::kInts, [&](Attribute& a) { a.ints = v; });
  }
  OpTest& attr(const std::string& name, const Tensor& v) {
    return set(name, AttrType::kTensor, [&](Attribute& a) { a.t = v; });
  }

  std::unique_ptr<opset::OpKernel> build() const {
    graph::Graph g;
    return opset::build_kernel(node_, g);
  }

  // Inference with the given types (dtype kUndefined = omitted input) and known values.
  Infer infer(const std::vector<TypeInfo>& types, const std::vector<const Tensor*>& values = {}) const {
    Infer ic(types, values, outputs_);
    build()->infer(ic);
    return ic;
  }

  // Runs on tensors (an undefined Tensor = omitted input) after inferring with every value known;
  // checks the inferred output types against the run's outputs.
  std::vector<Tensor> run(const std::vector<Tensor>& inputs, kernels::Parallel* par = nullptr) {
    auto k = build();
    std::vector<TypeInfo> types;
    std::vector<const Tensor*> ptrs;
    for (const Tensor& t : inputs) {
      types.push_back(t.defined() ? TypeInfo::of(t.dtype(), graph::from_concrete(t.shape())) : TypeInfo{});
      ptrs.push_back(t.defined() ? &t : nullptr);
    }
    Infer ic(types, ptrs, outputs_);
    k->infer(ic);
    std::vector<DType> out_types;
    for (const TypeInfo& t : ic.out_) out_types.push_back(t.dtype);
    ThreadedParallel threaded;
    Run rc(ptrs, out_types, par ? *par : threaded);
    k->run(rc);
    for (int i = 0; i < outputs_; ++i) {
      const TypeInfo& t = ic.out_[i];
      EXPECT_EQ(t.dtype, rc.outs_[i].dtype()) << node_.op_type << " output " << i;
      if (t.has_shape && graph::all_known(t.shape)) {
        EXPECT_EQ(graph::to_concrete(t.shape), rc.outs_[i].shape()) << node_.op_type << " output " << i;
      }
    }
    if (k->is_view()) {
      EXPECT_TRUE(rc.aliased_[0]) << node_.op_type << " is a view but did not alias";
    }
    aliased_ = rc.aliased_;
    return rc.outs_;
  }

  std::vector<bool> aliased_;

 private:
  template <class F>
  OpTest& set(const std::string& name, AttrType type, F&& fill) {
    Attribute a;
    a.type = type;
    fill(a);
    node_.attrs[name] = std::move(a);
    return *this;
  }
  graph::Node node_;
  int outputs_;
};

template <class T>
Tensor make(DType dt, std::vector<int64_t> shape, const std::vector<T>& values) {
  Tensor t(dt, std::move(shape));
  EXPECT_EQ(static_cast<int64_t>(values.size()), t.numel());
  std::copy(values.begin(), values.end(), t.data_as<T>());
  return t;
}
inline Tensor f32(std::vector<int64_t> shape, const std::vector<float>& v) { return make(DType::kFloat, shape, v); }
inline Tensor i64(std::vector<int64_t> shape, const std::vector<int64_t>& v) { return make(DType::kInt64, shape, v); }
inline Tensor i32(std::vector<int64_t> shape, const std::vector<int32_t>& v) { return make(DType::kInt32, shape, v); }
// 0, 1, 2, ... as float.
inline Tensor iota(std::vector<int64_t> shape) {
  Tensor t(DType::kFloat, std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) t.data_as<float>()[i] = static_cast<float>(i);
  return t;
}

template <class T>
std::vector<T> values(const Tensor& t) {
  return std::vector<T>(t.data_as<T>(), t.data_as<T>() + t.numel());
}

inline TypeInfo type(DType dt, Shape s) { return TypeInfo::of(dt, std::move(s)); }

// Expects `fn` to throw an ortl::Error with `code` whose message contains `needle`.
template <class F>
void expect_error(F&& fn, ErrorCode code, const std::string& needle = "") {
  try {
    fn();
    ADD_FAILURE() << "expected an error containing '" << needle << "'";
  } catch (const Error& e) {
    EXPECT_EQ(static_cast<int>(e.code()), static_cast<int>(code)) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace ortl::tensor_test
