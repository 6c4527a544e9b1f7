// Softmax, LogSoftmax and Hardmax. Opset < 13 coerces the input to 2-D around `axis` (default 1):
// rows are prod(dims[:axis]), each normalized over prod(dims[axis:]) values. Opset >= 13
// normalizes along the single dim `axis` (default -1). Both map onto the kernels'
// [outer, n, inner] form.
#include "kernels/softmax/softmax.h"

#include "kernels/base/isa.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

enum class Kind { kSoftmax, kLogSoftmax, kHardmax };

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kSoftmax: return "Softmax";
    case Kind::kLogSoftmax: return "LogSoftmax";
    default: return "Hardmax";
  }
}

class SoftmaxOp final : public OpKernel {
 public:
  SoftmaxOp(Kind kind, int64_t axis, bool coerce_2d) : kind_(kind), axis_(axis), coerce_2d_(coerce_2d) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, kind_name(kind_));
    if (ctx.input_rank(0) >= 0) normalize_axis(axis_, ctx.input_rank(0));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.shape());
    const auto& s = x.shape();
    const auto axis = static_cast<size_t>(normalize_axis(axis_, x.rank()));
    kernels::SoftmaxDims d;
    d.outer = nn::prod(s, 0, axis);
    if (coerce_2d_) {
      d.n = nn::prod(s, axis, s.size());
    } else {
      d.n = s.empty() ? 1 : s[axis];
      d.inner = nn::prod(s, axis + 1, s.size());
    }
    nn::dispatch_float(x.dtype(), kind_name(kind_), [&](auto t) {
      using T = decltype(t);
      if (kind_ == Kind::kHardmax) {
        kernels::hardmax<T>(d, x.data_as<T>(), y.data_as<T>(), ctx.par());
      } else {
        const auto k = kind_ == Kind::kSoftmax ? kernels::SoftmaxKind::kSoftmax : kernels::SoftmaxKind::kLogSoftmax;
        kernels::softmax<T>(k, d, x.data_as<T>(), y.data_as<T>(), ctx.par());
      }
    });
  }

  // Softmax kernels read each element before overwriting it; Hardmax zero-fills rows first.
  std::vector<std::pair<int, int>> inplace() const override {
    if (kind_ == Kind::kHardmax) return {};
    return {{0, 0}};
  }
  std::string kernel_name() const override {
    if (kind_ == Kind::kHardmax) return "hardmax";
    return kernels::select_softmax_f32(kernels::active_isa()).name;
  }

 private:
  Kind kind_;
  int64_t axis_;
  bool coerce_2d_;
};

std::unique_ptr<OpKernel> build(const BuildContext& ctx, Kind kind) {
  const bool old = ctx.opset < 13;
  return std::make_unique<SoftmaxOp>(kind, ctx.node.get_int("axis", old ? 1 : -1), old);
}

}  // namespace

std::unique_ptr<OpKernel> build_softmax(const BuildContext& ctx) { return build(ctx, Kind::kSoftmax); }
std::unique_ptr<OpKernel> build_log_softmax(const BuildContext& ctx) { return build(ctx, Kind::kLogSoftmax); }
std::unique_ptr<OpKernel> build_hardmax(const BuildContext& ctx) { return build(ctx, Kind::kHardmax); }

}  // namespace ortl::opset
