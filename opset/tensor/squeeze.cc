// Squeeze and Unsqueeze: views. Axes come from an attribute before opset 13 and from an
// optional int64 input since.
#include <algorithm>

#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class Squeeze final : public OpKernel {
 public:
  Squeeze(std::vector<int64_t> axes, bool axes_attr, bool from_input)
      : axes_(std::move(axes)), axes_attr_(axes_attr), from_input_(from_input) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    std::vector<int64_t> axes = axes_;
    bool have_axes = axes_attr_;
    if (from_input_ && ctx.has_input(1)) {
      check_index_input(ctx, 1, "Squeeze", "axes");
      have_axes = known_ints(ctx, 1, axes);
      if (!have_axes) {
        const TypeInfo& a = ctx.input_type(1);
        if (x.has_shape && a.rank() == 1 && a.shape[0].known()) {
          ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, x.rank() - a.shape[0].value)));
        } else {
          ctx.set_output(0, TypeInfo{x.dtype, false, {}});
        }
        return;
      }
    }
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    if (!have_axes && !graph::all_known(x.shape)) {  // which unknown dims are 1 decides the rank
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, squeeze(x.shape, axes, have_axes)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    std::vector<int64_t> axes = axes_;
    bool have_axes = axes_attr_;
    if (from_input_ && ctx.input(1)) {
      axes = input_ints(ctx, 1);
      have_axes = true;
    }
    ctx.alias_output(0, x, concrete(squeeze(shape_of(x), axes, have_axes)));
  }

  bool is_view() const override { return true; }
  std::vector<int> shape_inputs() const override { return from_input_ ? std::vector<int>{1} : std::vector<int>{}; }

 private:
  static Shape squeeze(const Shape& in, const std::vector<int64_t>& axes, bool have_axes) {
    const int64_t r = static_cast<int64_t>(in.size());
    std::vector<bool> drop(in.size(), false);
    if (have_axes) {
      for (int64_t a : normalize_axes(axes, r, "Squeeze")) {
        check(!in[a].known() || in[a].value == 1, ErrorCode::kInvalidArgument, "Squeeze: axis ", a, " of shape ",
              graph::shape_str(in), " is not 1");
        drop[a] = true;
      }
    } else {
      for (int64_t i = 0; i < r; ++i) drop[i] = in[i].known() && in[i].value == 1;
    }
    Shape out;
    for (int64_t i = 0; i < r; ++i)
      if (!drop[i]) out.push_back(in[i]);
    return out;
  }

  std::vector<int64_t> axes_;
  bool axes_attr_;   // axes given as an attribute (opset < 13)
  bool from_input_;  // axes come from input 1 (opset >= 13)
};

class Unsqueeze final : public OpKernel {
 public:
  Unsqueeze(std::vector<int64_t> axes, bool from_input) : axes_(std::move(axes)), from_input_(from_input) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    std::vector<int64_t> axes = axes_;
    if (from_input_) {
      check_index_input(ctx, 1, "Unsqueeze", "axes");
      if (!known_ints(ctx, 1, axes)) {
        const TypeInfo& a = ctx.input_type(1);
        if (x.has_shape && a.rank() == 1 && a.shape[0].known()) {
          ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, x.rank() + a.shape[0].value)));
        } else {
          ctx.set_output(0, TypeInfo{x.dtype, false, {}});
        }
        return;
      }
    }
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, unsqueeze(x.shape, axes)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> axes = from_input_ ? input_ints(ctx, 1) : axes_;
    ctx.alias_output(0, x, concrete(unsqueeze(shape_of(x), axes)));
  }

  bool is_view() const override { return true; }
  std::vector<int> shape_inputs() const override { return from_input_ ? std::vector<int>{1} : std::vector<int>{}; }

 private:
  static Shape unsqueeze(const Shape& in, const std::vector<int64_t>& axes) {
    const int64_t r = static_cast<int64_t>(in.size() + axes.size());
    std::vector<bool> ones(static_cast<size_t>(r), false);
    for (int64_t a : normalize_axes(axes, r, "Unsqueeze")) ones[a] = true;
    Shape out;
    size_t j = 0;
    for (int64_t i = 0; i < r; ++i) out.push_back(ones[i] ? Dim(1) : in[j++]);
    return out;
  }

  std::vector<int64_t> axes_;
  bool from_input_;
};

}  // namespace

std::unique_ptr<OpKernel> build_squeeze(const BuildContext& b) {
  if (b.opset >= 13) return std::make_unique<Squeeze>(std::vector<int64_t>{}, false, true);
  return std::make_unique<Squeeze>(b.node.get_ints("axes"), b.node.has("axes"), false);
}

std::unique_ptr<OpKernel> build_unsqueeze(const BuildContext& b) {
  if (b.opset >= 13) return std::make_unique<Unsqueeze>(std::vector<int64_t>{}, true);
  check(b.node.has("axes"), ErrorCode::kInvalidModel, "Unsqueeze: attribute 'axes' is required");
  return std::make_unique<Unsqueeze>(b.node.get_ints("axes"), false);
}

}  // namespace ortl::opset
