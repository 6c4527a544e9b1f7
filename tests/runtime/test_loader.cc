// Loader: typed fields and raw_data, external data, Constant forms, initializers as inputs,
// model-local functions, IR versions, and clear errors on subgraphs and bad files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <ort_lite/ort_lite.hpp>

#include "model_builder.h"

namespace ortl::test {
namespace {

namespace fs = std::filesystem;
using ort_lite::Session;

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("ortl_test_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

TEST(Loader, TypedFieldsAndRawData) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {3});
  auto* w = b.graph().add_initializer();  // float_data, not raw_data
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(3);
  for (float v : {1.f, 2.f, 3.f}) w->add_float_data(v);
  b.initializer("v", make_f32({3}, {10, 20, 30}));  // raw_data
  b.node("Add", {"x", "w"}, {"t"});
  b.node("Add", {"t", "v"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  auto out = s.run({{"x", make_f32({3}, {0.5f, 0.5f, 0.5f})}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{11.5f, 22.5f, 33.5f}));
}

TEST(Loader, TypedFieldCountMismatchIsAnError) {
  ModelBuilder b;
  auto* w = b.graph().add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->add_float_data(1.f);
  b.node("Identity", {"w"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  try {
    Session s(bytes.data(), bytes.size());
    FAIL() << "expected an error";
  } catch (const ort_lite::Exception& e) {
    EXPECT_EQ(e.code(), ort_lite::ErrorCode::kInvalidModel);
    EXPECT_NE(std::string(e.what()).find("initializer 'w'"), std::string::npos) << e.what();
  }
}

TEST(Loader, ExternalDataIsMapped) {
  const fs::path dir = temp_dir("ext");
  std::vector<float> w(64 * 4);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i);
  {
    std::ofstream f(dir / "weights.bin", std::ios::binary);
    std::vector<char> pad(128, 0);  // the tensor starts at offset 128
    f.write(pad.data(), 128);
    f.write(reinterpret_cast<const char*>(w.data()), static_cast<std::streamsize>(w.size() * 4));
  }
  ModelBuilder b;
  auto* t = b.graph().add_initializer();
  t->set_name("w");
  t->set_data_type(onnx::TensorProto::FLOAT);
  t->add_dims(64);
  t->add_dims(4);
  t->set_data_location(onnx::TensorProto::EXTERNAL);
  for (auto [k, v] : {std::pair<const char*, std::string>{"location", "weights.bin"},
                      {"offset", "128"},
                      {"length", std::to_string(w.size() * 4)}}) {
    auto* e = t->add_external_data();
    e->set_key(k);
    e->set_value(v);
  }
  b.input("x", DType::kFloat, {64, 4});
  b.node("Add", {"x", "w"}, {"y"});
  b.output("y", DType::kFloat);
  {
    std::ofstream f(dir / "model.onnx", std::ios::binary);
    f << b.bytes();
  }
  Session s((dir / "model.onnx").string());
  Tensor x(DType::kFloat, {64, 4});
  auto out = s.run({{"x", x}});
  EXPECT_EQ(values(out[0]), w);

  // Out of bounds and escaping paths are errors, not reads.
  t->mutable_external_data(1)->set_value("4096");
  {
    std::ofstream f(dir / "bad.onnx", std::ios::binary);
    f << b.bytes();
  }
  EXPECT_THROW(Session((dir / "bad.onnx").string()), ort_lite::Exception);
  t->mutable_external_data(1)->set_value("0");
  t->mutable_external_data(0)->set_value("../weights.bin");
  {
    std::ofstream f(dir / "bad2.onnx", std::ios::binary);
    f << b.bytes();
  }
  try {
    Session s2((dir / "bad2.onnx").string());
    FAIL();
  } catch (const ort_lite::Exception& e) {
    EXPECT_NE(std::string(e.what()).find("leaves the model's folder"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(Loader, ConstantNodeForms) {
  ModelBuilder b;
  auto add_const = [&](const std::string& out, auto fill) {
    auto& n = b.node("Constant", {}, {out});
    auto* a = n.add_attribute();
    fill(a);
    b.output(out, DType::kUndefined);
  };
  add_const("c_tensor", [](onnx::AttributeProto* a) {
    a->set_name("value");
    a->set_type(onnx::AttributeProto::TENSOR);
    graph::tensor_to_proto(make_f32({2}, {1, 2}), "", a->mutable_t());
  });
  add_const("c_float", [](onnx::AttributeProto* a) {
    a->set_name("value_float");
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(2.5f);
  });
  add_const("c_floats", [](onnx::AttributeProto* a) {
    a->set_name("value_floats");
    a->set_type(onnx::AttributeProto::FLOATS);
    a->add_floats(1);
    a->add_floats(3);
  });
  add_const("c_int", [](onnx::AttributeProto* a) {
    a->set_name("value_int");
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(7);
  });
  add_const("c_ints", [](onnx::AttributeProto* a) {
    a->set_name("value_ints");
    a->set_type(onnx::AttributeProto::INTS);
    a->add_ints(4);
    a->add_ints(5);
    a->add_ints(6);
  });
  add_const("c_string", [](onnx::AttributeProto* a) {
    a->set_name("value_string");
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s("hi");
  });
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  auto out = s.run({});
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(values(out[0]), (std::vector<float>{1, 2}));
  EXPECT_EQ(out[1].rank(), 0);
  EXPECT_EQ(*out[1].data_as<float>(), 2.5f);
  EXPECT_EQ(values(out[2]), (std::vector<float>{1, 3}));
  EXPECT_EQ(*out[3].data_as<int64_t>(), 7);
  EXPECT_EQ(out[4].shape(), (std::vector<int64_t>{3}));
  EXPECT_EQ(out[4].data_as<int64_t>()[2], 6);
  EXPECT_EQ(*out[5].data_as<std::string>(), "hi");
}

TEST(Loader, InitializerThatIsAlsoAnInputIsAnOverridableDefault) {
  ModelBuilder b(9, 3);  // the old exporters' style: IR 3 lists initializers as inputs
  b.input("x", DType::kFloat, {2});
  b.input("bias", DType::kFloat, {2});
  b.initializer("bias", make_f32({2}, {100, 200}));
  b.node("Add", {"x", "bias"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  auto x = make_f32({2}, {1, 2});
  EXPECT_EQ(values(s.run({{"x", x}})[0]), (std::vector<float>{101, 202}));
  EXPECT_EQ(values(s.run({{"x", x}, {"bias", make_f32({2}, {0, 0})}})[0]), (std::vector<float>{1, 2}));
}

TEST(Loader, ModelLocalFunctionsAreInlined) {
  ModelBuilder b;
  auto* os = b.model().add_opset_import();
  os->set_domain("local");
  os->set_version(1);
  auto* f = b.model().add_functions();
  f->set_name("AddTwice");
  f->set_domain("local");
  f->add_input("a");
  f->add_input("b");
  f->add_output("c");
  f->add_attribute("unused");
  auto* fo = f->add_opset_import();
  fo->set_domain("");
  fo->set_version(17);
  auto* n1 = f->add_node();
  n1->set_op_type("Add");
  n1->add_input("a");
  n1->add_input("b");
  n1->add_output("tmp");
  auto* n2 = f->add_node();
  n2->set_op_type("Add");
  n2->add_input("tmp");
  n2->add_input("b");
  n2->add_output("c");
  b.input("x", DType::kFloat, {2});
  b.input("y", DType::kFloat, {2});
  b.node("AddTwice", {"x", "y"}, {"z"}).set_domain("local");
  b.node("AddTwice", {"z", "y"}, {"w"}).set_domain("local");  // two calls: internal names must not clash
  b.output("w", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  auto out = s.run({{"x", make_f32({2}, {1, 1})}, {"y", make_f32({2}, {1, 2})}});
  EXPECT_EQ(values(out[0]), (std::vector<float>{5, 9}));
}

TEST(Loader, SubgraphsAreKeptAndRun) {
  ModelBuilder b;
  b.input("c", DType::kBool, {});
  auto& n = b.node("If", {"c"}, {"y"}, "branch");
  for (const char* name : {"then_branch", "else_branch"}) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* g = a->mutable_g();
    auto* k = g->add_node();
    k->set_op_type("Constant");
    k->add_output("k");
    auto* v = k->add_attribute();
    v->set_name("value_float");
    v->set_type(onnx::AttributeProto::FLOAT);
    v->set_f(name[0] == 't' ? 1.f : 2.f);
    g->add_output()->set_name("k");
  }
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  ASSERT_EQ(g->nodes.size(), 1u);
  ASSERT_TRUE(g->nodes[0].attr("then_branch")->g);
  EXPECT_EQ(g->nodes[0].implicit_inputs, 0);  // the branches read nothing from outside
  Session s(bytes.data(), bytes.size());
  Tensor c(DType::kBool, {});
  *c.data_as<uint8_t>() = 1;
  EXPECT_EQ(values(s.run({{"c", c}})[0]), (std::vector<float>{1}));
  *c.data_as<uint8_t>() = 0;
  EXPECT_EQ(values(s.run({{"c", c}})[0]), (std::vector<float>{2}));
}

TEST(Loader, SubgraphCapturesBecomeImplicitInputs) {
  ModelBuilder b;
  b.input("c", DType::kBool, {});
  b.input("x", DType::kFloat, {2});
  b.node("Relu", {"x"}, {"r"});
  auto& n = b.node("If", {"c"}, {"y"}, "branch");
  for (const char* name : {"else_branch", "then_branch"}) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* g = a->mutable_g();
    auto* k = g->add_node();
    k->set_op_type(name[0] == 't' ? "Neg" : "Abs");
    k->add_input(name[0] == 't' ? "r" : "x");
    k->add_output("k");
    g->add_output()->set_name("k");
  }
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  auto g = graph::load_model_bytes(bytes.data(), bytes.size());
  const graph::Node& node = g->nodes.back();
  ASSERT_EQ(node.op_type, "If");
  // Attribute order: else_branch reads x, then_branch reads r.
  ASSERT_EQ(node.implicit_inputs, 2);
  ASSERT_EQ(node.inputs.size(), 3u);
  EXPECT_EQ(g->values[node.inputs[1]].name, "x");
  EXPECT_EQ(g->values[node.inputs[2]].name, "r");
  EXPECT_EQ(g->nodes.front().op_type, "Relu");  // ordered before its reader in the subgraph
  Session s(bytes.data(), bytes.size());
  Tensor c(DType::kBool, {});
  *c.data_as<uint8_t>() = 1;
  EXPECT_EQ(values(s.run({{"c", c}, {"x", make_f32({2}, {-1, 3})}})[0]), (std::vector<float>{0, -3}));
  *c.data_as<uint8_t>() = 0;
  EXPECT_EQ(values(s.run({{"c", c}, {"x", make_f32({2}, {-1, 3})}})[0]), (std::vector<float>{1, 3}));
}

TEST(Loader, SubgraphReadingAnUnknownNameIsReported) {
  ModelBuilder b;
  b.input("c", DType::kBool, {});
  auto& n = b.node("If", {"c"}, {"y"}, "branch");
  for (const char* name : {"then_branch", "else_branch"}) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::GRAPH);
    auto* g = a->mutable_g();
    auto* k = g->add_node();
    k->set_op_type("Neg");
    k->add_input("nowhere");
    k->add_output("k");
    g->add_output()->set_name("k");
  }
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  try {
    Session s(bytes.data(), bytes.size());
    FAIL();
  } catch (const ort_lite::Exception& e) {
    EXPECT_EQ(e.code(), ort_lite::ErrorCode::kInvalidModel);
    EXPECT_NE(std::string(e.what()).find("node 'branch' (If)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
  }
}

TEST(Loader, IrVersionsThreeToEleven) {
  for (int ir : {3, 4, 7, 8, 9, 10, 11}) {
    ModelBuilder b(13, ir);
    b.input("x", DType::kFloat, {2});
    b.node("Relu", {"x"}, {"y"});
    b.output("y", DType::kFloat);
    const std::string bytes = b.bytes();
    Session s(bytes.data(), bytes.size());
    EXPECT_EQ(values(s.run({{"x", make_f32({2}, {-1, 1})}})[0]), (std::vector<float>{0, 1})) << "IR " << ir;
  }
}

TEST(Loader, SymbolicDimsAreReported) {
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 3});
  b.node("Relu", {"x"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string bytes = b.bytes();
  Session s(bytes.data(), bytes.size());
  ASSERT_EQ(s.inputs()[0].shape, (std::vector<int64_t>{-1, 3}));
  EXPECT_EQ(s.inputs()[0].dim_names[0], "d0");
  EXPECT_EQ(s.outputs()[0].shape, (std::vector<int64_t>{-1, 3}));
  EXPECT_EQ(s.outputs()[0].dim_names[0], "d0");
}

}  // namespace
}  // namespace ortl::test
