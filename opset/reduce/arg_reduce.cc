// ArgMax / ArgMin along `axis` (default 0) with keepdims (default 1) and select_last_index
// (opset 12+, default 0: the first extreme wins ties). Output int64.
#include "kernels/reduce/reduce.h"
#include "opset/nn/half_detour.h"
#include "opset/reduce/reduce.h"
#include "opset/reduce/reduce_util.h"

namespace ortl::opset {
namespace {

class ArgReduce final : public OpKernel {
 public:
  ArgReduce(bool is_max, int64_t axis, bool keepdims, bool select_last)
      : is_max_(is_max), axis_(axis), keepdims_(keepdims), select_last_(select_last) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(reduce::supported(x.dtype, false), ErrorCode::kNotImplemented, name(), ": dtype ", dtype_name(x.dtype),
          " is not supported");
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{DType::kInt64, false, {}});
      return;
    }
    const int64_t axis = axis_of(x.rank());
    Shape out;
    for (int i = 0; i < x.rank(); ++i) {
      if (i != axis)
        out.push_back(x.shape[i]);
      else if (keepdims_)
        out.push_back(Dim(1));
    }
    ctx.set_output(0, TypeInfo::of(DType::kInt64, out));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const int64_t axis = axis_of(x.rank());
    const auto& s = x.shape();
    check(s[axis] > 0, ErrorCode::kInvalidArgument, name(), ": axis ", axis, " of shape ", shape_str(s), " is empty");
    std::vector<int64_t> out_shape;
    kernels::ReduceDims d;
    for (int i = 0; i < x.rank(); ++i) {
      if (i < axis) d.outer *= s[i];
      if (i > axis) d.inner *= s[i];
      if (i != axis)
        out_shape.push_back(s[i]);
      else if (keepdims_)
        out_shape.push_back(1);
    }
    d.reduced = s[axis];
    Tensor& y = ctx.output(0, out_shape);
    reduce::dispatch(x.dtype(), false, name(), [&](auto t) {
      using T = decltype(t);
      kernels::arg_reduce<T>(is_max_, select_last_, d, x.data_as<T>(), y.data_as<int64_t>(), ctx.par());
    });
  }

  std::string kernel_name() const override { return "arg_reduce"; }

 private:
  const char* name() const { return is_max_ ? "ArgMax" : "ArgMin"; }
  int64_t axis_of(int rank) const {
    check(rank >= 1, ErrorCode::kInvalidArgument, name(), ": input must have rank >= 1");
    return normalize_axis(axis_, rank);
  }

  bool is_max_;
  int64_t axis_;
  bool keepdims_, select_last_;
};

std::unique_ptr<OpKernel> build(const BuildContext& ctx, bool is_max) {
  const graph::Node& n = ctx.node;
  return std::make_unique<ArgReduce>(is_max, n.get_int("axis", 0), n.get_int("keepdims", 1) != 0,
                                     n.get_int("select_last_index", 0) != 0);
}

}  // namespace

std::unique_ptr<OpKernel> build_argmax(const BuildContext& ctx) { return build(ctx, true); }
std::unique_ptr<OpKernel> build_argmin(const BuildContext& ctx) { return build(ctx, false); }

}  // namespace ortl::opset
