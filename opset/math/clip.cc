// Clip: opsets 1-10 take min/max as float attributes, 11+ as optional scalar inputs of the
// input's type (integers allowed from 12). A missing bound is the type's limit; lo > hi gives hi
// (numpy clip). PRelu and Where live here too: the other broadcasting ops beyond binary.cc.
#include <limits>

#include "kernels/eltwise/eltwise.h"
#include "opset/math/eltwise_util.h"
#include "opset/math/math.h"

namespace ortl::opset {
namespace {

using namespace eltwise;

class Clip final : public OpKernel {
 public:
  explicit Clip(const BuildContext& ctx) : attrs_(ctx.opset < 11) {
    if (attrs_) {
      lo_ = ctx.node.get_float("min", std::numeric_limits<float>::lowest());
      hi_ = ctx.node.get_float("max", std::numeric_limits<float>::max());
    }
  }

  void infer(InferContext& ctx) const override {
    const DType t = ctx.input_dtype(0);
    check(is_float_type(t) || (!attrs_ && is_integer_type(t)), ErrorCode::kNotImplemented, "Clip: dtype ",
          dtype_name(t), " is not supported");
    for (int i = 1; i <= 2 && !attrs_; ++i) {
      if (!ctx.has_input(i)) continue;
      check(ctx.input_dtype(i) == t, ErrorCode::kInvalidArgument, "Clip: bound ", i, " has dtype ",
            dtype_name(ctx.input_dtype(i)), ", input has ", dtype_name(t));
    }
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.shape());
    if (is_half_type(x.dtype())) {
      Tensor f = to_float(x);
      apply<float>(ctx, f, f);
      store_float(f, y);
      return;
    }
    dispatch_numeric(x.dtype(), "Clip", [&](auto v) { apply<decltype(v)>(ctx, x, y); });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "eltwise_clip"; }

 private:
  // Bound i (1 = min, 2 = max) as T, or `def` when absent.
  template <class T>
  T bound(RunContext& ctx, int i, T def) const {
    if (attrs_) return static_cast<T>(i == 1 ? lo_ : hi_);
    const Tensor* b = ctx.num_inputs() > i ? ctx.input(i) : nullptr;
    if (!b) return def;
    check(b->numel() == 1, ErrorCode::kInvalidArgument, "Clip: ", i == 1 ? "min" : "max",
          " must be a scalar, got shape ", shape_str(b->shape()));
    if (is_half_type(b->dtype())) return static_cast<T>(to_float(*b).data_as<float>()[0]);
    return b->data_as<T>()[0];
  }

  template <class T>
  void apply(RunContext& ctx, const Tensor& x, Tensor& y) const {
    const T lo = bound<T>(ctx, 1, std::numeric_limits<T>::lowest());
    const T hi = bound<T>(ctx, 2, std::numeric_limits<T>::max());
    kernels::clip<T>(x.data_as<T>(), y.data_as<T>(), x.numel(), lo, hi, ctx.par());
  }

  bool attrs_;
  float lo_ = 0, hi_ = 0;
};

// PRelu: y = x < 0 ? slope * x : x, slope broadcast onto x (unidirectionally).
class PRelu final : public OpKernel {
 public:
  explicit PRelu(const BuildContext& ctx) : legacy_(ctx.opset < 7) {}

  void infer(InferContext& ctx) const override {
    check_same_dtype(ctx, {0, 1}, "PRelu");
    const DType t = ctx.input_dtype(0);
    check(is_float_type(t) || is_integer_type(t), ErrorCode::kNotImplemented, "PRelu: dtype ", dtype_name(t),
          " is not supported");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor slope = *ctx.input(1);
    // Opsets 1-6 predate numpy broadcasting: a 1-D slope of length C is per channel (axis 1).
    if (legacy_ && slope.rank() == 1 && x.rank() >= 2 && slope.dim(0) == x.dim(1) && slope.numel() != 1) {
      std::vector<int64_t> s(static_cast<size_t>(x.rank() - 1), 1);
      s[0] = slope.dim(0);
      slope = slope.reshaped(s);
    }
    Tensor& y = ctx.output(0, x.shape());
    const auto plan = make_plan(y, {&x, &slope});
    if (is_half_type(x.dtype())) {
      const Tensor xf = to_float(x), sf = to_float(slope);
      Tensor yf(DType::kFloat, x.shape());
      kernels::binary<float>(kernels::BinaryOp::kPRelu, plan, xf.data_as<float>(), sf.data_as<float>(), yf.data(),
                             ctx.par());
      store_float(yf, y);
      return;
    }
    dispatch_numeric(x.dtype(), "PRelu", [&](auto v) {
      using T = decltype(v);
      kernels::binary<T>(kernels::BinaryOp::kPRelu, plan, x.data_as<T>(), slope.data_as<T>(), y.data(), ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "eltwise_binary"; }

 private:
  bool legacy_;
};

// Where: out = cond ? x : y with numpy broadcasting over all three; any element type.
class Where final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    check(ctx.input_dtype(0) == DType::kBool, ErrorCode::kInvalidArgument, "Where: condition must be bool, got ",
          dtype_name(ctx.input_dtype(0)));
    check_same_dtype(ctx, {1, 2}, "Where");
    ctx.set_output(0, broadcast_type(ctx, {0, 1, 2}, ctx.input_dtype(1)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& c = *ctx.input(0);
    const Tensor& x = *ctx.input(1);
    const Tensor& y = *ctx.input(2);
    Tensor& out = ctx.output(0, broadcast_of({&c, &x, &y}));
    const auto plan = make_plan(out, {&c, &x, &y});
    const auto* cd = c.data_as<uint8_t>();
    if (x.dtype() == DType::kString) {
      const auto* xs = x.data_as<std::string>();
      const auto* ys = y.data_as<std::string>();
      auto* d = out.data_as<std::string>();
      const int64_t sc = plan.inner_stride(0), sx = plan.inner_stride(1), sy = plan.inner_stride(2);
      kernels::parallel_runs(plan, ctx.par(), 10.0, [&](int64_t o, const int64_t* in, int64_t n) {
        for (int64_t i = 0; i < n; ++i) d[o + i] = cd[in[0] + i * sc] ? xs[in[1] + i * sx] : ys[in[2] + i * sy];
      });
      return;
    }
    dispatch_by_size(x.dtype(), "Where", [&](auto v) {
      using T = decltype(v);
      kernels::where<T>(plan, cd, x.data_as<T>(), y.data_as<T>(), out.data_as<T>(), ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 1}, {0, 2}}; }
  std::string kernel_name() const override { return "eltwise_where"; }
};

}  // namespace

std::unique_ptr<OpKernel> build_clip(const BuildContext& c) { return std::make_unique<Clip>(c); }
std::unique_ptr<OpKernel> build_prelu(const BuildContext& c) { return std::make_unique<PRelu>(c); }
std::unique_ptr<OpKernel> build_where(const BuildContext&) { return std::make_unique<Where>(); }

}  // namespace ortl::opset
