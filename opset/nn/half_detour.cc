#include "opset/nn/half_detour.h"

#include <optional>
#include <vector>

#include "opset/util.h"

namespace ortl::opset::nn {
namespace {

class WidenedContext final : public RunContext {
 public:
  explicit WidenedContext(RunContext& real) : real_(real), ins_(static_cast<size_t>(real.num_inputs())) {
    for (int i = 0; i < real.num_inputs(); ++i) {
      const Tensor* t = real.input(i);
      if (t && is_half(t->dtype())) ins_[i] = half_to_float(*t);
    }
    outs_.resize(static_cast<size_t>(real.num_outputs()));
  }
  // Narrows every float stand-in into its real 16-bit output.
  void finish() {
    for (auto& o : outs_) {
      if (o.real) float_to_half(o.wide.data_as<float>(), *o.real);
    }
  }

  int num_inputs() const override { return real_.num_inputs(); }
  int num_outputs() const override { return real_.num_outputs(); }
  const Tensor* input(int i) const override {
    if (i < 0 || i >= num_inputs()) return nullptr;  // an omitted trailing optional input
    return ins_[i] ? &*ins_[i] : real_.input(i);
  }
  Tensor& output(int i) override { return stand_in(i, real_.output(i)); }
  Tensor& output(int i, const std::vector<int64_t>& shape) override { return stand_in(i, real_.output(i, shape)); }
  void alias_output(int i, const Tensor& src, const std::vector<int64_t>& shape) override {
    check(!is_half(real_.output(i).dtype()), ErrorCode::kNotImplemented, "aliasing a widened float16 output");
    real_.alias_output(i, src, shape);
  }
  bool has_output(int i) const override { return real_.has_output(i); }
  kernels::Parallel& par() override { return real_.par(); }

 private:
  struct Out {
    Tensor* real = nullptr;
    Tensor wide;
  };
  Tensor& stand_in(int i, Tensor& real) {
    if (!is_half(real.dtype())) return real;
    Out& o = outs_[i];
    if (o.real != &real || o.wide.shape() != real.shape()) o = {&real, Tensor(DType::kFloat, real.shape())};
    return o.wide;
  }

  RunContext& real_;
  std::vector<std::optional<Tensor>> ins_;
  std::vector<Out> outs_;
};

}  // namespace

void run_half_as_float(RunContext& ctx, const std::function<void(RunContext&)>& body) {
  bool any = false;
  for (int i = 0; i < ctx.num_inputs(); ++i) any = any || (ctx.input(i) && is_half(ctx.input(i)->dtype()));
  if (!any) return body(ctx);
  WidenedContext w(ctx);
  body(w);
  w.finish();
}

}  // namespace ortl::opset::nn
