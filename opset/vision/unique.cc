// Unique (11, 28; 28 adds bfloat16): the distinct elements of X (flattened), or the distinct
// slices along `axis`, sorted ascending or in order of first occurrence, with the optional
// outputs indices (first occurrences), inverse_indices and counts, all int64. Every output's
// size depends on the data. float16 / bfloat16 compare as float and are copied bit-exact.
#include "kernels/vision/vision.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class Unique final : public OpKernel {
 public:
  Unique(bool has_axis, int64_t axis, bool sorted) : has_axis_(has_axis), axis_(axis), sorted_(sorted) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(0);
    check(dt == DType::kUndefined || supported(dt), ErrorCode::kNotImplemented, "Unique: dtype ", dtype_name(dt),
          " is not supported");
    const TypeInfo& x = ctx.input_type(0);
    const Dim u = ctx.fresh_dim();
    Dim n = ctx.fresh_dim();
    if (!x.has_shape) {
      ctx.set_output(0, has_axis_ ? TypeInfo{dt, false, {}} : TypeInfo::of(dt, {u}));
    } else if (has_axis_) {
      check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Unique: axis given for a scalar input");
      const int64_t axis = normalize_axis(axis_, x.rank());
      Shape y = x.shape;
      n = y[axis];
      y[axis] = u;
      ctx.set_output(0, TypeInfo::of(dt, y));
    } else {
      n = dim_product(x.shape, 0, x.shape.size());
      if (!n.known()) n = ctx.fresh_dim();
      ctx.set_output(0, TypeInfo::of(dt, {u}));
    }
    const Shape per_input{n}, per_unique{u};
    if (ctx.num_outputs() > 1) ctx.set_output(1, TypeInfo::of(DType::kInt64, per_unique));
    if (ctx.num_outputs() > 2) ctx.set_output(2, TypeInfo::of(DType::kInt64, per_input));
    if (ctx.num_outputs() > 3) ctx.set_output(3, TypeInfo::of(DType::kInt64, per_unique));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    int64_t axis = 0, outer = 1, n = x.numel(), inner = 1;
    if (has_axis_) {
      check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Unique: axis given for a scalar input");
      axis = normalize_axis(axis_, x.rank());
      outer = vision::numel(x.shape(), 0, axis);
      n = x.shape()[axis];
      inner = vision::numel(x.shape(), axis + 1);
    }
    kernels::UniqueResult r;
    if (x.dtype() == DType::kFloat16 || x.dtype() == DType::kBFloat16) {
      const Tensor xf = half_to_float(x);
      r = kernels::unique<float>(xf.data_as<float>(), outer, n, inner, sorted_);
    } else if (x.dtype() == DType::kBool) {
      r = kernels::unique<uint8_t>(x.data_as<uint8_t>(), outer, n, inner, sorted_);
    } else if (x.dtype() == DType::kString) {
      r = kernels::unique<std::string>(x.data_as<std::string>(), outer, n, inner, sorted_);
    } else {
      dispatch_numeric(x.dtype(), "Unique", [&](auto tag) {
        using T = decltype(tag);
        r = kernels::unique<T>(x.data_as<T>(), outer, n, inner, sorted_);
      });
    }
    const int64_t u = static_cast<int64_t>(r.first.size());
    std::vector<int64_t> yshape{u};
    if (has_axis_) {
      yshape = x.shape();
      yshape[axis] = u;
    }
    Tensor& y = ctx.output(0, yshape);
    dispatch_move(x.dtype(), "Unique", [&](auto tag) {
      using T = decltype(tag);
      const T* src = static_cast<const T*>(x.data());
      T* dst = static_cast<T*>(y.data());
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t g = 0; g < u; ++g) {
          const T* s = src + (o * n + r.first[g]) * inner;
          std::copy(s, s + inner, dst + (o * u + g) * inner);
        }
      }
    });
    auto put = [&](int i, const std::vector<int64_t>& v) {
      if (i >= ctx.num_outputs() || !ctx.has_output(i)) return;
      Tensor& t = ctx.output(i, {static_cast<int64_t>(v.size())});
      std::copy(v.begin(), v.end(), t.data_as<int64_t>());
    };
    put(1, r.first);
    put(2, r.inverse);
    put(3, r.counts);
  }

  std::string kernel_name() const override { return "unique_sort"; }

 private:
  static bool supported(DType dt) {
    return dt != DType::kUndefined && dtype_size(dt) > 0 &&
           (dt == DType::kString || dt == DType::kBool || dt == DType::kFloat16 || dt == DType::kBFloat16 ||
            dt == DType::kFloat || dt == DType::kDouble || dt == DType::kInt8 || dt == DType::kInt16 ||
            dt == DType::kInt32 || dt == DType::kInt64 || dt == DType::kUInt8 || dt == DType::kUInt16 ||
            dt == DType::kUInt32 || dt == DType::kUInt64);
  }

  bool has_axis_;
  int64_t axis_;
  bool sorted_;
};

}  // namespace

std::unique_ptr<OpKernel> build_unique(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  return std::make_unique<Unique>(n.has("axis"), n.get_int("axis", 0), n.get_int("sorted", 1) != 0);
}

}  // namespace ortl::opset
