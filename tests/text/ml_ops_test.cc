// ai.onnx.ml LabelEncoder (v1, v2, v4), Binarizer, ArrayFeatureExtractor and TreeEnsemble on
// hand-checked cases, with empty tensors, UTF-8 keys and bad attributes.
#include <cmath>
#include <limits>

#include "kernels/eltwise/half.h"
#include "tests/text/harness.h"

namespace ortl::texttest {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
const char* const kMl = "ai.onnx.ml";

// ---- LabelEncoder ------------------------------------------------------------------------

TEST(LabelEncoder, StringsToInts) {
  const Op op = Op("LabelEncoder", 2, kMl)
                    .attr("keys_strings", attr_strings({"a", "的", ""}))
                    .attr("values_int64s", attr_ints({1, 2, 3}));
  auto y = op.run({strs({2, 2}, {"的", "", "z", "a"})});
  EXPECT_EQ(y[0].dtype(), DType::kInt64);
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values<int64_t>(y[0]), (std::vector<int64_t>{2, 3, -1, 1}));
  EXPECT_EQ(op.run({strs({0}, {})})[0].shape(), (std::vector<int64_t>{0}));
}

TEST(LabelEncoder, IntsToStringsAndFloatKeys) {
  auto y = Op("LabelEncoder", 2, kMl)
               .attr("keys_int64s", attr_ints({5, 7}))
               .attr("values_strings", attr_strings({"five", "sept"}))
               .run({make<int64_t>(DType::kInt64, {3}, {7, 5, 6})});
  EXPECT_EQ(values<std::string>(y[0]), (std::vector<std::string>{"sept", "five", "_Unused"}));
  // NaN keys match any NaN; -0 and 0 are one key; the default float is -0.0.
  y = Op("LabelEncoder", 4, kMl)
          .attr("keys_floats", attr_floats({kNaN, 0.0f, 1.5f}))
          .attr("values_floats", attr_floats({7, 8, 9}))
          .run({make<float>(DType::kFloat, {4}, {-kNaN, -0.0f, 1.5f, 2})});
  const auto v = values<float>(y[0]);
  EXPECT_EQ(std::vector<float>(v.begin(), v.begin() + 3), (std::vector<float>{7, 8, 9}));
  EXPECT_EQ(v[3], 0.0f);
  EXPECT_TRUE(std::signbit(v[3]));
}

TEST(LabelEncoder, V4TensorsAndRepeatedKeys) {
  auto y = Op("LabelEncoder", 4, kMl)
               .attr("keys_tensor", attr_t(make<int32_t>(DType::kInt32, {3}, {1, 2, 1})))
               .attr("values_tensor", attr_t(make<double>(DType::kDouble, {3}, {0.5, 0.25, 4})))
               .attr("default_tensor", attr_t(make<double>(DType::kDouble, {1}, {9})))
               .run({make<int32_t>(DType::kInt32, {3}, {1, 2, 3})});
  EXPECT_EQ(y[0].dtype(), DType::kDouble);
  EXPECT_EQ(values<double>(y[0]), (std::vector<double>{4, 0.25, 9}));  // the last "1" wins
  // Without default_tensor an int16 value defaults to -1.
  y = Op("LabelEncoder", 4, kMl)
          .attr("keys_strings", attr_strings({"x"}))
          .attr("values_tensor", attr_t(make<int16_t>(DType::kInt16, {1}, {3})))
          .run({strs({2}, {"x", "y"})});
  EXPECT_EQ(values<int16_t>(y[0]), (std::vector<int16_t>{3, -1}));
}

TEST(LabelEncoder, V1ClassesBothWays) {
  const Op op = Op("LabelEncoder", 1, kMl).attr("classes_strings", attr_strings({"a", "b", "a"}));
  auto y = op.run({strs({3}, {"b", "a", "z"})});
  EXPECT_EQ(values<int64_t>(y[0]), (std::vector<int64_t>{1, 0, -1}));
  y = op.run({make<int64_t>(DType::kInt64, {3}, {1, 3, -1})});
  EXPECT_EQ(values<std::string>(y[0]), (std::vector<std::string>{"b", "_Unused", "_Unused"}));
}

TEST(LabelEncoder, Errors) {
  std::string msg;
  EXPECT_EQ(error_of(
                [&] {
                  Op("LabelEncoder", 2, kMl)
                      .attr("keys_strings", attr_strings({"a", "b"}))
                      .attr("values_int64s", attr_ints({1}))
                      .build();
                },
                &msg),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("differ in length"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] {
              Op("LabelEncoder", 2, kMl)
                  .attr("keys_strings", attr_strings({"a"}))
                  .attr("keys_int64s", attr_ints({1}))
                  .attr("values_int64s", attr_ints({1}))
                  .build();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              Op("LabelEncoder", 2, kMl)
                  .attr("keys_tensor", attr_t(make<int64_t>(DType::kInt64, {1}, {1})))
                  .attr("values_int64s", attr_ints({1}))
                  .build();
            }),
            ErrorCode::kInvalidArgument);  // tensors need opset 4
  EXPECT_EQ(error_of([&] {
              Op("LabelEncoder", 4, kMl)
                  .attr("keys_int64s", attr_ints({1}))
                  .attr("values_tensor", attr_t(make<int16_t>(DType::kInt16, {1}, {1})))
                  .attr("default_tensor", attr_t(make<int32_t>(DType::kInt32, {1}, {1})))
                  .build();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              Op("LabelEncoder", 2, kMl)
                  .attr("keys_strings", attr_strings({"a"}))
                  .attr("values_int64s", attr_ints({1}))
                  .run({make<float>(DType::kFloat, {1}, {1})});
            }),
            ErrorCode::kInvalidArgument);
}

// ---- Binarizer / ArrayFeatureExtractor ----------------------------------------------------

TEST(Binarizer, ThresholdIsStrict) {
  auto y = Op("Binarizer", 1, kMl)
               .attr("threshold", attr_f(1))
               .run({make<float>(DType::kFloat, {2, 2}, {kNaN, 0.5f, 1, 2})});
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{0, 0, 0, 1}));
  y = Op("Binarizer", 1, kMl).run({make<int64_t>(DType::kInt64, {3}, {-1, 0, 5})});
  EXPECT_EQ(values<int64_t>(y[0]), (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(Op("Binarizer", 1, kMl).run({make<double>(DType::kDouble, {0, 3}, {})})[0].shape(),
            (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(error_of([&] { Op("Binarizer", 1, kMl).run({strs({1}, {"1"})}); }), ErrorCode::kInvalidArgument);
}

TEST(ArrayFeatureExtractor, GathersLastAxis) {
  const Op op("ArrayFeatureExtractor", 1, kMl);
  auto y = op.run({make<float>(DType::kFloat, {2, 3}, {0, 1, 2, 3, 4, 5}), make<int64_t>(DType::kInt64, {2}, {2, 0})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{2, 0, 5, 3}));
  y = op.run({strs({3}, {"a", "的", ""}), make<int64_t>(DType::kInt64, {1, 2}, {1, 1})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{1, 2}));  // 1-D X gives one row
  EXPECT_EQ(values<std::string>(y[0]), (std::vector<std::string>{"的", "的"}));
  y = op.run(
      {make<int32_t>(DType::kInt32, {2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}), make<int64_t>(DType::kInt64, {0}, {})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{2, 2, 0}));
  std::string msg;
  EXPECT_EQ(
      error_of(
          [&] {
            op.run({make<float>(DType::kFloat, {2, 3}, {0, 1, 2, 3, 4, 5}), make<int64_t>(DType::kInt64, {1}, {3})});
          },
          &msg),
      ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("out of range"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] {
              op.run({make<float>(DType::kFloat, {}, {1}), make<int64_t>(DType::kInt64, {1}, {0})});
            }),
            ErrorCode::kInvalidArgument);
}

// ---- TreeEnsemble ------------------------------------------------------------------------

// Tree 1: node 0 "x0 <= 0.5" -> leaf 0 (t0 += 1) else node 1 "x1 > 2" -> leaf 1 (t1 += 2)
// else leaf 2 (t0 += 3). Tree 2: node 2, a single leaf 3 (t1 += 10) on both branches.
Op tree_op(int64_t aggregate = 1, int64_t post = 0, std::vector<int64_t> missing = {}) {
  Op op("TreeEnsemble", 5, kMl);
  op.attr("nodes_splits", attr_t(make<float>(DType::kFloat, {3}, {0.5f, 2, 0})))
      .attr("nodes_featureids", attr_ints({0, 1, 0}))
      .attr("nodes_modes", attr_t(make<uint8_t>(DType::kUInt8, {3}, {0, 3, 0})))
      .attr("nodes_truenodeids", attr_ints({0, 1, 3}))
      .attr("nodes_trueleafs", attr_ints({1, 1, 1}))
      .attr("nodes_falsenodeids", attr_ints({1, 2, 3}))
      .attr("nodes_falseleafs", attr_ints({0, 1, 1}))
      .attr("leaf_targetids", attr_ints({0, 1, 0, 1}))
      .attr("leaf_weights", attr_t(make<float>(DType::kFloat, {4}, {1, 2, 3, 10})))
      .attr("tree_roots", attr_ints({0, 2}))
      .attr("n_targets", attr_i(2))
      .attr("aggregate_function", attr_i(aggregate))
      .attr("post_transform", attr_i(post));
  if (!missing.empty()) op.attr("nodes_missing_value_tracks_true", attr_ints(std::move(missing)));
  return op;
}

const Tensor& tree_x() {
  static const Tensor x = make<float>(DType::kFloat, {4, 2}, {0.2f, 5, 0.7f, 3, 0.7f, 1, kNaN, 1});
  return x;
}

TEST(TreeEnsemble, AggregatesPerTarget) {
  EXPECT_EQ(values<float>(tree_op().run({tree_x()})[0]), (std::vector<float>{1, 10, 0, 12, 3, 10, 3, 10}));
  EXPECT_EQ(values<float>(tree_op(0).run({tree_x()})[0]), (std::vector<float>{0.5f, 5, 0, 6, 1.5f, 5, 1.5f, 5}));
  EXPECT_EQ(values<float>(tree_op(2).run({tree_x()})[0]), (std::vector<float>{1, 10, 0, 2, 3, 10, 3, 10}));
  EXPECT_EQ(values<float>(tree_op(3).run({tree_x()})[0]), (std::vector<float>{1, 10, 0, 10, 3, 10, 3, 10}));
  // NaN takes the true branch where the node says so.
  auto y = tree_op(1, 0, {1, 0, 0}).run({tree_x()});
  EXPECT_EQ(values<float>(y[0])[6], 1.0f);
}

TEST(TreeEnsemble, PostTransforms) {
  auto y = tree_op(1, 2).run({tree_x()});  // logistic
  EXPECT_NEAR(values<float>(y[0])[0], 1 / (1 + std::exp(-1.0)), 1e-6);
  EXPECT_FLOAT_EQ(values<float>(y[0])[2], 0.5f);
  y = tree_op(1, 1).run({tree_x()});  // softmax of [1, 10]
  EXPECT_NEAR(values<float>(y[0])[0], std::exp(1.0) / (std::exp(1.0) + std::exp(10.0)), 1e-7);
  y = tree_op(1, 3).run({tree_x()});  // softmax_zero of [0, 12]: the zero stays
  EXPECT_EQ(values<float>(y[0])[2], 0.0f);
  EXPECT_FLOAT_EQ(values<float>(y[0])[3], 1.0f);
  // probit(0.975) = 1.959964 (the 97.5% normal quantile)
  Op probit("TreeEnsemble", 5, kMl);
  probit.attr("nodes_splits", attr_t(make<double>(DType::kDouble, {1}, {0})))
      .attr("nodes_featureids", attr_ints({0}))
      .attr("nodes_modes", attr_t(make<uint8_t>(DType::kUInt8, {1}, {0})))
      .attr("nodes_truenodeids", attr_ints({0}))
      .attr("nodes_trueleafs", attr_ints({1}))
      .attr("nodes_falsenodeids", attr_ints({0}))
      .attr("nodes_falseleafs", attr_ints({1}))
      .attr("leaf_targetids", attr_ints({0}))
      .attr("leaf_weights", attr_t(make<double>(DType::kDouble, {1}, {0.975})))
      .attr("tree_roots", attr_ints({0}))
      .attr("post_transform", attr_i(4));
  y = probit.run({make<double>(DType::kDouble, {1, 1}, {0})});
  EXPECT_NEAR(values<double>(y[0])[0], 1.959963984540054, 1e-9);
}

TEST(TreeEnsemble, MembershipDoubleAndHalfInputs) {
  Op op("TreeEnsemble", 5, kMl);
  op.attr("nodes_splits", attr_t(make<float>(DType::kFloat, {2}, {0, 0})))
      .attr("nodes_featureids", attr_ints({0, 0}))
      .attr("nodes_modes", attr_t(make<uint8_t>(DType::kUInt8, {2}, {6, 6})))
      .attr("nodes_truenodeids", attr_ints({0, 1}))
      .attr("nodes_trueleafs", attr_ints({1, 1}))
      .attr("nodes_falsenodeids", attr_ints({1, 2}))
      .attr("nodes_falseleafs", attr_ints({0, 1}))
      .attr("membership_values", attr_t(make<float>(DType::kFloat, {5}, {3, 1, kNaN, 7, kNaN})))
      .attr("leaf_targetids", attr_ints({0, 0, 0}))
      .attr("leaf_weights", attr_t(make<float>(DType::kFloat, {3}, {1, 2, 3})))
      .attr("tree_roots", attr_ints({0}));
  auto y = op.run({make<double>(DType::kDouble, {4, 1}, {1, 7, 2, std::nan("")})});
  EXPECT_EQ(y[0].dtype(), DType::kDouble);
  EXPECT_EQ(values<double>(y[0]), (std::vector<double>{1, 2, 3, 3}));
  Tensor xh(DType::kFloat16, {2, 1});
  xh.data_as<uint16_t>()[0] = kernels::float_to_half_bits(3.0f);
  xh.data_as<uint16_t>()[1] = kernels::float_to_half_bits(7.0f);
  y = op.run({xh});
  EXPECT_EQ(y[0].dtype(), DType::kFloat16);
  EXPECT_EQ(kernels::half_bits_to_float(y[0].data_as<uint16_t>()[0]), 1.0f);
  EXPECT_EQ(kernels::half_bits_to_float(y[0].data_as<uint16_t>()[1]), 2.0f);
  EXPECT_EQ(op.run({make<float>(DType::kFloat, {0, 1}, {})})[0].shape(), (std::vector<int64_t>{0, 1}));
}

TEST(TreeEnsemble, Errors) {
  std::string msg;
  EXPECT_EQ(error_of(
                [&] {
                  tree_op()
                      .attr("nodes_falsenodeids", attr_ints({0, 2, 3}))
                      .attr("nodes_falseleafs", attr_ints({0, 1, 1}))
                      .build();
                },
                &msg),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("cycle"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] {
              tree_op().attr("nodes_truenodeids", attr_ints({9, 1, 3})).build();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              tree_op().attr("nodes_modes", attr_t(make<uint8_t>(DType::kUInt8, {3}, {0, 9, 0}))).build();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              tree_op().attr("nodes_featureids", attr_ints({0, 1})).build();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { tree_op().attr("n_targets", attr_i(1)).build(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { tree_op(7).build(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              tree_op().attr("nodes_modes", attr_t(make<uint8_t>(DType::kUInt8, {3}, {0, 6, 0}))).build();
            }),
            ErrorCode::kInvalidArgument);  // a set node without membership_values
  EXPECT_EQ(error_of(
                [&] {
                  tree_op().run({make<float>(DType::kFloat, {2, 1}, {0, 1})});
                },
                &msg),
            ErrorCode::kInvalidArgument);  // reads feature 1
  EXPECT_NE(msg.find("feature"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { tree_op().run({make<float>(DType::kFloat, {2}, {0, 1})}); }), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ortl::texttest
