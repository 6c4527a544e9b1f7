// Max, Min, Sum, Mean over any number of inputs with numpy broadcasting: the output is folded
// in place, out = op(in0, in1), then out = op(out, in_k); Mean divides by the count at the end.
#include "kernels/eltwise/eltwise.h"
#include "opset/math/eltwise_util.h"
#include "opset/math/math.h"

namespace ortl::opset {
namespace {

using kernels::BinaryOp;
using namespace eltwise;

class Variadic final : public OpKernel {
 public:
  Variadic(BinaryOp op, bool mean, const char* name) : op_(op), mean_(mean), name_(name) {}

  void infer(InferContext& ctx) const override {
    check(ctx.num_inputs() >= 1, ErrorCode::kInvalidModel, name_, " needs at least one input");
    const DType t = ctx.input_dtype(0);
    check(is_float_type(t) || (!mean_ && is_integer_type(t)), ErrorCode::kNotImplemented, name_, ": dtype ",
          dtype_name(t), " is not supported");
    TypeInfo out{t, true, {}};
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      check(ctx.has_input(i), ErrorCode::kInvalidModel, name_, ": input ", i, " is missing");
      check(ctx.input_dtype(i) == t, ErrorCode::kInvalidArgument, name_, ": input ", i, " has dtype ",
            dtype_name(ctx.input_dtype(i)), ", input 0 has ", dtype_name(t));
      const TypeInfo& ti = ctx.input_type(i);
      if (!ti.has_shape) out = TypeInfo{t, false, {}};
      if (out.has_shape) out.shape = broadcast_shapes(out.shape, ti.shape);
    }
    ctx.set_output(0, out);
  }

  void run(RunContext& ctx) const override {
    const int n = ctx.num_inputs();
    std::vector<int64_t> shape;
    for (int i = 0; i < n; ++i) shape = broadcast_shapes(shape, ctx.input(i)->shape());
    Tensor& out = ctx.output(0, shape);
    kernels::Parallel& par = ctx.par();
    const DType t = ctx.input(0)->dtype();
    if (is_half_type(t)) {
      std::vector<Tensor> fs;
      for (int i = 0; i < n; ++i) fs.push_back(to_float(*ctx.input(i)));
      Tensor of(DType::kFloat, shape);
      fold<float>(fs, of, par);
      store_float(of, out);
      return;
    }
    std::vector<Tensor> ins;
    for (int i = 0; i < n; ++i) ins.push_back(*ctx.input(i));
    dispatch_numeric(t, name_, [&](auto v) { fold<decltype(v)>(ins, out, par); });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "eltwise_binary"; }

 private:
  template <class T>
  void fold(const std::vector<Tensor>& ins, Tensor& out, kernels::Parallel& par) const {
    T* d = out.data_as<T>();
    if (ins.size() == 1) {
      // A copy, broadcast to the output (same shape unless a model says otherwise).
      const auto plan = make_plan(out, {&ins[0], &ins[0]});
      kernels::binary<T>(BinaryOp::kMax, plan, ins[0].data_as<T>(), ins[0].data_as<T>(), d, par);
    } else {
      auto plan = make_plan(out, {&ins[0], &ins[1]});
      kernels::binary<T>(op_, plan, ins[0].data_as<T>(), ins[1].data_as<T>(), d, par);
      for (size_t i = 2; i < ins.size(); ++i) {
        plan = make_plan(out, {&out, &ins[i]});
        kernels::binary<T>(op_, plan, d, ins[i].data_as<T>(), d, par);
      }
    }
    if (mean_) {
      const T count = static_cast<T>(ins.size());
      const auto plan = kernels::make_broadcast_plan(out.shape(), {out.shape(), {}});
      kernels::binary<T>(BinaryOp::kDiv, plan, d, &count, d, par);
    }
  }

  BinaryOp op_;
  bool mean_;
  const char* name_;
};

}  // namespace

std::unique_ptr<OpKernel> build_max(const BuildContext&) {
  return std::make_unique<Variadic>(BinaryOp::kMax, false, "Max");
}
std::unique_ptr<OpKernel> build_min(const BuildContext&) {
  return std::make_unique<Variadic>(BinaryOp::kMin, false, "Min");
}
std::unique_ptr<OpKernel> build_sum(const BuildContext&) {
  return std::make_unique<Variadic>(BinaryOp::kAdd, false, "Sum");
}
std::unique_ptr<OpKernel> build_mean(const BuildContext&) {
  return std::make_unique<Variadic>(BinaryOp::kAdd, true, "Mean");
}

}  // namespace ortl::opset
