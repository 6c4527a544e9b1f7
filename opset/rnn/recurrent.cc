// RNN, GRU and LSTM: one kernel class for the three cells. Inputs X, W, R, B, sequence_lens,
// initial_h (, initial_c, P for LSTM); outputs Y, Y_h (, Y_c), each optional. Activation lists
// hold one entry per function and direction; a list of just one direction's functions serves
// both directions, and alpha / beta values are consumed in list order by the functions that take
// them (the onnxruntime convention, since the spec leaves it open).
#include "opset/rnn/recurrent.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn_util.h"
#include "opset/util.h"

namespace ortl::opset::rnn {
namespace {

using kernels::RnnAct;
using kernels::RnnActKind;
using kernels::RnnCell;

enum In { kX, kW, kR, kB, kSeqLens, kInitH, kInitC, kP };

struct ActInfo {
  const char* name;
  RnnActKind kind;
  int uses;  // 0: none, 1: alpha, 2: alpha and beta
  float alpha, beta;
};

constexpr ActInfo kActs[] = {
    {"relu", RnnActKind::kRelu, 0, 0, 0},
    {"tanh", RnnActKind::kTanh, 0, 0, 0},
    {"sigmoid", RnnActKind::kSigmoid, 0, 0, 0},
    {"affine", RnnActKind::kAffine, 2, 1.0f, 0.0f},
    {"leakyrelu", RnnActKind::kLeakyRelu, 1, 0.01f, 0},
    {"thresholdedrelu", RnnActKind::kThresholdedRelu, 1, 1.0f, 0},
    {"scaledtanh", RnnActKind::kScaledTanh, 2, 1.0f, 1.0f},
    {"hardsigmoid", RnnActKind::kHardSigmoid, 2, 0.2f, 0.5f},
    {"elu", RnnActKind::kElu, 1, 1.0f, 0},
    {"softsign", RnnActKind::kSoftsign, 0, 0, 0},
    {"softplus", RnnActKind::kSoftplus, 0, 0, 0},
};

const ActInfo& find_act(const char* op, const std::string& name) {
  std::string low = name;
  std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& a : kActs) {
    if (low == a.name) return a;
  }
  fail(ErrorCode::kInvalidArgument, op, ": unknown activation '", name, "'");
}

// Input i, or null when omitted or past the node's inputs. The bound matters under
// run_half_as_float, whose context does not check it (see the report on opset/nn/half_detour.cc).
const Tensor* opt_input(const RunContext& ctx, int i) { return i < ctx.num_inputs() ? ctx.input(i) : nullptr; }

int funcs_per_dir(RnnCell c) { return c == RnnCell::kRnn ? 1 : c == RnnCell::kGru ? 2 : 3; }

class Recurrent final : public OpKernel {
 public:
  Recurrent(const RecurrentAttrs& a, kernels::RnnParams p, int64_t hidden) : a_(a), p_(p), hidden_attr_(hidden) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(kX);
    nn::check_float(dt, a_.op);
    const int n_out = std::min(ctx.num_outputs(), a_.cell == RnnCell::kLstm ? 3 : 2);
    const TypeInfo& x = ctx.input_type(kX);
    if (!x.has_shape) {
      for (int i = 0; i < n_out; ++i) ctx.set_output(i, TypeInfo{dt, false, {}});
      return;
    }
    check(x.rank() == 3, ErrorCode::kInvalidArgument, a_.op, ": X must have rank 3, got ", shape_str(x.shape));
    Dim h = hidden_attr_ >= 0 ? Dim(hidden_attr_) : Dim();
    if (!h.known()) {
      const int rr = ctx.input_rank(kR);
      h = rr == 3 ? ctx.input_type(kR).shape[2] : ctx.fresh_dim();
    }
    const Dim seq = x.shape[p_.batch_first ? 1 : 0], batch = x.shape[p_.batch_first ? 0 : 1];
    const Dim dirs(p_.dirs);
    for (int i = 0; i < n_out; ++i) {
      Shape s;
      if (i == 0) {
        s = p_.batch_first ? Shape{batch, seq, dirs, h} : Shape{seq, dirs, batch, h};
      } else {
        s = p_.batch_first ? Shape{batch, dirs, h} : Shape{dirs, batch, h};
      }
      ctx.set_output(i, TypeInfo::of(dt, s));
    }
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::string kernel_name() const override {
    const char* cell = a_.cell == RnnCell::kLstm ? "lstm" : a_.cell == RnnCell::kGru ? "gru" : "rnn";
    return std::string("rnn_") + cell + "_f32_" + kernels::select_gemm_f32().name;
  }

 private:
  // Throws unless `t` is `dt` with exactly `shape`.
  void expect(const Tensor* t, DType dt, const std::vector<int64_t>& shape, const char* name) const {
    if (t->dtype() != dt) {
      fail(ErrorCode::kInvalidArgument, a_.op, ": input '", name, "' is ", dtype_name(t->dtype()), ", expected ",
           dtype_name(dt));
    }
    if (t->shape() != shape) {
      fail(ErrorCode::kInvalidArgument, a_.op, ": input '", name, "' has shape ", shape_str(t->shape()), ", expected ",
           shape_str(shape));
    }
  }

  void run_float(RunContext& ctx) const {
    const Tensor* x = opt_input(ctx, kX);
    const Tensor* w = opt_input(ctx, kW);
    const Tensor* r = opt_input(ctx, kR);
    check(x && w && r, ErrorCode::kInvalidArgument, a_.op, ": inputs X, W and R are required");
    if (x->rank() != 3) fail(ErrorCode::kInvalidArgument, a_.op, ": X must have rank 3, got ", shape_str(x->shape()));
    if (r->rank() != 3) fail(ErrorCode::kInvalidArgument, a_.op, ": R must have rank 3, got ", shape_str(r->shape()));
    kernels::RnnParams p = p_;
    const DType dt = x->dtype();
    p.seq = x->dim(p.batch_first ? 1 : 0);
    p.batch = x->dim(p.batch_first ? 0 : 1);
    p.input = x->dim(2);
    p.hidden = hidden_attr_ >= 0 ? hidden_attr_ : r->dim(2);
    const int64_t D = p.dirs, H = p.hidden, G = kernels::rnn_gates(p.cell);
    expect(w, dt, {D, G * H, p.input}, "W");
    expect(r, dt, {D, G * H, H}, "R");
    const std::vector<int64_t> state =
        p.batch_first ? std::vector<int64_t>{p.batch, D, H} : std::vector<int64_t>{D, p.batch, H};
    const Tensor* b = opt_input(ctx, kB);
    const Tensor* lens = opt_input(ctx, kSeqLens);
    const Tensor* h0 = opt_input(ctx, kInitH);
    const bool lstm = p.cell == RnnCell::kLstm;
    const Tensor* c0 = lstm ? opt_input(ctx, kInitC) : nullptr;
    const Tensor* pp = lstm ? opt_input(ctx, kP) : nullptr;
    if (b) expect(b, dt, {D, 2 * G * H}, "B");
    if (h0) expect(h0, dt, state, "initial_h");
    if (c0) expect(c0, dt, state, "initial_c");
    if (pp) expect(pp, dt, {D, 3 * H}, "P");
    if (lens) {
      expect(lens, DType::kInt32, {p.batch}, "sequence_lens");
      const int32_t* l = lens->data_as<int32_t>();
      for (int64_t i = 0; i < p.batch; ++i) {
        if (l[i] < 0 || l[i] > p.seq) {
          fail(ErrorCode::kInvalidArgument, a_.op, ": sequence_lens[", i, "] = ", l[i], " is outside [0, ", p.seq, "]");
        }
      }
    }
    const bool want[3] = {ctx.has_output(0), ctx.has_output(1), lstm && ctx.has_output(2)};
    std::vector<int64_t> y_shape =
        p.batch_first ? std::vector<int64_t>{p.batch, p.seq, D, H} : std::vector<int64_t>{p.seq, D, p.batch, H};
    Tensor* outs[3] = {nullptr, nullptr, nullptr};
    for (int i = 0; i < 3; ++i) {
      if (want[i] && i < ctx.num_outputs()) outs[i] = &ctx.output(i, i == 0 ? y_shape : state);
    }
    nn::dispatch_float(dt, a_.op, [&](auto tag) {
      using T = decltype(tag);
      kernels::RnnTensors<T> t;
      t.x = x->data_as<T>(), t.w = w->data_as<T>(), t.r = r->data_as<T>();
      t.b = b ? b->data_as<T>() : nullptr;
      t.p = pp ? pp->data_as<T>() : nullptr;
      t.h0 = h0 ? h0->data_as<T>() : nullptr;
      t.c0 = c0 ? c0->data_as<T>() : nullptr;
      t.seq_lens = lens ? lens->data_as<int32_t>() : nullptr;
      t.y = outs[0] ? outs[0]->data_as<T>() : nullptr;
      t.y_h = outs[1] ? outs[1]->data_as<T>() : nullptr;
      t.y_c = outs[2] ? outs[2]->data_as<T>() : nullptr;
      kernels::rnn<T>(p, t, ctx.par());
    });
  }

  RecurrentAttrs a_;
  kernels::RnnParams p_;
  int64_t hidden_attr_;  // -1: taken from R
};

}  // namespace

std::unique_ptr<OpKernel> build_recurrent(const BuildContext& ctx, const RecurrentAttrs& a) {
  const graph::Node& n = ctx.node;
  kernels::RnnParams p;
  p.cell = a.cell;
  const std::string dir = n.get_string("direction", "forward");
  if (dir == "forward" || dir == "foward") {  // GRU-1's schema spells its default "foward"
    p.dirs = 1;
  } else if (dir == "reverse") {
    p.dirs = 1, p.reverse = true;
  } else if (dir == "bidirectional") {
    p.dirs = 2;
  } else {
    fail(ErrorCode::kInvalidArgument, a.op, ": direction must be forward, reverse or bidirectional, got '", dir, "'");
  }
  const int64_t hidden = n.has("hidden_size") ? n.get_int("hidden_size", 0) : -1;
  if (n.has("hidden_size") && hidden <= 0) {
    fail(ErrorCode::kInvalidArgument, a.op, ": hidden_size must be positive, got ", hidden);
  }
  if (n.has("clip")) {
    p.clip = n.get_float("clip", 0);
    if (!(p.clip > 0)) fail(ErrorCode::kInvalidArgument, a.op, ": clip must be positive, got ", p.clip);
  }
  const int64_t layout = a.allow_layout ? n.get_int("layout", 0) : 0;
  if (layout != 0 && layout != 1) fail(ErrorCode::kInvalidArgument, a.op, ": layout must be 0 or 1, got ", layout);
  p.batch_first = layout == 1;
  p.linear_before_reset = a.allow_lbr && n.get_int("linear_before_reset", 0) != 0;
  if (a.cell == RnnCell::kLstm) p.input_forget = n.get_int("input_forget", 0) != 0;

  // Activations: defaults per cell, else the attribute (one or both directions' functions).
  const int per = funcs_per_dir(a.cell);
  std::vector<std::string> names = n.get_strings("activations");
  if (names.empty()) {
    const char* defaults[] = {a.cell == RnnCell::kRnn ? "Tanh" : "Sigmoid", "Tanh", "Tanh"};
    names.assign(defaults, defaults + per);
  }
  const int given = static_cast<int>(names.size());
  if (given != per && given != per * p.dirs && !(given == 2 * per && p.dirs == 1)) {
    fail(ErrorCode::kInvalidArgument, a.op, ": activations holds ", given, " functions, expected ", per * p.dirs);
  }
  const std::vector<float> alphas = n.get_floats("activation_alpha"), betas = n.get_floats("activation_beta");
  size_t ai = 0, bi = 0;
  std::vector<RnnAct> acts;
  for (const auto& name : names) {
    const ActInfo& info = find_act(a.op, name);
    RnnAct act{info.kind, info.alpha, info.beta};
    if (info.uses >= 1 && ai < alphas.size()) act.alpha = alphas[ai++];
    if (info.uses >= 2 && bi < betas.size()) act.beta = betas[bi++];
    acts.push_back(act);
  }
  for (int d = 0; d < 2; ++d) {
    for (int k = 0; k < per; ++k) {
      const int idx = d * per + k;
      p.act[d][k] = acts[idx < given ? (given == per ? k : idx) : k];
    }
  }
  return std::make_unique<Recurrent>(a, p, hidden);
}

}  // namespace ortl::opset::rnn
