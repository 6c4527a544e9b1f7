// FlexAttention (ai.onnx.preview 1): odd shapes with GQA against a plain reference, score_mod /
// prob_mod subgraphs reading outer values, an empty key axis, and the errors for bad inputs,
// attributes and subgraphs.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "runtime/session.h"
#include "tests/runtime/model_builder.h"

namespace ortl::test {
namespace {

Tensor rand_f32(const std::vector<int64_t>& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  Tensor t(DType::kFloat, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data_as<float>()[i] = dist(rng);
  return t;
}

// Y = softmax(mod(Q K^T * scale) + bias) ... written out per element: scores get `bias`
// (broadcast [L, S]) added, probs get multiplied by `pmul`.
std::vector<float> reference(const Tensor& q, const Tensor& k, const Tensor& v, double scale,
                             const std::vector<float>* bias, float pmul) {
  const int64_t B = q.dim(0), Hq = q.dim(1), L = q.dim(2), E = q.dim(3);
  const int64_t Hkv = k.dim(1), S = k.dim(2), Ev = v.dim(3), g = Hq / Hkv;
  const float* Q = q.data_as<float>();
  const float* K = k.data_as<float>();
  const float* V = v.data_as<float>();
  std::vector<float> y(static_cast<size_t>(B * Hq * L * Ev), 0.f);
  std::vector<double> p(static_cast<size_t>(S));
  for (int64_t b = 0; b < B; ++b)
    for (int64_t h = 0; h < Hq; ++h)
      for (int64_t i = 0; i < L; ++i) {
        double mx = -INFINITY, sum = 0;
        for (int64_t j = 0; j < S; ++j) {
          double d = 0;
          for (int64_t e = 0; e < E; ++e)
            d += double(Q[((b * Hq + h) * L + i) * E + e]) * K[((b * Hkv + h / g) * S + j) * E + e];
          p[j] = d * scale + (bias ? (*bias)[i * S + j] : 0.0);
          mx = std::max(mx, p[j]);
        }
        for (int64_t j = 0; j < S; ++j) sum += p[j] = std::exp(p[j] - mx);
        for (int64_t x = 0; x < Ev; ++x) {
          double acc = 0;
          for (int64_t j = 0; j < S; ++j) acc += p[j] / sum * pmul * V[((b * Hkv + h / g) * S + j) * Ev + x];
          y[((b * Hq + h) * L + i) * Ev + x] = static_cast<float>(acc);
        }
      }
  return y;
}

// A one-input, one-output modifier subgraph: out = op(in, outer value `other`).
onnx::GraphProto modifier(const std::string& op, const std::string& other, int inputs = 1) {
  onnx::GraphProto g;
  g.set_name("mod_" + op);
  for (int i = 0; i < inputs; ++i) {
    std::string name = "s";
    if (i > 0) name += std::to_string(i);
    auto* in = g.add_input();
    in->set_name(name);
    in->mutable_type()->mutable_tensor_type()->set_elem_type(static_cast<int>(DType::kFloat));
  }
  auto* n = g.add_node();
  n->set_op_type(op);
  n->add_input("s");
  n->add_input(other);
  n->add_output("o");
  if (op == "Concat") ModelBuilder::attr_int(*n, "axis", -1);
  auto* out = g.add_output();
  out->set_name("o");
  out->mutable_type()->mutable_tensor_type()->set_elem_type(static_cast<int>(DType::kFloat));
  return g;
}

struct Flex {
  ModelBuilder b{17};
  onnx::NodeProto* n;
  Flex(const std::vector<int64_t>& qs, const std::vector<int64_t>& ks, const std::vector<int64_t>& vs) {
    auto* o = b.model().add_opset_import();
    o->set_domain("ai.onnx.preview");
    o->set_version(1);
    b.input("Q", DType::kFloat, qs);
    b.input("K", DType::kFloat, ks);
    b.input("V", DType::kFloat, vs);
    n = &b.node("FlexAttention", {"Q", "K", "V"}, {"Y"}, "flex");
    n->set_domain("ai.onnx.preview");
    b.output("Y", DType::kFloat);
  }
  void graph(const std::string& name, const onnx::GraphProto& g) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    *a->mutable_g() = g;
  }
  void scale(float s) {
    auto* a = n->add_attribute();
    a->set_name("scale");
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(s);
  }
  Tensor run(const Tensor& q, const Tensor& k, const Tensor& v) {
    const std::string bytes = b.bytes();
    runtime::Session s(graph::load_model_bytes(bytes.data(), bytes.size(), "flex.onnx"), runtime::Options{1, 1, false});
    return s.run({{"Q", q}, {"K", k}, {"V", v}}, {})[0];
  }
};

void expect_near(const Tensor& got, const std::vector<float>& want) {
  ASSERT_EQ(static_cast<size_t>(got.numel()), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got.data_as<float>()[i], want[i], 1e-5) << "element " << i;
}

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

TEST(FlexAttention, GqaOddShapesMatchReference) {
  const Tensor q = rand_f32({2, 4, 3, 3}, 1), k = rand_f32({2, 2, 5, 3}, 2), v = rand_f32({2, 2, 5, 2}, 3);
  Flex f({2, 4, 3, 3}, {2, 2, 5, 3}, {2, 2, 5, 2});
  const Tensor y = f.run(q, k, v);
  EXPECT_EQ(y.shape(), (std::vector<int64_t>{2, 4, 3, 2}));
  expect_near(y, reference(q, k, v, 1.0 / std::sqrt(3.0), nullptr, 1.f));
}

TEST(FlexAttention, ScoreAndProbModReadOuterValues) {
  const Tensor q = rand_f32({1, 2, 3, 4}, 4), k = rand_f32({1, 2, 5, 4}, 5), v = rand_f32({1, 2, 5, 3}, 6);
  std::vector<float> bias(15);
  for (size_t i = 0; i < bias.size(); ++i) bias[i] = (i % 5 > i / 5 + 1) ? -1e9f : 0.1f * static_cast<float>(i);
  Flex f({1, 2, 3, 4}, {1, 2, 5, 4}, {1, 2, 5, 3});
  f.b.initializer("bias", make_f32({3, 5}, bias));
  f.b.initializer("two", make_f32({}, {2.f}));
  f.scale(0.25f);
  f.graph("score_mod", modifier("Add", "bias"));
  f.graph("prob_mod", modifier("Mul", "two"));
  expect_near(f.run(q, k, v), reference(q, k, v, 0.25, &bias, 2.f));
}

TEST(FlexAttention, EmptyKeysGiveZeros) {
  Flex f({1, 1, 2, 3}, {1, 1, 0, 3}, {1, 1, 0, 2});
  const Tensor y =
      f.run(rand_f32({1, 1, 2, 3}, 7), Tensor(DType::kFloat, {1, 1, 0, 3}), Tensor(DType::kFloat, {1, 1, 0, 2}));
  expect_near(y, std::vector<float>(4, 0.f));
}

TEST(FlexAttention, BadInputsAndAttributesThrow) {
  const Tensor q = rand_f32({1, 2, 3, 4}, 8), k = rand_f32({1, 2, 5, 4}, 9), v = rand_f32({1, 2, 5, 3}, 10);
  {  // rank-3 query
    Flex f({2, 3, 4}, {1, 2, 5, 4}, {1, 2, 5, 3});
    EXPECT_EQ(error_of([&] { f.run(rand_f32({2, 3, 4}, 1), k, v); }), ErrorCode::kInvalidArgument);
  }
  {  // 3 query heads over 2 kv heads
    Flex f({1, 3, 3, 4}, {1, 2, 5, 4}, {1, 2, 5, 3});
    EXPECT_EQ(error_of([&] { f.run(rand_f32({1, 3, 3, 4}, 1), k, v); }), ErrorCode::kInvalidArgument);
  }
  {  // head sizes of Q and K differ
    Flex f({1, 2, 3, 4}, {1, 2, 5, 3}, {1, 2, 5, 3});
    EXPECT_EQ(error_of([&] { f.run(q, rand_f32({1, 2, 5, 3}, 1), v); }), ErrorCode::kInvalidArgument);
  }
  {  // softmax_precision not a float type
    Flex f({1, 2, 3, 4}, {1, 2, 5, 4}, {1, 2, 5, 3});
    ModelBuilder::attr_int(*f.n, "softmax_precision", 7);
    EXPECT_EQ(error_of([&] { f.run(q, k, v); }), ErrorCode::kInvalidArgument);
  }
  {  // score_mod with two inputs
    Flex f({1, 2, 3, 4}, {1, 2, 5, 4}, {1, 2, 5, 3});
    f.b.initializer("two", make_f32({}, {2.f}));
    f.graph("score_mod", modifier("Mul", "two", 2));
    EXPECT_EQ(error_of([&] { f.run(q, k, v); }), ErrorCode::kInvalidModel);
  }
  {  // score_mod changing the shape
    Flex f({1, 2, 3, 4}, {1, 2, 5, 4}, {1, 2, 5, 3});
    f.graph("score_mod", modifier("Concat", "s"));
    EXPECT_EQ(error_of([&] { f.run(q, k, v); }), ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace ortl::test
