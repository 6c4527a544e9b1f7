// attention kernels: every attention_f32_impls() entry against attention_ref (the spec-literal
// oracle) on odd shapes: query lengths 1, 7, 33 and 70 (past one 64-row block), head sizes 8
// and 13, GQA, masks (broadcast, short, bool-like -inf), causal with cache offset, windows,
// nonpad, softcap and every qk output mode; seeded, the failing case printed.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <vector>

#include "kernels/attention/attention.h"
#include "tests/nn/test_util.h"

namespace ortl::nntest {
namespace {

using kernels::AttentionArgs;

struct Case {
  int64_t batch = 1, q_heads = 2, kv_heads = 2, q_len = 7, kv_len = 7, d = 8, dv = 8;
  bool mask = false, short_mask = false, bool_mask = false, causal = false, nonpad = false;
  int64_t offset = 0, left = -1, right = -1;
  float softcap = 0;
  int qk_mode = -1;  // -1: no qk output
  std::string str() const {
    std::ostringstream os;
    os << "b" << batch << " hq" << q_heads << " hkv" << kv_heads << " lq" << q_len << " lkv" << kv_len << " d" << d
       << " dv" << dv << (mask ? " mask" : "") << (short_mask ? " short" : "") << (bool_mask ? " bool" : "")
       << (causal ? " causal" : "") << (nonpad ? " nonpad" : "") << " off" << offset << " win" << left << "," << right
       << " cap" << softcap << " qk" << qk_mode;
    return os.str();
  }
};

struct Problem {
  std::vector<float> q, k, v, mask, y, qk;
  std::vector<int64_t> nonpad;
  AttentionArgs<float> a;
};

// Q, K, V in the 3-D packed layout ([B, S, H*D]) so the strides are not the trivial ones.
Problem make_run(const Case& c, uint32_t seed) {
  std::mt19937 rng(seed);
  Problem r;
  AttentionArgs<float>& a = r.a;
  a.batch = c.batch, a.q_heads = c.q_heads, a.kv_heads = c.kv_heads, a.q_len = c.q_len, a.kv_len = c.kv_len;
  a.head_dim = c.d, a.v_head_dim = c.dv;
  r.q = random_vec<float>(rng, c.batch * c.q_len * c.q_heads * c.d, -1, 1);
  r.k = random_vec<float>(rng, c.batch * c.kv_len * c.kv_heads * c.d, -1, 1);
  r.v = random_vec<float>(rng, c.batch * c.kv_len * c.kv_heads * c.dv, -1, 1);
  r.y.assign(static_cast<size_t>(c.batch * c.q_len * c.q_heads * c.dv), std::nanf(""));
  a.qs = {c.q_len * c.q_heads * c.d, c.d, c.q_heads * c.d};
  a.ks = {c.kv_len * c.kv_heads * c.d, c.d, c.kv_heads * c.d};
  a.vs = {c.kv_len * c.kv_heads * c.dv, c.dv, c.kv_heads * c.dv};
  a.ys = {c.q_len * c.q_heads * c.dv, c.dv, c.q_heads * c.dv};
  a.q = r.q.data(), a.k = r.k.data(), a.v = r.v.data(), a.y = r.y.data();
  a.scale = 1.0f / std::sqrt(static_cast<float>(c.d));
  a.softcap = c.softcap, a.causal = c.causal, a.offset = c.offset, a.left_window = c.left, a.right_window = c.right;
  if (c.mask) {
    // [B, 1, Lq, m]: broadcast over heads; m < kv_len when short.
    const int64_t m = c.short_mask ? std::max<int64_t>(1, c.kv_len - 3) : c.kv_len;
    r.mask = random_vec<float>(rng, c.batch * c.q_len * m, -2, 2);
    if (c.bool_mask) {
      for (auto& x : r.mask) x = x < -1 ? -std::numeric_limits<float>::infinity() : 0.0f;
    }
    a.mask = r.mask.data();
    a.mask_len = m;
    a.ms = {c.q_len * m, 0, m};
  }
  if (c.nonpad) {
    std::uniform_int_distribution<int64_t> dist(0, c.kv_len);
    for (int64_t b = 0; b < c.batch; ++b) r.nonpad.push_back(dist(rng));
    a.nonpad = r.nonpad.data();
  }
  if (c.qk_mode >= 0) {
    r.qk.assign(static_cast<size_t>(c.batch * c.q_heads * c.q_len * c.kv_len), std::nanf(""));
    a.qk = r.qk.data();
    a.qk_mode = c.qk_mode;
  }
  return r;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (int64_t lq : {1, 7, 33, 70}) {
    for (int64_t lkv : {1, 7, 33}) {
      for (int64_t d : {8, 13}) {
        Case c;
        c.q_len = lq, c.kv_len = lkv, c.d = d, c.dv = d == 8 ? 5 : 13;
        out.push_back(c);
        Case g = c;  // GQA + causal with a cache offset
        g.q_heads = 6, g.kv_heads = 2, g.causal = true, g.offset = std::max<int64_t>(0, lkv - lq);
        out.push_back(g);
        Case m = c;  // short bool-like mask, causal, batch 2
        m.batch = 2, m.mask = true, m.short_mask = true, m.bool_mask = true, m.causal = true;
        out.push_back(m);
        Case w = c;  // float mask + window + softcap
        w.mask = true, w.left = 3, w.right = 1, w.softcap = 1.5f, w.offset = 2;
        out.push_back(w);
        Case n = c;  // nonpad (external cache) + causal
        n.batch = 3, n.nonpad = true, n.causal = true;
        out.push_back(n);
        for (int mode = 0; mode < 4; ++mode) {
          Case k = w;
          k.causal = true, k.qk_mode = mode;
          out.push_back(k);
        }
      }
    }
  }
  return out;
}

TEST(AttentionKernel, EveryImplMatchesReference) {
  ThreadedParallel par(3);
  uint32_t seed = 1;
  for (const Case& c : cases()) {
    ++seed;
    Problem want = make_run(c, seed);
    kernels::attention_ref(want.a);
    for (const auto& impl : kernels::attention_f32_impls()) {
      Problem got = make_run(c, seed);
      impl.run(got.a, par);
      // Sums of d products then of kv_len probabilities times |v| <= 1, in float: a few ulps
      // per term.
      const double tol = 4e-7 * static_cast<double>(c.d + c.kv_len + 8);
      EXPECT_TRUE(all_close(got.y.data(), want.y.data(), static_cast<int64_t>(want.y.size()), tol, tol))
          << impl.name << " y, seed " << seed << ": " << c.str();
      if (c.qk_mode >= 0) {
        EXPECT_TRUE(all_close(got.qk.data(), want.qk.data(), static_cast<int64_t>(want.qk.size()), tol, tol))
            << impl.name << " qk, seed " << seed << ": " << c.str();
      }
    }
  }
}

TEST(AttentionKernel, FullyMaskedRowsAreZero) {
  Case c;
  c.q_len = 5, c.kv_len = 4, c.causal = true, c.offset = -2;  // rows 0, 1 see no key
  for (int mode : {-1, 3}) {
    c.qk_mode = mode;
    Problem r = make_run(c, 7);
    kernels::attention_f32_gemm(r.a, kernels::serial());
    for (int64_t h = 0; h < c.q_heads; ++h) {
      for (int64_t i = 0; i < 2; ++i) {
        for (int64_t d = 0; d < c.dv; ++d) EXPECT_EQ(r.y[i * r.a.ys.seq + h * c.dv + d], 0.0f);
      }
      for (int64_t d = 0; d < c.dv; ++d) EXPECT_FALSE(std::isnan(r.y[2 * r.a.ys.seq + h * c.dv + d]));
    }
    if (mode == 3) {
      for (int64_t j = 0; j < c.kv_len; ++j) EXPECT_EQ(r.qk[j], 0.0f);
    }
  }
}

TEST(AttentionKernel, DoubleRunsTheReference) {
  // Two keys with scores 0 and log(3) (through V = identity): probabilities 1/4, 3/4.
  AttentionArgs<double> a;
  const double q[1] = {1}, k[2] = {0, std::log(3.0)}, v[4] = {1, 0, 0, 1};
  double y[2] = {0, 0};
  a.q_len = 1, a.kv_len = 2, a.head_dim = 1, a.v_head_dim = 2;
  a.q = q, a.k = k, a.v = v, a.y = y;
  a.qs = {1, 1, 1}, a.ks = {2, 2, 1}, a.vs = {4, 4, 2}, a.ys = {2, 2, 2};
  kernels::attention(a, kernels::serial());
  EXPECT_NEAR(y[0], 0.25, 1e-15);
  EXPECT_NEAR(y[1], 0.75, 1e-15);
}

}  // namespace
}  // namespace ortl::nntest
