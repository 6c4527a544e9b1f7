// Concat and Split along one axis: tensors viewed as [outer, axis * inner] rows.
//
// Concat accepts zero-size inputs; a 1-D empty input next to higher-rank inputs is skipped
// (exporters emit those for "nothing to append", and ONNX Runtime accepts them too).
// Split sizes come from the split attribute (< 13), the split input (>= 13), or equal parts
// (num_outputs >= 18: ceil-sized chunks, the last one smaller).
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

bool skippable(const Shape& s, int rank) { return rank != 1 && s.size() == 1 && s[0].known() && s[0].value == 0; }

class Concat final : public OpKernel {
 public:
  explicit Concat(int64_t axis) : axis_(axis) {}

  void infer(InferContext& ctx) const override {
    const int n = ctx.num_inputs();
    check(n >= 1, ErrorCode::kInvalidArgument, "Concat: needs at least one input");
    const DType dt = ctx.input_dtype(0);
    int rank = -1;
    for (int i = 0; i < n; ++i)
      if (ctx.input_type(i).has_shape && (rank < 0 || rank == 1)) rank = std::max(rank, ctx.input_rank(i));
    if (rank < 0) {
      ctx.set_output(0, TypeInfo{dt, false, {}});
      return;
    }
    check(rank >= 1, ErrorCode::kInvalidArgument, "Concat: inputs must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, rank);
    Shape out;
    bool sum_known = true;
    int64_t sum = 0;
    for (int i = 0; i < n; ++i) {
      const TypeInfo& t = ctx.input_type(i);
      check(t.dtype == dt || t.dtype == DType::kUndefined, ErrorCode::kInvalidArgument, "Concat: input ", i, " is ",
            dtype_name(t.dtype), ", input 0 is ", dtype_name(dt));
      if (!t.has_shape) {
        sum_known = false;
        continue;
      }
      if (skippable(t.shape, rank)) continue;
      check(t.rank() == rank, ErrorCode::kInvalidArgument, "Concat: input ", i, " has rank ", t.rank(), ", expected ",
            rank);
      if (out.empty()) out = t.shape;
      for (int d = 0; d < rank; ++d) {
        if (d == axis) continue;
        if (t.shape[d].known() && out[d].known()) {
          check(t.shape[d].value == out[d].value, ErrorCode::kInvalidArgument, "Concat: input ", i, " has shape ",
                graph::shape_str(t.shape), ", incompatible with ", graph::shape_str(out), " off axis ", axis);
        } else if (!out[d].known() && t.shape[d].known()) {
          out[d] = t.shape[d];
        }
      }
      if (t.shape[axis].known()) {
        sum += t.shape[axis].value;
      } else {
        sum_known = false;
      }
    }
    if (out.empty()) out = fresh_dims(ctx, rank);
    out[axis] = sum_known ? Dim(sum) : (n == 1 ? out[axis] : ctx.fresh_dim());
    ctx.set_output(0, TypeInfo::of(dt, out));
  }

  void run(RunContext& ctx) const override {
    const int n = ctx.num_inputs();
    int rank = -1;
    for (int i = 0; i < n; ++i)
      if (rank < 0 || rank == 1) rank = std::max(rank, ctx.input(i)->rank());
    check(rank >= 1, ErrorCode::kInvalidArgument, "Concat: inputs must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, rank);
    std::vector<const Tensor*> ins;
    std::vector<int64_t> out_shape;
    for (int i = 0; i < n; ++i) {
      const Tensor* t = ctx.input(i);
      if (skippable(shape_of(*t), rank)) continue;
      check(t->rank() == rank, ErrorCode::kInvalidArgument, "Concat: input ", i, " has rank ", t->rank(), ", expected ",
            rank);
      if (ins.empty()) {
        out_shape = t->shape();
        out_shape[axis] = 0;
      }
      for (int d = 0; d < rank; ++d)
        check(d == axis || t->shape()[d] == out_shape[d], ErrorCode::kInvalidArgument, "Concat: input ", i,
              " has shape ", shape_str(t->shape()), ", incompatible with input 0 off axis ", axis);
      out_shape[axis] += t->shape()[axis];
      ins.push_back(t);
    }
    Tensor& y = ctx.output(0, out_shape);
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= out_shape[d];
    std::vector<int64_t> inners;
    for (const Tensor* t : ins) inners.push_back(outer == 0 ? 0 : t->numel() / outer);
    dispatch_move(y.dtype(), "Concat", [&](auto tag) {
      using T = decltype(tag);
      std::vector<const T*> srcs;
      for (const Tensor* t : ins) srcs.push_back(t->data_as<T>());
      kernels::concat(srcs.data(), inners.data(), static_cast<int>(ins.size()), outer, y.data_as<T>(), ctx.par());
    });
  }

 private:
  int64_t axis_;
};

class Split final : public OpKernel {
 public:
  Split(int64_t axis, std::vector<int64_t> split, bool from_input, int64_t num_outputs)
      : axis_(axis), split_(std::move(split)), from_input_(from_input), num_outputs_(num_outputs) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    const int n = ctx.num_outputs();
    if (!x.has_shape) {
      for (int i = 0; i < n; ++i) ctx.set_output(i, TypeInfo{x.dtype, false, {}});
      return;
    }
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Split: the input must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x.rank());
    std::vector<int64_t> split = split_;
    bool known = !from_input_ || !ctx.has_input(1) || known_ints(ctx, 1, split);
    std::vector<int64_t> sizes;
    if (known && (x.shape[axis].known() || !split.empty())) {
      sizes = sizes_for(x.shape[axis].known() ? x.shape[axis].value : -1, n, split);
    }
    for (int i = 0; i < n; ++i) {
      Shape s = x.shape;
      s[axis] = sizes.empty() ? (n == 1 ? x.shape[axis] : ctx.fresh_dim()) : Dim(sizes[i]);
      ctx.set_output(i, TypeInfo::of(x.dtype, s));
    }
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const int n = ctx.num_outputs();
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Split: the input must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x.rank());
    const std::vector<int64_t> split = from_input_ ? input_ints(ctx, 1, split_) : split_;
    const std::vector<int64_t> sizes = sizes_for(x.shape()[axis], n, split);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < x.rank(); ++d) {
      if (d < axis) outer *= x.shape()[d];
      if (d > axis) inner *= x.shape()[d];
    }
    std::vector<Tensor*> outs(n, nullptr);
    std::vector<int64_t> inners(n);
    for (int i = 0; i < n; ++i) {
      std::vector<int64_t> s = x.shape();
      s[axis] = sizes[i];
      inners[i] = sizes[i] * inner;
      if (ctx.has_output(i)) outs[i] = &ctx.output(i, s);
    }
    dispatch_move(x.dtype(), "Split", [&](auto tag) {
      using T = decltype(tag);
      std::vector<T*> dsts(n, nullptr);
      for (int i = 0; i < n; ++i)
        if (outs[i]) dsts[i] = outs[i]->data_as<T>();
      kernels::split(x.data_as<T>(), outer, inners.data(), n, dsts.data(), ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override { return from_input_ ? std::vector<int>{1} : std::vector<int>{}; }

 private:
  // Sizes of the n parts of an axis of length dim (-1: unknown, only with an explicit split).
  std::vector<int64_t> sizes_for(int64_t dim, int n, const std::vector<int64_t>& split) const {
    if (!split.empty()) {
      check(static_cast<int>(split.size()) == n, ErrorCode::kInvalidArgument, "Split: 'split' has ", split.size(),
            " entries for ", n, " outputs");
      int64_t sum = 0;
      for (int64_t s : split) {
        check(s >= 0, ErrorCode::kInvalidArgument, "Split: negative part size ", s);
        sum += s;
      }
      check(dim < 0 || sum == dim, ErrorCode::kInvalidArgument, "Split: parts ", shape_str(split), " sum to ", sum,
            ", the axis has ", dim);
      return split;
    }
    if (num_outputs_ > 0) {
      check(num_outputs_ == n, ErrorCode::kInvalidArgument, "Split: num_outputs is ", num_outputs_,
            " but the node has ", n, " outputs");
      const int64_t chunk = (dim + n - 1) / n;
      std::vector<int64_t> sizes(n);
      for (int i = 0; i < n; ++i) sizes[i] = std::max<int64_t>(0, std::min(chunk, dim - chunk * i));
      return sizes;
    }
    check(dim % n == 0, ErrorCode::kInvalidArgument, "Split: an axis of ", dim, " does not split into ", n,
          " equal parts");
    return std::vector<int64_t>(n, dim / n);
  }

  int64_t axis_;
  std::vector<int64_t> split_;
  bool from_input_;
  int64_t num_outputs_;
};

}  // namespace

std::unique_ptr<OpKernel> build_concat(const BuildContext& b) {
  if (b.opset < 4) return std::make_unique<Concat>(b.node.get_int("axis", 1));
  check(b.node.has("axis"), ErrorCode::kInvalidModel, "Concat: attribute 'axis' is required");
  return std::make_unique<Concat>(b.node.get_int("axis", 0));
}

std::unique_ptr<OpKernel> build_split(const BuildContext& b) {
  const int64_t axis = b.node.get_int("axis", 0);
  if (b.opset >= 13) {
    int64_t num_outputs = 0;
    if (b.opset >= 18 && b.node.has("num_outputs")) {
      num_outputs = b.node.get_int("num_outputs", 0);
      check(num_outputs >= 1, ErrorCode::kInvalidModel, "Split: num_outputs must be positive");
    }
    return std::make_unique<Split>(axis, std::vector<int64_t>{}, true, num_outputs);
  }
  return std::make_unique<Split>(axis, b.node.get_ints("split"), b.opset == 1, 0);
}

}  // namespace ortl::opset
