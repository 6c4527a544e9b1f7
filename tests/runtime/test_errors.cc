// Bad input never crashes: each case gives an ort_lite::Exception whose message names the file,
// and the node and op where one is involved; the session keeps working afterwards.
#include <gtest/gtest.h>

#include <ort_lite/ort_lite.hpp>

#include "model_builder.h"

namespace ortl::test {
namespace {

using ort_lite::ErrorCode;
using ort_lite::Session;

// Runs fn, expects an Exception with `code` whose message contains every needle.
template <class F>
void expect_error(F&& fn, ErrorCode code, const std::vector<std::string>& needles) {
  try {
    fn();
    ADD_FAILURE() << "no error thrown";
  } catch (const ort_lite::Exception& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    for (const auto& n : needles) EXPECT_NE(std::string(e.what()).find(n), std::string::npos) << e.what();
  }
}

std::string relu_model() {
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 4});
  b.node("Relu", {"x"}, {"y"}, "act");
  b.output("y", DType::kFloat);
  return b.bytes();
}

TEST(Errors, TruncatedAndCorruptedFiles) {
  const std::string good = relu_model();
  for (size_t cut : {good.size() / 2, good.size() - 3, size_t{5}}) {
    const std::string bad = good.substr(0, cut);
    expect_error([&] { Session s(bad.data(), bad.size()); }, ErrorCode::kInvalidModel, {"<memory>"});
  }
  std::string corrupt = good;
  for (size_t i = 0; i < corrupt.size(); i += 3) corrupt[i] = static_cast<char>(0xff);
  expect_error([&] { Session s(corrupt.data(), corrupt.size()); }, ErrorCode::kInvalidModel, {"<memory>"});
  expect_error([&] { Session s("/nonexistent/model.onnx"); }, ErrorCode::kInvalidArgument, {"/nonexistent/model.onnx"});
}

TEST(Errors, UnknownOp) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {2});
  b.node("FancyNewOp", {"x"}, {"y"}, "mystery");
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  expect_error([&] { Session s(bytes.data(), bytes.size()); }, ErrorCode::kNotImplemented,
               {"node 'mystery' (FancyNewOp)", "unsupported op"});
}

TEST(Errors, BadInputsThenTheSessionStillRuns) {
  const std::string bytes = relu_model();
  Session s(bytes.data(), bytes.size());
  const Tensor x = make_f32({1, 4}, {-1, 2, -3, 4});
  expect_error([&] { s.run({}); }, ErrorCode::kInvalidArgument, {"missing input 'x'"});
  expect_error([&] { s.run({{"X", x}}); }, ErrorCode::kInvalidArgument, {"unknown input 'X'", "inputs are: x"});
  expect_error(
      [&] {
        s.run({{"x", Tensor(DType::kInt64, {1, 4})}});
      },
      ErrorCode::kInvalidArgument, {"input 'x' must be float, got int64"});
  expect_error(
      [&] {
        s.run({{"x", Tensor(DType::kFloat, {4})}});
      },
      ErrorCode::kInvalidArgument, {"input 'x' must have rank 2"});
  expect_error(
      [&] {
        s.run({{"x", Tensor(DType::kFloat, {1, 5})}});
      },
      ErrorCode::kInvalidArgument, {"input 'x' must have shape [d0,4], got [1,5]"});
  expect_error([&] { s.run({{"x", x}}, {"nope"}); }, ErrorCode::kInvalidArgument, {"'nope' is not an output"});
  auto out = s.run({{"x", x}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{0, 2, 0, 4}));
}

TEST(Errors, GatherIndexOutOfRange) {
  ModelBuilder b;
  b.input("data", DType::kFloat, {3, 2});
  b.input("idx", DType::kInt64, {2});
  b.node("Gather", {"data", "idx"}, {"y"}, "lookup");
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  const Tensor data = make_f32({3, 2}, {0, 1, 2, 3, 4, 5});
  for (int64_t bad : {int64_t{3}, int64_t{-4}, int64_t{1} << 40}) {
    expect_error(
        [&] {
          s.run({{"data", data}, {"idx", make_i64({2}, {0, bad})}});
        },
        ErrorCode::kInvalidArgument, {"node 'lookup' (Gather)"});
  }
  auto out = s.run({{"data", data}, {"idx", make_i64({2}, {2, -3})}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{4, 5, 0, 1}));
}

TEST(Errors, ReshapeThatCannotHold) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 6});
  b.initializer("shape", make_i64({2}, {4, -1}));
  b.node("Reshape", {"x", "shape"}, {"y"}, "reshape_it");
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  expect_error(
      [&] {
        s.run({{"x", Tensor(DType::kFloat, {1, 6})}});
      },
      ErrorCode::kInvalidArgument, {"node 'reshape_it' (Reshape)"});
  auto out = s.run({{"x", Tensor(DType::kFloat, {2, 6})}});
  EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{4, 3}));
}

TEST(Errors, CyclicGraph) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {2});
  b.node("Add", {"x", "b"}, {"a"}, "first");
  b.node("Relu", {"a"}, {"b"}, "second");
  b.output("b", DType::kFloat);
  const std::string bytes = b.bytes();
  expect_error([&] { Session s(bytes.data(), bytes.size()); }, ErrorCode::kInvalidModel, {"cycle", "node '"});
}

TEST(Errors, AbsurdAndOverflowingDims) {
  ModelBuilder b;
  b.input("shape", DType::kInt64, {2});
  b.node("ConstantOfShape", {"shape"}, {"y"}, "fill");
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  // 2^62 * 4 overflows int64; 2^30 * 2^20 is absurd for memory.
  for (auto dims :
       {std::vector<int64_t>{int64_t{1} << 62, 4}, std::vector<int64_t>{int64_t{1} << 30, int64_t{1} << 20}}) {
    expect_error(
        [&] {
          s.run({{"shape", make_i64({2}, dims)}});
        },
        ErrorCode::kOutOfMemory, {"node 'fill' (ConstantOfShape)"});
  }
  expect_error([&] { s.run({{"shape", make_i64({2}, {-2, 3})}}); }, ErrorCode::kInvalidArgument, {"node 'fill'"});
  auto out = s.run({{"shape", make_i64({2}, {2, 3})}});
  EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{2, 3}));
}

TEST(Errors, InputWithAbsurdDeclaredShapeIsRejectedOnBind) {
  const std::string bytes = relu_model();
  Session s(bytes.data(), bytes.size());
  Tensor huge = Tensor::view(DType::kFloat, {int64_t{1} << 62, 4}, nullptr);
  expect_error([&] { s.run({{"x", huge}}); }, ErrorCode::kOutOfMemory, {"too many elements"});
}

}  // namespace
}  // namespace ortl::test
