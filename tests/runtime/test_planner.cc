// Planner: arena reuse by lifetime, in-place elementwise ops, views, plan-time folding of shape
// subgraphs, and plans cached per input signature (dynamic batch and runtime Resize scales).
#include <gtest/gtest.h>

#include <cmath>
#include <ort_lite/ort_lite.hpp>

#include "model_builder.h"

namespace ortl::test {
namespace {

using ort_lite::Session;

TEST(Planner, ChainReusesArenaAndRunsInPlace) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 256});
  std::string prev = "x";
  for (int i = 0; i < 8; ++i) {
    const std::string out = std::string(1, 't') += std::to_string(i);
    if (i % 2 == 0)
      b.node("Sigmoid", {prev}, {out});
    else
      b.node("Add", {prev, "x"}, {out});
    prev = out;
  }
  b.node("Relu", {prev}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  Tensor x(DType::kFloat, {4, 256});
  for (int i = 0; i < 1024; ++i) x.data_as<float>()[i] = static_cast<float>(i % 7) - 3.f;
  const auto info = s.plan_info({{"x", x}});
  EXPECT_EQ(info.naive_bytes, 9u * 4 * 256 * 4);
  EXPECT_LE(info.arena_bytes, 2u * 4 * 256 * 4);  // ping-pong at most
  EXPECT_GT(info.inplace, 0);
  // Same result as a plain evaluation.
  auto out = s.run({{"x", x}});
  for (int i = 0; i < 1024; ++i) {
    float v = x.data_as<float>()[i], xv = v;
    for (int k = 0; k < 8; ++k) v = (k % 2 == 0) ? 1.f / (1.f + std::exp(-v)) : v + xv;
    EXPECT_NEAR(out[0].data_as<float>()[i], std::max(v, 0.f), 1e-5f) << i;
  }
}

TEST(Planner, ShapeSubgraphIsFoldedAndReshapeIsAView) {
  // y = Reshape(x, Concat(Shape(x)[0:1], [-1])): the BERT/torch export pattern.
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 3, 4});
  b.node("Shape", {"x"}, {"s"});
  b.initializer("zero", make_i64({1}, {0}));
  b.initializer("minus1", make_i64({1}, {-1}));
  b.node("Gather", {"s", "zero"}, {"batch"});
  b.node("Concat", {"batch", "minus1"}, {"newshape"}).add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("axis");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(0);
    return a;
  }());
  b.node("Reshape", {"x", "newshape"}, {"flat"});
  b.node("Relu", {"flat"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  for (int64_t batch : {1, 3, 1}) {
    Tensor x(DType::kFloat, {batch, 3, 4});
    for (int64_t i = 0; i < x.numel(); ++i) x.data_as<float>()[i] = static_cast<float>(i) - 5.f;
    const auto info = s.plan_info({{"x", x}});
    EXPECT_EQ(info.folded_nodes, 3);  // Shape, Gather, Concat
    EXPECT_EQ(info.views, 1);         // Reshape
    auto out = s.run({{"x", x}});
    ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{batch, 12}));
    for (int64_t i = 0; i < x.numel(); ++i) EXPECT_EQ(out[0].data_as<float>()[i], std::max(0.f, i - 5.f));
  }
}

TEST(Planner, GraphOutputsAreNotOverwritten) {
  // Two outputs where the first is consumed by later elementwise ops that could run in place.
  ModelBuilder b;
  b.input("x", DType::kFloat, {4});
  b.node("Relu", {"x"}, {"a"});
  b.node("Sigmoid", {"a"}, {"b"});
  b.node("Sigmoid", {"b"}, {"c"});
  b.output("a", DType::kFloat);
  b.output("c", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  auto out = s.run({{"x", make_f32({4}, {-1, 0, 1, 2})}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{0, 0, 1, 2}));
  EXPECT_NEAR(out[1].data_as<float>()[3], 1.f / (1.f + std::exp(-1.f / (1.f + std::exp(-2.f)))), 1e-6f);
}

TEST(Planner, OutputsSurviveLaterRuns) {
  const std::string bytes = [] {
    ModelBuilder b;
    b.input("x", DType::kFloat, {2});
    b.node("Relu", {"x"}, {"y"});
    b.output("y", DType::kFloat);
    return b.bytes();
  }();
  Session s(bytes.data(), bytes.size());
  auto first = s.run({{"x", make_f32({2}, {1, 2})}});
  auto second = s.run({{"x", make_f32({2}, {3, 4})}});
  EXPECT_EQ(values(first[0]), (std::vector<float>{1, 2}));
  EXPECT_EQ(values(second[0]), (std::vector<float>{3, 4}));
}

TEST(Planner, InputPassedThroughIsCopied) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {2});
  b.node("Identity", {"x"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  Tensor x = make_f32({2}, {1, 2});
  auto out = s.run({{"x", x}});
  EXPECT_NE(out[0].data(), x.data());
  EXPECT_EQ(values(out[0]), (std::vector<float>{1, 2}));
}

}  // namespace
}  // namespace ortl::test
