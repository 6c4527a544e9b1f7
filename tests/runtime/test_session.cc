// Session: concurrent runs on one session, the thread pool, and custom ops from user code.
#include <gtest/gtest.h>

#include <atomic>
#include <ort_lite/custom_op.hpp>
#include <ort_lite/ort_lite.hpp>
#include <thread>

#include "model_builder.h"
#include "runtime/session.h"
#include "runtime/thread_pool.h"

namespace ortl::test {
namespace {

using ort_lite::Session;

TEST(ThreadPool, CoversRangeOnceAndPropagatesErrors) {
  runtime::ThreadPool pool(3);
  for (int64_t n : {1, 7, 100, 100000}) {
    std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
    pool.for_range(n, 1000.0, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) hits[i]++;
    });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
  EXPECT_THROW(pool.for_range(1000, 1000.0,
                              [](int64_t b, int64_t) {
                                if (b == 0) throw Error(ErrorCode::kRuntime, "boom");
                              }),
               Error);
  int64_t total = 0;
  pool.for_range(10, 1.0, [&](int64_t b, int64_t e) { total += e - b; });  // small: serial
  EXPECT_EQ(total, 10);
}

TEST(Session, ConcurrentRunsMatchSerialRuns) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 64});
  b.input("w", DType::kFloat, {64, 32});
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Sigmoid", {"m"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  ort_lite::SessionOptions opts;
  opts.intra_op_threads = 2;
  Session s(bytes.data(), bytes.size(), opts);
  Tensor w(DType::kFloat, {64, 32});
  for (int i = 0; i < 64 * 32; ++i) w.data_as<float>()[i] = static_cast<float>((i * 7) % 13) / 13.f - 0.5f;
  std::vector<Tensor> xs, expected;
  for (int t = 0; t < 8; ++t) {
    Tensor x(DType::kFloat, {1 + t % 3, 64});
    for (int64_t i = 0; i < x.numel(); ++i) x.data_as<float>()[i] = static_cast<float>((i + t) % 5) - 2.f;
    xs.push_back(x);
    expected.push_back(s.run({{"x", x}, {"w", w}})[0]);
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int iter = 0; iter < 50; ++iter) {
        const int k = (t + iter) % 8;
        auto out = s.run({{"x", xs[k]}, {"w", w}})[0];
        if (values(out) != values(expected[k])) mismatches++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Session, CustomOpFromUserCode) {
  ort_lite::CustomOp op;
  op.domain = "com.example";
  op.op_type = "ScaleShift";
  op.infer = [](const std::vector<ort_lite::TensorType>& in, const ort_lite::NodeAttributes&) {
    return std::vector<ort_lite::TensorType>{in[0]};
  };
  op.compute = [](ort_lite::CustomKernelContext& ctx, const ort_lite::NodeAttributes& attrs) {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.shape());
    const float scale = attrs.get_float("scale", 1.f), shift = attrs.get_float("shift", 0.f);
    for (int64_t i = 0; i < x.numel(); ++i) y.data_as<float>()[i] = x.data_as<float>()[i] * scale + shift;
  };
  ort_lite::register_custom_op(op);

  ModelBuilder b;
  auto* os = b.model().add_opset_import();
  os->set_domain("com.example");
  os->set_version(1);
  b.input("x", DType::kFloat, {-1});
  auto& n = b.node("ScaleShift", {"x"}, {"t"}, "custom");
  n.set_domain("com.example");
  auto* a = n.add_attribute();
  a->set_name("scale");
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(3.f);
  b.node("Relu", {"t"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  EXPECT_EQ(s.outputs()[0].dtype, ort_lite::DataType::kFloat);
  auto out = s.run({{"x", make_f32({3}, {-1, 0, 2})}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{0, 0, 6}));

  ort_lite::CustomOp incomplete;
  incomplete.domain = "com.example";
  incomplete.op_type = "Broken";
  EXPECT_THROW(ort_lite::register_custom_op(incomplete), ort_lite::Exception);
}

TEST(Session, TensorViewsOverUserMemory) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {3});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  float buf[3] = {-1, 5, -7};
  auto out = s.run({{"x", Tensor::view(DType::kFloat, {3}, buf)}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{0, 5, 0}));
  EXPECT_EQ(buf[0], -1);  // inputs are never written
}

// A model whose inputs all have static shapes is planned, and its arena allocated, at session
// creation; one with a dynamic dim is planned by its first run.
TEST(Session, StaticInputsArePlannedAtCreation) {
  for (bool dynamic : {false, true}) {
    ModelBuilder b;
    b.input("x", DType::kFloat, {dynamic ? -1 : 2, 3});
    b.node("Relu", {"x"}, {"r"});
    b.node("Neg", {"r"}, {"y"});
    b.output("y", DType::kFloat);
    const std::string bytes = b.bytes();
    runtime::Session s(graph::load_model_bytes(bytes.data(), bytes.size(), "static.onnx"),
                       runtime::Options{1, 1, false});
    EXPECT_EQ(s.cached_plans(), dynamic ? 0u : 1u) << "dynamic " << dynamic;
    Tensor x(DType::kFloat, {2, 3});
    for (int i = 0; i < 6; ++i) x.data_as<float>()[i] = static_cast<float>(i) - 2.5f;
    const std::vector<Tensor> out = s.run({{"x", x}}, {});
    EXPECT_EQ(s.cached_plans(), 1u) << "dynamic " << dynamic;
    EXPECT_EQ(out[0].data_as<float>()[0], -0.f);
    EXPECT_EQ(out[0].data_as<float>()[5], -2.5f);
  }
}

// Weights every consumer packed when it was built (MatMul + Add on a 3-D input -> MatMulBias) are
// freed from the graph: the value keeps its dtype and shape without data. A weight that another
// node reads as it is (Transpose) keeps its buffer. Results do not change.
TEST(Session, InitializersPackedByEveryConsumerAreFreed) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {1, 2, 8});
  Tensor w(DType::kFloat, {8, 4}), shared(DType::kFloat, {8, 4}), bias(DType::kFloat, {4});
  for (int i = 0; i < 32; ++i) w.data_as<float>()[i] = static_cast<float>(i % 5) - 2.f;
  for (int i = 0; i < 32; ++i) shared.data_as<float>()[i] = static_cast<float>(i % 3) - 1.f;
  for (int i = 0; i < 4; ++i) bias.data_as<float>()[i] = static_cast<float>(i);
  b.initializer("w", w);
  b.initializer("shared", shared);
  b.initializer("bias", bias);
  b.node("MatMul", {"x", "w"}, {"m"});
  b.node("Add", {"m", "bias"}, {"y"});
  b.node("MatMul", {"x", "shared"}, {"m2"});
  b.node("Add", {"m2", "bias"}, {"y2"});
  b.node("Transpose", {"shared"}, {"t"});  // reads "shared" itself
  b.output("y", DType::kFloat);
  b.output("y2", DType::kFloat);
  b.output("t", DType::kFloat);
  const std::string bytes = b.bytes();
  runtime::Session s(graph::load_model_bytes(bytes.data(), bytes.size(), "packed.onnx"), runtime::Options{1, 2, false});
  const graph::Graph& g = s.graph();
  const graph::Value& wv = g.values[g.find("w")];
  ASSERT_TRUE(wv.initializer.has_value());
  EXPECT_EQ(wv.initializer->data(), nullptr);
  EXPECT_EQ(wv.initializer->shape(), (std::vector<int64_t>{8, 4}));
  EXPECT_NE(g.values[g.find("shared")].initializer->data(), nullptr);
  Tensor x(DType::kFloat, {1, 2, 8});
  for (int i = 0; i < 16; ++i) x.data_as<float>()[i] = static_cast<float>(i % 4) - 1.5f;
  const std::vector<Tensor> out = s.run({{"x", x}}, {});
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 4; ++c) {
      float want = bias.data_as<float>()[c], want2 = want;
      for (int k = 0; k < 8; ++k) {
        want += x.data_as<float>()[r * 8 + k] * w.data_as<float>()[k * 4 + c];
        want2 += x.data_as<float>()[r * 8 + k] * shared.data_as<float>()[k * 4 + c];
      }
      EXPECT_FLOAT_EQ(out[0].data_as<float>()[r * 4 + c], want);
      EXPECT_FLOAT_EQ(out[1].data_as<float>()[r * 4 + c], want2);
    }
  }
  EXPECT_EQ(out[2].data_as<float>()[1], shared.data_as<float>()[4]);  // t[0][1] = shared[1][0]
}

}  // namespace
}  // namespace ortl::test
