// kernels::rnn (GEMM-based) against kernels::rnn_ref (per timestep, per element, double) on
// odd sizes (hidden 5, input 7, batch 3, seq 1 and 4) over every cell, direction, layout and
// option, with sequence lengths shorter than seq (including 0) and a threaded Parallel.
// Outputs are prefilled with a sentinel so unwritten elements show up.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "kernels/rnn/rnn.h"
#include "tests/nn/test_util.h"

namespace ortl::rnntest {
namespace {

using kernels::RnnActKind;
using kernels::RnnCell;
using kernels::RnnParams;
using kernels::RnnTensors;
using nntest::random_vec;

struct Case {
  RnnCell cell;
  int64_t seq;
  int dirs;
  bool reverse, batch_first, lens, init, bias, peep, lbr, input_forget;
  float clip;
  bool odd_acts;
  int64_t batch = 3;  // 1 takes the GEMV path for H * R^T
};

std::string describe(const Case& c) {
  std::ostringstream os;
  os << "cell " << static_cast<int>(c.cell) << " seq " << c.seq << " dirs " << c.dirs << " rev " << c.reverse
     << " batch_first " << c.batch_first << " lens " << c.lens << " init " << c.init << " bias " << c.bias << " peep "
     << c.peep << " lbr " << c.lbr << " if " << c.input_forget << " clip " << c.clip << " acts " << c.odd_acts
     << " batch " << c.batch;
  return os.str();
}

template <class T>
void check_case(const Case& c, uint32_t seed) {
  SCOPED_TRACE(describe(c) + " seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  RnnParams p;
  p.cell = c.cell;
  p.seq = c.seq, p.batch = c.batch, p.input = 7, p.hidden = 5;
  p.dirs = c.dirs, p.reverse = c.reverse, p.batch_first = c.batch_first;
  p.clip = c.clip, p.linear_before_reset = c.lbr, p.input_forget = c.input_forget;
  for (int d = 0; d < 2; ++d) {
    p.act[d][0] = {RnnActKind::kSigmoid, 0, 0};
    p.act[d][1] = {RnnActKind::kTanh, 0, 0};
    p.act[d][2] = {RnnActKind::kTanh, 0, 0};
    if (c.cell == RnnCell::kRnn) p.act[d][0] = {RnnActKind::kTanh, 0, 0};
  }
  if (c.odd_acts) {
    p.act[0][0] = {RnnActKind::kHardSigmoid, 0.3f, 0.4f};
    p.act[1][1] = {RnnActKind::kScaledTanh, 0.8f, 1.2f};
    p.act[0][2] = {RnnActKind::kSoftsign, 0, 0};
    if (c.cell == RnnCell::kRnn) p.act[1][0] = {RnnActKind::kLeakyRelu, 0.1f, 0};
  }
  const int64_t D = p.dirs, H = p.hidden, GH = kernels::rnn_gates(p.cell) * H;
  const auto x = random_vec<T>(rng, p.seq * p.batch * p.input, -1, 1);
  const auto w = random_vec<T>(rng, D * GH * p.input, -0.6, 0.6);
  const auto r = random_vec<T>(rng, D * GH * H, -0.6, 0.6);
  const auto b = random_vec<T>(rng, D * 2 * GH, -0.5, 0.5);
  const auto pp = random_vec<T>(rng, D * 3 * H, -0.5, 0.5);
  const auto h0 = random_vec<T>(rng, D * p.batch * H, -1, 1);
  const auto c0 = random_vec<T>(rng, D * p.batch * H, -1, 1);
  // Lengths shorter than seq, one of them 0 when there is room.
  std::vector<int32_t> lens = {static_cast<int32_t>(p.seq), static_cast<int32_t>(p.seq > 1 ? 1 : 0),
                               static_cast<int32_t>(p.seq > 2 ? p.seq - 2 : 0)};
  if (p.batch == 1) lens = {static_cast<int32_t>(p.seq > 1 ? p.seq - 1 : 1)};
  RnnTensors<T> t;
  t.x = x.data(), t.w = w.data(), t.r = r.data();
  t.b = c.bias ? b.data() : nullptr;
  t.p = c.peep ? pp.data() : nullptr;
  t.h0 = c.init ? h0.data() : nullptr;
  t.c0 = c.init ? c0.data() : nullptr;
  t.seq_lens = c.lens ? lens.data() : nullptr;
  const size_t ny = static_cast<size_t>(p.seq * D * p.batch * H), ns = static_cast<size_t>(D * p.batch * H);
  const T sentinel = T(12345);
  std::vector<T> y(ny, sentinel), yh(ns, sentinel), yc(ns, sentinel), ry(ny), ryh(ns), ryc(ns);
  t.y = y.data(), t.y_h = yh.data(), t.y_c = c.cell == RnnCell::kLstm ? yc.data() : nullptr;
  nntest::ThreadedParallel par(3);
  kernels::rnn<T>(p, t, par);
  RnnTensors<T> rt = t;
  rt.y = ry.data(), rt.y_h = ryh.data(), rt.y_c = c.cell == RnnCell::kLstm ? ryc.data() : nullptr;
  kernels::rnn_ref<T>(p, rt);
  // Float: dot products of 12 terms below 1 and a few steps of contraction; double: near exact.
  const double tol = std::is_same_v<T, float> ? 2e-5 : 1e-12;
  EXPECT_TRUE(nntest::all_close(y.data(), ry.data(), static_cast<int64_t>(ny), tol, tol)) << "Y";
  EXPECT_TRUE(nntest::all_close(yh.data(), ryh.data(), static_cast<int64_t>(ns), tol, tol)) << "Y_h";
  if (c.cell == RnnCell::kLstm) {
    EXPECT_TRUE(nntest::all_close(yc.data(), ryc.data(), static_cast<int64_t>(ns), tol, tol)) << "Y_c";
  }
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (RnnCell cell : {RnnCell::kRnn, RnnCell::kGru, RnnCell::kLstm}) {
    for (int64_t seq : {1, 4}) {
      for (int dir = 0; dir < 3; ++dir) {
        for (bool bf : {false, true}) {
          for (bool lens : {false, true}) {
            Case c{cell, seq, dir == 2 ? 2 : 1, dir == 1, bf, lens, true, true, false, false, false, 0.f, false};
            out.push_back(c);
            if (cell == RnnCell::kGru) {
              c.lbr = true;
              out.push_back(c);
            }
            if (cell == RnnCell::kLstm) {
              c.peep = true;
              out.push_back(c);
              c.input_forget = true;
              out.push_back(c);
            }
          }
        }
      }
      // Defaults off: no bias, no initial state; and clip with unusual activations.
      out.push_back({cell, seq, 1, false, false, false, false, false, false, false, false, 0.f, false});
      out.push_back({cell, seq, 2, false, true, true, true, true, cell == RnnCell::kLstm, cell == RnnCell::kGru, false,
                     0.7f, true});
      // Batch 1, both directions, every option.
      out.push_back(
          {cell, seq, 2, false, false, true, true, true, cell == RnnCell::kLstm, false, false, 0.f, false, 1});
      out.push_back({cell, seq, 2, false, true, false, true, true, cell == RnnCell::kLstm, cell == RnnCell::kGru,
                     cell == RnnCell::kLstm, 0.9f, true, 1});
    }
  }
  return out;
}

TEST(RnnKernel, MatchesReferenceFloat) {
  uint32_t seed = 1;
  for (const Case& c : cases()) check_case<float>(c, seed++);
}

TEST(RnnKernel, MatchesReferenceDouble) {
  uint32_t seed = 1000;
  for (const Case& c : cases()) check_case<double>(c, seed++);
}

// Zero-length entries give zero Y and zero Y_h, as in onnxruntime (the spec leaves it open).
TEST(RnnKernel, ZeroLengthGivesZeros) {
  RnnParams p;
  p.cell = RnnCell::kGru;
  p.seq = 2, p.batch = 1, p.input = 1, p.hidden = 2;
  p.act[0][0] = {RnnActKind::kSigmoid, 0, 0};
  const std::vector<float> x = {1, 2}, w(6, 0.5f), r(12, 0.5f), h0 = {0.25f, -0.5f};
  const std::vector<int32_t> lens = {0};
  std::vector<float> y(4, 9), yh(2, 9);
  kernels::RnnTensors<float> t;
  t.x = x.data(), t.w = w.data(), t.r = r.data(), t.h0 = h0.data(), t.seq_lens = lens.data();
  t.y = y.data(), t.y_h = yh.data();
  kernels::rnn<float>(p, t, kernels::serial());
  EXPECT_EQ(y, std::vector<float>(4, 0.f));
  EXPECT_EQ(yh, std::vector<float>(2, 0.f));
}

}  // namespace
}  // namespace ortl::rnntest
