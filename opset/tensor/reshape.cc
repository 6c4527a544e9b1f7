// Reshape and Flatten: views (the output aliases the input's memory under a new shape).
//
// Reshape resolves its target on symbolic shapes too, so [batch, 12, 64] -> [0, -1] infers
// [batch, 768]: dims that appear on both sides (a 0 copies one) cancel before -1 is solved.
#include <algorithm>

#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

// The output shape for `target` (Reshape's shape input) on input shape `in` (rank known).
Shape resolve_reshape(InferContext* ctx, const Shape& in, const std::vector<int64_t>& target, bool allowzero) {
  auto fail_shapes = [&](const char* why) {
    fail(ErrorCode::kInvalidArgument, "Reshape: cannot reshape ", graph::shape_str(in), " into ", shape_str(target),
         ": ", why);
  };
  Shape out(target.size());
  int neg = -1;
  bool has_zero = false;
  for (size_t i = 0; i < target.size(); ++i) {
    const int64_t v = target[i];
    if (v == -1) {
      if (neg >= 0) fail_shapes("more than one -1");
      neg = static_cast<int>(i);
    } else if (v < -1) {
      fail_shapes("negative dimension");
    } else if (v == 0 && !allowzero) {
      if (i >= in.size()) fail_shapes("a 0 copies a dimension the input does not have");
      out[i] = in[i];
    } else {
      has_zero |= v == 0;
      out[i] = Dim(v);
    }
  }
  if (allowzero && has_zero && neg >= 0) fail_shapes("allowzero=1 forbids both 0 and -1");

  // Cancel dims present on both sides (symbols included), then compare what is left.
  std::vector<Dim> num(in.begin(), in.end());
  int64_t den_known = 1;
  bool den_unknown = false;
  for (size_t i = 0; i < out.size(); ++i) {
    if (static_cast<int>(i) == neg) continue;
    if (out[i].known()) {
      den_known = mul_dims(den_known, out[i].value, "Reshape");
      continue;
    }
    auto it = std::find(num.begin(), num.end(), out[i]);
    if (it != num.end()) {
      num.erase(it);
    } else {
      den_unknown = true;
    }
  }
  int64_t num_known = 1;
  bool num_unknown = false;
  for (const Dim& d : num) {
    if (d.known()) {
      num_known = mul_dims(num_known, d.value, "Reshape");
    } else {
      num_unknown = true;
    }
  }
  if (neg >= 0) {
    if (!num_unknown && !den_unknown) {
      if (den_known == 0) fail_shapes("-1 cannot be inferred next to a zero dimension");
      if (num_known % den_known != 0) fail_shapes("the element counts differ");
      out[neg] = Dim(num_known / den_known);
    } else {
      out[neg] = ctx ? ctx->fresh_dim() : Dim();
    }
  } else if (!num_unknown && !den_unknown && num_known != den_known) {
    fail_shapes("the element counts differ");
  }
  return out;
}

class Reshape final : public OpKernel {
 public:
  Reshape(std::vector<int64_t> attr_shape, bool from_attr, bool allowzero)
      : attr_shape_(std::move(attr_shape)), from_attr_(from_attr), allowzero_(allowzero) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    std::vector<int64_t> target = attr_shape_;
    if (!from_attr_) {
      check_index_input(ctx, 1, "Reshape", "shape");
      if (!known_ints(ctx, 1, target)) {
        const TypeInfo& s = ctx.input_type(1);
        if (s.rank() == 1 && s.shape[0].known()) {
          ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, s.shape[0].value)));
        } else {
          ctx.set_output(0, TypeInfo{x.dtype, false, {}});
        }
        return;
      }
    }
    if (!x.has_shape) {  // unknown rank: only literal dims are certain
      Shape out;
      for (int64_t v : target) out.push_back(v > 0 || (v == 0 && allowzero_) ? Dim(v) : ctx.fresh_dim());
      ctx.set_output(0, TypeInfo::of(x.dtype, out));
      return;
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, resolve_reshape(&ctx, x.shape, target, allowzero_)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> target = from_attr_ ? attr_shape_ : input_ints(ctx, 1);
    ctx.alias_output(0, x, concrete(resolve_reshape(nullptr, shape_of(x), target, allowzero_)));
  }

  bool is_view() const override { return true; }
  std::vector<int> shape_inputs() const override { return from_attr_ ? std::vector<int>{} : std::vector<int>{1}; }

 private:
  std::vector<int64_t> attr_shape_;
  bool from_attr_;
  bool allowzero_;
};

class Flatten final : public OpKernel {
 public:
  Flatten(int64_t axis, bool negative_ok) : axis_(axis), negative_ok_(negative_ok) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, 2)));
      return;
    }
    const size_t a = axis(x.rank());
    ctx.set_output(
        0, TypeInfo::of(x.dtype, {product_dim(ctx, x.shape, 0, a), product_dim(ctx, x.shape, a, x.shape.size())}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const size_t a = axis(x.rank());
    int64_t outer = 1, inner = 1;
    for (size_t i = 0; i < x.shape().size(); ++i) (i < a ? outer : inner) *= x.shape()[i];
    ctx.alias_output(0, x, {outer, inner});
  }

  bool is_view() const override { return true; }

 private:
  size_t axis(int64_t rank) const {
    check(axis_ <= rank && axis_ >= (negative_ok_ ? -rank : 0), ErrorCode::kInvalidArgument, "Flatten: axis ", axis_,
          " is out of range for rank ", rank);
    return static_cast<size_t>(axis_ < 0 ? axis_ + rank : axis_);
  }
  int64_t axis_;
  bool negative_ok_;
};

}  // namespace

std::unique_ptr<OpKernel> build_reshape(const BuildContext& b) {
  if (b.opset < 5) return std::make_unique<Reshape>(b.node.get_ints("shape"), true, false);
  const int64_t allowzero = b.opset >= 14 ? b.node.get_int("allowzero", 0) : 0;
  check(allowzero == 0 || allowzero == 1, ErrorCode::kInvalidModel, "Reshape: allowzero must be 0 or 1");
  return std::make_unique<Reshape>(std::vector<int64_t>{}, false, allowzero == 1);
}

std::unique_ptr<OpKernel> build_flatten(const BuildContext& b) {
  return std::make_unique<Flatten>(b.node.get_int("axis", 1), b.opset >= 11);
}

}  // namespace ortl::opset
