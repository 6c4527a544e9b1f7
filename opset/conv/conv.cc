// Conv (1, 11, 22), ConvTranspose (1, 11, 22) and the internal FusedConv (domain ai.ortlite).
// The Conv versions differ only in the dtypes they admit, so one builder serves all; auto_pad,
// pads, kernel_shape (inferred from W when absent), output_padding and output_shape are resolved
// in conv_attrs.cc. float runs the fast kernels with the GEMM selected when the node is built;
// float16 / bfloat16 run them on float copies; double runs the reference loops.
//
// FusedConv is what graph/passes/fuse_conv_activation.cc makes of Conv [+ Add(Z)] [+ activation]:
// inputs X, W, B (optional), Z (optional), the Conv attributes plus `activation` (Relu, Clip,
// LeakyRelu, HardSwish, Silu) with `activation_alpha` / `activation_beta`. Output: act(conv + Z).
// Z of the conv's own shape is added in the kernel's epilogue; any other Z (numpy broadcasting,
// which the pass cannot rule out before shapes are known) takes a plain second pass.
#include "kernels/conv/conv.h"

#include <mutex>

#include "kernels/conv/winograd.h"
#include "kernels/eltwise/broadcast.h"
#include "opset/conv/conv.h"
#include "opset/conv/conv_attrs.h"
#include "opset/linalg/linalg_util.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

using Epilogue = kernels::ConvEpilogue;

class ConvOp final : public OpKernel {
 public:
  ConvOp(const BuildContext& ctx, conv::ConvAttrs attrs, Epilogue ep, bool fused)
      : attrs_(std::move(attrs)),
        ep_(ep),
        fused_(fused),
        has_sum_(fused && ctx.node.inputs.size() > 3 && ctx.node.inputs[3] >= 0),
        gemm_(&kernels::select_gemm_f32(kernels::active_isa())) {
    pack_constant_weights(ctx);
  }

  void infer(InferContext& ctx) const override {
    TypeInfo y = conv::conv_output_type(attrs_, ctx);
    if (fused_ && ctx.has_input(3)) {
      const TypeInfo& z = ctx.input_type(3);
      check(z.dtype == y.dtype || z.dtype == DType::kUndefined || y.dtype == DType::kUndefined,
            ErrorCode::kInvalidArgument, "FusedConv: Z is ", dtype_name(z.dtype), " but X is ", dtype_name(y.dtype));
      if (y.has_shape && z.has_shape) {
        y.shape = broadcast_shapes(y.shape, z.shape);
      } else {
        y.has_shape = false;
        y.shape.clear();
      }
    }
    ctx.set_output(0, y);
  }

  void run(RunContext& ctx) const override {
    const char* op = fused_ ? "FusedConv" : attrs_.transpose ? "ConvTranspose" : "Conv";
    const Tensor& x = *ctx.input(0);
    const Tensor& w = *ctx.input(1);
    const Tensor* b = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    const Tensor* z = fused_ && ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    check(w.dtype() == x.dtype() && (!b || b->dtype() == x.dtype()) && (!z || z->dtype() == x.dtype()),
          ErrorCode::kInvalidArgument, op, ": X, W, B (and Z) must share one dtype");
    const conv::Geometry g = conv::resolve(attrs_, x.shape(), w.shape());
    if (b) {
      check(b->rank() == 1 && b->dim(0) == g.c_out, ErrorCode::kInvalidArgument, op, ": B must be 1-D with ", g.c_out,
            " entries, got ", shape_str(b->shape()));
    }
    std::vector<int64_t> shape = {g.batch, g.c_out};
    shape.insert(shape.end(), g.out.begin(), g.out.end());
    if (z && z->shape() != shape) return run_broadcast_sum(ctx, g.params, shape, x, w, b, *z);
    compute(g.params, x, w, b, z, ep_, ctx.output(0, shape), ctx.par());
  }

  std::string kernel_name() const override {
    std::string name = std::string(attrs_.transpose ? "conv_transpose_f32+" : "conv_f32+") + gemm_->name;
    if (fused_ && ep_.act != Epilogue::Act::kNone) name += "+act";
    if (has_sum_) name += "+sum";
    if (!packed_w_.empty()) name += "+prepacked";
    return name;
  }

 private:
  // y = act(conv(x, w, b) + z), z null or of y's shape.
  void compute(const kernels::ConvParams& p, const Tensor& x, const Tensor& w, const Tensor* b, const Tensor* z,
               Epilogue ep, Tensor& y, kernels::Parallel& par) const {
    switch (x.dtype()) {
      case DType::kFloat:
        ep.sum = z ? z->data_as<float>() : nullptr;
        // The packed copy is used only while W is the very tensor it was packed from.
        run_f32(p, x.data_as<float>(), w.data_as<float>(), b ? b->data_as<float>() : nullptr, y.data_as<float>(), ep,
                par, !packed_w_.empty() && w.data() == packed_of_ ? packed_w_.data() : nullptr);
        break;
      case DType::kDouble: {
        const double* bias = b ? b->data_as<double>() : nullptr;
        double* yd = y.data_as<double>();
        if (attrs_.transpose) {
          kernels::conv_transpose_ref(p, x.data_as<double>(), w.data_as<double>(), bias, yd);
        } else {
          kernels::conv_ref(p, x.data_as<double>(), w.data_as<double>(), bias, yd);
        }
        if (z || ep.act != Epilogue::Act::kNone) {
          kernels::conv_epilogue_row(yd, z ? z->data_as<double>() : nullptr, y.numel(), 0.0, ep);
        }
        break;
      }
      case DType::kFloat16:
      case DType::kBFloat16: {
        const std::vector<float> xf = linalg::widen(x), wf = linalg::widen(w);
        const std::vector<float> bf = b ? linalg::widen(*b) : std::vector<float>();
        const std::vector<float> zf = z ? linalg::widen(*z) : std::vector<float>();
        std::vector<float> yf(static_cast<size_t>(y.numel()));
        ep.sum = z ? zf.data() : nullptr;
        run_f32(p, xf.data(), wf.data(), b ? bf.data() : nullptr, yf.data(), ep, par);
        linalg::narrow(yf, y);
        break;
      }
      default: fail(ErrorCode::kNotImplemented, "Conv: dtype ", dtype_name(x.dtype()), " is not supported");
    }
  }

  // Z broadcasts against the conv output (or widens it): conv into a scratch tensor, then
  // out = act(conv + Z) elementwise.
  void run_broadcast_sum(RunContext& ctx, const kernels::ConvParams& p, const std::vector<int64_t>& shape,
                         const Tensor& x, const Tensor& w, const Tensor* b, const Tensor& z) const {
    // broadcast_shapes throws (kInvalidArgument, both shapes named) when Z does not broadcast.
    const std::vector<int64_t> out_shape = broadcast_shapes(shape, z.shape());
    const bool half = linalg::is_half(x.dtype());
    const DType wide = half ? DType::kFloat : x.dtype();
    Tensor c(x.dtype(), shape);
    compute(p, x, w, b, nullptr, Epilogue{}, c, ctx.par());
    Tensor cw = half ? half_to_float(c) : c;
    Tensor zw = half ? half_to_float(z) : z;
    Tensor& y = ctx.output(0, out_shape);
    Tensor yw = half ? Tensor(wide, out_shape) : y;
    const kernels::BroadcastPlan plan = kernels::make_broadcast_plan(out_shape, {shape, z.shape()});
    Epilogue act = ep_;
    act.sum = nullptr;
    auto add = [&]<class T>(T* out, const T* cp, const T* zp) {
      kernels::for_each_run(plan, 0, plan.numel, [&](int64_t o, const int64_t* off, int64_t n) {
        const int64_t s0 = plan.inner_stride(0), s1 = plan.inner_stride(1);
        for (int64_t j = 0; j < n; ++j) out[o + j] = cp[off[0] + j * s0] + zp[off[1] + j * s1];
        kernels::conv_epilogue_row(out + o, nullptr, n, T(0), act);
      });
    };
    if (wide == DType::kDouble) {
      add(yw.data_as<double>(), cw.data_as<double>(), zw.data_as<double>());
    } else {
      add(yw.data_as<float>(), cw.data_as<float>(), zw.data_as<float>());
    }
    if (half) float_to_half(yw.data_as<float>(), y);
  }

  void run_f32(const kernels::ConvParams& p, const float* x, const float* w, const float* bias, float* y,
               const Epilogue& ep, kernels::Parallel& par, const float* w_packed = nullptr) const {
    if (attrs_.transpose) {
      kernels::conv_transpose_f32(p, x, w, bias, y, *gemm_, par);
    } else if (w_packed && kernels::winograd_applicable(p)) {
      // Transformed weights are made on the first run that needs them (the spatial size decides,
      // and U is 4x the size of W, so only convs that take this path pay for it).
      std::call_once(wino_once_, [&] { wino_ = kernels::winograd_pack_weights(p.c_out, p.c_in, w, *gemm_); });
      kernels::conv_winograd_f32(p, x, wino_, bias, y, *gemm_, par, ep);
    } else {
      kernels::conv_f32(p, x, w, bias, y, *gemm_, par, ep, w_packed);
    }
  }

  // A float W that is a constant initializer is packed once for the GEMM here, so runs skip
  // repacking it per call (most of the work when the output has few pixels). Depthwise convs
  // do not use the GEMM.
  void pack_constant_weights(const BuildContext& ctx) {
    const Tensor* wc = attrs_.transpose ? nullptr : constant_input(ctx, 1);
    if (!wc || wc->dtype() != DType::kFloat || wc->rank() < 3) return;
    const Tensor& w = *wc;
    const int64_t group = attrs_.group, c_out = w.dim(0), kdim = w.numel() / std::max<int64_t>(c_out, 1);
    const bool depthwise = group > 1 && w.dim(1) == 1 && w.rank() <= 4;
    if (depthwise || group <= 0 || c_out % group != 0) return;
    packed_w_ = kernels::conv_pack_weights(c_out, group, kdim, w.data_as<float>(), *gemm_);
    packed_of_ = w.data();
  }

  conv::ConvAttrs attrs_;
  Epilogue ep_;  // sum is bound per run
  bool fused_, has_sum_;
  const kernels::GemmF32Impl* gemm_;
  std::vector<float> packed_w_;      // constant W packed for gemm_, empty when not
  const void* packed_of_ = nullptr;  // the initializer buffer packed_w_ came from
  mutable std::once_flag wino_once_;
  mutable kernels::WinogradWeights wino_;  // Winograd U of the constant W, made on first use
};

}  // namespace

std::unique_ptr<OpKernel> build_conv(const BuildContext& ctx) {
  return std::make_unique<ConvOp>(ctx, conv::parse_conv_attrs(ctx.node, false), Epilogue{}, false);
}
std::unique_ptr<OpKernel> build_conv_transpose(const BuildContext& ctx) {
  return std::make_unique<ConvOp>(ctx, conv::parse_conv_attrs(ctx.node, true), Epilogue{}, false);
}
std::unique_ptr<OpKernel> build_fused_conv(const BuildContext& ctx) {
  return std::make_unique<ConvOp>(ctx, conv::parse_conv_attrs(ctx.node, false), conv::parse_activation(ctx.node), true);
}

}  // namespace ortl::opset
