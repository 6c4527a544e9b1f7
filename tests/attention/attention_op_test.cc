// Op-level semantics of the attention family the node tests leave out or cover thinly: 3-D vs
// 4-D layouts, the KV cache (present = past ++ new, causal offset), masks broadcast from low
// ranks, double, symbolic shape inference, the small blocks (RMSNorm, RoPE, SwiGLU, causal conv,
// linear attention) on hand-checked values, and the error codes for bad inputs and attributes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "kernels/attention/attention.h"
#include "kernels/eltwise/half.h"
#include "tests/nn/node_runner.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

Tensor floats(const std::vector<int64_t>& shape, uint32_t seed, double lo = -1, double hi = 1) {
  std::mt19937 rng(seed);
  return make_tensor(DType::kFloat, shape, random_vec<float>(rng, numel_of(shape), lo, hi));
}
const float* f(const Tensor& t) { return t.data_as<float>(); }

void set_string(OpCall& c, const std::string& name, const std::string& v) {
  graph::Attribute a;
  a.type = graph::AttrType::kString;
  a.s = v;
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

// [B, S, H*D] -> [B, H, S, D].
Tensor to_4d(const Tensor& t, int64_t heads) {
  const int64_t b = t.dim(0), s = t.dim(1), d = t.dim(2) / heads;
  Tensor out(DType::kFloat, {b, heads, s, d});
  for (int64_t i = 0; i < b; ++i)
    for (int64_t j = 0; j < s; ++j)
      for (int64_t h = 0; h < heads; ++h)
        for (int64_t k = 0; k < d; ++k)
          out.data_as<float>()[((i * heads + h) * s + j) * d + k] = f(t)[(i * s + j) * heads * d + h * d + k];
  return out;
}

TEST(AttentionOp, ThreeDMatchesFourD) {
  const Tensor q = floats({2, 7, 6 * 13}, 1), k = floats({2, 5, 2 * 13}, 2), v = floats({2, 5, 2 * 5}, 3);
  auto y3 = OpCall("Attention", 23)
                .input(q)
                .input(k)
                .input(v)
                .attr_int("q_num_heads", 6)
                .attr_int("kv_num_heads", 2)
                .attr_int("is_causal", 1)
                .run();
  auto y4 =
      OpCall("Attention", 23).input(to_4d(q, 6)).input(to_4d(k, 2)).input(to_4d(v, 2)).attr_int("is_causal", 1).run();
  ASSERT_EQ(y3[0].shape(), (std::vector<int64_t>{2, 7, 30}));
  const Tensor y3as4 = to_4d(y3[0], 6);
  EXPECT_TRUE(all_close(f(y3as4), f(y4[0]), y4[0].numel(), 1e-6, 1e-6));
}

TEST(AttentionOp, CacheConcatenatesAndOffsetsCausal) {
  // One call with past (3 keys) + 2 new keys equals a call on all 5 keys with offset 3.
  const Tensor q = floats({1, 2, 2, 8}, 4), pk = floats({1, 2, 3, 8}, 5), pv = floats({1, 2, 3, 4}, 6);
  const Tensor k = floats({1, 2, 2, 8}, 7), v = floats({1, 2, 2, 4}, 8);
  auto out = OpCall("Attention", 23)
                 .input(q)
                 .input(k)
                 .input(v)
                 .no_input()
                 .input(pk)
                 .input(pv)
                 .outputs(3)
                 .attr_int("is_causal", 1)
                 .run();
  ASSERT_EQ(out[1].shape(), (std::vector<int64_t>{1, 2, 5, 8}));
  ASSERT_EQ(out[2].shape(), (std::vector<int64_t>{1, 2, 5, 4}));
  for (int h = 0; h < 2; ++h) {
    for (int j = 0; j < 3; ++j)
      for (int d = 0; d < 8; ++d) EXPECT_EQ(f(out[1])[(h * 5 + j) * 8 + d], f(pk)[(h * 3 + j) * 8 + d]);
    for (int j = 0; j < 2; ++j)
      for (int d = 0; d < 8; ++d) EXPECT_EQ(f(out[1])[(h * 5 + 3 + j) * 8 + d], f(k)[(h * 2 + j) * 8 + d]);
  }
  kernels::AttentionArgs<float> a;
  std::vector<float> want(16);
  a.q_heads = a.kv_heads = 2, a.q_len = 2, a.kv_len = 5, a.head_dim = 8, a.v_head_dim = 4;
  a.q = f(q), a.k = f(out[1]), a.v = f(out[2]), a.y = want.data();
  a.qs = {32, 16, 8}, a.ks = {80, 40, 8}, a.vs = {40, 20, 4}, a.ys = {16, 8, 4};
  a.scale = 1 / std::sqrt(8.0f), a.causal = true, a.offset = 3;
  kernels::attention_ref(a);
  EXPECT_TRUE(all_close(f(out[0]), want.data(), 16, 1e-5, 1e-6));
}

TEST(AttentionOp, BoolMaskBroadcastAndFullyMaskedRow) {
  const Tensor q = floats({2, 3, 2, 4}, 9), k = floats({2, 3, 3, 4}, 10), v = floats({2, 3, 3, 4}, 11);
  // [2, 2] mask over 3 keys: column 2 is missing (masked); row 0 masks everything.
  const Tensor m = make_tensor<uint8_t>(DType::kBool, {2, 2}, {0, 0, 1, 0});
  auto y =
      OpCall("Attention", 24).input(q).input(k).input(v).input(m).outputs(4).attr_int("qk_matmul_output_mode", 3).run();
  for (int64_t bh = 0; bh < 6; ++bh) {
    for (int d = 0; d < 4; ++d) {
      EXPECT_EQ(f(y[0])[bh * 8 + d], 0.0f);                   // row 0: zero, not NaN
      EXPECT_EQ(f(y[0])[bh * 8 + 4 + d], f(v)[bh * 12 + d]);  // row 1: all weight on key 0
    }
    EXPECT_EQ(f(y[3])[bh * 6 + 3], 1.0f);
    EXPECT_EQ(f(y[3])[bh * 6 + 5], 0.0f);
  }
}

TEST(AttentionOp, DoubleMatchesFloat) {
  const Tensor q = floats({1, 2, 3, 5}, 12), k = floats({1, 1, 4, 5}, 13), v = floats({1, 1, 4, 3}, 14);
  auto to_double = [](const Tensor& t) {
    Tensor d(DType::kDouble, t.shape());
    for (int64_t i = 0; i < t.numel(); ++i) d.data_as<double>()[i] = f(t)[i];
    return d;
  };
  auto yf = OpCall("Attention", 23).input(q).input(k).input(v).attr_float("softcap", 2).run();
  auto yd = OpCall("Attention", 23)
                .input(to_double(q))
                .input(to_double(k))
                .input(to_double(v))
                .attr_float("softcap", 2)
                .run();
  ASSERT_EQ(yd[0].dtype(), DType::kDouble);
  for (int64_t i = 0; i < yf[0].numel(); ++i) EXPECT_NEAR(f(yf[0])[i], yd[0].data_as<double>()[i], 1e-5);
}

TEST(AttentionOp, Bfloat16FollowsFloatWithinItsPrecision) {
  const Tensor q = floats({1, 2, 5, 8}, 15), k = floats({1, 2, 6, 8}, 16), v = floats({1, 2, 6, 8}, 17);
  auto to_bf16 = [](const Tensor& t) {
    Tensor h(DType::kBFloat16, t.shape());
    for (int64_t i = 0; i < t.numel(); ++i) h.data_as<uint16_t>()[i] = kernels::float_to_bf16_bits(f(t)[i]);
    return h;
  };
  auto yh = OpCall("Attention", 23)
                .input(to_bf16(q))
                .input(to_bf16(k))
                .input(to_bf16(v))
                .attr_int("is_causal", 1)
                .outputs(2)
                .run();
  ASSERT_EQ(yh[0].dtype(), DType::kBFloat16);
  ASSERT_EQ(yh[1].dtype(), DType::kBFloat16);
  // present_key is the input, bit for bit.
  EXPECT_EQ(std::memcmp(yh[1].data(), to_bf16(k).data(), k.numel() * 2), 0);
  auto yf = OpCall("Attention", 23).input(q).input(k).input(v).attr_int("is_causal", 1).run();
  // Inputs rounded to 8 bits and ~6 rounded steps: a few bf16 ulps (2^-8 relative) of |v| <= 1.
  for (int64_t i = 0; i < yf[0].numel(); ++i) {
    EXPECT_NEAR(kernels::bf16_bits_to_float(yh[0].data_as<uint16_t>()[i]), f(yf[0])[i], 0.05) << i;
  }
}

TEST(AttentionOp, SymbolicShapes) {
  OpCall c("Attention", 23);
  c.input(floats({1, 1, 1}, 1))
      .input(floats({1, 1, 1}, 1))
      .input(floats({1, 1, 1}, 1))
      .no_input()
      .input(floats({1, 1, 1, 1}, 1))
      .input(floats({1, 1, 1, 1}, 1))
      .outputs(4)
      .attr_int("q_num_heads", 4)
      .attr_int("kv_num_heads", 2);
  using graph::Dim;
  const auto out = c.infer({graph::TypeInfo::of(DType::kFloat, {Dim("b"), Dim("s"), 32}),
                            graph::TypeInfo::of(DType::kFloat, {Dim("b"), 3, 16}),
                            graph::TypeInfo::of(DType::kFloat, {Dim("b"), 3, 12}), graph::TypeInfo{},
                            graph::TypeInfo::of(DType::kFloat, {Dim("b"), 2, 5, 8}),
                            graph::TypeInfo::of(DType::kFloat, {Dim("b"), 2, 5, 6})});
  ASSERT_TRUE(out[0].has_shape);
  EXPECT_EQ(out[0].shape[0].symbol, "b");
  EXPECT_EQ(out[0].shape[2].value, 24);
  EXPECT_EQ(graph::to_concrete({out[1].shape[1], out[1].shape[2], out[1].shape[3]}), (std::vector<int64_t>{2, 8, 8}));
  EXPECT_EQ(out[2].shape[3].value, 6);
  EXPECT_EQ(out[3].shape[3].value, 8);
}

TEST(AttentionOp, Errors) {
  const Tensor q = floats({1, 2, 4, 8}, 1), k = floats({1, 2, 4, 8}, 2), v = floats({1, 2, 4, 8}, 3);
  const Tensor q3 = floats({1, 4, 16}, 4);
  auto bad = ErrorCode::kInvalidArgument;
  EXPECT_EQ(error_of([&] { OpCall("Attention", 23).input(floats({4, 8}, 1)).input(k).input(v).run(); }), bad);
  EXPECT_EQ(error_of([&] { OpCall("Attention", 23).input(q3).input(q3).input(q3).run(); }), bad);  // no num_heads
  EXPECT_EQ(
      error_of([&] { OpCall("Attention", 23).input(q).input(k).input(v).attr_int("qk_matmul_output_mode", 4).run(); }),
      bad);
  EXPECT_EQ(error_of([&] { OpCall("Attention", 23).input(floats({1, 3, 4, 8}, 1)).input(k).input(v).run(); }), bad);
  EXPECT_EQ(error_of([&] { OpCall("Attention", 23).input(q).input(floats({1, 2, 4, 7}, 1)).input(v).run(); }), bad);
  EXPECT_EQ(error_of([&] {
              OpCall("Attention", 23).input(q).input(k).input(v).input(floats({3, 4}, 1)).run();  // 3 rows, 4 queries
            }),
            bad);
  EXPECT_EQ(error_of([&] { OpCall("Attention", 23).input(q).input(k).input(v).input(floats({4, 5}, 1)).run(); }), bad);
  EXPECT_EQ(
      error_of([&] { OpCall("Attention", 25).input(q).input(k).input(v).attr_int("left_window_size", -3).run(); }),
      bad);
  EXPECT_EQ(error_of([&] { OpCall("Attention", 25).input(q).input(k).input(v).attr_int("q_num_heads", 2).run(); }),
            bad);
  const Tensor i32 = make_tensor<int32_t>(DType::kInt32, {1, 1, 1, 1}, {1});
  EXPECT_EQ(error_of([&] { OpCall("Attention", 23).input(i32).input(i32).input(i32).run(); }),
            ErrorCode::kNotImplemented);
}

TEST(RmsNormOp, ValuesAndBroadcastScale) {
  const Tensor x = make_tensor<float>(DType::kFloat, {2, 2}, {3, 4, 1, -1});
  const Tensor s = make_tensor<float>(DType::kFloat, {2}, {1, 2});
  auto y = OpCall("RMSNormalization", 23).input(x).input(s).attr_float("epsilon", 0).run();
  const float r0 = std::sqrt(12.5f);
  EXPECT_NEAR(f(y[0])[0], 3 / r0, 1e-6);
  EXPECT_NEAR(f(y[0])[1], 8 / r0, 1e-6);
  EXPECT_NEAR(f(y[0])[2], 1, 1e-6);
  EXPECT_NEAR(f(y[0])[3], -2, 1e-6);
  // axis 0 with a scale spanning both dims, and a scale broadcast over rows ([2, 1]).
  y = OpCall("RMSNormalization", 23)
          .input(x)
          .input(make_tensor<float>(DType::kFloat, {2, 1}, {1, 10}))
          .attr_int("axis", -1)
          .attr_float("epsilon", 0)
          .run();
  EXPECT_NEAR(f(y[0])[3], -10, 1e-5);
  EXPECT_NEAR(f(y[0])[0], 3 / r0, 1e-6);
  EXPECT_EQ(error_of([&] { OpCall("RMSNormalization", 23).input(x).input(s).attr_int("axis", 2).run(); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { OpCall("RMSNormalization", 23).input(x).input(floats({3}, 1)).run(); }),
            ErrorCode::kInvalidArgument);
}

TEST(RotaryOp, HalvesInterleavedAndPartial) {
  // One head of 6 values, rotary dim 4 (half 2), position 1 of a 2-row cache: angle pi/2 on
  // pair 0 (cos 0, sin 1), angle 0 on pair 1.
  const Tensor x = make_tensor<float>(DType::kFloat, {1, 1, 1, 6}, {1, 2, 3, 4, 5, 6});
  const Tensor cos = make_tensor<float>(DType::kFloat, {2, 2}, {9, 9, 0, 1});
  const Tensor sin = make_tensor<float>(DType::kFloat, {2, 2}, {9, 9, 1, 0});
  const Tensor pos = make_tensor<int64_t>(DType::kInt64, {1, 1}, {1});
  auto y =
      OpCall("RotaryEmbedding", 23).input(x).input(cos).input(sin).input(pos).attr_int("rotary_embedding_dim", 4).run();
  // halves: pairs (x0, x2) and (x1, x3); (1, 3) rotated by pi/2 -> (-3, 1).
  EXPECT_EQ(std::vector<float>(f(y[0]), f(y[0]) + 6), (std::vector<float>{-3, 2, 1, 4, 5, 6}));
  y = OpCall("RotaryEmbedding", 23)
          .input(x)
          .input(cos)
          .input(sin)
          .input(pos)
          .attr_int("rotary_embedding_dim", 4)
          .attr_int("interleaved", 1)
          .run();
  // interleaved: pairs (x0, x1), (x2, x3); (1, 2) -> (-2, 1).
  EXPECT_EQ(std::vector<float>(f(y[0]), f(y[0]) + 6), (std::vector<float>{-2, 1, 3, 4, 5, 6}));
  EXPECT_EQ(error_of([&] {
              OpCall("RotaryEmbedding", 23)
                  .input(x)
                  .input(cos)
                  .input(sin)
                  .input(pos)
                  .attr_int("rotary_embedding_dim", 3)
                  .run();
            }),
            ErrorCode::kInvalidArgument);
  const Tensor far = make_tensor<int64_t>(DType::kInt64, {1, 1}, {2});
  EXPECT_EQ(error_of([&] {
              OpCall("RotaryEmbedding", 23)
                  .input(x)
                  .input(cos)
                  .input(sin)
                  .input(far)
                  .attr_int("rotary_embedding_dim", 4)
                  .run();
            }),
            ErrorCode::kInvalidArgument);
}

TEST(SwiGluOp, ValuesAndShapeMismatch) {
  const Tensor a = make_tensor<float>(DType::kFloat, {3}, {0, 1, -2});
  const Tensor b = make_tensor<float>(DType::kFloat, {3}, {5, 2, 3});
  auto y = OpCall("SwiGLU", 28).input(a).input(b).attr_float("alpha", 2).run();
  EXPECT_EQ(f(y[0])[0], 0.0f);
  EXPECT_NEAR(f(y[0])[1], 2 / (1 + std::exp(-2.0)), 1e-6);
  EXPECT_NEAR(f(y[0])[2], -6 / (1 + std::exp(4.0)), 1e-6);
  EXPECT_EQ(error_of([&] { OpCall("SwiGLU", 28).input(a).input(floats({2}, 1)).run(); }), ErrorCode::kInvalidArgument);
}

TEST(CausalConvOp, PastStateAndPresent) {
  // One channel, k = 3: y[t] = w0 x[t-2] + w1 x[t-1] + w2 x[t] + bias, x[-2], x[-1] from past.
  const Tensor x = make_tensor<float>(DType::kFloat, {1, 1, 3}, {1, 2, 3});
  const Tensor w = make_tensor<float>(DType::kFloat, {1, 1, 3}, {1, 10, 100});
  const Tensor b = make_tensor<float>(DType::kFloat, {1}, {0.5f});
  const Tensor past = make_tensor<float>(DType::kFloat, {1, 1, 2}, {7, 8});
  auto y = OpCall("CausalConvWithState", 27).input(x).input(w).input(b).input(past).outputs(2).run();
  EXPECT_EQ(std::vector<float>(f(y[0]), f(y[0]) + 3), (std::vector<float>{187.5f, 218.5f, 321.5f}));
  EXPECT_EQ(std::vector<float>(f(y[1]), f(y[1]) + 2), (std::vector<float>{2, 3}));
  // Decode step shorter than k - 1: the state keeps one old position.
  const Tensor x1 = make_tensor<float>(DType::kFloat, {1, 1, 1}, {4});
  y = OpCall("CausalConvWithState", 27).input(x1).input(w).no_input().input(past).outputs(2).run();
  EXPECT_EQ(f(y[0])[0], 7 + 80 + 400.0f);
  EXPECT_EQ(std::vector<float>(f(y[1]), f(y[1]) + 2), (std::vector<float>{8, 4}));
  EXPECT_EQ(error_of([&] {
              OpCall("CausalConvWithState", 27).input(x).input(floats({2, 1, 3}, 1)).outputs(2).run();
            }),
            ErrorCode::kInvalidArgument);
  OpCall bad("CausalConvWithState", 27);
  bad.input(x).input(w);
  set_string(bad, "activation", "gelu");
  EXPECT_EQ(error_of([&] { bad.run(); }), ErrorCode::kInvalidArgument);
}

TEST(LinearAttentionOp, LinearRuleByHand) {
  // B = 1, T = 2, one head, d_k = d_v = 1, scale 1: S1 = k1 v1, S2 = S1 + k2 v2, o_t = q_t S_t.
  OpCall c("LinearAttention", 27);
  c.input(make_tensor<float>(DType::kFloat, {1, 2, 1}, {2, 3}))
      .input(make_tensor<float>(DType::kFloat, {1, 2, 1}, {1, 4}))
      .input(make_tensor<float>(DType::kFloat, {1, 2, 1}, {5, 6}))
      .outputs(2)
      .attr_int("q_num_heads", 1)
      .attr_int("kv_num_heads", 1)
      .attr_float("scale", 1);
  set_string(c, "update_rule", "linear");
  auto y = c.run();
  EXPECT_EQ(f(y[0])[0], 10.0f);
  EXPECT_EQ(f(y[0])[1], 3.0f * 29);
  EXPECT_EQ(f(y[1])[0], 29.0f);
  // gated_delta (the default) without decay / beta inputs is rejected.
  OpCall g("LinearAttention", 27);
  g.input(floats({1, 2, 4}, 1)).input(floats({1, 2, 4}, 2)).input(floats({1, 2, 4}, 3)).outputs(2);
  g.attr_int("q_num_heads", 1).attr_int("kv_num_heads", 1);
  EXPECT_EQ(error_of([&] { g.run(); }), ErrorCode::kInvalidArgument);
  g.attr_int("q_num_heads", 3).attr_int("kv_num_heads", 2);
  EXPECT_EQ(error_of([&] { g.run(); }), ErrorCode::kInvalidArgument);
}

TEST(AttentionNodeCases, Pass) {
  run_node_cases(
      {"attention", "rms_normalization", "rotary_embedding", "swiglu", "causal_conv_with_state", "linear_attention"});
}

}  // namespace
}  // namespace ortl::nntest
