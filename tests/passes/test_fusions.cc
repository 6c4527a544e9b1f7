// Load-time fusions and simplifications (graph/passes/): MatMul + Add -> Gemm / MatMulBias, the
// Erf Gelu subgraph -> Gelu, LayerNormalization subgraph -> LayerNormalization, no-op removal and
// constant folding. Each fires on its pattern, stays away where it must, and keeps outputs equal.
#include <cmath>

#include "pass_test_util.h"

namespace ortl::test {
namespace {

Tensor scalar(float v) {
  Tensor t(DType::kFloat, {});
  *t.data_as<float>() = v;
  return t;
}

Tensor ints(const std::vector<int64_t>& v) {
  Tensor t(DType::kInt64, {static_cast<int64_t>(v.size())});
  for (size_t i = 0; i < v.size(); ++i) t.data_as<int64_t>()[i] = v[i];
  return t;
}

graph::PassStats optimize_only(const ModelBuilder& b, int level = 1) {
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  return graph::optimize(*g, level);
}

// ---- MatMul + Add -----------------------------------------------------------------------------

// x[dims] -> MatMul(W[4,5]) -> mm -> Add(bias) -> s -> Relu -> y
void matmul_add_model(ModelBuilder& b, const std::vector<int64_t>& xdims, const Tensor& bias, bool bias_first) {
  b.input("x", DType::kFloat, xdims);
  b.initializer("W", make_rand({4, 5}, 20));
  b.initializer("bias", bias);
  b.node("MatMul", {"x", "W"}, {"mm"});
  b.node("Add", bias_first ? std::vector<std::string>{"bias", "mm"} : std::vector<std::string>{"mm", "bias"}, {"s"});
  b.node("Relu", {"s"}, {"y"});
  b.output("y", DType::kFloat);
}

TEST(FuseMatMulAdd, BatchedInputBecomesMatMulBias) {
  ModelBuilder b(17);
  matmul_add_model(b, {2, 3, 4}, make_rand({5}, 21), true);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 4}, 22)}});
  EXPECT_EQ(r.stats.fused_matmul_add, 1);
  EXPECT_EQ(count_op(*r.optimized, "MatMulBias"), 1);
  EXPECT_EQ(count_op(*r.optimized, "Add"), 0);
  EXPECT_EQ(r.nodes_after, 2u);
}

TEST(FuseMatMulAdd, SymbolicAndScalarBiasStillMatch) {
  ModelBuilder b(17);
  matmul_add_model(b, {-1, 4}, scalar(0.25f), false);  // scalar bias, dynamic rows
  const Result r = optimize_and_compare(b, {{"x", make_rand({7, 4}, 23)}});
  EXPECT_EQ(r.stats.fused_matmul_add, 1);
  EXPECT_EQ(count_op(*r.optimized, "Gemm"), 1);
}

TEST(FuseMatMulAdd, TwoDInputBecomesGemmWithRowBias) {
  ModelBuilder b(13);
  matmul_add_model(b, {3, 4}, make_rand({1, 5}, 24), false);
  const Result r = optimize_and_compare(b, {{"x", make_rand({3, 4}, 25)}});
  EXPECT_EQ(r.stats.fused_matmul_add, 1);
  EXPECT_EQ(count_op(*r.optimized, "Gemm"), 1);
  EXPECT_EQ(count_op(*r.optimized, "MatMul"), 0);
}

TEST(FuseMatMulAdd, BiasOfHigherRankBroadcastsTheOutput) {
  ModelBuilder b(17);
  matmul_add_model(b, {3, 4}, make_rand({1, 1, 5}, 26), true);  // Add gives [1, 3, 5]
  const Result r = optimize_and_compare(b, {{"x", make_rand({3, 4}, 27)}});
  EXPECT_EQ(r.stats.fused_matmul_add, 1);
  EXPECT_EQ(count_op(*r.optimized, "MatMulBias"), 1);
}

TEST(FuseMatMulAdd, NotFusedWhenTheBiasIsNotARow) {
  ModelBuilder b(17);
  matmul_add_model(b, {3, 4}, make_rand({3, 5}, 28), true);
  const Result r = optimize_and_compare(b, {{"x", make_rand({3, 4}, 29)}});
  EXPECT_EQ(r.stats.fused_matmul_add, 0);
  EXPECT_EQ(count_op(*r.optimized, "MatMul"), 1);
}

TEST(FuseMatMulAdd, NotFusedWhenTheProductIsReadElsewhereOrIsAnOutput) {
  {
    ModelBuilder b(17);
    matmul_add_model(b, {2, 4}, make_rand({5}, 30), true);
    b.node("Neg", {"mm"}, {"z"});
    b.output("z", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 4}, 31)}});
    EXPECT_EQ(r.stats.fused_matmul_add, 0);
  }
  {
    ModelBuilder b(17);
    matmul_add_model(b, {2, 4}, make_rand({5}, 32), true);
    b.output("mm", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 4}, 33)}});
    EXPECT_EQ(r.stats.fused_matmul_add, 0);
  }
}

TEST(FuseMatMulAdd, NotFusedWithNonConstantWeightOrBias) {
  {
    ModelBuilder b(17);
    b.input("x", DType::kFloat, {2, 4});
    b.input("W", DType::kFloat, {4, 5});
    b.initializer("bias", make_rand({5}, 34));
    b.node("MatMul", {"x", "W"}, {"mm"});
    b.node("Add", {"mm", "bias"}, {"y"});
    b.output("y", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 4}, 35)}, {"W", make_rand({4, 5}, 36)}});
    EXPECT_EQ(r.stats.fused_matmul_add, 0);
  }
  {
    ModelBuilder b(17);
    matmul_add_model(b, {2, 4}, make_rand({5}, 37), true);
    b.input("bias", DType::kFloat, {5});  // an initializer that is also an input: overridable
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 4}, 38)}});
    EXPECT_EQ(r.stats.fused_matmul_add, 0);
  }
}

TEST(FuseMatMulAdd, NotFusedForOtherDtypes) {
  ModelBuilder b(17);
  Tensor w(DType::kDouble, {4, 5}), bias(DType::kDouble, {5});
  for (int64_t i = 0; i < w.numel(); ++i) w.data_as<double>()[i] = 0.1 * static_cast<double>(i % 7) - 0.3;
  for (int64_t i = 0; i < bias.numel(); ++i) bias.data_as<double>()[i] = 0.5 * static_cast<double>(i);
  Tensor x(DType::kDouble, {2, 4});
  for (int64_t i = 0; i < x.numel(); ++i) x.data_as<double>()[i] = static_cast<double>(i) - 3.0;
  b.input("x", DType::kDouble, {2, 4});
  b.initializer("W", w);
  b.initializer("bias", bias);
  b.node("MatMul", {"x", "W"}, {"mm"});
  b.node("Add", {"mm", "bias"}, {"y"});
  b.output("y", DType::kDouble);
  const Result r = optimize_and_compare(b, {{"x", x}});
  EXPECT_EQ(r.stats.fused_matmul_add, 0);
}

TEST(FuseMatMulAdd, MatMulBiasRejectsMismatchedInnerDims) {
  ModelBuilder b(17);
  matmul_add_model(b, {-1, -1, -1}, make_rand({5}, 40), true);
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  EXPECT_EQ(graph::optimize(*g, 1).fused_matmul_add, 1);
  ASSERT_EQ(count_op(*g, "MatMulBias"), 1);
  try {
    run(g, {{"x", make_rand({2, 3, 6}, 41)}});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("inner dims differ"), std::string::npos) << e.what();
  }
}

TEST(FuseMatMulAdd, LevelZeroLeavesTheGraph) {
  ModelBuilder b(17);
  matmul_add_model(b, {2, 3, 4}, make_rand({5}, 39), true);
  EXPECT_EQ(optimize_only(b, 0).total(), 0);
}

// ---- Gelu ---------------------------------------------------------------------------------------

enum class GeluOrder { kMulXThenHalf, kHalfXFirst, kHalfTFirst, kMulBySqrtHalf };

void gelu_model(ModelBuilder& b, GeluOrder order, float half = 0.5f) {
  b.input("x", DType::kFloat, {2, 9});
  b.initializer("sqrt2", scalar(std::sqrt(2.f)));
  b.initializer("rsqrt2", scalar(std::sqrt(0.5f)));
  b.initializer("one", scalar(1.f));
  b.initializer("half", scalar(half));
  b.node("Neg", {"x"}, {"nx"});  // x as an intermediate
  if (order == GeluOrder::kMulBySqrtHalf)
    b.node("Mul", {"rsqrt2", "nx"}, {"d"});
  else
    b.node("Div", {"nx", "sqrt2"}, {"d"});
  b.node("Erf", {"d"}, {"e"});
  b.node("Add", {"one", "e"}, {"t"});
  switch (order) {
    case GeluOrder::kMulXThenHalf:
    case GeluOrder::kMulBySqrtHalf:
      b.node("Mul", {"nx", "t"}, {"p"});
      b.node("Mul", {"p", "half"}, {"g"});
      break;
    case GeluOrder::kHalfXFirst:
      b.node("Mul", {"half", "nx"}, {"h"});
      b.node("Mul", {"t", "h"}, {"g"});
      break;
    case GeluOrder::kHalfTFirst:
      b.node("Mul", {"t", "half"}, {"p"});
      b.node("Mul", {"nx", "p"}, {"g"});
      break;
  }
  b.node("Abs", {"g"}, {"y"});
  b.output("y", DType::kFloat);
}

TEST(FuseGelu, EveryOrderingIsFused) {
  for (GeluOrder o :
       {GeluOrder::kMulXThenHalf, GeluOrder::kHalfXFirst, GeluOrder::kHalfTFirst, GeluOrder::kMulBySqrtHalf}) {
    ModelBuilder b(17);
    gelu_model(b, o);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 9}, 40, -4.f, 4.f)}}, 1e-5f);
    EXPECT_EQ(r.stats.fused_gelu, 1) << static_cast<int>(o);
    EXPECT_EQ(count_op(*r.optimized, "Gelu"), 1);
    EXPECT_EQ(count_op(*r.optimized, "Erf"), 0);
    EXPECT_EQ(r.nodes_after, 3u);
  }
}

TEST(FuseGelu, NotFusedWithAWrongConstant) {
  ModelBuilder b(17);
  gelu_model(b, GeluOrder::kMulXThenHalf, 0.6f);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 9}, 41)}});
  EXPECT_EQ(r.stats.fused_gelu, 0);
  EXPECT_EQ(count_op(*r.optimized, "Erf"), 1);
}

TEST(FuseGelu, NotFusedWhenAnIntermediateIsAnOutputOrReadTwice) {
  {
    ModelBuilder b(17);
    gelu_model(b, GeluOrder::kHalfXFirst);
    b.output("e", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 9}, 42)}});
    EXPECT_EQ(r.stats.fused_gelu, 0);
  }
  {
    ModelBuilder b(17);
    gelu_model(b, GeluOrder::kHalfTFirst);
    b.node("Neg", {"t"}, {"z"});
    b.output("z", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 9}, 43)}});
    EXPECT_EQ(r.stats.fused_gelu, 0);
  }
}

TEST(FuseGelu, NotFusedWithANonConstantDivisor) {
  ModelBuilder b(17);
  gelu_model(b, GeluOrder::kMulXThenHalf);
  b.input("sqrt2", DType::kFloat, {});  // overridable default
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 9}, 44)}});
  EXPECT_EQ(r.stats.fused_gelu, 0);
}

// How torch exports F.gelu(x, approximate="tanh"): 0.5 * (x * (1 + tanh(k * (x + 0.044715 * x*x*x)))).
void gelu_tanh_model(ModelBuilder& b, bool pow_cube, float kappa = 0.044715f) {
  b.input("x", DType::kFloat, {3, 7});
  b.initializer("k", scalar(std::sqrt(2.f / 3.14159265f)));
  b.initializer("kappa", scalar(kappa));
  b.initializer("three", scalar(3.f));
  b.initializer("one", scalar(1.f));
  b.initializer("half", scalar(0.5f));
  b.node("Neg", {"x"}, {"nx"});
  if (pow_cube) {
    b.node("Pow", {"nx", "three"}, {"cube"});
  } else {
    b.node("Mul", {"nx", "nx"}, {"sq"});
    b.node("Mul", {"nx", "sq"}, {"cube"});
  }
  b.node("Mul", {"kappa", "cube"}, {"w"});
  b.node("Add", {"nx", "w"}, {"v"});
  b.node("Mul", {"k", "v"}, {"u"});
  b.node("Tanh", {"u"}, {"th"});
  b.node("Add", {"one", "th"}, {"t"});
  b.node("Mul", {"nx", "t"}, {"p"});
  b.node("Mul", {"half", "p"}, {"y"});
  b.output("y", DType::kFloat);
}

TEST(FuseGelu, TanhApproximationIsFused) {
  for (bool pow_cube : {true, false}) {
    ModelBuilder b(17);
    gelu_tanh_model(b, pow_cube);
    const Result r = optimize_and_compare(b, {{"x", make_rand({3, 7}, 45, -5.f, 5.f)}}, 1e-5f);
    EXPECT_EQ(r.stats.fused_gelu, 1);
    ASSERT_EQ(count_op(*r.optimized, "Gelu"), 1);
    EXPECT_EQ(r.nodes_after, 2u);
    for (const auto& n : r.optimized->nodes)
      if (n.op_type == "Gelu") {
        EXPECT_EQ(n.get_string("approximate", ""), "tanh");
      }
  }
}

TEST(FuseGelu, TanhWithAWrongCoefficientIsNotFused) {
  ModelBuilder b(17);
  gelu_tanh_model(b, false, 0.05f);
  const Result r = optimize_and_compare(b, {{"x", make_rand({3, 7}, 46)}});
  EXPECT_EQ(r.stats.fused_gelu, 0);
  EXPECT_EQ(count_op(*r.optimized, "Tanh"), 1);
}

// ---- No-op removal ------------------------------------------------------------------------------

TEST(RemoveNoop, ProvableNoopsAreRemoved) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2, 3});
  b.initializer("same", ints({2, 3}));
  b.initializer("copy", ints({0, -1}));
  b.initializer("ones", ints({1, 3}));
  auto& c = b.node("Cast", {"x"}, {"a"});
  ModelBuilder::attr_int(c, "to", static_cast<int64_t>(DType::kFloat));
  auto& t = b.node("Transpose", {"x"}, {"b"});
  ModelBuilder::attr_ints(t, "perm", {0, 1});
  b.node("Reshape", {"x", "same"}, {"c"});
  b.node("Reshape", {"x", "copy"}, {"d"});
  b.node("Expand", {"x", "ones"}, {"e"});
  b.node("Squeeze", {"x"}, {"f"});
  b.node("Sum", {"a", "b", "c", "d", "e", "f"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3}, 50)}});
  EXPECT_EQ(r.stats.removed_noop, 6);
  EXPECT_EQ(r.nodes_after, 1u);
}

TEST(RemoveNoop, ChangesOrUnknownShapesAreKept) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2, 3});
  b.input("u", DType::kFloat, {-1, 3});
  b.initializer("flat", ints({3, 2}));
  b.initializer("same", ints({2, 3}));
  b.initializer("wide", ints({2, 1, 3}));
  auto& c = b.node("Cast", {"x"}, {"a"});
  ModelBuilder::attr_int(c, "to", static_cast<int64_t>(DType::kDouble));
  auto& t = b.node("Transpose", {"x"}, {"b"});
  ModelBuilder::attr_ints(t, "perm", {1, 0});
  b.node("Reshape", {"x", "flat"}, {"c"});
  b.node("Reshape", {"u", "same"}, {"d"});  // u's first dim is unknown
  b.node("Expand", {"x", "wide"}, {"e"});
  b.node("Squeeze", {"u"}, {"f"});
  b.node("Reshape", {"x", "same"}, {"g"});  // a graph output: its name must survive
  b.output("a", DType::kDouble);
  b.output("b", DType::kFloat);
  b.output("c", DType::kFloat);
  b.output("d", DType::kFloat);
  b.output("e", DType::kFloat);
  b.output("f", DType::kFloat);
  b.output("g", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3}, 51)}, {"u", make_rand({2, 3}, 52)}});
  EXPECT_EQ(r.stats.removed_noop, 0);
  EXPECT_EQ(r.nodes_after, 7u);
}

// ---- Constant folding ---------------------------------------------------------------------------

TEST(FoldConstants, TransposedWeightFoldsThenFuses) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2, 3, 4});
  b.initializer("Wt", make_rand({5, 4}, 60));
  b.initializer("bias", make_rand({5}, 61));
  b.initializer("two", scalar(2.f));
  b.node("Transpose", {"Wt"}, {"W"});
  b.node("Mul", {"bias", "two"}, {"bias2"});
  b.node("MatMul", {"x", "W"}, {"mm"});
  b.node("Add", {"mm", "bias2"}, {"y"});
  b.output("y", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 4}, 62)}});
  EXPECT_EQ(r.stats.folded_constant, 2);
  EXPECT_EQ(r.stats.fused_matmul_add, 1);
  EXPECT_EQ(r.nodes_after, 1u);
}

TEST(FoldConstants, InputsOutputsAndLargeResultsAreNotFolded) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {4});
  b.input("d", DType::kFloat, {4});  // overridable default: not a constant
  b.initializer("d", make_rand({4}, 63));
  b.initializer("c", make_rand({4}, 64));
  b.initializer("big", ints({1100, 1000}));
  b.initializer("one", scalar(1.f));
  b.node("Neg", {"d"}, {"nd"});
  b.node("Neg", {"c"}, {"nc"});  // a graph output
  b.node("Expand", {"one", "big"}, {"huge"});
  b.node("ReduceSum", {"huge"}, {"s"});
  b.node("Add", {"x", "nd"}, {"y"});
  b.output("y", DType::kFloat);
  b.output("nc", DType::kFloat);
  b.output("s", DType::kFloat);
  const Result r = optimize_and_compare(b, {{"x", make_rand({4}, 65)}}, 1e-1f);
  EXPECT_EQ(r.stats.folded_constant, 0);
  EXPECT_EQ(r.nodes_after, 5u);
}

TEST(FoldConstants, LevelZeroLeavesTheGraph) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {4});
  b.initializer("c", make_rand({4}, 66));
  b.node("Neg", {"c"}, {"nc"});
  b.node("Add", {"x", "nc"}, {"y"});
  b.output("y", DType::kFloat);
  EXPECT_EQ(optimize_only(b, 0).total(), 0);
  EXPECT_EQ(optimize_only(b, 1).folded_constant, 1);
}

}  // namespace
}  // namespace ortl::test

namespace ortl::test {
namespace {

// ---- LayerNormalization -------------------------------------------------------------------------

// x[2,3,6] -> LayerNorm subgraph over the last axis -> y (opset 17: axes as attributes)
void layer_norm_model(ModelBuilder& b, bool pow_square, bool with_beta, int64_t axis = -1, int64_t gsize = 6) {
  b.input("x", DType::kFloat, {2, 3, 6});
  b.initializer("two", scalar(2.f));
  b.initializer("eps", scalar(1e-5f));
  b.initializer("gamma", make_rand({gsize}, 70, 0.5f, 1.5f));
  b.initializer("beta", make_rand({6}, 71));
  auto& m1 = b.node("ReduceMean", {"x"}, {"mean"});
  ModelBuilder::attr_ints(m1, "axes", {axis});
  b.node("Sub", {"x", "mean"}, {"d"});
  if (pow_square)
    b.node("Pow", {"d", "two"}, {"sq"});
  else
    b.node("Mul", {"d", "d"}, {"sq"});
  auto& m2 = b.node("ReduceMean", {"sq"}, {"var"});
  ModelBuilder::attr_ints(m2, "axes", {axis});
  b.node("Add", {"var", "eps"}, {"ve"});
  b.node("Sqrt", {"ve"}, {"sd"});
  b.node("Div", {"d", "sd"}, {"n"});
  b.node("Mul", {"gamma", "n"}, {with_beta ? "gn" : "y"});
  if (with_beta) b.node("Add", {"gn", "beta"}, {"y"});
  b.output("y", DType::kFloat);
}

TEST(FuseLayerNorm, PowAndMulSquaresAreFused) {
  for (bool pow_square : {true, false}) {
    for (bool with_beta : {true, false}) {
      ModelBuilder b(17);
      layer_norm_model(b, pow_square, with_beta, pow_square ? -1 : 2);
      const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 6}, 72, -3.f, 3.f)}}, 1e-4f);
      EXPECT_EQ(r.stats.fused_layer_norm, 1);
      EXPECT_EQ(count_op(*r.optimized, "LayerNormalization"), 1);
      EXPECT_EQ(r.nodes_after, 1u);
    }
  }
}

TEST(FuseLayerNorm, NotFusedOverAnotherAxisOrWithAWrongGammaOrAnOutputIntermediate) {
  {
    ModelBuilder b(17);
    layer_norm_model(b, true, true, 1, 6);  // reduces axis 1, not the last
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 6}, 75)}});
    EXPECT_EQ(r.stats.fused_layer_norm, 0);
  }
  {
    ModelBuilder b(17);
    layer_norm_model(b, true, true, -1, 1);  // gamma of one element broadcasts: not LayerNorm's shape
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 6}, 73)}});
    EXPECT_EQ(r.stats.fused_layer_norm, 0);
  }
  {
    ModelBuilder b(17);
    layer_norm_model(b, false, true);
    b.output("var", DType::kFloat);
    const Result r = optimize_and_compare(b, {{"x", make_rand({2, 3, 6}, 74)}});
    EXPECT_EQ(r.stats.fused_layer_norm, 0);
  }
}

}  // namespace
}  // namespace ortl::test
