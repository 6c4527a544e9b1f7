// Pad: attributes pads/value before opset 11 ("paddings" at opset 1), inputs pads and
// constant_value since, an axes input since 18, modes constant/reflect/edge and wrap (19).
// Negative pads crop. Pads are laid out [x1_begin, x2_begin, ..., x1_end, x2_end].
#include <cstring>
#include <type_traits>

#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

using kernels::PadMode;

class Pad final : public OpKernel {
 public:
  Pad(PadMode mode, std::vector<int64_t> attr_pads, float attr_value, bool from_inputs)
      : mode_(mode), attr_pads_(std::move(attr_pads)), attr_value_(attr_value), from_inputs_(from_inputs) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (from_inputs_) {
      check_index_input(ctx, 1, "Pad", "pads");
      if (ctx.has_input(3)) check_index_input(ctx, 3, "Pad", "axes");
      if (ctx.has_input(2) && ctx.input_dtype(2) != DType::kUndefined && x.dtype != DType::kUndefined)
        check(ctx.input_dtype(2) == x.dtype, ErrorCode::kInvalidArgument, "Pad: constant_value is ",
              dtype_name(ctx.input_dtype(2)), ", data is ", dtype_name(x.dtype));
    }
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    std::vector<int64_t> pads = attr_pads_, axes;
    const bool known = !from_inputs_ || (known_ints(ctx, 1, pads) && (!ctx.has_input(3) || known_ints(ctx, 3, axes)));
    if (!known) {
      ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, x.rank())));
      return;
    }
    const kernels::PadParams p = params(x.rank(), pads, axes);
    Shape out = x.shape;
    for (int i = 0; i < x.rank(); ++i) {
      const int64_t delta = add_dims(p.begin[i], p.end[i], "Pad");
      if (delta == 0) continue;
      out[i] = x.shape[i].known() ? Dim(add_dims(x.shape[i].value, delta, "Pad")) : ctx.fresh_dim();
      check(!out[i].known() || out[i].value >= 0, ErrorCode::kInvalidArgument, "Pad: pads crop axis ", i, " of ",
            graph::shape_str(x.shape), " below zero");
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    kernels::PadParams p =
        from_inputs_ ? params(x.rank(), input_ints(ctx, 1), input_ints(ctx, 3)) : params(x.rank(), attr_pads_, {});
    p.src_shape = x.shape();
    p.mode = mode_;
    std::vector<int64_t> out(x.rank());
    for (int i = 0; i < x.rank(); ++i) {
      out[i] = add_dims(x.shape()[i], add_dims(p.begin[i], p.end[i], "Pad"), "Pad");
      check(out[i] >= 0, ErrorCode::kInvalidArgument, "Pad: pads crop axis ", i, " of ", shape_str(x.shape()),
            " below zero");
      check(mode_ == PadMode::kConstant || x.shape()[i] > 0 || out[i] == 0, ErrorCode::kInvalidArgument,
            "Pad: cannot pad the empty axis ", i, " of ", shape_str(x.shape()), " in a non-constant mode");
    }
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    const Tensor* cv = from_inputs_ ? ctx.input(2) : nullptr;
    dispatch_move(x.dtype(), "Pad", [&](auto tag) {
      using T = decltype(tag);
      T value{};
      if (cv && cv->numel() > 0) {
        value = cv->data_as<T>()[0];
      } else if constexpr (!std::is_same_v<T, std::string>) {
        const uint64_t bits = value_bits(attr_value_, x.dtype());
        std::memcpy(&value, &bits, sizeof(T));
      }
      kernels::pad(x.data_as<T>(), y.data_as<T>(), p, value, ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override { return from_inputs_ ? std::vector<int>{1, 3} : std::vector<int>{}; }

 private:
  // Per-axis begin/end pads from the ONNX pads list (over `axes`, or all axes).
  static kernels::PadParams params(int64_t rank, const std::vector<int64_t>& pads, std::vector<int64_t> axes) {
    if (axes.empty()) {
      for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
    } else {
      axes = normalize_axes(axes, rank, "Pad");
    }
    const size_t n = axes.size();
    check(pads.size() == 2 * n, ErrorCode::kInvalidArgument, "Pad: ", pads.size(), " pads for ", n, " axes (expected ",
          2 * n, ")");
    kernels::PadParams p;
    p.begin.assign(rank, 0);
    p.end.assign(rank, 0);
    for (int64_t v : pads)  // larger pads cannot describe a tensor ort-lite can hold
      check(v >= -(int64_t{1} << 40) && v <= (int64_t{1} << 40), ErrorCode::kInvalidArgument, "Pad: pad ", v,
            " is out of range");
    for (size_t i = 0; i < n; ++i) {
      p.begin[axes[i]] = pads[i];
      p.end[axes[i]] = pads[i + n];
    }
    return p;
  }

  PadMode mode_;
  std::vector<int64_t> attr_pads_;
  float attr_value_;
  bool from_inputs_;
};

// CenterCropPad: per axis, a centered crop (start rounded down) or a centered zero pad (the odd
// pixel on the right) to the target size; both are begin/end pads of the Pad kernel.
class CenterCropPad final : public OpKernel {
 public:
  explicit CenterCropPad(std::vector<int64_t> axes) : axes_(std::move(axes)) {}

  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, "CenterCropPad", "shape");
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    std::vector<int64_t> target;
    Shape out = x.shape;
    const std::vector<int64_t> axes = resolve_axes(x.rank());
    const bool known = known_ints(ctx, 1, target);
    if (known) check_target(target, axes);
    for (size_t i = 0; i < axes.size(); ++i) out[axes[i]] = known ? Dim(target[i]) : ctx.fresh_dim();
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> target = ints_of(*ctx.input(1));
    const std::vector<int64_t> axes = resolve_axes(x.rank());
    check_target(target, axes);
    kernels::PadParams p{x.shape(), std::vector<int64_t>(x.rank(), 0), std::vector<int64_t>(x.rank(), 0),
                         PadMode::kConstant};
    std::vector<int64_t> out = x.shape();
    for (size_t i = 0; i < axes.size(); ++i) {
      const int64_t a = axes[i], d = target[i] - x.shape()[a];  // > 0 pads, < 0 crops
      const int64_t half = (d >= 0 ? d : -d) / 2;
      p.begin[a] = d >= 0 ? half : -half;
      p.end[a] = d - p.begin[a];
      out[a] = target[i];
    }
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), "CenterCropPad", [&](auto tag) {
      using T = decltype(tag);
      kernels::pad(x.data_as<T>(), y.data_as<T>(), p, T{}, ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override { return {1}; }

 private:
  std::vector<int64_t> resolve_axes(int64_t rank) const {
    if (!axes_.empty()) return normalize_axes(axes_, rank, "CenterCropPad");
    std::vector<int64_t> all(static_cast<size_t>(rank));
    for (int64_t i = 0; i < rank; ++i) all[i] = i;
    return all;
  }
  static void check_target(const std::vector<int64_t>& target, const std::vector<int64_t>& axes) {
    check(target.size() == axes.size(), ErrorCode::kInvalidArgument, "CenterCropPad: ", target.size(),
          " target sizes for ", axes.size(), " axes");
    for (int64_t t : target) check(t >= 0, ErrorCode::kInvalidArgument, "CenterCropPad: negative target size ", t);
  }
  std::vector<int64_t> axes_;
};

}  // namespace

std::unique_ptr<OpKernel> build_pad(const BuildContext& b) {
  const std::string m = b.node.get_string("mode", "constant");
  PadMode mode;
  if (m == "constant") {
    mode = PadMode::kConstant;
  } else if (m == "reflect") {
    mode = PadMode::kReflect;
  } else if (m == "edge") {
    mode = PadMode::kEdge;
  } else if (m == "wrap" && b.opset >= 19) {
    mode = PadMode::kWrap;
  } else {
    fail(ErrorCode::kInvalidModel, "Pad: unsupported mode '", m, "' at opset ", b.opset);
  }
  if (b.opset >= 11) return std::make_unique<Pad>(mode, std::vector<int64_t>{}, 0.0f, true);
  const char* pads_name = b.opset == 1 ? "paddings" : "pads";
  check(b.node.has(pads_name), ErrorCode::kInvalidModel, "Pad: attribute '", pads_name, "' is required");
  return std::make_unique<Pad>(mode, b.node.get_ints(pads_name), b.node.get_float("value", 0.0f), false);
}

std::unique_ptr<OpKernel> build_center_crop_pad(const BuildContext& b) {
  return std::make_unique<CenterCropPad>(b.node.get_ints("axes"));
}

}  // namespace ortl::opset
