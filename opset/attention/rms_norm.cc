// RMSNormalization (opset 23): Y = X / sqrt(mean(X^2 over dims [axis, rank)) + epsilon) * scale.
// Scale broadcasts unidirectionally to X; Y takes Scale's dtype. The mean accumulates in double
// (stash_type 1 asks for at least float). float16 / bfloat16 run on widened float copies.
#include "kernels/attention/blocks.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "RMSNormalization";

// `p` broadcast (right-aligned) to `shape`, as contiguous values.
template <class T>
std::vector<T> broadcast_to(const Tensor& p, const std::vector<int64_t>& shape) {
  const auto& ps = p.shape();
  const size_t off = shape.size() - ps.size();
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<T> out(static_cast<size_t>(n));
  const T* src = p.data_as<T>();
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, idx = 0, stride = 1;
    for (size_t d = shape.size(); d-- > off;) {
      const int64_t k = rem % shape[d];
      rem /= shape[d];
      const int64_t pd = ps[d - off];
      if (pd != 1) idx += k * stride;
      stride *= pd;
    }
    out[i] = src[idx];
  }
  return out;
}

class RmsNorm final : public OpKernel {
 public:
  RmsNorm(int64_t axis, float epsilon) : axis_(axis), epsilon_(epsilon) {}

  void infer(InferContext& ctx) const override {
    for (int i : {0, 1}) {
      const DType d = ctx.input_dtype(i);
      check(d == DType::kUndefined || attn::is_float_type(d), ErrorCode::kNotImplemented, kOp, ": dtype ",
            dtype_name(d), " is not supported (float, double, float16, bfloat16)");
    }
    check(ctx.has_input(1), ErrorCode::kInvalidArgument, kOp, ": input 'scale' is missing");
    const TypeInfo& x = ctx.input_type(0);
    if (x.has_shape) normalize_axis(axis_, x.rank());
    ctx.set_output(0, TypeInfo{ctx.input_dtype(1), x.has_shape, x.shape});
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 2, kOp);
    nn::run_half_as_float(ctx, [this](RunContext& c) {
      const Tensor& x = *c.input(0);
      const Tensor* s = c.input(1);
      check(s != nullptr, ErrorCode::kInvalidArgument, kOp, ": input 'scale' is missing");
      if (x.dtype() != s->dtype())
        fail(ErrorCode::kNotImplemented, kOp, ": X ", dtype_name(x.dtype()), " with scale ", dtype_name(s->dtype()),
             " is not supported");
      if (x.dtype() == DType::kFloat) {
        run_typed<float>(c, x, *s);
      } else if (x.dtype() == DType::kDouble) {
        run_typed<double>(c, x, *s);
      } else {
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(x.dtype()), " is not supported");
      }
    });
  }

  std::string kernel_name() const override { return "rms_norm"; }

 private:
  template <class T>
  void run_typed(RunContext& ctx, const Tensor& x, const Tensor& s) const {
    const auto& xs = x.shape();
    const auto axis = static_cast<size_t>(normalize_axis(axis_, x.rank()));
    const auto& ss = s.shape();
    check(ss.size() <= xs.size(), ErrorCode::kInvalidArgument, kOp, ": scale ", shape_str(ss),
          " does not broadcast to X ", shape_str(xs));
    for (size_t i = 0; i < ss.size(); ++i) {
      const int64_t xd = xs[xs.size() - ss.size() + i];
      check(ss[i] == 1 || ss[i] == xd, ErrorCode::kInvalidArgument, kOp, ": scale ", shape_str(ss),
            " does not broadcast to X ", shape_str(xs));
    }
    int64_t rows = 1, n = 1;
    for (size_t i = 0; i < axis; ++i) rows *= xs[i];
    for (size_t i = axis; i < xs.size(); ++i) n *= xs[i];
    // Scale inside the normalized dims: one row shared by all; otherwise the whole X shape.
    const bool per_row = ss.size() > xs.size() - axis;
    const std::vector<int64_t> target = per_row ? xs : std::vector<int64_t>(xs.begin() + axis, xs.end());
    const std::vector<T> scale = broadcast_to<T>(s, target);
    Tensor& y = ctx.output(0, xs);
    kernels::rms_norm<T>(rows, n, epsilon_, x.data_as<T>(), scale.data(), per_row ? n : 0, y.data_as<T>(), ctx.par());
  }

  int64_t axis_;
  float epsilon_;
};

}  // namespace

std::unique_ptr<OpKernel> build_rms_norm(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const int64_t stash = n.get_int("stash_type", 1);
  check(stash == 1, ErrorCode::kNotImplemented, kOp, ": stash_type ", stash, " is not supported (1)");
  return std::make_unique<RmsNorm>(n.get_int("axis", -1), n.get_float("epsilon", 1e-5f));
}

}  // namespace ortl::opset
