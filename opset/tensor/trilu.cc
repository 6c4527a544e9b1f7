// Trilu (opset 14): keeps the upper or lower triangle of the last two dims (diagonal shifted by
// the optional input k), zeroes the rest. Any dtype by element size.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class Trilu final : public OpKernel {
 public:
  explicit Trilu(bool upper) : upper_(upper) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    check(!x.has_shape || x.rank() >= 2, ErrorCode::kInvalidArgument, "Trilu: the input must have rank >= 2");
    ctx.set_output(0, x);
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 2, ErrorCode::kInvalidArgument, "Trilu: the input must have rank >= 2");
    const int64_t k = ctx.input(1) ? scalar_int(*ctx.input(1), "Trilu", "k") : 0;
    Tensor& y = ctx.output(0, x.shape());
    if (y.numel() == 0) return;
    const int64_t rows = x.dim(-2), cols = x.dim(-1);
    dispatch_move(x.dtype(), "Trilu", [&](auto tag) {
      using T = decltype(tag);
      kernels::trilu(x.data_as<T>(), y.data_as<T>(), x.numel() / (rows * cols), rows, cols, k, upper_, ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }

 private:
  bool upper_;
};

}  // namespace

std::unique_ptr<OpKernel> build_trilu(const BuildContext& b) {
  return std::make_unique<Trilu>(b.node.get_int("upper", 1) != 0);
}

}  // namespace ortl::opset
