// Op-level semantics of RNN, GRU and LSTM beyond the ONNX node tests: layout 1 against layout 0,
// omitted outputs, activation lists for both directions, hidden_size from R, symbolic shape
// inference and the error codes for bad attributes, shapes and dtypes; plus the node tests.
#include <gtest/gtest.h>

#include <random>

#include "kernels/eltwise/half.h"
#include "tests/nn/node_runner.h"
#include "tests/nn/test_util.h"

namespace ortl::rnntest {
namespace {

using nntest::OpCall;

Tensor floats(const std::vector<int64_t>& shape, uint32_t seed, double lo = -1, double hi = 1) {
  std::mt19937 rng(seed);
  return nntest::make_tensor(DType::kFloat, shape, nntest::random_vec<float>(rng, nntest::numel_of(shape), lo, hi));
}

void set_string(OpCall& c, const std::string& name, const std::string& v) {
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = v;
  c.node.attrs[name] = a;
}
void set_strings(OpCall& c, const std::string& name, std::vector<std::string> v) {
  graph::Attribute a;
  a.type = graph::AttrType::kStrings;
  a.strings = std::move(v);
  c.node.attrs[name] = a;
}

ErrorCode error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kOk;
}

std::vector<float> values(const Tensor& t) { return {t.data_as<float>(), t.data_as<float>() + t.numel()}; }

// [a, b, c] -> [b, a, c] (or the same for the first two of four dims).
Tensor swap01(const Tensor& t) {
  auto s = t.shape();
  std::swap(s[0], s[1]);
  Tensor o(t.dtype(), s);
  int64_t inner = 1;
  for (int i = 2; i < t.rank(); ++i) inner *= t.dim(i);
  for (int64_t i = 0; i < t.dim(0); ++i) {
    for (int64_t j = 0; j < t.dim(1); ++j) {
      std::copy_n(t.data_as<float>() + (i * t.dim(1) + j) * inner, inner,
                  o.data_as<float>() + (j * t.dim(0) + i) * inner);
    }
  }
  return o;
}

TEST(RnnOp, NodeCases) { nntest::run_node_cases({"rnn_", "gru_", "lstm_", "simple_rnn"}); }

TEST(RnnOp, LayoutOneMatchesLayoutZero) {
  // X [seq 4, batch 3, input 7], hidden 5, bidirectional LSTM with lengths and initial states.
  const Tensor x = floats({4, 3, 7}, 1), w = floats({2, 20, 7}, 2), r = floats({2, 20, 5}, 3), b = floats({2, 40}, 4);
  const Tensor h0 = floats({2, 3, 5}, 5), c0 = floats({2, 3, 5}, 6), p = floats({2, 15}, 7);
  const Tensor lens = nntest::make_tensor<int32_t>(DType::kInt32, {3}, {4, 2, 3});
  OpCall a("LSTM", 22);
  a.input(x).input(w).input(r).input(b).input(lens).input(h0).input(c0).input(p).outputs(3).attr_int("hidden_size", 5);
  set_string(a, "direction", "bidirectional");
  const auto ya = a.run();
  OpCall bf("LSTM", 22);
  bf.input(swap01(x)).input(w).input(r).input(b).input(lens).input(swap01(h0)).input(swap01(c0)).input(p).outputs(3);
  bf.attr_int("hidden_size", 5).attr_int("layout", 1);
  set_string(bf, "direction", "bidirectional");
  nntest::ThreadedParallel par(2);
  const auto yb = bf.run(par);
  // Y: [seq, dirs, batch, h] vs [batch, seq, dirs, h].
  ASSERT_EQ(yb[0].shape(), (std::vector<int64_t>{3, 4, 2, 5}));
  for (int64_t t = 0; t < 4; ++t)
    for (int64_t d = 0; d < 2; ++d)
      for (int64_t n = 0; n < 3; ++n)
        for (int64_t h = 0; h < 5; ++h)
          EXPECT_EQ(ya[0].data_as<float>()[((t * 2 + d) * 3 + n) * 5 + h],
                    yb[0].data_as<float>()[((n * 4 + t) * 2 + d) * 5 + h]);
  EXPECT_EQ(values(swap01(ya[1])), values(yb[1]));
  EXPECT_EQ(values(swap01(ya[2])), values(yb[2]));
}

TEST(RnnOp, ActivationListForOneDirectionServesBoth) {
  const Tensor x = floats({2, 1, 3}, 8), w = floats({2, 9, 3}, 9), r = floats({2, 9, 3}, 10);
  OpCall one("GRU", 14);
  one.input(x).input(w).input(r).outputs(2).attr_int("hidden_size", 3);
  set_string(one, "direction", "bidirectional");
  set_strings(one, "activations", {"HardSigmoid", "Softsign"});
  OpCall both = one;
  set_strings(both, "activations", {"HardSigmoid", "Softsign", "HardSigmoid", "Softsign"});
  both.node.attrs["activation_alpha"] = graph::Attribute{};
  both.node.attrs["activation_alpha"].type = graph::AttrType::kFloats;
  both.node.attrs["activation_alpha"].floats = {0.2f, 0.2f};  // the default alpha, given twice
  EXPECT_EQ(values(one.run()[0]), values(both.run()[0]));
}

TEST(RnnOp, HiddenSizeFromRAndOmittedOutputs) {
  const Tensor x = floats({3, 2, 4}, 11), w = floats({1, 6, 4}, 12), r = floats({1, 6, 6}, 13);
  OpCall c("RNN", 7);
  c.input(x).input(w).input(r).outputs(1);
  const auto y = c.run();
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{3, 1, 2, 6}));
}

// float16 runs through the float kernel on widened inputs: the same as float on the rounded values,
// up to the final rounding to float16 (2^-11 relative).
TEST(RnnOp, Float16MatchesFloatOnRoundedValues) {
  auto to_half = [](const Tensor& f) {
    Tensor h(DType::kFloat16, f.shape());
    kernels::float_to_half(f.data_as<float>(), h.data_as<uint16_t>(), f.numel());
    return h;
  };
  auto to_float = [](const Tensor& h) {
    Tensor f(DType::kFloat, h.shape());
    kernels::half_to_float(h.data_as<uint16_t>(), f.data_as<float>(), h.numel());
    return f;
  };
  const Tensor x = to_half(floats({3, 2, 4}, 21)), w = to_half(floats({1, 20, 4}, 22)),
               r = to_half(floats({1, 20, 5}, 23));
  OpCall h("LSTM", 22);
  h.input(x).input(w).input(r).outputs(3).attr_int("hidden_size", 5);
  const auto yh = h.run();
  ASSERT_EQ(yh[0].dtype(), DType::kFloat16);
  OpCall f("LSTM", 22);
  f.input(to_float(x)).input(to_float(w)).input(to_float(r)).outputs(3).attr_int("hidden_size", 5);
  const auto yf = f.run();
  for (int i = 0; i < 3; ++i) {
    const Tensor got = to_float(yh[i]);
    EXPECT_TRUE(nntest::all_close(got.data_as<float>(), yf[i].data_as<float>(), got.numel(), 1e-3, 1e-4)) << i;
  }
}

// Versions 1 and 3 share the maths: layout only from 14, linear_before_reset only from GRU-3.
TEST(RnnOp, OldVersionsMatchNew) {
  const Tensor x = floats({3, 2, 4}, 31), w = floats({1, 9, 4}, 32), r = floats({1, 9, 3}, 33);
  auto gru = [&](int opset, int64_t lbr) {
    OpCall c("GRU", opset);
    c.input(x).input(w).input(r).outputs(2).attr_int("hidden_size", 3).attr_int("linear_before_reset", lbr);
    return values(c.run()[0]);
  };
  EXPECT_EQ(gru(1, 1), gru(22, 0));  // GRU-1 has no linear_before_reset: ignored
  EXPECT_EQ(gru(3, 1), gru(22, 1));
  EXPECT_NE(gru(3, 1), gru(3, 0));
  // RNN-1's output_sequence changes nothing (Y is an optional output anyway).
  const Tensor rw = floats({1, 3, 4}, 34), rr = floats({1, 3, 3}, 35);
  OpCall old("RNN", 1), now("RNN", 22);
  old.input(x).input(rw).input(rr).outputs(2).attr_int("hidden_size", 3).attr_int("output_sequence", 1);
  now.input(x).input(rw).input(rr).outputs(2).attr_int("hidden_size", 3);
  EXPECT_EQ(values(old.run()[0]), values(now.run()[0]));
}

TEST(RnnOp, SymbolicShapes) {
  OpCall c("LSTM", 14);
  c.input(floats({2, 1, 3}, 1)).input(floats({1, 8, 3}, 2)).input(floats({1, 8, 2}, 3)).outputs(3);
  c.attr_int("hidden_size", 2).attr_int("layout", 1);
  const auto out =
      c.infer({graph::TypeInfo::of(DType::kFloat, {graph::Dim("batch"), graph::Dim("seq"), 3}),
               graph::TypeInfo::of(DType::kFloat, {1, 8, 3}), graph::TypeInfo::of(DType::kFloat, {1, 8, 2})});
  ASSERT_TRUE(out[0].has_shape);
  EXPECT_EQ(out[0].shape[0].symbol, "batch");
  EXPECT_EQ(out[0].shape[1].symbol, "seq");
  EXPECT_EQ(out[0].shape[3].value, 2);
  EXPECT_EQ(out[2].shape[0].symbol, "batch");
  EXPECT_EQ(out[2].shape[1].value, 1);
}

TEST(RnnOp, Errors) {
  const Tensor x = floats({2, 1, 3}, 1), w = floats({1, 3, 3}, 2), r = floats({1, 3, 3}, 3);
  auto base = [&] {
    OpCall c("RNN", 22);
    c.input(x).input(w).input(r).outputs(2).attr_int("hidden_size", 3);
    return c;
  };
  OpCall bad_dir = base();
  set_string(bad_dir, "direction", "sideways");
  EXPECT_EQ(error_of([&] { bad_dir.run(); }), ErrorCode::kInvalidArgument);
  OpCall bad_act = base();
  set_strings(bad_act, "activations", {"Swish"});
  EXPECT_EQ(error_of([&] { bad_act.run(); }), ErrorCode::kInvalidArgument);
  OpCall too_many = base();
  set_strings(too_many, "activations", {"Tanh", "Tanh", "Tanh"});
  EXPECT_EQ(error_of([&] { too_many.run(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { base().attr_int("layout", 2).run(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { base().attr_int("hidden_size", 4).run(); }), ErrorCode::kInvalidArgument);  // W, R shapes
  OpCall rank2("RNN", 22);
  rank2.input(floats({2, 3}, 4)).input(w).input(r).attr_int("hidden_size", 3);
  EXPECT_EQ(error_of([&] { rank2.run(); }), ErrorCode::kInvalidArgument);
  OpCall lens = base();
  lens.no_input().input(nntest::make_tensor<int32_t>(DType::kInt32, {1}, {3}));  // 3 > seq 2
  EXPECT_EQ(error_of([&] { lens.run(); }), ErrorCode::kInvalidArgument);
  OpCall ints("RNN", 22);
  ints.input(nntest::make_tensor<int32_t>(DType::kInt32, {2, 1, 3}, {})).input(w).input(r).attr_int("hidden_size", 3);
  EXPECT_EQ(error_of([&] { ints.run(); }), ErrorCode::kNotImplemented);
  // A message names the op and the input.
  try {
    base().attr_int("hidden_size", 4).run();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("RNN: input 'W'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ortl::rnntest
