// Slice: starts/ends/axes attributes (opset 1-9) or inputs with steps (opset >= 10).
// Each sliced axis becomes (first element, element stride, count) of one strided copy, so
// negative steps are a negative stride; starts/ends are clamped as the spec says, which makes
// INT64_MAX / INT64_MIN ends ("to the end") work without overflow.
#include <algorithm>
#include <cstdint>

#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

struct AxisSlice {
  int64_t start = 0, step = 1, count = 0;
};

// Clamped start and element count of one axis of length dim.
AxisSlice slice_axis(int64_t dim, int64_t start, int64_t end, int64_t step) {
  check(step != 0, ErrorCode::kInvalidArgument, "Slice: step must not be 0");
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  int64_t diff;
  uint64_t ustep;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    diff = end - start;
    ustep = static_cast<uint64_t>(step);
  } else {
    start = std::clamp<int64_t>(start, 0, std::max<int64_t>(dim - 1, 0));
    end = std::clamp<int64_t>(end, -1, dim - 1);
    diff = start - end;
    ustep = uint64_t{0} - static_cast<uint64_t>(step);  // |INT64_MIN| fits a uint64
  }
  AxisSlice s;
  s.start = start;
  s.step = step;
  s.count = diff <= 0 || dim == 0 ? 0 : static_cast<int64_t>((static_cast<uint64_t>(diff) + ustep - 1) / ustep);
  return s;
}

// True when a slice covers any axis entirely ([0:INT_MAX] or [-1:INT_MIN:-1], as exporters write
// "everything"), so a symbolic dim passes through unchanged.
bool whole_axis(int64_t start, int64_t end, int64_t step) {
  constexpr int64_t kBig = INT32_MAX;
  if (step == 1) return start == 0 && end >= kBig;
  if (step == -1) return (start == -1 || start >= kBig) && end <= -kBig;
  return false;
}

struct SliceArgs {
  std::vector<int64_t> starts, ends, axes, steps;
};

class Slice final : public OpKernel {
 public:
  Slice(SliceArgs attrs, bool from_inputs) : attrs_(std::move(attrs)), from_inputs_(from_inputs) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    SliceArgs a = attrs_;
    if (from_inputs_) {
      for (int i = 1; i <= 4; ++i)
        if (ctx.has_input(i))
          check_index_input(ctx, i, "Slice", i == 1 ? "starts" : i == 2 ? "ends" : i == 3 ? "axes" : "steps");
      const bool known = known_ints(ctx, 1, a.starts) && known_ints(ctx, 2, a.ends) &&
                         (!ctx.has_input(3) || known_ints(ctx, 3, a.axes)) &&
                         (!ctx.has_input(4) || known_ints(ctx, 4, a.steps));
      if (!known) {
        ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, x.rank())));
        return;
      }
    }
    const std::vector<int64_t> axes = resolve_axes(a, x.rank());
    Shape out = x.shape;
    for (size_t i = 0; i < axes.size(); ++i) {
      const Dim& d = x.shape[axes[i]];
      if (d.known()) {
        out[axes[i]] = Dim(slice_axis(d.value, a.starts[i], a.ends[i], step(a, i)).count);
      } else if (!whole_axis(a.starts[i], a.ends[i], step(a, i))) {
        out[axes[i]] = ctx.fresh_dim();
      }  // a whole-axis slice keeps the symbolic dim
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    SliceArgs a = attrs_;
    if (from_inputs_) {
      a.starts = input_ints(ctx, 1);
      a.ends = input_ints(ctx, 2);
      a.axes = input_ints(ctx, 3);
      a.steps = input_ints(ctx, 4);
    }
    const std::vector<int64_t> axes = resolve_axes(a, x.rank());
    const std::vector<int64_t> in_strides = kernels::contiguous_strides(x.shape());
    kernels::StridedCopyParams p{x.shape(), in_strides};
    int64_t offset = 0;
    for (size_t i = 0; i < axes.size(); ++i) {
      const int64_t ax = axes[i];
      const AxisSlice s = slice_axis(x.shape()[ax], a.starts[i], a.ends[i], step(a, i));
      p.shape[ax] = s.count;
      if (s.count > 0) offset += s.start * in_strides[ax];
      if (s.count > 1) p.src_strides[ax] = s.step * in_strides[ax];  // |step| < dim here: no overflow
    }
    Tensor& y = ctx.output(0, p.shape);
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), "Slice", [&](auto tag) {
      using T = decltype(tag);
      kernels::strided_copy(x.data_as<T>() + offset, y.data_as<T>(), p, ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override {
    return from_inputs_ ? std::vector<int>{1, 2, 3, 4} : std::vector<int>{};
  }

 private:
  static int64_t step(const SliceArgs& a, size_t i) { return a.steps.empty() ? 1 : a.steps[i]; }

  // Normalized axes (default 0..n-1), with the argument lists checked for equal length.
  static std::vector<int64_t> resolve_axes(const SliceArgs& a, int64_t rank) {
    const size_t n = a.starts.size();
    check(a.ends.size() == n, ErrorCode::kInvalidArgument, "Slice: ", n, " starts but ", a.ends.size(), " ends");
    check(a.axes.empty() || a.axes.size() == n, ErrorCode::kInvalidArgument, "Slice: ", n, " starts but ",
          a.axes.size(), " axes");
    check(a.steps.empty() || a.steps.size() == n, ErrorCode::kInvalidArgument, "Slice: ", n, " starts but ",
          a.steps.size(), " steps");
    if (a.axes.empty()) {
      check(static_cast<int64_t>(n) <= rank, ErrorCode::kInvalidArgument, "Slice: ", n, " starts for an input of rank ",
            rank);
      std::vector<int64_t> axes(n);
      for (size_t i = 0; i < n; ++i) axes[i] = static_cast<int64_t>(i);
      return axes;
    }
    return normalize_axes(a.axes, rank, "Slice");
  }

  SliceArgs attrs_;
  bool from_inputs_;
};

}  // namespace

std::unique_ptr<OpKernel> build_slice(const BuildContext& b) {
  if (b.opset >= 10) return std::make_unique<Slice>(SliceArgs{}, true);
  check(b.node.has("starts") && b.node.has("ends"), ErrorCode::kInvalidModel,
        "Slice: attributes 'starts' and 'ends' are required");
  return std::make_unique<Slice>(
      SliceArgs{b.node.get_ints("starts"), b.node.get_ints("ends"), b.node.get_ints("axes"), {}}, false);
}

}  // namespace ortl::opset
