// Compress: keeps the slices along `axis` (or the elements of the flattened input) whose
// condition entry is true; a gather with the true positions as indices. The output length
// follows from the condition's values, so condition is a shape input.
#include <optional>

#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class Compress final : public OpKernel {
 public:
  explicit Compress(std::optional<int64_t> axis) : axis_(axis) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    const Tensor* cond = ctx.input_value(1);
    if (!axis_) {
      ctx.set_output(0, TypeInfo::of(x.dtype, {cond ? Dim(count(*cond, -1)) : ctx.fresh_dim()}));
      return;
    }
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Compress: a scalar input has no axis");
    const int64_t axis = normalize_axis(*axis_, x.rank());
    Shape out = x.shape;
    const int64_t dim = x.shape[axis].known() ? x.shape[axis].value : -1;
    out[axis] = cond && dim >= 0 ? Dim(count(*cond, dim)) : ctx.fresh_dim();
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& cond = *ctx.input(1);
    check(!axis_ || x.rank() >= 1, ErrorCode::kInvalidArgument, "Compress: a scalar input has no axis");
    const int64_t axis = axis_ ? normalize_axis(*axis_, x.rank()) : 0;
    const int64_t dim = axis_ ? x.shape()[axis] : x.numel();
    count(cond, dim);  // validates
    std::vector<int64_t> idx;
    const uint8_t* c = cond.data_as<uint8_t>();
    for (int64_t i = 0; i < std::min(dim, cond.numel()); ++i)
      if (c[i]) idx.push_back(i);
    std::vector<int64_t> out{static_cast<int64_t>(idx.size())};
    int64_t outer = 1, inner = 1;
    if (axis_) {
      out = x.shape();
      out[axis] = static_cast<int64_t>(idx.size());
      for (int64_t d = 0; d < x.rank(); ++d) {
        if (d < axis) outer *= x.shape()[d];
        if (d > axis) inner *= x.shape()[d];
      }
    }
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), "Compress", [&](auto tag) {
      using T = decltype(tag);
      kernels::gather(x.data_as<T>(), idx.data(), static_cast<int64_t>(idx.size()), outer, dim, inner, y.data_as<T>(),
                      ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override { return {1}; }

 private:
  // Number of selected positions among the first `dim` (-1: all) condition entries; a true
  // entry past the end of the axis is an error.
  static int64_t count(const Tensor& cond, int64_t dim) {
    check(cond.dtype() == DType::kBool && cond.rank() == 1, ErrorCode::kInvalidArgument,
          "Compress: condition must be a 1-D bool tensor, got ", dtype_name(cond.dtype()), " ",
          shape_str(cond.shape()));
    const uint8_t* c = cond.data_as<uint8_t>();
    int64_t n = 0;
    for (int64_t i = 0; i < cond.numel(); ++i) {
      if (!c[i]) continue;
      check(dim < 0 || i < dim, ErrorCode::kInvalidArgument, "Compress: condition selects position ", i,
            " of an axis of size ", dim);
      ++n;
    }
    return n;
  }

  std::optional<int64_t> axis_;
};

}  // namespace

std::unique_ptr<OpKernel> build_compress(const BuildContext& b) {
  std::optional<int64_t> axis;
  if (b.node.has("axis")) axis = b.node.get_int("axis", 0);
  return std::make_unique<Compress>(axis);
}

}  // namespace ortl::opset
