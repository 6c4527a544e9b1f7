// NonZero (output shape known only at run time: [rank, count]), CumSum and CumProd.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class NonZero final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    // A scalar counts as a 1-D tensor of one element (numpy's nonzero does the same).
    const Dim rows = x.has_shape ? Dim(std::max(x.rank(), 1)) : ctx.fresh_dim();
    ctx.set_output(0, TypeInfo::of(DType::kInt64, {rows, ctx.fresh_dim()}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> shape = x.rank() == 0 ? std::vector<int64_t>{1} : x.shape();
    const int64_t r = static_cast<int64_t>(shape.size());
    auto go = [&](auto count_fn) {
      const int64_t n = count_fn(nullptr);
      Tensor& y = ctx.output(0, {r, n});
      if (n > 0) count_fn(y.data_as<int64_t>());
    };
    if (x.dtype() == DType::kFloat16 || x.dtype() == DType::kBFloat16) {
      go([&](int64_t* dst) { return kernels::nonzero_half(x.data_as<uint16_t>(), shape, dst); });
    } else if (x.dtype() == DType::kBool) {
      go([&](int64_t* dst) { return kernels::nonzero(x.data_as<uint8_t>(), shape, dst); });
    } else {
      dispatch_numeric(x.dtype(), "NonZero", [&](auto tag) {
        using T = decltype(tag);
        go([&](int64_t* dst) { return kernels::nonzero(x.data_as<T>(), shape, dst); });
      });
    }
  }
};

class CumScan final : public OpKernel {
 public:
  CumScan(bool product, bool exclusive, bool reverse) : product_(product), exclusive_(exclusive), reverse_(reverse) {}

  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, name(), "axis");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, name(), ": the input must have rank >= 1");
    const int64_t axis = normalize_axis(scalar_int(*ctx.input(1), name(), "axis"), x.rank());
    Tensor& y = ctx.output(0, x.shape());
    if (y.numel() == 0) return;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < x.rank(); ++d) {
      if (d < axis) outer *= x.shape()[d];
      if (d > axis) inner *= x.shape()[d];
    }
    dispatch_numeric(x.dtype(), name(), [&](auto tag) {
      using T = decltype(tag);
      auto* scan = product_ ? &kernels::cumprod<T> : &kernels::cumsum<T>;
      scan(x.data_as<T>(), y.data_as<T>(), outer, x.shape()[axis], inner, exclusive_, reverse_);
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }

 private:
  const char* name() const { return product_ ? "CumProd" : "CumSum"; }
  bool product_;
  bool exclusive_;
  bool reverse_;
};

}  // namespace

std::unique_ptr<OpKernel> build_nonzero(const BuildContext&) { return std::make_unique<NonZero>(); }

std::unique_ptr<OpKernel> build_cumsum(const BuildContext& b) {
  return std::make_unique<CumScan>(false, b.node.get_int("exclusive", 0) != 0, b.node.get_int("reverse", 0) != 0);
}

std::unique_ptr<OpKernel> build_cumprod(const BuildContext& b) {
  return std::make_unique<CumScan>(true, b.node.get_int("exclusive", 0) != 0, b.node.get_int("reverse", 0) != 0);
}

}  // namespace ortl::opset
