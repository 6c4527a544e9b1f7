// Test helpers shared by test_nn and test_reduce: a really threaded Parallel, seeded random
// data, and a harness that builds an op through the registry and runs infer() + run() on
// in-memory contexts (no session needed), so op semantics are testable on their own.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "graph/ir.h"
#include "kernels/base/parallel.h"
#include "opset/registry.h"

namespace ortl::nntest {

// Runs chunks on real threads (more chunks than threads, uneven), so splitting is exercised.
class ThreadedParallel final : public kernels::Parallel {
 public:
  explicit ThreadedParallel(int threads) : threads_(threads) {}
  int num_threads() const override { return threads_; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    if (n <= 0) return;
    const int64_t chunks = std::min<int64_t>(n, 3 * threads_);
    std::vector<std::thread> pool;
    for (int64_t c = 1; c < chunks; ++c) pool.emplace_back([&, c] { fn(n * c / chunks, n * (c + 1) / chunks); });
    fn(0, n / chunks);
    for (auto& t : pool) t.join();
  }

 private:
  int threads_;
};

inline int64_t numel_of(const std::vector<int64_t>& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

template <class T>
std::vector<T> random_vec(std::mt19937& rng, int64_t n, double lo = -3, double hi = 3) {
  std::vector<T> v(static_cast<size_t>(n));
  if constexpr (std::is_floating_point_v<T>) {
    std::uniform_real_distribution<double> d(lo, hi);
    for (auto& x : v) x = static_cast<T>(d(rng));
  } else {
    std::uniform_int_distribution<int> d(static_cast<int>(lo), static_cast<int>(hi));
    for (auto& x : v) x = static_cast<T>(d(rng));
  }
  return v;
}

// |a - b| <= atol + rtol * |b| elementwise (NaN must match NaN, inf must match inf).
template <class T>
::testing::AssertionResult all_close(const T* a, const T* b, int64_t n, double rtol, double atol) {
  for (int64_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(a[i]), y = static_cast<double>(b[i]);
    if (std::isnan(y) && std::isnan(x)) continue;
    if (std::isinf(y) && x == y) continue;
    if (!(std::fabs(x - y) <= atol + rtol * std::fabs(y))) {
      return ::testing::AssertionFailure() << "element " << i << ": got " << x << ", expected " << y;
    }
  }
  return ::testing::AssertionSuccess();
}

template <class T>
Tensor make_tensor(DType dt, const std::vector<int64_t>& shape, const std::vector<T>& v) {
  Tensor t(dt, shape);
  if (!v.empty()) std::memcpy(t.data(), v.data(), v.size() * sizeof(T));
  return t;
}

// ---- op harness ------------------------------------------------------------------------

class HarnessInfer final : public opset::InferContext {
 public:
  HarnessInfer(const std::vector<std::optional<Tensor>>& ins, std::vector<graph::TypeInfo> types, int num_outputs,
               bool values_known)
      : ins_(ins), types_(std::move(types)), outs_(static_cast<size_t>(num_outputs)), values_known_(values_known) {}
  int num_inputs() const override { return static_cast<int>(ins_.size()); }
  int num_outputs() const override { return static_cast<int>(outs_.size()); }
  bool has_input(int i) const override { return i >= 0 && i < num_inputs() && ins_[i].has_value(); }
  const graph::TypeInfo& input_type(int i) const override { return types_[i]; }
  const Tensor* input_value(int i) const override { return values_known_ && has_input(i) ? &*ins_[i] : nullptr; }
  void set_output(int i, graph::TypeInfo t) override { outs_.at(i) = std::move(t); }
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim("unk__" + std::to_string(sym_++)); }
  const std::vector<graph::TypeInfo>& outputs() const { return outs_; }

 private:
  const std::vector<std::optional<Tensor>>& ins_;
  std::vector<graph::TypeInfo> types_;
  std::vector<graph::TypeInfo> outs_;
  bool values_known_;
  int sym_ = 0;
};

class HarnessRun final : public opset::RunContext {
 public:
  HarnessRun(const std::vector<std::optional<Tensor>>& ins, std::vector<DType> out_dtypes, kernels::Parallel& par)
      : ins_(ins), dtypes_(std::move(out_dtypes)), outs_(dtypes_.size()), par_(par) {}
  int num_inputs() const override { return static_cast<int>(ins_.size()); }
  int num_outputs() const override { return static_cast<int>(outs_.size()); }
  const Tensor* input(int i) const override { return i < num_inputs() && ins_[i] ? &*ins_[i] : nullptr; }
  Tensor& output(int i) override { return outs_.at(i); }
  Tensor& output(int i, const std::vector<int64_t>& shape) override {
    // Prefill with a sentinel so unwritten elements show up.
    outs_.at(i) = Tensor(dtypes_.at(i), shape);
    std::memset(outs_[i].data(), 0x7f, outs_[i].nbytes());
    return outs_[i];
  }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    outs_.at(i) = src.reshaped(shape);
  }
  bool has_output(int i) const override { return i >= 0 && i < num_outputs(); }
  kernels::Parallel& par() override { return par_; }
  std::vector<Tensor>& outputs() { return outs_; }

 private:
  const std::vector<std::optional<Tensor>>& ins_;
  std::vector<DType> dtypes_;
  std::vector<Tensor> outs_;
  kernels::Parallel& par_;
};

// One node built through the registry; attributes set with the helpers below.
struct OpCall {
  graph::Node node;
  graph::Graph graph;
  std::vector<std::optional<Tensor>> inputs;  // nullopt = omitted optional input
  int num_outputs = 1;

  OpCall(const std::string& op, int opset) {
    node.op_type = op;
    node.opset = opset;
    node.name = "n0";
    graph.opsets[""] = opset;
  }
  OpCall& input(Tensor t) {
    inputs.emplace_back(std::move(t));
    return *this;
  }
  OpCall& no_input() {
    inputs.emplace_back(std::nullopt);
    return *this;
  }
  OpCall& outputs(int n) {
    num_outputs = n;
    return *this;
  }
  OpCall& attr_int(const std::string& name, int64_t v) {
    graph::Attribute a;
    a.type = graph::AttrType::kInt;
    a.i = v;
    node.attrs[name] = a;
    return *this;
  }
  OpCall& attr_float(const std::string& name, float v) {
    graph::Attribute a;
    a.type = graph::AttrType::kFloat;
    a.f = v;
    node.attrs[name] = a;
    return *this;
  }
  OpCall& attr_ints(const std::string& name, std::vector<int64_t> v) {
    graph::Attribute a;
    a.type = graph::AttrType::kInts;
    a.ints = std::move(v);
    node.attrs[name] = a;
    return *this;
  }

  std::unique_ptr<opset::OpKernel> build() const { return opset::build_kernel(node, graph); }
  std::vector<int> shape_inputs_of() const { return build()->shape_inputs(); }

  // infer() with concrete shapes (values of all inputs known), then run(); returns outputs and
  // checks each against the inferred type.
  std::vector<Tensor> run(kernels::Parallel& par = kernels::serial()) const {
    auto k = build();
    std::vector<graph::TypeInfo> types;
    for (const auto& t : inputs) {
      types.push_back(t ? graph::TypeInfo::of(t->dtype(), graph::from_concrete(t->shape())) : graph::TypeInfo{});
    }
    HarnessInfer ictx(inputs, types, num_outputs, true);
    k->infer(ictx);
    std::vector<DType> dts;
    for (const auto& o : ictx.outputs()) dts.push_back(o.dtype);
    HarnessRun rctx(inputs, dts, par);
    k->run(rctx);
    for (int i = 0; i < num_outputs; ++i) {
      const auto& ti = ictx.outputs()[i];
      const Tensor& out = rctx.outputs()[i];
      EXPECT_EQ(out.dtype(), ti.dtype) << "output " << i;
      if (ti.has_shape && graph::all_known(ti.shape)) {
        EXPECT_EQ(out.shape(), graph::to_concrete(ti.shape)) << "output " << i << " shape differs from infer()";
      }
    }
    return rctx.outputs();
  }

  // infer() on the given (possibly symbolic) input types, without values.
  std::vector<graph::TypeInfo> infer(const std::vector<graph::TypeInfo>& types) const {
    auto k = build();
    HarnessInfer ictx(inputs, types, num_outputs, false);
    k->infer(ictx);
    return ictx.outputs();
  }
};

}  // namespace ortl::nntest
