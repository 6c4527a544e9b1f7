// Graph simplification passes (graph/passes/): each pass fires where it should, leaves the graph
// alone where it must not, and the optimized graph computes the same outputs as the original.
#include "pass_test_util.h"

namespace ortl::test {
namespace {

// ---- Identity / Dropout removal --------------------------------------------------------------

TEST(RemoveIdentity, ChainOfIdentityAndDropoutIsRemoved) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2, 3});
  b.node("Identity", {"x"}, {"a"});
  b.node("Relu", {"a"}, {"r"});
  b.node("Identity", {"r"}, {"i1"});
  b.node("Dropout", {"i1"}, {"d1"});
  b.node("Identity", {"d1"}, {"i2"});
  b.node("Add", {"i2", "a"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3}, 1)}});
  EXPECT_EQ(r.stats.removed_identity, 3);
  EXPECT_EQ(r.stats.removed_dropout, 1);
  EXPECT_EQ(r.nodes_before, 6u);
  EXPECT_EQ(r.nodes_after, 2u);
  EXPECT_EQ(count_op(*r.optimized, "Identity"), 0);
}

TEST(RemoveIdentity, GraphOutputIdentityIsKept) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {4});
  b.node("Identity", {"x"}, {"a"});  // removable
  b.node("Relu", {"a"}, {"r"});
  b.node("Identity", {"r"}, {"y"});  // graph output: kept
  b.node("Identity", {"r"}, {"z"});  // graph output, also read below: kept
  b.node("Neg", {"z"}, {"w"});
  b.output("y", DType::kFloat);
  b.output("z", DType::kFloat);
  b.output("w", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({4}, 2)}});
  EXPECT_EQ(r.stats.removed_identity, 1);
  EXPECT_EQ(r.nodes_after, 4u);
  EXPECT_EQ(count_op(*r.optimized, "Identity"), 2);
}

TEST(RemoveIdentity, GraphInputPassedStraightToOutputIsKept) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {3});
  b.node("Identity", {"x"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({3}, 3)}});
  EXPECT_EQ(r.stats.total(), 0);
  EXPECT_EQ(r.nodes_after, 1u);
}

TEST(RemoveDropout, UsedMaskKeepsOpset11Dropout) {
  ModelBuilder b(11);
  b.input("x", DType::kFloat, {2, 2});
  b.node("Dropout", {"x"}, {"d", "mask"});
  b.node("Dropout", {"d"}, {"e", "unused_mask"});  // mask unused: removable
  b.node("Relu", {"e"}, {"y"});
  b.output("y", DType::kFloat);
  b.output("mask", DType::kBool);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 2}, 4)}});
  EXPECT_EQ(r.stats.removed_dropout, 1);
  EXPECT_EQ(count_op(*r.optimized, "Dropout"), 1);
}

TEST(RemoveDropout, Opset12TrainingModeMustBeAFalseConstant) {
  ModelBuilder b(13);
  b.input("x", DType::kFloat, {2, 3});
  b.input("train", DType::kBool, {});
  b.initializer("ratio", make_f32({}, {0.f}));
  b.initializer("no", make_bool_scalar(false));
  b.node("Dropout", {"x", "ratio", "no"}, {"a"});     // constant false: removed
  b.node("Dropout", {"a", "ratio"}, {"b"});           // no training_mode: removed
  b.node("Dropout", {"b", "ratio", "train"}, {"c"});  // runtime input: kept
  b.node("Relu", {"c"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3}, 5)}, {"train", make_bool_scalar(false)}});
  EXPECT_EQ(r.stats.removed_dropout, 2);
  EXPECT_EQ(count_op(*r.optimized, "Dropout"), 1);
  EXPECT_EQ(r.nodes_after, 2u);
}

TEST(RemoveDropout, TrainingModeInitializerThatIsAlsoAnInputIsNotConstant) {
  ModelBuilder b(13);
  b.input("x", DType::kFloat, {2});
  b.input("train", DType::kBool, {});
  b.initializer("train", make_bool_scalar(false));  // a default the caller may override
  b.node("Dropout", {"x", "", "train"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  EXPECT_EQ(graph::optimize(*g, 1).total(), 0);
  EXPECT_EQ(g->nodes.size(), 1u);
}

TEST(Optimize, LevelZeroDoesNothing) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2});
  b.node("Identity", {"x"}, {"a"});
  b.node("Relu", {"a"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  EXPECT_EQ(graph::optimize(*g, 0).total(), 0);
  EXPECT_EQ(g->nodes.size(), 2u);
}

// ---- Conv + BatchNormalization folding -------------------------------------------------------

// x[1,3,6,6] -> Conv(W[4,3/group,3,3], B?) -> conv_out -> BN -> bn_out -> Relu -> y
void conv_bn_model(ModelBuilder& b, bool with_bias, int group = 1, bool bn_params_const = true) {
  const int64_t cin = 4, m = 4;
  b.input("x", DType::kFloat, {1, cin, 6, 6});
  b.initializer("W", make_rand({m, cin / group, 3, 3}, 10));
  std::vector<std::string> ins = {"x", "W"};
  if (with_bias) {
    b.initializer("B", make_rand({m}, 11));
    ins.push_back("B");
  }
  auto& c = b.node("Conv", ins, {"conv_out"}, "conv");
  ModelBuilder::attr_ints(c, "pads", {1, 1, 1, 1});
  ModelBuilder::attr_int(c, "group", group);
  if (bn_params_const) {
    b.initializer("scale", make_rand({m}, 12, 0.5f, 2.f));
  } else {
    b.input("scale", DType::kFloat, {m});
  }
  b.initializer("bias", make_rand({m}, 13));
  b.initializer("mean", make_rand({m}, 14));
  b.initializer("var", make_rand({m}, 15, 0.1f, 3.f));
  auto& bn = b.node("BatchNormalization", {"conv_out", "scale", "bias", "mean", "var"}, {"bn_out"}, "bn");
  attr_float(bn, "epsilon", 1e-3f);
  b.node("Neg", {"bn_out"}, {"y"});  // not fusable: keeps these tests about the fold
  b.output("y", DType::kFloat);
}

TEST(FoldConvBn, FoldsWithBias) {
  ModelBuilder b(17);
  conv_bn_model(b, /*with_bias=*/true);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 4, 6, 6}, 20)}});
  EXPECT_EQ(r.stats.folded_bn, 1);
  EXPECT_EQ(r.nodes_before, 3u);
  EXPECT_EQ(r.nodes_after, 2u);
  EXPECT_EQ(count_op(*r.optimized, "BatchNormalization"), 0);
  // The original initializers are untouched; the Conv reads new ones and writes the BN's output.
  const graph::Graph& g = *r.optimized;
  const graph::Node& conv = g.nodes[0];
  ASSERT_EQ(conv.op_type, "Conv");
  ASSERT_EQ(conv.inputs.size(), 3u);
  EXPECT_NE(g.values[conv.inputs[1]].name, "W");
  EXPECT_NE(g.values[conv.inputs[2]].name, "B");
  EXPECT_EQ(g.values[conv.outputs[0]].name, "bn_out");
  const Tensor& w0 = *g.values[g.find("W")].initializer;
  const Tensor ref = make_rand({4, 4, 3, 3}, 10);
  for (int64_t i = 0; i < ref.numel(); ++i) EXPECT_EQ(w0.data_as<float>()[i], ref.data_as<float>()[i]);
}

TEST(FoldConvBn, FoldsWithoutBiasAndGrouped) {
  ModelBuilder b(13);
  conv_bn_model(b, /*with_bias=*/false, /*group=*/2);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 4, 6, 6}, 21)}});
  EXPECT_EQ(r.stats.folded_bn, 1);
  EXPECT_EQ(r.nodes_after, 2u);
  EXPECT_EQ(r.optimized->nodes[0].inputs.size(), 3u);
}

TEST(FoldConvBn, FoldsThroughRemovedIdentity) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 2, 5, 5});
  b.initializer("W", make_rand({3, 2, 1, 1}, 30));
  b.node("Conv", {"x", "W"}, {"c"});
  b.node("Identity", {"c"}, {"ci"});
  b.initializer("scale", make_rand({3}, 31, 0.5f, 2.f));
  b.initializer("bias", make_rand({3}, 32));
  b.initializer("mean", make_rand({3}, 33));
  b.initializer("var", make_rand({3}, 34, 0.1f, 2.f));
  b.node("BatchNormalization", {"ci", "scale", "bias", "mean", "var"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 2, 5, 5}, 35)}});
  EXPECT_EQ(r.stats.removed_identity, 1);
  EXPECT_EQ(r.stats.folded_bn, 1);
  EXPECT_EQ(r.nodes_after, 1u);
}

TEST(FoldConvBn, SharedWeightStaysIntactForTheOtherConv) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 2, 4, 4});
  b.initializer("W", make_rand({2, 2, 3, 3}, 40));
  b.initializer("scale", make_rand({2}, 41, 0.5f, 2.f));
  b.initializer("bias", make_rand({2}, 42));
  b.initializer("mean", make_rand({2}, 43));
  b.initializer("var", make_rand({2}, 44, 0.1f, 2.f));
  b.node("Conv", {"x", "W"}, {"c1"});
  b.node("BatchNormalization", {"c1", "scale", "bias", "mean", "var"}, {"y1"});
  b.node("Conv", {"x", "W"}, {"y2"});
  b.initializer("W_bnfold", make_rand({1}, 45));  // name clash: the new one must get another name
  b.node("Neg", {"W_bnfold"}, {"y3"});
  b.output("y1", DType::kFloat);
  b.output("y2", DType::kFloat);
  b.output("y3", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 2, 4, 4}, 46)}});
  EXPECT_EQ(r.stats.folded_bn, 1);
  EXPECT_EQ(r.nodes_after, 3u);
  EXPECT_GE(r.optimized->find("W_bnfold_1"), 0);  // the clashing name was avoided
}

TEST(FoldConvBn, NotFoldedWhenConvOutputIsUsedTwice) {
  ModelBuilder b(17);
  conv_bn_model(b, true);
  b.node("Sigmoid", {"conv_out"}, {"z"});
  b.output("z", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 4, 6, 6}, 50)}});
  EXPECT_EQ(r.stats.folded_bn, 0);
  EXPECT_EQ(r.nodes_after, r.nodes_before);
}

TEST(FoldConvBn, NotFoldedWhenConvOutputIsAGraphOutput) {
  ModelBuilder b(17);
  conv_bn_model(b, true);
  b.output("conv_out", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 4, 6, 6}, 51)}});
  EXPECT_EQ(r.stats.folded_bn, 0);
  EXPECT_EQ(r.nodes_after, r.nodes_before);
}

TEST(FoldConvBn, NotFoldedWithNonConstantBnParams) {
  ModelBuilder b(17);
  conv_bn_model(b, true, 1, /*bn_params_const=*/false);
  const Result r =
      optimize_and_compare(b, {{"x", make_rand({1, 4, 6, 6}, 52)}, {"scale", make_rand({4}, 53, 0.5f, 2.f)}});
  EXPECT_EQ(r.stats.folded_bn, 0);
  EXPECT_EQ(count_op(*r.optimized, "BatchNormalization"), 1);
}

TEST(FoldConvBn, NotFoldedWithNonConstantWeight) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 2, 4, 4});
  b.input("W", DType::kFloat, {2, 2, 1, 1});
  b.initializer("scale", make_rand({2}, 61, 0.5f, 2.f));
  b.initializer("bias", make_rand({2}, 62));
  b.initializer("mean", make_rand({2}, 63));
  b.initializer("var", make_rand({2}, 64, 0.1f, 2.f));
  b.node("Conv", {"x", "W"}, {"c"});
  b.node("BatchNormalization", {"c", "scale", "bias", "mean", "var"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 2, 4, 4}, 65)}, {"W", make_rand({2, 2, 1, 1}, 66)}});
  EXPECT_EQ(r.stats.folded_bn, 0);
  EXPECT_EQ(r.nodes_after, 2u);
}

// ---- Conv [+ Add] [+ activation] fusion -------------------------------------------------------

Tensor scalar(float v) {
  Tensor t(DType::kFloat, {});
  *t.data_as<float>() = v;
  return t;
}

// x [1, c, 7, 9] -> Conv 3x3 pad 1 (group g) -> `tail` nodes -> y.
void conv_model(ModelBuilder& b, int64_t c, int64_t group = 1, bool bias = true, int64_t width = 9) {
  b.input("x", DType::kFloat, {1, c, 7, width});
  b.initializer("W", make_rand({c, c / group, 3, 3}, 70));
  std::vector<std::string> ins = {"x", "W"};
  if (bias) {
    b.initializer("B", make_rand({c}, 71));
    ins.push_back("B");
  }
  auto& n = b.node("Conv", ins, {"c"}, "conv");
  ModelBuilder::attr_ints(n, "pads", {1, 1, 1, 1});
  ModelBuilder::attr_int(n, "group", group);
}

TEST(FuseConv, ReluIsFused) {
  ModelBuilder b(17);
  conv_model(b, 5);
  b.node("Relu", {"c"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 5, 7, 9}, 72)}});
  EXPECT_EQ(r.stats.fused_conv_act, 1);
  EXPECT_EQ(r.nodes_after, 1u);
  EXPECT_EQ(count_op(*r.optimized, "FusedConv"), 1);
}

TEST(FuseConv, ResidualAddAndReluAreFused) {
  ModelBuilder b(17);
  conv_model(b, 4);
  b.input("z", DType::kFloat, {1, 4, 7, 9});
  b.node("Add", {"z", "c"}, {"s"});  // the conv output on either side
  b.node("Relu", {"s"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 4, 7, 9}, 73)}, {"z", make_rand({1, 4, 7, 9}, 74)}});
  EXPECT_EQ(r.stats.fused_conv_add, 1);
  EXPECT_EQ(r.stats.fused_conv_act, 1);
  EXPECT_EQ(r.nodes_after, 1u);
}

TEST(FuseConv, BroadcastingAddStillComputesTheSame) {
  // Per-channel, per-pixel and batch-widening addends all take the kernel's broadcast path.
  for (const std::vector<int64_t>& zs : {std::vector<int64_t>{1, 4, 1, 1}, {7, 9}, {3, 4, 7, 9}, {}}) {
    ModelBuilder b(17);
    conv_model(b, 4, 1, /*bias=*/false);
    b.input("z", DType::kFloat, zs);
    b.node("Add", {"c", "z"}, {"y"});
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({1, 4, 7, 9}, 75)}, {"z", make_rand(zs, 76)}});
    EXPECT_EQ(r.stats.fused_conv_add, 1);
    EXPECT_EQ(r.nodes_after, 1u);
  }
}

TEST(FuseConv, ClipFromInputsOrAttributes) {
  {
    ModelBuilder b(13);  // Clip-11+: bounds are inputs
    conv_model(b, 3);
    b.initializer("lo", scalar(0.f));
    b.initializer("hi", scalar(0.5f));
    b.node("Clip", {"c", "lo", "hi"}, {"y"});
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({1, 3, 7, 9}, 77)}});
    EXPECT_EQ(r.stats.fused_conv_act, 1);
  }
  {
    ModelBuilder b(13);  // only a max bound
    conv_model(b, 3);
    b.initializer("hi", scalar(0.25f));
    b.node("Clip", {"c", "", "hi"}, {"y"});
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({1, 3, 7, 9}, 78)}});
    EXPECT_EQ(r.stats.fused_conv_act, 1);
  }
  {
    ModelBuilder b(6);  // Clip-6: attributes
    conv_model(b, 3);
    auto& n = b.node("Clip", {"c"}, {"y"});
    attr_float(n, "min", -0.1f);
    attr_float(n, "max", 0.3f);
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({1, 3, 7, 9}, 79)}});
    EXPECT_EQ(r.stats.fused_conv_act, 1);
  }
  {
    ModelBuilder b(13);  // a bound only known at run time: left alone
    conv_model(b, 3);
    b.input("hi", DType::kFloat, {});
    b.node("Clip", {"c", "", "hi"}, {"y"});
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({1, 3, 7, 9}, 80)}, {"hi", scalar(0.2f)}});
    EXPECT_EQ(r.stats.fused_conv_act, 0);
    EXPECT_EQ(r.nodes_after, 2u);
  }
}

TEST(FuseConv, SiluLeakyReluHardSwishOnDepthwise) {
  for (const char* act : {"Silu", "LeakyRelu", "HardSwish", "Relu"}) {
    for (int64_t width : {9, 5}) {  // depthwise: the epilogue runs per plane (wide and narrow paths)
      ModelBuilder b(17);
      conv_model(b, 11, /*group=*/11, true, width);
      if (std::string(act) == "Silu") {
        b.node("Sigmoid", {"c"}, {"s"});
        b.node("Mul", {"s", "c"}, {"y"});
      } else {
        auto& n = b.node(act, {"c"}, {"y"});
        if (std::string(act) == "LeakyRelu") attr_float(n, "alpha", 0.2f);
      }
      b.output("y", DType::kFloat);
      const Result r = optimize_and_compare(b, {{"x", make_rand({1, 11, 7, width}, 81, -3.f, 3.f)}});
      EXPECT_EQ(r.stats.fused_conv_act, 1) << act;
      EXPECT_EQ(r.nodes_after, 1u) << act;
    }
  }
}

TEST(FuseConv, NotFusedWhenTheConvOutputIsReadElsewhere) {
  ModelBuilder b(17);
  conv_model(b, 3);
  b.node("Relu", {"c"}, {"y"});
  b.node("Neg", {"c"}, {"w"});
  b.output("y", DType::kFloat);
  b.output("w", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 3, 7, 9}, 82)}});
  EXPECT_EQ(r.stats.fused_conv_act, 0);
  EXPECT_EQ(r.nodes_after, 3u);

  ModelBuilder b2(17);  // the conv output is itself a graph output
  conv_model(b2, 3);
  b2.node("Relu", {"c"}, {"y"});
  b2.output("c", DType::kFloat);
  b2.output("y", DType::kFloat);
  const Result r2 = optimize_and_compare(b2, {{"x", make_rand({1, 3, 7, 9}, 83)}});
  EXPECT_EQ(r2.stats.fused_conv_act, 0);
}

TEST(FuseConv, OptimizationLevelZeroLeavesTheGraph) {
  ModelBuilder b(17);
  conv_model(b, 3);
  b.node("Relu", {"c"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  EXPECT_EQ(graph::optimize(*g, 0).total(), 0);
  EXPECT_EQ(count_op(*g, "Relu"), 1);
}

}  // namespace
}  // namespace ortl::test
