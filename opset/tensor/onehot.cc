// OneHot: indices (any numeric dtype, floats truncated) become a one-hot axis of length depth
// holding values[1] (on) at the index and values[0] (off) elsewhere. Negative indices count
// from the end of the axis; indices outside [-depth, depth) give an all-off column.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class OneHot final : public OpKernel {
 public:
  explicit OneHot(int64_t axis) : axis_(axis) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& idx = ctx.input_type(0);
    const DType dt = ctx.input_dtype(2);
    if (!idx.has_shape) {
      ctx.set_output(0, TypeInfo{dt, false, {}});
      return;
    }
    const int64_t axis = out_axis(idx.rank());
    Shape out = idx.shape;
    const Tensor* d = ctx.input_value(1);
    out.insert(out.begin() + axis, d ? Dim(depth(*d)) : ctx.fresh_dim());
    ctx.set_output(0, TypeInfo::of(dt, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& it = *ctx.input(0);
    const Tensor& vals = *ctx.input(2);
    check(vals.numel() == 2, ErrorCode::kInvalidArgument, "OneHot: values must hold [off, on], got shape ",
          shape_str(vals.shape()));
    const int64_t dep = depth(*ctx.input(1));
    const int64_t axis = out_axis(it.rank());
    std::vector<int64_t> out = it.shape();
    out.insert(out.begin() + axis, dep);
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    std::vector<int64_t> idx = to_int64s(it);
    for (int64_t& v : idx)
      if (v < 0 && v >= -dep) v += dep;  // others stay out of range: an all-off column
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < it.rank(); ++d) (d < axis ? outer : inner) *= it.shape()[d];
    dispatch_move(vals.dtype(), "OneHot", [&](auto tag) {
      using T = decltype(tag);
      const T* v = vals.data_as<T>();
      kernels::one_hot(idx.data(), outer, dep, inner, v[0], v[1], y.data_as<T>());
    });
  }

  std::vector<int> shape_inputs() const override { return {1}; }

 private:
  int64_t out_axis(int64_t rank) const {
    check(axis_ >= -rank - 1 && axis_ <= rank, ErrorCode::kInvalidArgument, "OneHot: axis ", axis_,
          " is out of range for indices of rank ", rank);
    return axis_ < 0 ? axis_ + rank + 1 : axis_;
  }
  static int64_t depth(const Tensor& d) {
    const int64_t v = scalar_int(d, "OneHot", "depth");
    check(v > 0, ErrorCode::kInvalidArgument, "OneHot: depth must be positive, got ", v);
    return v;
  }
  int64_t axis_;
};

}  // namespace

std::unique_ptr<OpKernel> build_one_hot(const BuildContext& b) {
  return std::make_unique<OneHot>(b.node.get_int("axis", -1));
}

}  // namespace ortl::opset
