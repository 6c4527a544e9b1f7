// Tensor ops through the registry: attribute/input handling per opset, shape inference (symbolic
// and value-dependent), and the error paths (bad reshapes, out-of-range gathers).
#include <gtest/gtest.h>

#include <climits>

#include "tests/tensor/tensor_harness.h"

namespace ortl::tensor_test {
namespace {

const Tensor kNone;

TEST(Reshape, ZeroAndMinusOne) {
  auto y = OpTest("Reshape", 13).run({iota({2, 3, 4}), i64({3}, {0, -1, 2})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2, 6, 2}));
  y = OpTest("Reshape", 14).attr("allowzero", int64_t{1}).run({iota({0, 3}), i64({2}, {3, 0})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{3, 0}));
  y = OpTest("Reshape", 1).attr("shape", std::vector<int64_t>{4, -1}).run({iota({2, 6})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{4, 3}));
  y = OpTest("Reshape", 13).run({iota({1}), i64({0}, {})})[0];  // to a scalar
  EXPECT_EQ(y.rank(), 0);
}

TEST(Reshape, ErrorsNameBothShapes) {
  expect_error(
      [] {
        OpTest("Reshape", 13).run({iota({2, 3}), i64({2}, {4, 2})});
      },
      ErrorCode::kInvalidArgument, "[2,3] into [4,2]");
  expect_error(
      [] {
        OpTest("Reshape", 13).run({iota({2, 3}), i64({2}, {4, -1})});
      },
      ErrorCode::kInvalidArgument, "[2,3] into [4,-1]");
  expect_error(
      [] {
        OpTest("Reshape", 13).run({iota({2, 3}), i64({2}, {-1, -1})});
      },
      ErrorCode::kInvalidArgument, "more than one -1");
  expect_error(
      [] {
        OpTest("Reshape", 14).attr("allowzero", int64_t{1}).run({iota({0, 3}), i64({2}, {0, -1})});
      },
      ErrorCode::kInvalidArgument, "allowzero");
}

TEST(Reshape, SymbolicInference) {
  const Shape in = {Dim(std::string("batch")), Dim(12), Dim(64)};
  const Tensor target = i64({2}, {0, -1});
  auto ic = OpTest("Reshape", 14).infer({type(DType::kFloat, in), type(DType::kInt64, {2})}, {nullptr, &target});
  ASSERT_EQ(ic.out_[0].rank(), 2);
  EXPECT_EQ(ic.out_[0].shape[0].symbol, "batch");
  EXPECT_EQ(ic.out_[0].shape[1].value, 768);
  // [batch, 768] -> [batch, -1, 64] cancels batch.
  const Tensor t2 = i64({3}, {0, -1, 64});
  ic = OpTest("Reshape", 14)
           .infer({type(DType::kFloat, {Dim(std::string("b")), Dim(768)}), type(DType::kInt64, {3})}, {nullptr, &t2});
  EXPECT_EQ(ic.out_[0].shape[1].value, 12);
  // Unknown shape value: rank from the shape input's length.
  ic = OpTest("Reshape", 14).infer({type(DType::kFloat, in), type(DType::kInt64, {3})});
  EXPECT_EQ(ic.out_[0].rank(), 3);
}

TEST(Flatten, AxesIncludingNegative) {
  EXPECT_EQ(OpTest("Flatten", 13).attr("axis", int64_t{0}).run({iota({2, 3, 4})})[0].shape(),
            (std::vector<int64_t>{1, 24}));
  EXPECT_EQ(OpTest("Flatten", 13).attr("axis", int64_t{-1}).run({iota({2, 3, 4})})[0].shape(),
            (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(OpTest("Flatten", 13).attr("axis", int64_t{3}).run({iota({2, 3, 4})})[0].shape(),
            (std::vector<int64_t>{24, 1}));
  expect_error(
      [] {
        OpTest("Flatten", 9).attr("axis", int64_t{-1}).run({iota({2, 3})});
      },
      ErrorCode::kInvalidArgument, "axis");
}

TEST(SqueezeUnsqueeze, AttrAndInputForms) {
  EXPECT_EQ(OpTest("Squeeze", 11).attr("axes", std::vector<int64_t>{-1}).run({iota({1, 3, 1})})[0].shape(),
            (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(OpTest("Squeeze", 13).run({iota({1, 3, 1})})[0].shape(), (std::vector<int64_t>{3}));
  EXPECT_EQ(OpTest("Squeeze", 13).run({iota({1, 3, 1}), i64({1}, {0})})[0].shape(), (std::vector<int64_t>{3, 1}));
  expect_error([] { OpTest("Squeeze", 13).run({iota({1, 3}), i64({1}, {1})}); }, ErrorCode::kInvalidArgument, "not 1");
  EXPECT_EQ(OpTest("Unsqueeze", 13).run({iota({3, 4}), i64({3}, {4, 0, -2})})[0].shape(),
            (std::vector<int64_t>{1, 3, 4, 1, 1}));
  EXPECT_EQ(OpTest("Unsqueeze", 11).attr("axes", std::vector<int64_t>{1}).run({iota({3})})[0].shape(),
            (std::vector<int64_t>{3, 1}));
  expect_error(
      [] {
        OpTest("Unsqueeze", 13).run({iota({3}), i64({2}, {0, 0})});
      },
      ErrorCode::kInvalidArgument, "duplicate");
}

TEST(Transpose, DefaultReversesAndValues) {
  auto y = OpTest("Transpose", 13).run({iota({2, 3})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  Tensor s(DType::kString, {2, 2});
  for (int i = 0; i < 4; ++i) s.data_as<std::string>()[i] = std::string(1, static_cast<char>('a' + i));
  y = OpTest("Transpose", 13).attr("perm", std::vector<int64_t>{1, 0}).run({s})[0];
  EXPECT_EQ(values<std::string>(y), (std::vector<std::string>{"a", "c", "b", "d"}));
  expect_error(
      [] {
        OpTest("Transpose", 13).attr("perm", std::vector<int64_t>{0, 0}).build();
      },
      ErrorCode::kInvalidModel, "permutation");
}

TEST(Concat, ZeroSizeInputs) {
  auto y = OpTest("Concat", 13).attr("axis", int64_t{1}).run({iota({2, 0}), iota({2, 3}), iota({2, 0})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 1, 2, 3, 4, 5}));
  y = OpTest("Concat", 13).attr("axis", int64_t{-1}).run({iota({0, 2}), iota({0, 3})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{0, 5}));
  y = OpTest("Concat", 13).attr("axis", int64_t{0}).run({iota({1, 2}), iota({0}), iota({1, 2})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 1, 0, 1}));
  expect_error(
      [] {
        OpTest("Concat", 13).attr("axis", int64_t{0}).run({iota({1, 2}), iota({1, 3})});
      },
      ErrorCode::kInvalidArgument, "Concat");
}

TEST(Split, UnevenAndInputs) {
  OpTest s18("Split", 18, 3);
  s18.attr("num_outputs", int64_t{3});
  auto ys = s18.run({iota({7})});
  EXPECT_EQ(values<float>(ys[0]), (std::vector<float>{0, 1, 2}));
  EXPECT_EQ(values<float>(ys[2]), (std::vector<float>{6}));
  ys = OpTest("Split", 13, 2).attr("axis", int64_t{1}).run({iota({2, 4}), i64({2}, {1, 3})});
  EXPECT_EQ(values<float>(ys[0]), (std::vector<float>{0, 4}));
  EXPECT_EQ(values<float>(ys[1]), (std::vector<float>{1, 2, 3, 5, 6, 7}));
  ys = OpTest("Split", 11, 2).attr("split", std::vector<int64_t>{0, 4}).run({iota({4})});
  EXPECT_EQ(ys[0].numel(), 0);
  expect_error([] { OpTest("Split", 13, 3).run({iota({7})}); }, ErrorCode::kInvalidArgument, "equal parts");
}

TEST(Slice, NegativeStepsAndClamping) {
  const Tensor x = iota({10});
  auto y = OpTest("Slice", 13).run({x, i64({1}, {-1}), i64({1}, {LLONG_MIN}), kNone, i64({1}, {-3})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{9, 6, 3, 0}));
  y = OpTest("Slice", 13).run({x, i64({1}, {2}), i64({1}, {LLONG_MAX}), i64({1}, {0}), i64({1}, {3})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{2, 5, 8}));
  y = OpTest("Slice", 13).run({x, i64({1}, {20}), i64({1}, {-20}), i64({1}, {0}), i64({1}, {-1})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
  y = OpTest("Slice", 13).run({x, i64({1}, {5}), i64({1}, {2}), kNone, kNone})[0];
  EXPECT_EQ(y.numel(), 0);
  y = OpTest("Slice", 13).run({x, i64({1}, {1}), i64({1}, {9}), kNone, i64({1}, {LLONG_MAX})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{1}));
  y = OpTest("Slice", 13).run({x, i64({1}, {8}), i64({1}, {0}), kNone, i64({1}, {LLONG_MIN})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{8}));
  // 2-D, negative axis, opset 9 attributes.
  y = OpTest("Slice", 9)
          .attr("starts", std::vector<int64_t>{1})
          .attr("ends", std::vector<int64_t>{1000})
          .attr("axes", std::vector<int64_t>{-1})
          .run({iota({2, 3})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{1, 2, 4, 5}));
  expect_error(
      [&] {
        OpTest("Slice", 13).run({x, i64({1}, {0}), i64({1}, {5}), kNone, i64({1}, {0})});
      },
      ErrorCode::kInvalidArgument, "step");
}

TEST(Slice, SymbolicInference) {
  const Tensor st = i64({2}, {0, 1}), en = i64({2}, {INT64_MAX, 3}), ax = i64({2}, {0, 1});
  const Shape in = {Dim(std::string("n")), Dim(std::string("m")), Dim(5)};
  auto ic = OpTest("Slice", 13)
                .infer({type(DType::kFloat, in), type(DType::kInt64, {2}), type(DType::kInt64, {2}),
                        type(DType::kInt64, {2})},
                       {nullptr, &st, &en, &ax});
  ASSERT_EQ(ic.out_[0].rank(), 3);
  EXPECT_EQ(ic.out_[0].shape[0].symbol, "n");  // whole axis: the symbol survives
  EXPECT_FALSE(ic.out_[0].shape[1].known());   // 1:3 of an unknown dim
  EXPECT_NE(ic.out_[0].shape[1].symbol, "m");
  EXPECT_EQ(ic.out_[0].shape[2].value, 5);
}

TEST(Gather, NegativeIndicesAndOutOfRange) {
  const Tensor x = iota({3, 2});
  auto y = OpTest("Gather", 13).run({x, i64({2}, {-1, 0})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{4, 5, 0, 1}));
  y = OpTest("Gather", 13).attr("axis", int64_t{1}).run({x, i32({2, 1}, {1, -2})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(values<float>(y), (std::vector<float>{1, 0, 3, 2, 5, 4}));
  y = OpTest("Gather", 13).run({x, i64({}, {2})})[0];  // scalar index drops the axis
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2}));
  expect_error([&] { OpTest("Gather", 13).run({x, i64({2}, {0, 3})}); }, ErrorCode::kInvalidArgument, "index 3");
  expect_error([&] { OpTest("Gather", 13).run({x, i64({1}, {-4})}); }, ErrorCode::kInvalidArgument, "index -4");
}

TEST(Gather, ElementsAndND) {
  const Tensor x = iota({2, 2});
  auto y = OpTest("GatherElements", 13).attr("axis", int64_t{1}).run({x, i64({2, 2}, {0, 0, 1, -2})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 0, 3, 2}));
  expect_error(
      [&] {
        OpTest("GatherElements", 13).run({x, i64({1, 2}, {0, 2})});
      },
      ErrorCode::kInvalidArgument, "out of range");
  y = OpTest("GatherND", 13).run({x, i64({2, 2}, {0, 0, 1, 1})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 3}));
  y = OpTest("GatherND", 13).run({x, i64({2, 1}, {1, 0})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{2, 3, 0, 1}));
  y = OpTest("GatherND", 13).attr("batch_dims", int64_t{1}).run({iota({2, 2, 2}), i64({2, 1}, {1, 0})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{2, 3, 4, 5}));
  expect_error(
      [&] {
        OpTest("GatherND", 13).run({x, i64({1, 2}, {0, 2})});
      },
      ErrorCode::kInvalidArgument, "out of range");
}

TEST(Scatter, ElementsAndNDWithReductions) {
  auto y = OpTest("ScatterElements", 18)
               .attr("axis", int64_t{1})
               .attr("reduction", std::string("add"))
               .run({iota({1, 5}), i64({1, 2}, {1, 1}), f32({1, 2}, {1.1f, 2.1f})})[0];
  EXPECT_FLOAT_EQ(values<float>(y)[1], 1 + 1.1f + 2.1f);
  y = OpTest("ScatterND", 18).run({iota({4}), i64({2, 1}, {-1, 0}), f32({2}, {9, 8})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{8, 1, 2, 9}));
  expect_error(
      [] {
        OpTest("ScatterND", 18).run({iota({4}), i64({1, 1}, {4}), f32({1}, {9})});
      },
      ErrorCode::kInvalidArgument, "out of range");
}

TEST(Pad, ModesAndVersions) {
  const Tensor x = f32({3, 2}, {1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f});
  auto y = OpTest("Pad", 11).run({x, i64({4}, {0, 2, 0, 0}), f32({}, {0.5f})})[0];
  EXPECT_EQ(values<float>(y),
            (std::vector<float>{0.5f, 0.5f, 1.0f, 1.2f, 0.5f, 0.5f, 2.3f, 3.4f, 0.5f, 0.5f, 4.5f, 5.7f}));
  y = OpTest("Pad", 11).attr("mode", std::string("reflect")).run({x, i64({4}, {0, 2, 0, 0})})[0];
  EXPECT_EQ(values<float>(y),
            (std::vector<float>{1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f}));
  y = OpTest("Pad", 11).attr("mode", std::string("edge")).run({x, i64({4}, {0, 2, 0, 0})})[0];
  EXPECT_EQ(values<float>(y),
            (std::vector<float>{1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f}));
  y = OpTest("Pad", 19).attr("mode", std::string("wrap")).run({x, i64({4}, {2, 1, 1, 1})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{6, 4}));
  EXPECT_EQ(values<float>(y)[0], 3.4f);
  EXPECT_EQ(values<float>(y)[8], 1.2f);
  // opset 2 attributes, negative pads crop; opset 18 axes.
  y = OpTest("Pad", 2).attr("pads", std::vector<int64_t>{-1, 0, 0, 1}).attr("value", 7.0f).run({x})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{2.3f, 3.4f, 7, 4.5f, 5.7f, 7}));
  y = OpTest("Pad", 18).run({x, i64({2}, {1, 0}), kNone, i64({1}, {-1})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{3, 3}));
  Tensor xi(DType::kInt32, {2});
  y = OpTest("Pad", 2).attr("pads", std::vector<int64_t>{1, 0}).attr("value", 3.0f).run({xi})[0];
  EXPECT_EQ(values<int32_t>(y), (std::vector<int32_t>{3, 0, 0}));
  expect_error([] { OpTest("Pad", 11).attr("mode", std::string("wrap")).build(); }, ErrorCode::kInvalidModel, "wrap");
}

TEST(ExpandTile, Broadcasts) {
  auto y = OpTest("Expand", 13).run({iota({3, 1}), i64({3}, {2, 1, 4})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(values<float>(y)[5], 1.0f);
  y = OpTest("Tile", 13).run({iota({2, 2}), i64({2}, {2, 3})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{4, 6}));
  EXPECT_EQ(values<float>(y),
            (std::vector<float>{0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3, 0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3}));
  y = OpTest("Tile", 13).run({iota({2}), i64({1}, {0})})[0];
  EXPECT_EQ(y.numel(), 0);
}

TEST(ShapeSize, ValuesKnownFromShapes) {
  auto ic = OpTest("Shape", 15).attr("start", int64_t{1}).infer({type(DType::kFloat, {Dim(2), Dim(3), Dim(4)})});
  ASSERT_TRUE(ic.out_values_[0].has_value());
  EXPECT_EQ(values<int64_t>(*ic.out_values_[0]), (std::vector<int64_t>{3, 4}));
  ic = OpTest("Shape", 15)
           .attr("end", int64_t{-1})
           .infer({type(DType::kFloat, {Dim(std::string("n")), Dim(3), Dim(4)})});
  EXPECT_FALSE(ic.out_values_[0].has_value());
  EXPECT_EQ(ic.out_[0].shape[0].value, 2);
  ic = OpTest("Size", 13).infer({type(DType::kFloat, {Dim(2), Dim(3)})});
  ASSERT_TRUE(ic.out_values_[0].has_value());
  EXPECT_EQ(values<int64_t>(*ic.out_values_[0]), (std::vector<int64_t>{6}));
  auto y = OpTest("Shape", 15).attr("start", int64_t{-10}).attr("end", int64_t{10}).run({iota({2, 3})})[0];
  EXPECT_EQ(values<int64_t>(y), (std::vector<int64_t>{2, 3}));
  y = OpTest("Shape", 15).attr("start", int64_t{2}).attr("end", int64_t{1}).run({iota({2, 3})})[0];
  EXPECT_EQ(y.numel(), 0);
}

TEST(Generators, ConstantOfShapeRangeEyeLike) {
  Tensor v(DType::kInt32, {1});
  v.data_as<int32_t>()[0] = 7;
  auto y = OpTest("ConstantOfShape", 20).attr("value", v).run({i64({2}, {2, 3})})[0];
  EXPECT_EQ(values<int32_t>(y), std::vector<int32_t>(6, 7));
  y = OpTest("ConstantOfShape", 20).run({i64({1}, {0})})[0];
  EXPECT_EQ(y.dtype(), DType::kFloat);
  EXPECT_EQ(y.numel(), 0);
  y = OpTest("Range", 11).run({i32({}, {10}), i32({}, {4}), i32({}, {-3})})[0];
  EXPECT_EQ(values<int32_t>(y), (std::vector<int32_t>{10, 7}));
  y = OpTest("Range", 11).run({f32({}, {1}), f32({}, {2}), f32({}, {0.25f})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{1, 1.25f, 1.5f, 1.75f}));
  y = OpTest("EyeLike", 9).attr("k", int64_t{-1}).attr("dtype", int64_t{10}).run({iota({3, 2})})[0];
  EXPECT_EQ(values<uint16_t>(y), (std::vector<uint16_t>{0, 0, 0x3c00, 0, 0, 0x3c00}));
}

TEST(Misc, TriluOneHotNonZeroDropoutCumSum) {
  auto y = OpTest("Trilu", 14).attr("upper", int64_t{0}).run({iota({2, 3}), i64({}, {1})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 1, 0, 3, 4, 5}));
  y = OpTest("OneHot", 11).attr("axis", int64_t{0}).run({i64({2}, {-1, 5}), f32({}, {3}), f32({2}, {0, 1})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 0, 0, 0, 1, 0}));
  y = OpTest("NonZero", 13).run({f32({2, 2}, {1, 0, 0, 3})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values<int64_t>(y), (std::vector<int64_t>{0, 1, 0, 1}));
  OpTest d("Dropout", 13, 2);
  auto ys = d.run({iota({2, 2}), f32({}, {0.3f})});
  EXPECT_TRUE(d.aliased_[0]);
  EXPECT_EQ(ys[1].dtype(), DType::kBool);
  EXPECT_EQ(values<uint8_t>(ys[1]), std::vector<uint8_t>(4, 1));
  Tensor train(DType::kBool, {});
  train.data_as<uint8_t>()[0] = 1;
  // Training mode writes a fresh output instead of the view (tests/random covers it through a
  // session); a ratio of 1 or more is an error.
  expect_error(
      [&] {
        OpTest("Dropout", 13).run({iota({2}), f32({}, {1.5f}), train});
      },
      ErrorCode::kInvalidArgument, "ratio");
  y = OpTest("CumSum", 14).attr("exclusive", int64_t{1}).run({iota({2, 3}), i32({}, {-1})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 0, 1, 0, 3, 7}));
}

TEST(DepthSpace, RoundTripBothModes) {
  const Tensor x = iota({1, 8, 2, 3});
  for (const char* mode : {"DCR", "CRD"}) {
    auto up = OpTest("DepthToSpace", 13).attr("blocksize", int64_t{2}).attr("mode", std::string(mode)).run({x})[0];
    EXPECT_EQ(up.shape(), (std::vector<int64_t>{1, 2, 4, 6}));
    if (std::string(mode) == "CRD") continue;  // SpaceToDepth has DCR only up to opset 24
    auto back = OpTest("SpaceToDepth", 13).attr("blocksize", int64_t{2}).run({up})[0];
    EXPECT_EQ(values<float>(back), values<float>(x)) << mode;
  }
  // The spec example: DCR on [1, 8, 2, 3].
  auto y = OpTest("DepthToSpace", 11).attr("blocksize", int64_t{2}).run({x})[0];
  EXPECT_EQ(values<float>(y)[0], 0.0f);
  EXPECT_EQ(values<float>(y)[1], 12.0f);
  EXPECT_EQ(values<float>(y)[2], 1.0f);
  EXPECT_EQ(values<float>(y)[6], 24.0f);
}

TEST(Extras, CumProdCompressReverseSequence) {
  auto y = OpTest("CumProd", 26)
               .attr("exclusive", int64_t{1})
               .attr("reverse", int64_t{1})
               .run({f32({3}, {2, 3, 4}), i64({}, {0})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{12, 4, 1}));
  Tensor cond(DType::kBool, {3});
  cond.data_as<uint8_t>()[0] = 0;
  cond.data_as<uint8_t>()[1] = 1;
  cond.data_as<uint8_t>()[2] = 1;
  y = OpTest("Compress", 11).attr("axis", int64_t{-1}).run({iota({2, 3}), cond})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{1, 2, 4, 5}));
  y = OpTest("Compress", 11).run({iota({2, 2}), cond})[0];  // flattened, condition shorter than input
  EXPECT_EQ(values<float>(y), (std::vector<float>{1, 2}));
  expect_error(
      [&] {
        OpTest("Compress", 11).attr("axis", int64_t{0}).run({iota({2, 2}), cond});
      },
      ErrorCode::kInvalidArgument, "position 2");
  // The spec's example 2: batch_axis 0, time_axis 1.
  y = OpTest("ReverseSequence", 10)
          .attr("batch_axis", int64_t{0})
          .attr("time_axis", int64_t{1})
          .run({iota({4, 4}), i64({4}, {1, 2, 3, 4})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 1, 2, 3, 5, 4, 6, 7, 10, 9, 8, 11, 15, 14, 13, 12}));
  expect_error(
      [] {
        OpTest("ReverseSequence", 10).run({iota({2, 2}), i64({2}, {3, 1})});
      },
      ErrorCode::kInvalidArgument, "sequence length 3");
}

TEST(Extras, CenterCropPadAndTensorScatter) {
  // Crop 5 -> 2 starts at 1 (rounded down); pad 2 -> 5 puts the odd pixel on the right.
  auto y = OpTest("CenterCropPad", 18).run({iota({5, 2}), i64({2}, {2, 5})})[0];
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2, 5}));
  EXPECT_EQ(values<float>(y), (std::vector<float>{0, 2, 3, 0, 0, 0, 4, 5, 0, 0}));
  OpTest ts("TensorScatter", 24);
  ts.attr("mode", std::string("circular")).attr("axis", int64_t{1});
  y = ts.run({iota({2, 3}), f32({2, 2}, {10, 11, 20, 21}), i64({2}, {2, 0})})[0];
  EXPECT_EQ(values<float>(y), (std::vector<float>{11, 1, 10, 20, 21, 5}));
  expect_error(
      [] {
        OpTest("TensorScatter", 24).attr("axis", int64_t{1}).run({iota({1, 3}), iota({1, 2}), i64({1}, {2})});
      },
      ErrorCode::kInvalidArgument, "write index 2");
}

// Absurd user values must end in an ortl::Error (or a correct result), never in overflow or a
// crash; run under ORTL_SANITIZE=ON this also checks for undefined behaviour.
TEST(Robustness, ExtremeValues) {
  const Tensor x = iota({2, 3});
  auto throws = [](auto fn) {
    try {
      fn();
    } catch (const Error&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(throws([&] { OpTest("Reshape", 14).run({x, i64({2}, {INT64_MAX, 2})}); }));
  EXPECT_TRUE(throws([&] { OpTest("Reshape", 14).run({x, i64({3}, {INT64_MAX, INT64_MAX, -1})}); }));
  EXPECT_TRUE(throws([&] { OpTest("Tile", 13).run({x, i64({2}, {INT64_MAX, 2})}); }));
  EXPECT_TRUE(throws([&] { OpTest("Pad", 11).run({x, i64({4}, {INT64_MIN, 0, INT64_MAX, 0})}); }));
  EXPECT_TRUE(throws([&] { OpTest("Expand", 13).run({x, i64({2}, {INT64_MAX, 3})}); }));
  EXPECT_TRUE(throws([&] { OpTest("ConstantOfShape", 20).run({i64({2}, {INT64_MAX, INT64_MAX})}); }));
  EXPECT_TRUE(throws([&] { OpTest("Range", 11).run({i64({}, {INT64_MIN}), i64({}, {INT64_MAX}), i64({}, {1})}); }));
  EXPECT_TRUE(throws([&] { OpTest("OneHot", 11).run({i64({1}, {0}), i64({}, {INT64_MAX}), f32({2}, {0, 1})}); }));
  EXPECT_TRUE(throws([&] {
    OpTest("TensorScatter", 24).attr("axis", int64_t{1}).run({x, iota({2, 1}), i64({2}, {INT64_MAX, 0})});
  }));
  auto y = OpTest("Range", 11).run({i64({}, {INT64_MAX - 2}), i64({}, {INT64_MAX}), i64({}, {INT64_MAX})})[0];
  EXPECT_EQ(values<int64_t>(y), (std::vector<int64_t>{INT64_MAX - 2}));
  y = OpTest("EyeLike", 9).attr("k", int64_t{INT64_MIN}).run({x})[0];
  EXPECT_EQ(values<float>(y), std::vector<float>(6, 0.0f));
  y = OpTest("Trilu", 14).run({x, i64({}, {INT64_MIN})})[0];
  EXPECT_EQ(values<float>(y), values<float>(x));
  y = OpTest("Trilu", 14).attr("upper", int64_t{0}).run({x, i64({}, {INT64_MIN})})[0];
  EXPECT_EQ(values<float>(y), std::vector<float>(6, 0.0f));
  y = OpTest("OneHot", 11).run({f32({2}, {1e30f, -1e30f}), f32({}, {2}), f32({2}, {0, 1})})[0];
  EXPECT_EQ(values<float>(y), std::vector<float>(4, 0.0f));
}

}  // namespace
}  // namespace ortl::tensor_test
