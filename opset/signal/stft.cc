// STFT: signal [batch, length, 1 | 2], frame_step, optional window [frame_length] and optional
// frame_length (else the window's length, else the signal length). Output
// [batch, frames, bins, 2] with frames = (length - frame_length) / frame_step + 1 and
// bins = onesided (default 1) ? frame_length / 2 + 1 : frame_length.
#include "kernels/signal/signal.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn_util.h"
#include "opset/signal/signal.h"
#include "opset/signal/signal_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "STFT";
enum In { kSignal, kStep, kWindow, kLength };

class Stft final : public OpKernel {
 public:
  explicit Stft(bool onesided) : onesided_(onesided) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(kSignal);
    nn::check_float(dt, kOp);
    const TypeInfo& x = ctx.input_type(kSignal);
    if (!x.has_shape) return ctx.set_output(0, TypeInfo{dt, false, {}});
    if (x.rank() != 3) fail(ErrorCode::kInvalidArgument, "STFT: signal must have rank 3, got ", shape_str(x.shape));
    Shape out{x.shape[0], ctx.fresh_dim(), ctx.fresh_dim(), Dim(2)};
    const Tensor* step = ctx.input_value(kStep);
    const Tensor* len = ctx.has_input(kLength) ? ctx.input_value(kLength) : nullptr;
    int64_t fl = -1;
    if (len) {
      fl = signal::scalar_int(*len, kOp, "frame_length");
    } else if (!ctx.has_input(kLength)) {
      if (ctx.has_input(kWindow)) {
        const TypeInfo& w = ctx.input_type(kWindow);
        if (w.has_shape && w.rank() == 1 && w.shape[0].known()) fl = w.shape[0].value;
      } else if (x.shape[1].known()) {
        fl = x.shape[1].value;
      }
    }
    if (fl >= 0) out[2] = Dim(onesided_ ? fl / 2 + 1 : fl);
    if (fl >= 1 && step && x.shape[1].known()) {
      const int64_t st = signal::scalar_int(*step, kOp, "frame_step");
      if (st >= 1 && fl <= x.shape[1].value) out[1] = Dim((x.shape[1].value - fl) / st + 1);
    }
    ctx.set_output(0, TypeInfo::of(dt, out));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::vector<int> shape_inputs() const override { return {kStep, kLength}; }
  std::string kernel_name() const override { return "stft_radix2_bluestein"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& x = signal::req_input(ctx, kSignal, kOp, "signal");
    if (x.rank() != 3) fail(ErrorCode::kInvalidArgument, "STFT: signal must have rank 3, got ", shape_str(x.shape()));
    kernels::StftParams p;
    p.batch = x.dim(0), p.length = x.dim(1);
    const int64_t c = x.dim(2);
    if (c != 1 && c != 2)
      fail(ErrorCode::kInvalidArgument, "STFT: the last dim must be 1 (real) or 2 (complex), got ", c);
    p.c_in = static_cast<int>(c);
    p.onesided = onesided_;
    p.frame_step = signal::scalar_int(signal::req_input(ctx, kStep, kOp, "frame_step"), kOp, "frame_step");
    if (p.frame_step < 1) fail(ErrorCode::kInvalidArgument, "STFT: frame_step must be positive, got ", p.frame_step);
    const Tensor* win = signal::opt_input(ctx, kWindow);
    if (win && win->rank() != 1) {
      fail(ErrorCode::kInvalidArgument, "STFT: window must have rank 1, got ", shape_str(win->shape()));
    }
    if (win && win->dtype() != x.dtype()) {
      fail(ErrorCode::kInvalidArgument, "STFT: window is ", dtype_name(win->dtype()), ", the signal ",
           dtype_name(x.dtype()));
    }
    const Tensor* len = signal::opt_input(ctx, kLength);
    p.frame_length = len ? signal::scalar_int(*len, kOp, "frame_length") : win ? win->dim(0) : p.length;
    if (win && win->dim(0) != p.frame_length) {
      fail(ErrorCode::kInvalidArgument, "STFT: window has ", win->dim(0), " values, frame_length is ", p.frame_length);
    }
    if (p.frame_length < 1 || p.frame_length > p.length) {
      fail(ErrorCode::kInvalidArgument, "STFT: frame_length ", p.frame_length, " is outside [1, ", p.length, "]");
    }
    p.frames = (p.length - p.frame_length) / p.frame_step + 1;
    const int64_t bins = onesided_ ? p.frame_length / 2 + 1 : p.frame_length;
    Tensor& y = ctx.output(0, {p.batch, p.frames, bins, 2});
    if (y.numel() == 0) return;
    nn::dispatch_float(x.dtype(), kOp, [&](auto tag) {
      using T = decltype(tag);
      kernels::stft<T>(p, x.data_as<T>(), win ? win->data_as<T>() : nullptr, y.data_as<T>(), ctx.par());
    });
  }

  bool onesided_;
};

}  // namespace

std::unique_ptr<OpKernel> build_stft(const BuildContext& ctx) {
  const int64_t onesided = ctx.node.get_int("onesided", 1);
  if (onesided != 0 && onesided != 1)
    fail(ErrorCode::kInvalidArgument, "STFT: onesided must be 0 or 1, got ", onesided);
  return std::make_unique<Stft>(onesided == 1);
}

}  // namespace ortl::opset
