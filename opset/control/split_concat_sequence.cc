// SplitToSequence (tensor -> sequence of chunks along an axis) and ConcatFromSequence
// (sequence -> one tensor, concatenated along an axis or stacked along a new one).
#include <cstring>

#include "opset/control/control.h"
#include "opset/control/control_util.h"
#include "opset/control/sequence_util.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

// Copies rows [begin, begin+len) of `src` along `axis` into a fresh tensor.
Tensor chunk(const Tensor& src, int64_t axis, int64_t begin, int64_t len) {
  std::vector<int64_t> shape = src.shape();
  const int64_t full = shape[axis];
  shape[axis] = len;
  Tensor out(src.dtype(), shape);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= src.shape()[d];
  for (int64_t d = axis + 1; d < src.rank(); ++d) inner *= src.shape()[d];
  const int64_t n = len * inner;
  for (int64_t o = 0; o < outer; ++o) {
    const int64_t s = (o * full + begin) * inner, d = o * n;
    if (src.dtype() == DType::kString)
      std::copy_n(src.data_as<std::string>() + s, n, out.data_as<std::string>() + d);
    else if (n)
      std::memcpy(static_cast<char*>(out.data()) + d * dtype_size(src.dtype()),
                  static_cast<const char*>(src.data()) + s * dtype_size(src.dtype()), n * dtype_size(src.dtype()));
  }
  return out;
}

class SplitToSequence final : public OpKernel {
 public:
  SplitToSequence(int64_t axis, bool keepdims) : axis_(axis), keepdims_(keepdims) {}
  void infer(InferContext& ctx) const override { ctx.set_output(0, control::sequence_type(ctx.input_dtype(0))); }
  void run(RunContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    check(x != nullptr, ErrorCode::kInvalidArgument, "SplitToSequence: the input is missing");
    check(x->rank() >= 1, ErrorCode::kInvalidArgument, "SplitToSequence: the input must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x->rank());
    const int64_t dim = x->dim(static_cast<int>(axis));
    std::vector<int64_t> sizes;
    const Tensor* split = ctx.input(1);
    if (!split) {
      sizes.assign(dim, 1);
    } else {
      const std::vector<int64_t> s = read_ints(*split);
      check(split->rank() <= 1, ErrorCode::kInvalidArgument, "SplitToSequence: split must be a scalar or 1-D");
      if (split->rank() == 0) {
        check(s[0] > 0, ErrorCode::kInvalidArgument, "SplitToSequence: split must be positive, got ", s[0]);
        for (int64_t b = 0; b < dim; b += s[0]) sizes.push_back(std::min(s[0], dim - b));
      } else {
        int64_t sum = 0;
        for (int64_t v : s) {
          check(v >= 0, ErrorCode::kInvalidArgument, "SplitToSequence: negative split size ", v);
          sum += v;
        }
        check(sum == dim, ErrorCode::kInvalidArgument, "SplitToSequence: split sizes sum to ", sum, ", the axis has ",
              dim);
        sizes = s;
      }
    }
    std::vector<Tensor> items;
    int64_t begin = 0;
    for (int64_t len : sizes) {
      Tensor c = chunk(*x, axis, begin, len);
      begin += len;
      if (!split && !keepdims_) {
        std::vector<int64_t> sh = c.shape();
        sh.erase(sh.begin() + axis);
        c = c.reshaped(sh);
      }
      items.push_back(std::move(c));
    }
    ctx.set_output_composite(0, control::make_sequence(x->dtype(), std::move(items)));
  }
  bool deterministic() const override { return false; }

 private:
  int64_t axis_;
  bool keepdims_;
};

class ConcatFromSequence final : public OpKernel {
 public:
  ConcatFromSequence(int64_t axis, bool new_axis) : axis_(axis), new_axis_(new_axis) {}
  void infer(InferContext& ctx) const override {
    TypeInfo t;
    t.dtype = ctx.input_dtype(0);
    ctx.set_output(0, t);
  }
  void run(RunContext& ctx) const override {
    const Composite& s = control::sequence_input(ctx, 0, "ConcatFromSequence");
    check(!s.items.empty(), ErrorCode::kInvalidArgument, "ConcatFromSequence: the sequence is empty");
    const Tensor& t0 = s.items[0];
    if (new_axis_) {
      const int64_t axis = normalize_axis(axis_, t0.rank() + 1);
      Tensor out = control::stack(s.items, axis, "ConcatFromSequence");
      ctx.alias_output(0, out, out.shape());
      return;
    }
    check(t0.rank() >= 1, ErrorCode::kInvalidArgument, "ConcatFromSequence: scalars need new_axis=1");
    const int64_t axis = normalize_axis(axis_, t0.rank());
    std::vector<int64_t> shape = t0.shape();
    shape[axis] = 0;
    for (const Tensor& t : s.items) {
      bool ok = t.dtype() == t0.dtype() && t.rank() == t0.rank();
      for (int d = 0; ok && d < t.rank(); ++d) ok = d == axis || t.shape()[d] == t0.shape()[d];
      if (!ok)
        fail(ErrorCode::kInvalidArgument, "ConcatFromSequence: ", dtype_name(t.dtype()), shape_str(t.shape()),
             " does not concatenate with ", dtype_name(t0.dtype()), shape_str(t0.shape()), " on axis ", axis);
      shape[axis] += t.shape()[axis];
    }
    Tensor& out = ctx.output(0, shape);
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= shape[d];
    for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d) inner *= shape[d];
    const size_t es = dtype_size(t0.dtype());
    int64_t at = 0;  // offset along the axis
    for (const Tensor& t : s.items) {
      const int64_t n = t.shape()[axis] * inner;
      for (int64_t o = 0; o < outer; ++o) {
        const int64_t dst = (o * shape[axis] + at) * inner, src = o * n;
        if (t.dtype() == DType::kString)
          std::copy_n(t.data_as<std::string>() + src, n, out.data_as<std::string>() + dst);
        else if (n)
          std::memcpy(static_cast<char*>(out.data()) + dst * es, static_cast<const char*>(t.data()) + src * es, n * es);
      }
      at += t.shape()[axis];
    }
  }
  bool deterministic() const override { return false; }

 private:
  int64_t axis_;
  bool new_axis_;
};

}  // namespace

std::unique_ptr<OpKernel> build_split_to_sequence(const BuildContext& b) {
  return std::make_unique<SplitToSequence>(b.node.get_int("axis", 0), b.node.get_int("keepdims", 1) != 0);
}

std::unique_ptr<OpKernel> build_concat_from_sequence(const BuildContext& b) {
  check(b.node.has("axis"), ErrorCode::kInvalidModel, "ConcatFromSequence: attribute 'axis' is required");
  const int64_t new_axis = b.node.get_int("new_axis", 0);
  check(new_axis == 0 || new_axis == 1, ErrorCode::kInvalidModel, "ConcatFromSequence: new_axis must be 0 or 1, got ",
        new_axis);
  return std::make_unique<ConcatFromSequence>(b.node.get_int("axis", 0), new_axis == 1);
}

}  // namespace ortl::opset
