// DFT: input [..., n_axis, ..., 1 | 2] (real or complex last dim), transformed along `axis`.
// Version 17 takes axis as an attribute (default 1), version 20 as an optional scalar input
// (default -2); both accept [-r, -2] and [0, r-2], never the complex dim. dft_length pads with
// zeros or truncates; without it n = the axis dim, or 2 * (dim - 1) for the IRFFT
// (onesided + inverse). As in the ONNX reference, a one-sided forward transform of complex
// input returns the first n/2 + 1 bins of the full transform.
#include "kernels/signal/signal.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn_util.h"
#include "opset/signal/signal.h"
#include "opset/signal/signal_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "DFT";

class Dft final : public OpKernel {
 public:
  Dft(bool axis_input, int64_t axis, bool inverse, bool onesided)
      : axis_input_(axis_input), axis_(axis), inverse_(inverse), onesided_(onesided) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(0);
    nn::check_float(dt, kOp);
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) return ctx.set_output(0, TypeInfo{dt, false, {}});
    const int64_t r = x.rank();
    check_rank(r);
    const Dim& last = x.shape.back();
    if (last.known()) check_channels(last.value);
    Shape out = x.shape;
    out.back() = Dim(onesided_ && inverse_ ? 1 : 2);
    bool axis_known = true, len_known = true;
    int64_t axis = axis_;
    if (axis_input_ && ctx.has_input(2)) {
      const Tensor* a = ctx.input_value(2);
      axis_known = a != nullptr;
      if (a) axis = signal::scalar_int(*a, kOp, "axis");
    }
    int64_t n = 0;
    if (ctx.has_input(1)) {
      const Tensor* l = ctx.input_value(1);
      len_known = l != nullptr;
      if (l) n = dft_length(*l);
    }
    if (!axis_known) {  // any signal dim may change
      for (int64_t i = 0; i + 1 < r; ++i) out[i] = ctx.fresh_dim();
      return ctx.set_output(0, TypeInfo::of(dt, out));
    }
    const int64_t a = norm_axis(axis, r);
    const Dim& d = x.shape[a];
    if (len_known && n == 0) {
      if (!d.known()) {
        out[a] = ctx.fresh_dim();
        return ctx.set_output(0, TypeInfo::of(dt, out));
      }
      n = default_length(d.value);
    }
    out[a] = len_known ? Dim(out_len(n)) : ctx.fresh_dim();
    ctx.set_output(0, TypeInfo::of(dt, out));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::vector<int> shape_inputs() const override { return axis_input_ ? std::vector<int>{1, 2} : std::vector<int>{1}; }
  std::string kernel_name() const override { return "dft_radix2_bluestein"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& x = signal::req_input(ctx, 0, kOp, "input");
    const int64_t r = x.rank();
    check_rank(r);
    check_channels(x.shape().back());
    int64_t axis = axis_;
    const Tensor* axis_in = axis_input_ ? signal::opt_input(ctx, 2) : nullptr;
    if (axis_in) axis = signal::scalar_int(*axis_in, kOp, "axis");
    const int64_t a = norm_axis(axis, r);
    const auto& s = x.shape();
    kernels::DftParams p;
    p.outer = nn::prod(s, 0, static_cast<size_t>(a));
    p.n_in = s[a];
    p.inner = nn::prod(s, static_cast<size_t>(a) + 1, s.size() - 1);
    p.c_in = static_cast<int>(s.back());
    p.inverse = inverse_, p.onesided = onesided_;
    const Tensor* len = signal::opt_input(ctx, 1);
    p.n = len ? dft_length(*len) : default_length(p.n_in);
    std::vector<int64_t> out = s;
    out[a] = kernels::dft_out_len(p);
    out.back() = kernels::dft_out_channels(p);
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    nn::dispatch_float(x.dtype(), kOp, [&](auto tag) {
      using T = decltype(tag);
      kernels::dft<T>(p, x.data_as<T>(), y.data_as<T>(), ctx.par());
    });
  }

  static void check_rank(int64_t r) {
    if (r < 2)
      fail(ErrorCode::kInvalidArgument, "DFT: input must have rank >= 2 (signal dims and a complex dim), got ", r);
  }
  static void check_channels(int64_t c) {
    if (c != 1 && c != 2)
      fail(ErrorCode::kInvalidArgument, "DFT: the last dim must be 1 (real) or 2 (complex), got ", c);
  }
  static int64_t norm_axis(int64_t axis, int64_t r) {
    if (axis < -r || axis > r - 2 || axis == -1) {
      fail(ErrorCode::kInvalidArgument, "DFT: axis ", axis, " is outside [-", r, ", -2] and [0, ", r - 2, "]");
    }
    return axis < 0 ? axis + r : axis;
  }
  static int64_t dft_length(const Tensor& t) {
    const int64_t n = signal::scalar_int(t, kOp, "dft_length");
    if (n < 1) fail(ErrorCode::kInvalidArgument, "DFT: dft_length must be positive, got ", n);
    return n;
  }
  int64_t default_length(int64_t dim) const {
    const int64_t n = onesided_ && inverse_ ? 2 * (dim - 1) : dim;
    if (n < 1) fail(ErrorCode::kInvalidArgument, "DFT: the signal axis of length ", dim, " gives no dft_length");
    return n;
  }
  int64_t out_len(int64_t n) const { return onesided_ && !inverse_ ? n / 2 + 1 : n; }

  bool axis_input_;
  int64_t axis_;
  bool inverse_, onesided_;
};

}  // namespace

std::unique_ptr<OpKernel> build_dft(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const int64_t inverse = n.get_int("inverse", 0), onesided = n.get_int("onesided", 0);
  if (inverse != 0 && inverse != 1) fail(ErrorCode::kInvalidArgument, "DFT: inverse must be 0 or 1, got ", inverse);
  if (onesided != 0 && onesided != 1) fail(ErrorCode::kInvalidArgument, "DFT: onesided must be 0 or 1, got ", onesided);
  const bool axis_input = ctx.opset >= 20;
  return std::make_unique<Dft>(axis_input, axis_input ? -2 : n.get_int("axis", 1), inverse == 1, onesided == 1);
}

}  // namespace ortl::opset
