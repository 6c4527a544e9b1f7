// Control flow (If, Loop, Scan) with outer-scope captures, nesting, empty loops and shapes that
// change per iteration; sequence and optional values; and the errors a bad subgraph raises.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "runtime/session.h"
#include "tests/runtime/model_builder.h"

namespace ortl::test {
namespace {

using graph::AnyValue;

// A subgraph under construction: inputs/outputs with types, nodes like ModelBuilder's.
struct Sub {
  onnx::GraphProto g;
  explicit Sub(const std::string& name) { g.set_name(name); }
  void tensor(onnx::ValueInfoProto* v, const std::string& name, DType dt, const std::vector<int64_t>* dims) {
    v->set_name(name);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(static_cast<int>(dt));
    if (dims) {
      auto* sh = tt->mutable_shape();
      for (int64_t d : *dims) sh->add_dim()->set_dim_value(d);
    }
  }
  void input(const std::string& name, DType dt, std::vector<int64_t> dims) { tensor(g.add_input(), name, dt, &dims); }
  void input_any(const std::string& name, DType dt) { tensor(g.add_input(), name, dt, nullptr); }
  void seq_input(const std::string& name, DType dt) {
    auto* v = g.add_input();
    v->set_name(name);
    v->mutable_type()->mutable_sequence_type()->mutable_elem_type()->mutable_tensor_type()->set_elem_type(
        static_cast<int>(dt));
  }
  void seq_output(const std::string& name, DType dt) {
    auto* v = g.add_output();
    v->set_name(name);
    v->mutable_type()->mutable_sequence_type()->mutable_elem_type()->mutable_tensor_type()->set_elem_type(
        static_cast<int>(dt));
  }
  void output(const std::string& name, DType dt) { tensor(g.add_output(), name, dt, nullptr); }
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& ins,
                        const std::vector<std::string>& outs) {
    auto* n = g.add_node();
    n->set_op_type(op);
    n->set_name(g.name() + "_" + op + std::to_string(g.node_size()));
    for (const auto& i : ins) n->add_input(i);
    for (const auto& o : outs) n->add_output(o);
    return *n;
  }
};

void attr_graph(onnx::NodeProto& n, const std::string& name, const Sub& s) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::GRAPH);
  *a->mutable_g() = s.g;
}

std::unique_ptr<runtime::Session> open(const ModelBuilder& b) {
  const std::string bytes = b.bytes();
  return std::make_unique<runtime::Session>(graph::load_model_bytes(bytes.data(), bytes.size(), "test.onnx"),
                                            runtime::Options{1, 1, false});
}

Tensor scalar_bool(bool v) {
  Tensor t(DType::kBool, {});
  *t.data_as<uint8_t>() = v;
  return t;
}

TEST(If, BranchesReadOuterValuesAndMayDifferInShape) {
  ModelBuilder b(17);
  b.input("cond", DType::kBool, {});
  b.input("x", DType::kFloat, {3});
  b.initializer("c", make_f32({1}, {10.f}));
  Sub then_b("then"), else_b("else");
  then_b.node("Add", {"x", "c"}, {"t"});
  then_b.output("t", DType::kFloat);
  else_b.node("Concat", {"x", "x"}, {"e"}).add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("axis");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(0);
    return a;
  }());
  else_b.output("e", DType::kFloat);
  auto& n = b.node("If", {"cond"}, {"y"}, "if1");
  attr_graph(n, "then_branch", then_b);
  attr_graph(n, "else_branch", else_b);
  b.node("Neg", {"y"}, {"z"});
  b.output("z", DType::kFloat);
  auto s = open(b);
  const Tensor x = make_f32({3}, {1, 2, 3});
  EXPECT_EQ(values(s->run({{"cond", scalar_bool(true)}, {"x", x}}, {})[0]), (std::vector<float>{-11, -12, -13}));
  EXPECT_EQ(values(s->run({{"cond", scalar_bool(false)}, {"x", x}}, {})[0]),
            (std::vector<float>{-1, -2, -3, -1, -2, -3}));
}

// Loop computing acc += x * i for i < M, with x read from the outer graph, the per-iteration
// acc as a scan output.
ModelBuilder sum_loop(bool with_cond_break, bool cond_input) {
  ModelBuilder b(17);
  b.input("M", DType::kInt64, {});
  b.input("x", DType::kFloat, {2});
  b.initializer("acc0", make_f32({2}, {0, 0}));
  Sub body("body");
  body.input("i", DType::kInt64, {});
  body.input("c", DType::kBool, {});
  body.input_any("acc", DType::kFloat);
  body.node("Cast", {"i"}, {"fi"}).add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("to");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(1);
    return a;
  }());
  body.node("Mul", {"x", "fi"}, {"xi"});
  body.node("Add", {"acc", "xi"}, {"acc_out"});
  if (with_cond_break) {
    body.node("Less", {"i", "two"}, {"c_out"});  // stop after i == 2
  } else {
    body.node("Identity", {"c"}, {"c_out"});
  }
  body.output("c_out", DType::kBool);
  body.output("acc_out", DType::kFloat);
  body.output("xi", DType::kFloat);
  b.initializer("two", make_i64({}, {2}));
  b.initializer("go", [] {
    Tensor t(DType::kBool, {});
    *t.data_as<uint8_t>() = 1;
    return t;
  }());
  // The body's condition output counts only with a cond input.
  auto& n = b.node("Loop", {"M", cond_input ? "go" : "", "acc0"}, {"acc", "scan"}, "loop1");
  attr_graph(n, "body", body);
  b.output("acc", DType::kFloat);
  b.output("scan", DType::kFloat);
  return b;
}

TEST(Loop, CarriesValuesReadsOuterScopeAndStacksScanOutputs) {
  auto s = open(sum_loop(false, false));
  const auto out = s->run({{"M", make_i64({}, {4})}, {"x", make_f32({2}, {1, 10})}}, {});
  EXPECT_EQ(values(out[0]), (std::vector<float>{6, 60}));
  EXPECT_EQ(out[1].shape(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(values(out[1]), (std::vector<float>{0, 0, 1, 10, 2, 20, 3, 30}));
}

TEST(Loop, BodyConditionStopsEarly) {
  auto s = open(sum_loop(true, true));
  const auto out = s->run({{"M", make_i64({}, {100})}, {"x", make_f32({2}, {1, 10})}}, {});
  EXPECT_EQ(values(out[0]), (std::vector<float>{3, 30}));  // i = 0, 1, 2
  EXPECT_EQ(out[1].shape(), (std::vector<int64_t>{3, 2}));
}

TEST(Loop, ForLoopFormIgnoresTheBodyCondition) {
  auto s = open(sum_loop(true, false));
  const auto out = s->run({{"M", make_i64({}, {4})}, {"x", make_f32({2}, {1, 10})}}, {});
  EXPECT_EQ(values(out[0]), (std::vector<float>{6, 60}));
}

TEST(Loop, ZeroTripsGiveInitialValuesAndEmptyScanOutputs) {
  auto s = open(sum_loop(false, false));
  const auto out = s->run({{"M", make_i64({}, {0})}, {"x", make_f32({2}, {1, 10})}}, {});
  EXPECT_EQ(values(out[0]), (std::vector<float>{0, 0}));
  EXPECT_EQ(out[1].shape()[0], 0);
  // The session stays usable and the initial value was copied, not aliased.
  const auto again = s->run({{"M", make_i64({}, {2})}, {"x", make_f32({2}, {1, 1})}}, {});
  EXPECT_EQ(values(again[0]), (std::vector<float>{1, 1}));
}

TEST(Loop, CarriedShapeGrowsEachIteration) {
  ModelBuilder b(17);
  b.input("M", DType::kInt64, {});
  b.initializer("v0", make_f32({1}, {1}));
  Sub body("grow");
  body.input("i", DType::kInt64, {});
  body.input("c", DType::kBool, {});
  body.input_any("v", DType::kFloat);
  auto& cat = body.node("Concat", {"v", "v"}, {"v2"});
  ModelBuilder::attr_int(cat, "axis", 0);
  body.node("Identity", {"c"}, {"c_out"});
  body.output("c_out", DType::kBool);
  body.output("v2", DType::kFloat);
  attr_graph(b.node("Loop", {"M", "", "v0"}, {"v"}, "grow_loop"), "body", body);
  b.node("ReduceSum", {"v"}, {"s"});
  b.output("s", DType::kFloat);
  auto s = open(b);
  EXPECT_EQ(values(s->run({{"M", make_i64({}, {3})}}, {})[0]), (std::vector<float>{8}));
  EXPECT_EQ(values(s->run({{"M", make_i64({}, {5})}}, {})[0]), (std::vector<float>{32}));
}

TEST(Control, NestedIfInsideLoopReadsTwoScopesOut) {
  ModelBuilder b(17);
  b.input("M", DType::kInt64, {});
  b.input("k", DType::kFloat, {1});
  b.initializer("zero", make_f32({1}, {0}));
  b.initializer("one", make_i64({}, {1}));
  // Body: acc += (i is odd) ? k : 1; k comes from the model two scopes out.
  Sub then_b("odd"), else_b("even");
  then_b.node("Identity", {"k"}, {"a"});
  then_b.output("a", DType::kFloat);
  else_b.node("Cast", {"one"}, {"b"}).add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("to");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(1);
    return a;
  }());
  else_b.node("Reshape", {"b", "shape1"}, {"b1"});
  else_b.output("b1", DType::kFloat);
  Sub body("body");
  body.input("i", DType::kInt64, {});
  body.input("c", DType::kBool, {});
  body.input_any("acc", DType::kFloat);
  body.node("Mod", {"i", "two"}, {"r"});
  body.node("Equal", {"r", "one"}, {"odd"});
  auto& inner = body.node("If", {"odd"}, {"add"});
  attr_graph(inner, "then_branch", then_b);
  attr_graph(inner, "else_branch", else_b);
  body.node("Add", {"acc", "add"}, {"acc_out"});
  body.node("Identity", {"c"}, {"c_out"});
  body.output("c_out", DType::kBool);
  body.output("acc_out", DType::kFloat);
  b.initializer("two", make_i64({}, {2}));
  b.initializer("shape1", make_i64({1}, {1}));
  attr_graph(b.node("Loop", {"M", "", "zero"}, {"acc"}, "outer_loop"), "body", body);
  b.output("acc", DType::kFloat);
  auto s = open(b);
  // i = 0..4: even, odd, even, odd, even -> 1 + k + 1 + k + 1
  EXPECT_EQ(values(s->run({{"M", make_i64({}, {5})}, {"k", make_f32({1}, {100})}}, {})[0]), (std::vector<float>{203}));
}

TEST(Scan, ReversedInputAlongAxisOneAndStackedOutputs) {
  ModelBuilder b(17);
  b.input("init", DType::kFloat, {2});
  b.input("x", DType::kFloat, {2, 3});  // scanned along axis 1, backwards
  Sub body("body");
  body.input("s", DType::kFloat, {2});
  body.input("xt", DType::kFloat, {2});
  body.node("Add", {"s", "xt"}, {"s_out"});
  body.node("Identity", {"s_out"}, {"y"});
  body.output("s_out", DType::kFloat);
  body.output("y", DType::kFloat);
  auto& n = b.node("Scan", {"init", "x"}, {"final", "ys"}, "scan1");
  ModelBuilder::attr_int(n, "num_scan_inputs", 1);
  ModelBuilder::attr_ints(n, "scan_input_axes", {1});
  ModelBuilder::attr_ints(n, "scan_input_directions", {1});
  ModelBuilder::attr_ints(n, "scan_output_axes", {-1});
  attr_graph(n, "body", body);
  b.output("final", DType::kFloat);
  b.output("ys", DType::kFloat);
  auto s = open(b);
  const auto out = s->run({{"init", make_f32({2}, {0, 100})}, {"x", make_f32({2, 3}, {1, 2, 3, 4, 5, 6})}}, {});
  EXPECT_EQ(values(out[0]), (std::vector<float>{6, 115}));
  // Steps take columns 2, 1, 0: s = (3,106), (5,111), (6,115); stacked on the last axis.
  EXPECT_EQ(out[1].shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(out[1]), (std::vector<float>{3, 5, 6, 106, 111, 115}));
}

TEST(Control, BodyWithWrongInputCountNamesTheNode) {
  ModelBuilder b(17);
  b.input("M", DType::kInt64, {});
  b.initializer("v0", make_f32({1}, {1}));
  Sub body("bad");
  body.input("i", DType::kInt64, {});  // missing cond and the carried value
  body.node("Identity", {"i"}, {"o"});
  body.output("o", DType::kInt64);
  attr_graph(b.node("Loop", {"M", "", "v0"}, {"v"}, "broken_loop"), "body", body);
  b.output("v", DType::kFloat);
  try {
    open(b);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("broken_loop"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'body' has 1 inputs"), std::string::npos) << msg;
  }
}

TEST(Control, IfWithWrongOutputCountAndBadConditionFail) {
  ModelBuilder b(17);
  b.input("cond", DType::kFloat, {});
  Sub then_b("then"), else_b("else");
  then_b.node("Identity", {"cond"}, {"t"});
  then_b.output("t", DType::kFloat);
  else_b.node("Identity", {"cond"}, {"e"});
  else_b.output("e", DType::kFloat);
  auto& n = b.node("If", {"cond"}, {"y"}, "if_bad_cond");
  attr_graph(n, "then_branch", then_b);
  attr_graph(n, "else_branch", else_b);
  b.output("y", DType::kFloat);
  auto s = open(b);
  Tensor c(DType::kFloat, {});
  try {
    s->run({{"cond", c}}, {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("if_bad_cond"), std::string::npos) << e.what();
  }
  else_b.output("extra", DType::kFloat);
  ModelBuilder b2(17);
  b2.input("cond", DType::kBool, {});
  auto& n2 = b2.node("If", {"cond"}, {"y"}, "if_bad_outputs");
  attr_graph(n2, "then_branch", then_b);
  attr_graph(n2, "else_branch", else_b);
  b2.output("y", DType::kFloat);
  EXPECT_THROW(open(b2), Error);
}

TEST(Sequence, SplitInsertEraseAtLengthConcat) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {4, 2});
  b.initializer("pos", make_i64({}, {-1}));
  b.initializer("zero", make_i64({}, {0}));
  b.node("SplitToSequence", {"x"}, {"seq"});           // 4 tensors of [1, 2]
  b.node("SequenceErase", {"seq", "zero"}, {"seq2"});  // drop row 0
  b.node("SequenceAt", {"seq2", "pos"}, {"last"});     // row 3
  b.node("SequenceInsert", {"seq2", "last", "zero"}, {"seq3"});
  b.node("SequenceLength", {"seq3"}, {"len"});
  auto& cat = b.node("ConcatFromSequence", {"seq3"}, {"y"});
  ModelBuilder::attr_int(cat, "axis", 0);
  b.output("y", DType::kFloat);
  b.output("len", DType::kInt64);
  auto s = open(b);
  const auto out = s->run({{"x", make_f32({4, 2}, {0, 1, 2, 3, 4, 5, 6, 7})}}, {});
  EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{4, 2}));
  EXPECT_EQ(values(out[0]), (std::vector<float>{6, 7, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(*out[1].data_as<int64_t>(), 4);
}

TEST(Sequence, LoopBuildsASequenceOutput) {
  ModelBuilder b(17);
  b.input("M", DType::kInt64, {});
  b.node("SequenceEmpty", {}, {"empty"});
  Sub body("body");
  body.input("i", DType::kInt64, {});
  body.input("c", DType::kBool, {});
  body.seq_input("s", DType::kFloat);
  body.node("Cast", {"i"}, {"fi"}).add_attribute()->CopyFrom([] {
    onnx::AttributeProto a;
    a.set_name("to");
    a.set_type(onnx::AttributeProto::INT);
    a.set_i(1);
    return a;
  }());
  body.node("SequenceInsert", {"s", "fi"}, {"s_out"});
  body.node("Identity", {"c"}, {"c_out"});
  body.output("c_out", DType::kBool);
  body.seq_output("s_out", DType::kFloat);
  attr_graph(b.node("Loop", {"M", "", "empty"}, {"seq"}, "seq_loop"), "body", body);
  auto* o = b.graph().add_output();
  o->set_name("seq");
  o->mutable_type()->mutable_sequence_type()->mutable_elem_type()->mutable_tensor_type()->set_elem_type(1);
  auto s = open(b);
  const auto out = s->run_values({{"M", AnyValue(make_i64({}, {3}))}}, {});
  ASSERT_TRUE(out[0].composite);
  ASSERT_EQ(out[0].composite->items.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(values(out[0].composite->items[i]), (std::vector<float>{float(i)}));
  // Through the tensor-only API a sequence output is a clear error.
  EXPECT_THROW(s->run({{"M", make_i64({}, {3})}}, {}), Error);
}

TEST(Sequence, OutOfRangePositionIsAnError) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {2});
  b.initializer("pos", make_i64({}, {5}));
  b.node("SequenceConstruct", {"x", "x"}, {"seq"});
  b.node("SequenceAt", {"seq", "pos"}, {"y"}, "at_bad");
  b.output("y", DType::kFloat);
  auto s = open(b);
  try {
    s->run({{"x", make_f32({2}, {1, 2})}}, {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
  }
}

TEST(Optional, WrapTestAndUnwrap) {
  ModelBuilder b(18);
  b.input("x", DType::kFloat, {2});
  b.node("Optional", {"x"}, {"opt"});
  b.node("OptionalHasElement", {"opt"}, {"has"});
  b.node("OptionalGetElement", {"opt"}, {"y"});
  auto& e = b.node("Optional", {}, {"none"});
  auto* a = e.add_attribute();
  a->set_name("type");
  a->set_type(onnx::AttributeProto::TYPE_PROTO);
  a->mutable_tp()->mutable_tensor_type()->set_elem_type(1);
  b.node("OptionalHasElement", {"none"}, {"has_none"});
  b.output("has", DType::kBool);
  b.output("y", DType::kFloat);
  b.output("has_none", DType::kBool);
  auto s = open(b);
  const auto out = s->run({{"x", make_f32({2}, {3, 4})}}, {});
  EXPECT_EQ(*out[0].data_as<uint8_t>(), 1);
  EXPECT_EQ(values(out[1]), (std::vector<float>{3, 4}));
  EXPECT_EQ(*out[2].data_as<uint8_t>(), 0);
}

TEST(Scan, Opset8BatchesEveryInput) {
  ModelBuilder b(8);
  b.input("init", DType::kFloat, {2, 1});
  b.input("x", DType::kFloat, {2, 3, 1});
  Sub body("body");
  body.input("s", DType::kFloat, {1});
  body.input("xt", DType::kFloat, {1});
  body.node("Add", {"s", "xt"}, {"s_out"});
  body.node("Identity", {"s_out"}, {"y"});
  body.output("s_out", DType::kFloat);
  body.output("y", DType::kFloat);
  auto& n = b.node("Scan", {"", "init", "x"}, {"final", "ys"}, "scan8");
  ModelBuilder::attr_int(n, "num_scan_inputs", 1);
  attr_graph(n, "body", body);
  b.output("final", DType::kFloat);
  b.output("ys", DType::kFloat);
  auto s = open(b);
  const auto out = s->run({{"init", make_f32({2, 1}, {0, 10})}, {"x", make_f32({2, 3, 1}, {1, 2, 3, 4, 5, 6})}}, {});
  EXPECT_EQ(values(out[0]), (std::vector<float>{6, 25}));
  EXPECT_EQ(out[1].shape(), (std::vector<int64_t>{2, 3, 1}));
  EXPECT_EQ(values(out[1]), (std::vector<float>{1, 3, 6, 14, 19, 25}));
}

TEST(Scan, InputsOfDifferentLengthsAreAnError) {
  ModelBuilder b(17);
  b.input("a", DType::kFloat, {3});
  b.input("c", DType::kFloat, {4});
  Sub body("body");
  body.input("at", DType::kFloat, {});
  body.input("ct", DType::kFloat, {});
  body.node("Add", {"at", "ct"}, {"y"});
  body.output("y", DType::kFloat);
  auto& n = b.node("Scan", {"a", "c"}, {"ys"}, "scan_bad");
  ModelBuilder::attr_int(n, "num_scan_inputs", 2);
  attr_graph(n, "body", body);
  b.output("ys", DType::kFloat);
  auto s = open(b);
  try {
    s->run({{"a", make_f32({3}, {1, 2, 3})}, {"c", make_f32({4}, {1, 2, 3, 4})}}, {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("scan_bad"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("different lengths"), std::string::npos) << e.what();
  }
}

TEST(Sequence, MapAddsAnOuterTensorToEveryElement) {
  ModelBuilder b(17);
  b.input("x", DType::kFloat, {3, 2});
  b.input("d", DType::kFloat, {2});
  b.node("SplitToSequence", {"x"}, {"seq"});
  Sub body("map");
  body.input_any("e", DType::kFloat);
  body.input_any("dd", DType::kFloat);
  body.node("Add", {"e", "dd"}, {"r"});
  body.output("r", DType::kFloat);
  attr_graph(b.node("SequenceMap", {"seq", "d"}, {"mapped"}, "map1"), "body", body);
  auto& cat = b.node("ConcatFromSequence", {"mapped"}, {"y"});
  ModelBuilder::attr_int(cat, "axis", 0);
  ModelBuilder::attr_int(cat, "new_axis", 1);
  b.output("y", DType::kFloat);
  auto s = open(b);
  const auto out = s->run({{"x", make_f32({3, 2}, {0, 1, 2, 3, 4, 5})}, {"d", make_f32({2}, {10, 20})}}, {});
  EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{3, 1, 2}));
  EXPECT_EQ(values(out[0]), (std::vector<float>{10, 21, 12, 23, 14, 25}));
}

TEST(Loop, ConcurrentRunsShareTheCompiledBody) {
  auto s = open(sum_loop(false, false));
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int it = 0; it < 50; ++it) {
        const int64_t m = 1 + (t + it) % 5;
        const auto out = s->run({{"M", make_i64({}, {m})}, {"x", make_f32({2}, {1, 2})}}, {});
        const float want = static_cast<float>(m * (m - 1) / 2);
        if (values(out[0]) != std::vector<float>{want, 2 * want} || out[1].shape()[0] != m) ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace ortl::test
