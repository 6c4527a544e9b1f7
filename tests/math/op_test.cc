// Op-level tests through the registry: versions and legacy attributes, type rules, shape
// inference with symbolic / unknown shapes, and errors.
#include <cmath>

#include "harness.h"

namespace ortl::mathtest {
namespace {

template <class T>
std::vector<T> values(const Tensor& t) {
  return std::vector<T>(t.data_as<T>(), t.data_as<T>() + t.numel());
}

Tensor f32(std::vector<int64_t> shape, std::vector<float> v) { return make_tensor<float>(DType::kFloat, shape, v); }

template <class F>
ErrorCode error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

TEST(BinaryOp, BroadcastsAndTypes) {
  const Tensor a = f32({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor b = f32({3}, {10, 20, 30});
  EXPECT_EQ(values<float>(run_op("Add", 14, {a, b})[0]), (std::vector<float>{11, 22, 33, 14, 25, 36}));
  const Tensor col = f32({2, 1}, {1, 2});
  EXPECT_EQ(values<float>(run_op("Sub", 14, {a, col})[0]), (std::vector<float>{0, 1, 2, 2, 3, 4}));
  const auto cmp = run_op("Greater", 13, {a, f32({}, {3})});
  EXPECT_EQ(cmp[0].dtype(), DType::kBool);
  EXPECT_EQ(values<uint8_t>(cmp[0]), (std::vector<uint8_t>{0, 0, 0, 1, 1, 1}));
  // Zero-size dims broadcast to zero-size outputs.
  const auto empty = run_op("Mul", 14, {f32({0, 3}, {}), b});
  EXPECT_EQ(empty[0].shape(), (std::vector<int64_t>{0, 3}));
  // Mismatched dtypes and shapes are errors, not crashes.
  const Tensor i = make_tensor<int32_t>(DType::kInt32, {3}, {1, 2, 3});
  EXPECT_EQ(error_of([&] { run_op("Add", 14, {a, i}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { run_op("Add", 14, {a, f32({2}, {1, 2})}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { run_op("BitwiseAnd", 18, {a, a}); }), ErrorCode::kNotImplemented);
  EXPECT_EQ(error_of([&] { run_op("And", 7, {a, a}); }), ErrorCode::kNotImplemented);
}

TEST(BinaryOp, LegacyBroadcastWithAxis) {
  // Opset 6: B of shape [3] broadcast onto A [2, 3, 2] at axis 1.
  const Tensor a = f32({2, 3, 2}, {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1});
  const Tensor b = f32({3}, {1, 2, 3});
  auto out = run_op("Add", 6, {a, b}, {{"broadcast", attr_i(1)}, {"axis", attr_i(1)}});
  EXPECT_EQ(values<float>(out[0]), (std::vector<float>{1, 1, 2, 2, 3, 3, 2, 2, 3, 3, 4, 4}));
  // Without axis: suffix alignment.
  out = run_op("Mul", 6, {a, f32({2}, {1, 2})}, {{"broadcast", attr_i(1)}});
  EXPECT_EQ(values<float>(out[0])[7], 2.0f);
  // broadcast=0 needs equal shapes.
  EXPECT_EQ(error_of([&] { run_op("Add", 6, {a, b}); }), ErrorCode::kInvalidArgument);
}

TEST(BinaryOp, PowMixedTypesAndSquare) {
  const Tensor base = make_tensor<int32_t>(DType::kInt32, {3}, {2, 3, 4});
  const Tensor ex = f32({3}, {2, 0.5f, -1});
  const auto out = run_op("Pow", 15, {base, ex});
  EXPECT_EQ(out[0].dtype(), DType::kInt32);
  EXPECT_EQ(values<int32_t>(out[0]), (std::vector<int32_t>{4, 1, 0}));
  const auto sq = run_op("Pow", 15, {f32({3}, {-2, 3, 0.5f}), f32({}, {2})});
  EXPECT_EQ(values<float>(sq[0]), (std::vector<float>{4, 9, 0.25f}));
  const auto fi = run_op("Pow", 15, {f32({2}, {2, 3}), make_tensor<int64_t>(DType::kInt64, {2}, {3, -1})});
  EXPECT_EQ(values<float>(fi[0])[0], 8.0f);
  EXPECT_NEAR(values<float>(fi[0])[1], 1.0f / 3, 1e-7);
}

TEST(BinaryOp, StringsEqualAndWhere) {
  Tensor x(DType::kString, {3}), y(DType::kString, {1});
  x.data_as<std::string>()[0] = "a";
  x.data_as<std::string>()[1] = "b";
  x.data_as<std::string>()[2] = "a";
  y.data_as<std::string>()[0] = "a";
  EXPECT_EQ(values<uint8_t>(run_op("Equal", 19, {x, y})[0]), (std::vector<uint8_t>{1, 0, 1}));
  const Tensor c = make_tensor<uint8_t>(DType::kBool, {3}, {0, 1, 1});
  const auto w = run_op("Where", 16, {c, x, y});
  EXPECT_EQ(w[0].data_as<std::string>()[0], "a");
  EXPECT_EQ(w[0].data_as<std::string>()[1], "b");
}

TEST(WhereOp, BroadcastsThreeWays) {
  const Tensor c = make_tensor<uint8_t>(DType::kBool, {2, 1}, {1, 0});
  const Tensor x = f32({3}, {1, 2, 3});
  const Tensor y = f32({}, {-1});
  const auto w = run_op("Where", 9, {c, x, y});
  EXPECT_EQ(w[0].shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values<float>(w[0]), (std::vector<float>{1, 2, 3, -1, -1, -1}));
  const Tensor ci = make_tensor<uint8_t>(DType::kBool, {2, 3}, {1, 0, 1, 0, 1, 0});
  const Tensor xi = make_tensor<int64_t>(DType::kInt64, {2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor yi = make_tensor<int64_t>(DType::kInt64, {3}, {7, 8, 9});
  EXPECT_EQ(values<int64_t>(run_op("Where", 16, {ci, xi, yi})[0]), (std::vector<int64_t>{1, 8, 3, 7, 5, 9}));
}

TEST(VariadicOp, FoldsWithBroadcast) {
  const Tensor a = f32({3}, {1, 5, 3});
  const Tensor b = f32({2, 1}, {2, 4});
  const Tensor c = f32({}, {3});
  EXPECT_EQ(values<float>(run_op("Max", 13, {a, b, c})[0]), (std::vector<float>{3, 5, 3, 4, 5, 4}));
  EXPECT_EQ(values<float>(run_op("Sum", 13, {a, b, c})[0]), (std::vector<float>{6, 10, 8, 8, 12, 10}));
  EXPECT_EQ(values<float>(run_op("Mean", 13, {a, b})[0]), (std::vector<float>{1.5f, 3.5f, 2.5f, 2.5f, 4.5f, 3.5f}));
  EXPECT_EQ(values<float>(run_op("Min", 13, {a})[0]), (std::vector<float>{1, 5, 3}));
  const Tensor h = make_tensor<uint16_t>(DType::kFloat16, {2}, {0x3c00, 0x4000});  // 1, 2
  const Tensor h2 = make_tensor<uint16_t>(DType::kFloat16, {2}, {0x4000, 0x3c00});
  EXPECT_EQ(values<uint16_t>(run_op("Max", 13, {h, h2})[0]), (std::vector<uint16_t>{0x4000, 0x4000}));
}

TEST(ClipOp, AttributesInputsAndInts) {
  const Tensor x = f32({4}, {-3, -0.5f, 0.5f, 3});
  EXPECT_EQ(values<float>(run_op("Clip", 6, {x}, {{"min", attr_f(-1)}, {"max", attr_f(1)}})[0]),
            (std::vector<float>{-1, -0.5f, 0.5f, 1}));
  EXPECT_EQ(values<float>(run_op("Clip", 13, {x, f32({}, {0})})[0]), (std::vector<float>{0, 0, 0.5f, 3}));
  EXPECT_EQ(values<float>(run_op("Clip", 13, {x, Tensor(), f32({}, {0})})[0]), (std::vector<float>{-3, -0.5f, 0, 0}));
  const Tensor i = make_tensor<int8_t>(DType::kInt8, {3}, {-100, 5, 100});
  const Tensor hi = make_tensor<int8_t>(DType::kInt8, {}, {10});
  EXPECT_EQ(values<int8_t>(run_op("Clip", 12, {i, Tensor(), hi})[0]), (std::vector<int8_t>{-100, 5, 10}));
  EXPECT_EQ(error_of([&] { run_op("Clip", 13, {x, f32({2}, {0, 1})}); }), ErrorCode::kInvalidArgument);
}

TEST(ActivationOp, AttributesAndHalf) {
  const Tensor x = f32({3}, {-2, 0, 2});
  EXPECT_EQ(values<float>(run_op("LeakyRelu", 16, {x}, {{"alpha", attr_f(0.5f)}})[0]), (std::vector<float>{-1, 0, 2}));
  const auto hs = values<float>(run_op("HardSigmoid", 6, {x})[0]);
  EXPECT_NEAR(hs[0], 0.1f, 1e-7);
  EXPECT_NEAR(hs[2], 0.9f, 1e-7);
  const auto g = values<float>(run_op("Gelu", 20, {x}, {{"approximate", attr_s("tanh")}})[0]);
  EXPECT_NEAR(g[2], 1.9545977f, 1e-6);
  EXPECT_EQ(error_of([&] { run_op("Gelu", 20, {x}, {{"approximate", attr_s("fast")}}); }), ErrorCode::kInvalidModel);
  const Tensor h = make_tensor<uint16_t>(DType::kFloat16, {2}, {0xc000, 0x4000});  // -2, 2
  EXPECT_EQ(values<uint16_t>(run_op("Relu", 14, {h})[0]), (std::vector<uint16_t>{0, 0x4000}));
  const Tensor i = make_tensor<int32_t>(DType::kInt32, {2}, {-2, 2});
  EXPECT_EQ(values<int32_t>(run_op("Relu", 14, {i})[0]), (std::vector<int32_t>{0, 2}));
  EXPECT_EQ(error_of([&] { run_op("Sigmoid", 13, {i}); }), ErrorCode::kNotImplemented);
  // PRelu: per-channel slope [C, 1, 1] on NCHW, and the legacy 1-D per-channel slope.
  const Tensor nchw = f32({1, 2, 1, 2}, {-1, 1, -1, 1});
  EXPECT_EQ(values<float>(run_op("PRelu", 16, {nchw, f32({2, 1, 1}, {0.1f, 0.2f})})[0]),
            (std::vector<float>{-0.1f, 1, -0.2f, 1}));
  EXPECT_EQ(values<float>(run_op("PRelu", 6, {nchw, f32({2}, {0.1f, 0.2f})})[0]),
            (std::vector<float>{-0.1f, 1, -0.2f, 1}));
  const auto isinf = run_op("IsInf", 20, {f32({3}, {INFINITY, -INFINITY, 1})}, {{"detect_negative", attr_i(0)}});
  EXPECT_EQ(values<uint8_t>(isinf[0]), (std::vector<uint8_t>{1, 0, 0}));
}

// infer() alone: symbolic dims broadcast, unknown rank propagates.
class SymbolicInfer final : public opset::InferContext {
 public:
  explicit SymbolicInfer(std::vector<graph::TypeInfo> in) : in_(std::move(in)) {}
  int num_inputs() const override { return static_cast<int>(in_.size()); }
  int num_outputs() const override { return 1; }
  bool has_input(int i) const override { return i < num_inputs(); }
  const graph::TypeInfo& input_type(int i) const override { return in_.at(i); }
  const Tensor* input_value(int) const override { return nullptr; }
  void set_output(int, graph::TypeInfo t) override { out = std::move(t); }
  void set_output_value(int, Tensor) override {}
  graph::Dim fresh_dim() override { return graph::Dim("unk"); }
  graph::TypeInfo out;

 private:
  std::vector<graph::TypeInfo> in_;
};

TEST(BinaryOp, InfersSymbolicShapes) {
  graph::Graph g;
  graph::Node node;
  node.op_type = "Add";
  const auto k = opset::Registry::global().find("", "Add", 14)->build(opset::BuildContext{node, g, 14});
  SymbolicInfer ctx(
      {graph::TypeInfo::of(DType::kFloat, {graph::Dim("batch"), 1, 8}), graph::TypeInfo::of(DType::kFloat, {4, 1})});
  k->infer(ctx);
  ASSERT_TRUE(ctx.out.has_shape);
  ASSERT_EQ(ctx.out.shape.size(), 3u);
  EXPECT_EQ(ctx.out.shape[0].symbol, "batch");
  EXPECT_EQ(ctx.out.shape[1].value, 4);
  EXPECT_EQ(ctx.out.shape[2].value, 8);
  SymbolicInfer unk({graph::TypeInfo{DType::kFloat, false, {}}, graph::TypeInfo::of(DType::kFloat, {4})});
  k->infer(unk);
  EXPECT_FALSE(unk.out.has_shape);
  EXPECT_EQ(unk.out.dtype, DType::kFloat);
}

TEST(Registry, EveryOpCoversEveryOpset) {
  const char* ops[] = {"Add",      "Sub",      "Mul",  "Div",       "Pow",  "Max",        "Min",   "Sum",
                       "Mean",     "Equal",    "Less", "Greater",   "And",  "Or",         "Xor",   "Not",
                       "Abs",      "Neg",      "Exp",  "Log",       "Sqrt", "Reciprocal", "Floor", "Ceil",
                       "Relu",     "Sigmoid",  "Tanh", "LeakyRelu", "Elu",  "Selu",       "PRelu", "HardSigmoid",
                       "Softplus", "Softsign", "Clip", "Cast"};
  for (const char* op : ops)
    for (int v = 1; v <= opset::kMaxOpset; ++v)
      EXPECT_NE(opset::Registry::global().find("", op, v), nullptr) << op << v;
}

}  // namespace
}  // namespace ortl::mathtest
