// The blocked channel layout pass (graph/passes/nchwc.cc, optimization level 2): convs, pools and
// the elementwise ops between them move to NCHWc, reorders appear only at the region's borders,
// and outputs stay equal to the plain graph's. It leaves alone what the layout cannot take.
#include <functional>

#include "pass_test_util.h"

namespace ortl::test {
namespace {

// Winograd (taken by some 3x3 convs here) rounds differently from the plain conv: about 1e-4 on
// outputs of order 1, so the comparisons allow 1e-3.
constexpr int kLevel = 2;

onnx::NodeProto& conv(ModelBuilder& b, const std::string& x, const std::string& y, int64_t c_in, int64_t c_out,
                      int64_t k, int64_t stride, int64_t group, uint32_t seed) {
  const std::string w = y + "_W", bias = y + "_B";
  b.initializer(w, make_rand({c_out, c_in / group, k, k}, seed));
  b.initializer(bias, make_rand({c_out}, seed + 1));
  auto& n = b.node("Conv", {x, w, bias}, {y}, y + "_conv");
  ModelBuilder::attr_ints(n, "pads", {k / 2, k / 2, k / 2, k / 2});
  ModelBuilder::attr_ints(n, "strides", {stride, stride});
  if (group != 1) ModelBuilder::attr_int(n, "group", group);
  return n;
}

int count_domain_op(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (const auto& node : g.nodes) n += node.domain == "ai.ortlite" && node.op_type == op ? 1 : 0;
  return n;
}

// An inverted-residual block with a squeeze-excite gate, as in MobileNetV2 / EfficientNet:
// RGB conv (NCHW input) -> depthwise + Clip -> 1x1 -> residual Add -> SE (GAP, 1x1 convs,
// Sigmoid, Mul) -> MaxPool -> GlobalAveragePool -> Flatten.
TEST(Nchwc, ConvChainRunsBlockedWithReordersOnlyAtTheBorders) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2, 3, 15, 17});
  conv(b, "x", "c0", 3, 24, 3, 2, 1, 10);
  b.node("Relu", {"c0"}, {"r0"});
  conv(b, "r0", "c1", 24, 24, 3, 1, 24, 12);
  b.initializer("lo", make_rand({}, 1, 0.f, 0.f));
  b.initializer("hi", make_rand({}, 2, 6.f, 6.f));
  b.node("Clip", {"c1", "lo", "hi"}, {"r1"});
  conv(b, "r1", "c2", 24, 24, 1, 1, 1, 14);
  b.node("Add", {"c2", "r0"}, {"s"});
  b.node("GlobalAveragePool", {"s"}, {"gap"});
  conv(b, "gap", "se1", 24, 16, 1, 1, 1, 16);
  conv(b, "se1", "se2", 16, 24, 1, 1, 1, 18);
  b.node("Sigmoid", {"se2"}, {"gate"});
  b.node("Mul", {"s", "gate"}, {"m"});
  auto& mp = b.node("MaxPool", {"m"}, {"p"});
  ModelBuilder::attr_ints(mp, "kernel_shape", {3, 3});
  ModelBuilder::attr_ints(mp, "strides", {2, 2});
  ModelBuilder::attr_ints(mp, "pads", {1, 1, 1, 1});
  b.node("GlobalAveragePool", {"p"}, {"g"});
  b.node("Flatten", {"g"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 15, 17}, 3)}}, 1e-3f, kLevel);
  EXPECT_EQ(r.stats.nchwc_convs, 5);
  EXPECT_EQ(count_domain_op(*r.optimized, "NchwcConv"), 5);
  EXPECT_EQ(count_domain_op(*r.optimized, "NchwcMaxPool"), 1);
  EXPECT_EQ(count_domain_op(*r.optimized, "NchwcGlobalAveragePool"), 2);
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderToNchwc"), 0);    // the RGB conv reads NCHW
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderFromNchwc"), 1);  // before Flatten only
}

TEST(Nchwc, Level1LeavesTheGraphAlone) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 16, 9, 9});
  conv(b, "x", "y", 16, 32, 3, 1, 1, 20);
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 16, 9, 9}, 21)}});
  EXPECT_EQ(r.stats.nchwc_convs, 0);
  EXPECT_EQ(count_domain_op(*r.optimized, "NchwcConv"), 0);
}

TEST(Nchwc, ValuesReadOutsideTheRegionAreReorderedOnce) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 20, 7, 5});
  conv(b, "x", "a", 20, 40, 3, 1, 1, 30);  // x has 20 channels: one ReorderToNchwc
  b.node("Softmax", {"a"}, {"sa"});        // NCHW reader of a
  b.node("Neg", {"a"}, {"na"});            // a second one: the same reorder serves
  conv(b, "a", "c", 40, 16, 1, 1, 1, 31);  // blocked reader of a
  b.output("sa", DType::kFloat);
  b.output("na", DType::kFloat);
  b.output("c", DType::kFloat);
  b.output("a", DType::kFloat);  // a graph output as well
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 20, 7, 5}, 32)}}, 1e-3f, kLevel);
  EXPECT_EQ(r.stats.nchwc_convs, 2);
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderToNchwc"), 1);
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderFromNchwc"), 2);  // a and c
}

TEST(Nchwc, ConcatOfWholeBlocksStaysBlocked) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 8, 6, 6});
  conv(b, "x", "a", 8, 32, 3, 1, 1, 40);
  conv(b, "x", "c", 8, 20, 1, 1, 1, 41);
  auto& cat = b.node("Concat", {"a", "c"}, {"cat"});
  ModelBuilder::attr_int(cat, "axis", 1);
  conv(b, "cat", "y", 52, 16, 3, 1, 1, 42);             // Winograd: outputs of ~50 round to ~1e-4
  auto& cat2 = b.node("Concat", {"c", "a"}, {"cat2"});  // 20 channels first: not whole blocks
  ModelBuilder::attr_int(cat2, "axis", -3);
  b.output("y", DType::kFloat);
  b.output("cat2", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 8, 6, 6}, 43)}}, 1e-3f, kLevel);
  EXPECT_EQ(r.stats.nchwc_convs, 3);
  EXPECT_EQ(count_op(*r.optimized, "Concat"), 2);
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderFromNchwc"), 3);  // y, and a and c for cat2
}

// YOLOv8's C2f: conv -> Split -> a conv on one part -> Concat of all parts -> conv, with the sizes
// as an input (opset 13) or attribute (opset 11): all of it stays blocked. An equal split into
// parts that are not whole blocks (opset 18, num_outputs: 24 + 24) stays NCHW.
TEST(Nchwc, SplitOfWholeBlocksStaysBlocked) {
  for (int opset : {11, 13, 18}) {
    ModelBuilder b(opset);
    b.input("x", DType::kFloat, {1, 8, 6, 7});
    conv(b, "x", "a", 8, 48, 1, 1, 1, 50);
    if (opset == 13) {
      Tensor sizes(DType::kInt64, {2});
      sizes.data_as<int64_t>()[0] = 16, sizes.data_as<int64_t>()[1] = 32;
      b.initializer("sizes", sizes);
    }
    auto& sp = b.node("Split", opset == 13 ? std::vector<std::string>{"a", "sizes"} : std::vector<std::string>{"a"},
                      {"a0", "a1"});
    ModelBuilder::attr_int(sp, "axis", 1);
    if (opset == 11) ModelBuilder::attr_ints(sp, "split", {16, 32});
    if (opset == 18) ModelBuilder::attr_int(sp, "num_outputs", 2);
    const int64_t c1 = opset == 18 ? 24 : 32;
    conv(b, "a1", "m", c1, 16, 3, 1, 1, 51);
    b.node("Relu", {"m"}, {"mr"});
    auto& cat = b.node("Concat", {"a0", "a1", "mr"}, {"cat"});
    ModelBuilder::attr_int(cat, "axis", 1);
    conv(b, "cat", "y", 48 + 16, 16, 1, 1, 1, 52);
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({1, 8, 6, 7}, 53)}}, 1e-3f, kLevel);
    EXPECT_EQ(r.stats.nchwc_convs, 3) << "opset " << opset;
    if (opset == 18) {
      EXPECT_EQ(count_domain_op(*r.optimized, "ReorderFromNchwc"), 3) << "a, mr and y";
    } else {
      EXPECT_EQ(count_domain_op(*r.optimized, "ReorderFromNchwc"), 1) << "y only, opset " << opset;
      EXPECT_EQ(count_domain_op(*r.optimized, "ReorderToNchwc"), 0) << "opset " << opset;
    }
  }
}

TEST(Nchwc, WhatTheLayoutCannotTakeStaysNchw) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 16, 8, 8});
  b.input("wx", DType::kFloat, {32, 16, 3, 3});
  b.node("Conv", {"x", "wx"}, {"a"});      // W is not a constant
  conv(b, "x", "c", 16, 8, 3, 1, 1, 50);   // 8 output channels: half of each block wasted
  conv(b, "x", "d", 16, 32, 3, 1, 2, 51);  // grouped, not depthwise
  b.output("a", DType::kFloat);
  b.output("c", DType::kFloat);
  b.output("d", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 16, 8, 8}, 52)}, {"wx", make_rand({32, 16, 3, 3}, 53)}},
                                        1e-3f, kLevel);
  EXPECT_EQ(r.stats.nchwc_convs, 0);
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderToNchwc"), 0);
}

TEST(Nchwc, ResidualFromAPlainValueOfDeclaredShapeIsReordered) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {1, 16, 5, 5});
  b.input("z", DType::kFloat, {1, 32, 5, 5});
  conv(b, "x", "a", 16, 32, 3, 1, 1, 60);
  b.node("Add", {"a", "z"}, {"s"});
  b.node("Relu", {"s"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({1, 16, 5, 5}, 61)}, {"z", make_rand({1, 32, 5, 5}, 62)}},
                                        1e-3f, kLevel);
  EXPECT_EQ(r.stats.nchwc_convs, 1);
  EXPECT_EQ(r.stats.fused_conv_add, 1);
  EXPECT_EQ(count_domain_op(*r.optimized, "ReorderToNchwc"), 2);  // x and z
  EXPECT_EQ(r.nodes_after, 4u);
}

// The internal ops reject what the pass never makes, with errors that name the node.
std::shared_ptr<graph::Graph> internal_model(ModelBuilder& b) {
  auto* o = b.model().add_opset_import();
  o->set_domain("ai.ortlite");
  o->set_version(1);
  const std::string bytes = b.bytes();
  return graph::load_model_bytes(bytes.data(), bytes.size());
}

void expect_error(const std::function<void()>& fn, ErrorCode code, const std::string& text) {
  try {
    fn();
    ADD_FAILURE() << "no error, expected: " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(Nchwc, InternalOpsRejectBadInput) {
  runtime::Options o;
  o.optimization_level = 0;
  {
    ModelBuilder b(17);
    b.input("x", DType::kFloat, {1, 1, 4, 4, 16});
    b.input("w", DType::kFloat, {16, 16, 1, 1});
    b.node("NchwcConv", {"x", "w"}, {"y"}, "nc").set_domain("ai.ortlite");
    b.output("y", DType::kFloat);
    auto g = internal_model(b);
    expect_error([&] { runtime::Session s(g, o); }, ErrorCode::kInvalidModel, "node 'nc'");
  }
  {
    ModelBuilder b(17);
    b.input("x", DType::kFloat, {1, 1, 4, 4, 16});
    b.node("ReorderFromNchwc", {"x"}, {"y"}, "rf").set_domain("ai.ortlite");
    b.output("y", DType::kFloat);
    auto g = internal_model(b);
    expect_error([&] { runtime::Session s(g, o); }, ErrorCode::kInvalidModel, "'channels' is required");
  }
  {
    ModelBuilder b(17);
    b.input("x", DType::kFloat, {-1, -1, -1, -1, -1});
    b.initializer("w", make_rand({32, 16, 3, 3}, 70));
    b.node("NchwcConv", {"x", "w"}, {"y"}, "nc").set_domain("ai.ortlite");
    b.output("y", DType::kFloat);
    auto g = internal_model(b);
    runtime::Session s(g, o);
    // 2 channel blocks where W expects 16 channels (1 block).
    expect_error(
        [&] {
          s.run({{"x", make_rand({1, 2, 5, 5, 16}, 71)}}, {});
        },
        ErrorCode::kInvalidArgument, "X has 2 channel blocks, expected 1");
  }
}

}  // namespace
}  // namespace ortl::test
