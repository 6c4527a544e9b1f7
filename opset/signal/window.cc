// HannWindow, HammingWindow and BlackmanWindow: a scalar size in, [size] window values out in
// output_datatype (default float). periodic (default 1) divides by N = size, symmetric by
// N = size - 1. Each is evaluated in double in the ONNX reference's form and order of
// operations, so integer output types (which truncate) agree where a value is exactly 0 or 1:
//   Hann     sin^2(pi n / N)
//   Hamming  25/46 - 21/46 cos(2 pi n / N)        (the ONNX alpha, not 0.54)
//   Blackman (-0.5 cos(2 pi n / N) + 0.08 cos(4 pi n / N)) + 0.42
// A symmetric window of size 1 (N = 0) is [1], as in torch (the formulas give 0 / 0).
#include <cmath>
#include <numbers>

#include "opset/signal/signal.h"
#include "opset/signal/signal_util.h"

namespace ortl::opset {
namespace {

double hann(double n, double N) {
  const double s = std::sin(n * std::numbers::pi / N);
  return s * s;
}
double hamming(double n, double N) {
  constexpr double kAlpha = 25.0 / 46.0;
  return kAlpha - std::cos(n * std::numbers::pi * 2 / N) * (1 - kAlpha);
}
double blackman(double n, double N) {
  return (std::cos(n * (std::numbers::pi * 2) / N) * -0.5 + std::cos(n * (std::numbers::pi * 4) / N) * 0.08) + 0.42;
}

struct Kind {
  const char* op;
  double (*fn)(double n, double N);
};

class Window final : public OpKernel {
 public:
  Window(Kind c, bool periodic, DType out) : c_(c), periodic_(periodic), out_(out) {}

  void infer(InferContext& ctx) const override {
    const Tensor* s = ctx.input_value(0);
    ctx.set_output(0, TypeInfo::of(out_, {s ? Dim(size(*s)) : ctx.fresh_dim()}));
  }

  void run(RunContext& ctx) const override {
    const int64_t n = size(signal::req_input(ctx, 0, c_.op, "size"));
    Tensor& y = ctx.output(0, {n});
    std::vector<double> v(static_cast<size_t>(n));
    const double N = static_cast<double>(periodic_ ? n : n - 1);
    for (int64_t i = 0; i < n; ++i) {
      if (N == 0) {
        v[i] = 1;
        continue;
      }
      v[i] = c_.fn(static_cast<double>(i), N);
    }
    signal::write_values(v, y, c_.op);
  }

  std::vector<int> shape_inputs() const override { return {0}; }

 private:
  int64_t size(const Tensor& t) const {
    const int64_t n = signal::scalar_int(t, c_.op, "size");
    if (n < 0) fail(ErrorCode::kInvalidArgument, c_.op, ": size must not be negative, got ", n);
    return n;
  }

  Kind c_;
  bool periodic_;
  DType out_;
};

std::unique_ptr<OpKernel> build(const BuildContext& ctx, Kind c) {
  const int64_t periodic = ctx.node.get_int("periodic", 1);
  if (periodic != 0 && periodic != 1)
    fail(ErrorCode::kInvalidArgument, c.op, ": periodic must be 0 or 1, got ", periodic);
  return std::make_unique<Window>(c, periodic == 1, signal::output_datatype(ctx.node, c.op));
}

}  // namespace

std::unique_ptr<OpKernel> build_hann_window(const BuildContext& ctx) { return build(ctx, {"HannWindow", hann}); }
std::unique_ptr<OpKernel> build_hamming_window(const BuildContext& ctx) {
  return build(ctx, {"HammingWindow", hamming});
}
std::unique_ptr<OpKernel> build_blackman_window(const BuildContext& ctx) {
  return build(ctx, {"BlackmanWindow", blackman});
}

}  // namespace ortl::opset
