// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum,
// ReduceLogSumExp, ReduceSumSquare.
//
// Axes come from the `axes` attribute (ReduceSum < 13, the others < 18) or from the optional
// second input (later versions, where `noop_with_empty_axes` = 1 turns empty axes into a
// reduction over no axes: the op's map applied elementwise, e.g. x^2 for ReduceSumSquare).
// Empty axes otherwise reduce everything. A reduction over zero elements yields the op's
// identity: 0 for sums, 1 for Prod, -inf / lowest for Max, +inf / highest for Min, -inf for
// LogSum(Exp), NaN for Mean (0/0).
#include "kernels/reduce/reduce.h"

#include <vector>

#include "kernels/base/isa.h"
#include "opset/nn/half_detour.h"
#include "opset/reduce/reduce.h"
#include "opset/reduce/reduce_util.h"

namespace ortl::opset {
namespace {

using kernels::ReduceOp;

struct ReduceAttrs {
  const char* name;
  ReduceOp op;
  bool axes_input;            // axes come from input 1
  std::vector<int64_t> axes;  // attribute axes (when !axes_input)
  bool keepdims;
  bool noop_with_empty_axes;
};

class Reduce final : public OpKernel {
 public:
  explicit Reduce(ReduceAttrs a) : a_(std::move(a)) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(reduce::supported(x.dtype, bool_ok()), ErrorCode::kNotImplemented, a_.name, ": dtype ", dtype_name(x.dtype),
          " is not supported");
    std::vector<int64_t> axes = a_.axes;
    bool known = true;
    if (a_.axes_input && ctx.has_input(1)) {
      if (const Tensor* v = ctx.input_value(1)) {
        axes = read_ints(*v);
      } else {
        known = false;
      }
    }
    if (!x.has_shape || (!known && !a_.keepdims)) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    Shape out;
    if (!known) {  // rank kept, but which dims become 1 is unknown
      for (int i = 0; i < x.rank(); ++i) out.push_back(ctx.fresh_dim());
    } else {
      const std::vector<bool> mask = mask_of(axes, x.rank());
      for (int i = 0; i < x.rank(); ++i) {
        if (!mask[i])
          out.push_back(x.shape[i]);
        else if (a_.keepdims)
          out.push_back(Dim(1));
      }
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    std::vector<int64_t> axes = a_.axes;
    if (a_.axes_input && ctx.num_inputs() > 1 && ctx.input(1)) axes = read_ints(*ctx.input(1));
    const std::vector<bool> mask = mask_of(axes, x.rank());
    std::vector<int64_t> out_shape;
    for (int i = 0; i < x.rank(); ++i) {
      if (!mask[i])
        out_shape.push_back(x.dim(i));
      else if (a_.keepdims)
        out_shape.push_back(1);
    }
    Tensor& y = ctx.output(0, out_shape);
    reduce::dispatch(x.dtype(), bool_ok(), a_.name, [&](auto t) {
      using T = decltype(t);
      kernels::reduce<T>(a_.op, x.shape(), mask, x.data_as<T>(), y.data_as<T>(), ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override {
    if (a_.axes_input) return {1};
    return {};
  }
  std::string kernel_name() const override { return kernels::select_reduce_3d_f32(kernels::active_isa()).name; }

 private:
  bool bool_ok() const { return a_.op == ReduceOp::kMax || a_.op == ReduceOp::kMin; }

  // Reduced dims; empty axes mean all dims, or none with noop_with_empty_axes.
  std::vector<bool> mask_of(const std::vector<int64_t>& axes, int rank) const {
    std::vector<bool> mask(static_cast<size_t>(rank), axes.empty() && !a_.noop_with_empty_axes);
    for (int64_t a : axes) {
      check(a >= -rank && a < rank, ErrorCode::kInvalidArgument, a_.name, ": axis ", a, " is out of range for rank ",
            rank);
      mask[a < 0 ? a + rank : a] = true;
    }
    return mask;
  }

  ReduceAttrs a_;
};

std::unique_ptr<OpKernel> build(const BuildContext& ctx, const char* name, ReduceOp op, int axes_input_since) {
  const graph::Node& n = ctx.node;
  ReduceAttrs a{name,
                op,
                ctx.opset >= axes_input_since,
                {},
                n.get_int("keepdims", 1) != 0,
                n.get_int("noop_with_empty_axes", 0) != 0};
  if (!a.axes_input) a.axes = n.get_ints("axes", {});
  return std::make_unique<Reduce>(std::move(a));
}

}  // namespace

std::unique_ptr<OpKernel> build_reduce_sum(const BuildContext& c) { return build(c, "ReduceSum", ReduceOp::kSum, 13); }
std::unique_ptr<OpKernel> build_reduce_mean(const BuildContext& c) {
  return build(c, "ReduceMean", ReduceOp::kMean, 18);
}
std::unique_ptr<OpKernel> build_reduce_max(const BuildContext& c) { return build(c, "ReduceMax", ReduceOp::kMax, 18); }
std::unique_ptr<OpKernel> build_reduce_min(const BuildContext& c) { return build(c, "ReduceMin", ReduceOp::kMin, 18); }
std::unique_ptr<OpKernel> build_reduce_prod(const BuildContext& c) {
  return build(c, "ReduceProd", ReduceOp::kProd, 18);
}
std::unique_ptr<OpKernel> build_reduce_l1(const BuildContext& c) { return build(c, "ReduceL1", ReduceOp::kL1, 18); }
std::unique_ptr<OpKernel> build_reduce_l2(const BuildContext& c) { return build(c, "ReduceL2", ReduceOp::kL2, 18); }
std::unique_ptr<OpKernel> build_reduce_log_sum(const BuildContext& c) {
  return build(c, "ReduceLogSum", ReduceOp::kLogSum, 18);
}
std::unique_ptr<OpKernel> build_reduce_log_sum_exp(const BuildContext& c) {
  return build(c, "ReduceLogSumExp", ReduceOp::kLogSumExp, 18);
}
std::unique_ptr<OpKernel> build_reduce_sum_square(const BuildContext& c) {
  return build(c, "ReduceSumSquare", ReduceOp::kSumSquare, 18);
}

}  // namespace ortl::opset
