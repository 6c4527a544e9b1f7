// The blocked channel layout ops (domain ai.ortlite), made by graph/passes/nchwc.cc:
//   NchwcConv (X, W, B?, Z?): a 2-D Conv / FusedConv whose X is NCHWc [N, ceil(C/16), H, W, 16]
//     (or plain NCHW with nchw_input = 1) and whose Y is NCHWc. W and B are the original ONNX
//     constants [C_out, C_in / group, kh, kw] and [C_out]; they are packed once here. group is 1
//     or the channel count (depthwise). Z (the fused residual) is NCHWc; the activation attributes
//     are FusedConv's.
//   ReorderToNchwc (X [N, C, H, W]) -> [N, ceil(C/16), H, W, 16], pad lanes 0.
//   ReorderFromNchwc (X [N, ceil(C/16), H, W, 16], channels = C) -> [N, C, H, W].
// The pools (NchwcMaxPool, NchwcAveragePool, NchwcGlobalAveragePool, NchwcGlobalMaxPool) live
// with the other pools in opset/pool/pool.cc.
#include "kernels/nchwc/nchwc.h"

#include <algorithm>
#include <mutex>

#include "kernels/eltwise/broadcast.h"
#include "opset/conv/conv.h"
#include "opset/conv/conv_attrs.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

namespace nc = kernels::nchwc;

// [N, ceil(C / 16), H, W, 16] of a symbolic NCHW shape's parts.
Shape blocked_shape(const Dim& n, int64_t c, const Dim& h, const Dim& w) {
  return {n, Dim(nc::blocks(c)), h, w, Dim(nc::kBlock)};
}

void check_blocked(const TypeInfo& t, int64_t channels, const char* op, const char* what) {
  if (!t.has_shape) return;
  check(t.rank() == 5 && (!t.shape[4].known() || t.shape[4].value == nc::kBlock), ErrorCode::kInvalidArgument, op, ": ",
        what, " must be NCHWc [N, C/16, H, W, 16], got ", graph::shape_str(t.shape));
  check(!t.shape[1].known() || t.shape[1].value == nc::blocks(channels), ErrorCode::kInvalidArgument, op, ": ", what,
        " has ", t.shape[1].value, " channel blocks, expected ", nc::blocks(channels), " for ", channels, " channels");
}

class NchwcConvOp final : public OpKernel {
 public:
  explicit NchwcConvOp(const BuildContext& ctx)
      : attrs_(conv::parse_conv_attrs(ctx.node, false)), ep_(conv::parse_activation(ctx.node)) {
    const graph::Node& n = ctx.node;
    const Tensor* w = constant_input(ctx, 1);
    if (!w || w->dtype() != DType::kFloat || w->rank() != 4)
      fail(ErrorCode::kInvalidModel, n.describe(), ": W must be a constant 4-D float initializer");
    nchw_input_ = n.get_int("nchw_input", 0) != 0;
    has_sum_ = n.inputs.size() > 3 && n.inputs[3] >= 0;
    p_.c_out = w->dim(0);
    p_.c_in = w->dim(1) * attrs_.group;
    p_.kh = w->dim(2);
    p_.kw = w->dim(3);
    p_.depthwise = attrs_.group > 1;
    p_.input_nchw = nchw_input_;
    check(attrs_.group == 1 || (attrs_.group == p_.c_out && w->dim(1) == 1 && !nchw_input_), ErrorCode::kInvalidModel,
          n.describe(), ": group ", attrs_.group, " is neither 1 nor depthwise (W ", shape_str(w->shape()), ")");
    packed_.resize(static_cast<size_t>(nc::conv_packed_weights_floats(p_)));
    nc::conv_pack_weights(p_, w->data_as<float>(), packed_.data());
    // Kept for Winograd (3x3, stride and dilation 1: absent attributes mean 1).
    auto ones = [](const std::vector<int64_t>& v) {
      return std::all_of(v.begin(), v.end(), [](int64_t x) { return x == 1; });
    };
    if (!p_.depthwise && !nchw_input_ && p_.kh == 3 && p_.kw == 3 && ones(attrs_.strides) && ones(attrs_.dilations))
      w_ = *w;
    bias_.assign(static_cast<size_t>(nc::padded(p_.c_out)), 0.f);
    if (n.inputs.size() > 2 && n.inputs[2] >= 0) {
      const Tensor* b = constant_input(ctx, 2);
      if (!b || b->dtype() != DType::kFloat || b->rank() != 1 || b->dim(0) != p_.c_out)
        fail(ErrorCode::kInvalidModel, n.describe(), ": B must be a constant float [", p_.c_out, "] initializer");
      std::copy(b->data_as<float>(), b->data_as<float>() + p_.c_out, bias_.begin());
    }
  }

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(x.dtype == DType::kFloat || x.dtype == DType::kUndefined, ErrorCode::kNotImplemented, "NchwcConv: dtype ",
          dtype_name(x.dtype), " is not supported");
    TypeInfo y{DType::kFloat, false, {}};
    if (!x.has_shape) return ctx.set_output(0, y);
    if (nchw_input_) {
      check(x.rank() == 4, ErrorCode::kInvalidArgument, "NchwcConv: X must be 4-D NCHW, got ", shape_str(x.shape));
      check(!x.shape[1].known() || x.shape[1].value == p_.c_in, ErrorCode::kInvalidArgument, "NchwcConv: X has ",
            x.shape[1].value, " channels, W expects ", p_.c_in);
    } else {
      check_blocked(x, p_.c_in, "NchwcConv", "X");
    }
    const conv::Geometry g = geometry({x.shape[2].value, x.shape[3].value});
    // Static spatial dims (every exported CNN): the Winograd weights are made now, at session
    // creation, rather than by the first run (YOLOv8n's first run took 1.75x the others).
    if (w_.defined() && x.shape[2].known() && x.shape[3].known()) {
      const nc::Conv2dParams p = params(1, x.shape[2].value, x.shape[3].value);
      if (nc::winograd_applicable(p)) winograd_weights(p);
    }
    auto dim = [&](int64_t v) { return v >= 0 ? Dim(v) : ctx.fresh_dim(); };
    y.has_shape = true;
    y.shape = blocked_shape(x.shape[0], p_.c_out, dim(g.out[0]), dim(g.out[1]));
    if (has_sum_ && ctx.has_input(3)) check_blocked(ctx.input_type(3), p_.c_out, "NchwcConv", "Z");
    ctx.set_output(0, y);
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor* z = has_sum_ && ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    check(x.dtype() == DType::kFloat && (!z || z->dtype() == DType::kFloat), ErrorCode::kInvalidArgument,
          "NchwcConv: X (and Z) must be float");
    check(x.rank() == (nchw_input_ ? 4 : 5), ErrorCode::kInvalidArgument, "NchwcConv: X has shape ",
          shape_str(x.shape()), ", expected ", nchw_input_ ? "NCHW" : "NCHWc");
    check(x.dim(1) == (nchw_input_ ? p_.c_in : nc::blocks(p_.c_in)) && (nchw_input_ || x.dim(4) == nc::kBlock),
          ErrorCode::kInvalidArgument, "NchwcConv: X has shape ", shape_str(x.shape()), " but W expects ", p_.c_in,
          " input channels");
    const nc::Conv2dParams p = params(x.dim(0), x.dim(2), x.dim(3));
    const std::vector<int64_t> shape = {p.batch, nc::blocks(p.c_out), p.oh, p.ow, nc::kBlock};
    Tensor& y = ctx.output(0, shape);
    kernels::ConvEpilogue ep = ep_;
    const bool fused_sum = z && z->shape() == shape;
    ep.sum = fused_sum ? z->data_as<float>() : nullptr;
    if (z && !fused_sum) ep = kernels::ConvEpilogue{};  // Z broadcasts: add it (and act) after
    if (w_.defined() && nc::winograd_applicable(p)) {
      nc::winograd_conv2d(p, x.data_as<float>(), winograd_weights(p), bias_.data(), y.data_as<float>(), ep, ctx.par());
    } else {
      nc::conv2d(p, x.data_as<float>(), packed_.data(), bias_.data(), y.data_as<float>(), ep, ctx.par());
    }
    if (z && !fused_sum) add_broadcast_sum(*z, y);
  }

  // W is packed (a 3x3 W is also kept by w_ for Winograd, which keeps its buffer alive) and B
  // copied when the node is built.
  std::vector<int> prepacked_inputs() const override { return {1, 2}; }

  std::string kernel_name() const override {
    std::string name = nc::conv2d_kernel_name(p_);
    // Winograd weights made at session creation: the static input shape takes Winograd. Else a
    // 3x3 conv takes it when its run-time shape qualifies.
    if (!wino_.empty()) {
      name = "nchwc_winograd";
    } else if (w_.defined()) {
      name += "|winograd";
    }
    if (ep_.act != kernels::ConvEpilogue::Act::kNone) name += "+act";
    if (has_sum_) name += "+sum";
    return name;
  }

 private:
  conv::Geometry geometry(const std::vector<int64_t>& hw) const {
    const int64_t wc = p_.depthwise ? 1 : p_.c_in;
    return conv::resolve(attrs_, {-1, p_.c_in, hw[0], hw[1]}, {p_.c_out, wc, p_.kh, p_.kw});
  }

  // The kernel parameters for an input of batch x ih x iw.
  nc::Conv2dParams params(int64_t batch, int64_t ih, int64_t iw) const {
    const conv::Geometry g = geometry({ih, iw});
    nc::Conv2dParams p = p_;
    p.batch = batch;
    p.ih = ih, p.iw = iw, p.oh = g.out[0], p.ow = g.out[1];
    p.sh = g.params.strides[0], p.sw = g.params.strides[1];
    p.dh = g.params.dilations[0], p.dw = g.params.dilations[1];
    p.ph = g.params.pads_begin[0], p.pw = g.params.pads_begin[1];
    return p;
  }

  // The transformed weights (4x the size of W), made once: at session creation when the input's
  // spatial size is static (infer), else by the first run that takes the Winograd path. They
  // depend on the channels and the kernel only.
  const float* winograd_weights(const nc::Conv2dParams& p) const {
    std::call_once(wino_once_, [&] {
      wino_.resize(static_cast<size_t>(nc::winograd_packed_weights_floats(p)));
      nc::winograd_pack_weights(p, w_.data_as<float>(), wino_.data());
    });
    return wino_.data();
  }

  // y = act(y + z) with z broadcasting over the NCHWc dims (a per-image or 1x1 residual: the pass
  // only fuses a Z with y's channel count, so the lanes line up).
  void add_broadcast_sum(const Tensor& z, Tensor& y) const {
    check(z.rank() == 5 && z.dim(1) == y.dim(1) && z.dim(4) == nc::kBlock, ErrorCode::kInvalidArgument, "NchwcConv: Z ",
          shape_str(z.shape()), " does not match Y ", shape_str(y.shape()));
    const std::vector<int64_t> out = broadcast_shapes(y.shape(), z.shape());
    check(out == y.shape(), ErrorCode::kInvalidArgument, "NchwcConv: Z ", shape_str(z.shape()), " widens Y ",
          shape_str(y.shape()));
    const kernels::BroadcastPlan plan = kernels::make_broadcast_plan(out, {y.shape(), z.shape()});
    float* yp = y.data_as<float>();
    const float* zp = z.data_as<float>();
    kernels::ConvEpilogue act = ep_;
    act.sum = nullptr;
    kernels::for_each_run(plan, 0, plan.numel, [&](int64_t o, const int64_t* off, int64_t n) {
      const int64_t s1 = plan.inner_stride(1);
      for (int64_t j = 0; j < n; ++j) yp[o + j] += zp[off[1] + j * s1];
      kernels::conv_epilogue_row(yp + o, nullptr, n, 0.f, act);
    });
  }

  conv::ConvAttrs attrs_;
  kernels::ConvEpilogue ep_;  // sum is bound per run
  bool nchw_input_ = false, has_sum_ = false;
  nc::Conv2dParams p_;  // channels, kernel and kind; extents are filled per run
  std::vector<float> packed_, bias_;
  Tensor w_;  // the constant 3x3 W (shared, not copied), kept for the Winograd transform
  mutable std::once_flag wino_once_;
  mutable std::vector<float> wino_;  // Winograd U (winograd_weights)
};

class ReorderOp final : public OpKernel {
 public:
  ReorderOp(const BuildContext& ctx, bool to_blocked) : to_blocked_(to_blocked) {
    if (!to_blocked) {
      channels_ = ctx.node.get_int("channels", -1);
      check(channels_ >= 0, ErrorCode::kInvalidModel, ctx.node.describe(), ": attribute 'channels' is required");
    }
  }

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(x.dtype == DType::kFloat || x.dtype == DType::kUndefined, ErrorCode::kNotImplemented, name(), ": dtype ",
          dtype_name(x.dtype), " is not supported");
    TypeInfo y{DType::kFloat, false, {}};
    if (x.has_shape) {
      y.has_shape = true;
      if (to_blocked_) {
        check(x.rank() == 4, ErrorCode::kInvalidArgument, name(), ": X must be 4-D NCHW, got ", shape_str(x.shape));
        if (x.shape[1].known()) {
          y.shape = blocked_shape(x.shape[0], x.shape[1].value, x.shape[2], x.shape[3]);
        } else {
          y.has_shape = false;
        }
      } else {
        check_blocked(x, channels_, name(), "X");
        y.shape = {x.shape[0], Dim(channels_), x.shape[2], x.shape[3]};
      }
    }
    ctx.set_output(0, y);
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.dtype() == DType::kFloat, ErrorCode::kInvalidArgument, name(), ": X must be float");
    if (to_blocked_) {
      check(x.rank() == 4, ErrorCode::kInvalidArgument, name(), ": X must be 4-D NCHW, got ", shape_str(x.shape()));
      const int64_t c = x.dim(1), hw = x.dim(2) * x.dim(3);
      Tensor& y = ctx.output(0, {x.dim(0), nc::blocks(c), x.dim(2), x.dim(3), nc::kBlock});
      nc::reorder_to_nchwc(x.dim(0), c, hw, x.data_as<float>(), y.data_as<float>(), ctx.par());
    } else {
      check(x.rank() == 5 && x.dim(1) == nc::blocks(channels_) && x.dim(4) == nc::kBlock, ErrorCode::kInvalidArgument,
            name(), ": X ", shape_str(x.shape()), " is not NCHWc with ", channels_, " channels");
      Tensor& y = ctx.output(0, {x.dim(0), channels_, x.dim(2), x.dim(3)});
      nc::reorder_from_nchwc(x.dim(0), channels_, x.dim(2) * x.dim(3), x.data_as<float>(), y.data_as<float>(),
                             ctx.par());
    }
  }

  std::string kernel_name() const override { return to_blocked_ ? "nchwc_reorder_in" : "nchwc_reorder_out"; }

 private:
  const char* name() const { return to_blocked_ ? "ReorderToNchwc" : "ReorderFromNchwc"; }
  bool to_blocked_;
  int64_t channels_ = -1;
};

}  // namespace

std::unique_ptr<OpKernel> build_nchwc_conv(const BuildContext& ctx) { return std::make_unique<NchwcConvOp>(ctx); }
std::unique_ptr<OpKernel> build_reorder_to_nchwc(const BuildContext& ctx) {
  return std::make_unique<ReorderOp>(ctx, true);
}
std::unique_ptr<OpKernel> build_reorder_from_nchwc(const BuildContext& ctx) {
  return std::make_unique<ReorderOp>(ctx, false);
}

}  // namespace ortl::opset
