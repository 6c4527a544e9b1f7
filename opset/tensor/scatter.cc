// ScatterElements (and its deprecated alias Scatter) and ScatterND, with the reductions
// none/add/mul (opset 16) and max/min (opset 18). The output starts as a copy of data (skipped
// when the planner let it overwrite data in place); indices are validated first.
#include <algorithm>
#include <cstring>

#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

using kernels::ScatterReduce;

ScatterReduce parse_reduction(const BuildContext& b) {
  const std::string r = b.node.get_string("reduction", "none");
  if (r == "none") return ScatterReduce::kNone;
  if (b.opset >= 16 && r == "add") return ScatterReduce::kAdd;
  if (b.opset >= 16 && r == "mul") return ScatterReduce::kMul;
  if (b.opset >= 18 && r == "max") return ScatterReduce::kMax;
  if (b.opset >= 18 && r == "min") return ScatterReduce::kMin;
  fail(ErrorCode::kInvalidModel, b.node.op_type, ": unsupported reduction '", r, "' at opset ", b.opset);
}

void copy_data(const Tensor& x, Tensor& y) {
  if (y.data() == x.data()) return;
  if (x.dtype() == DType::kString) {
    std::copy_n(x.data_as<std::string>(), x.numel(), y.data_as<std::string>());
  } else if (x.nbytes() > 0) {
    std::memcpy(y.data(), x.data(), x.nbytes());
  }
}

// fn(T{}) with T a move type for kNone, an arithmetic type otherwise.
template <class F>
void dispatch_scatter(DType dt, ScatterReduce r, const char* op, F&& fn) {
  if (r == ScatterReduce::kNone) {
    dispatch_move(dt, op, fn);
  } else {
    dispatch_numeric(dt, op, fn);
  }
}

void infer_scatter(InferContext& ctx, const char* op) {
  check_index_input(ctx, 1, op, "indices");
  const DType dt = ctx.input_dtype(0), ut = ctx.input_dtype(2);
  check(ut == DType::kUndefined || dt == DType::kUndefined || ut == dt, ErrorCode::kInvalidArgument, op,
        ": updates are ", dtype_name(ut), ", data is ", dtype_name(dt));
  ctx.set_output(0, ctx.input_type(0));
}

class ScatterElements final : public OpKernel {
 public:
  ScatterElements(int64_t axis, ScatterReduce r) : axis_(axis), reduce_(r) {}

  void infer(InferContext& ctx) const override { infer_scatter(ctx, "ScatterElements"); }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& it = *ctx.input(1);
    const Tensor& u = *ctx.input(2);
    check(x.rank() >= 1 && it.rank() == x.rank() && u.shape() == it.shape(), ErrorCode::kInvalidArgument,
          "ScatterElements: data ", shape_str(x.shape()), ", indices ", shape_str(it.shape()), " and updates ",
          shape_str(u.shape()), " do not match");
    check(is_index_dtype(it.dtype()), ErrorCode::kInvalidArgument, "ScatterElements: indices must be int32 or int64");
    const int axis = static_cast<int>(normalize_axis(axis_, x.rank()));
    for (int d = 0; d < x.rank(); ++d)
      check(d == axis || it.shape()[d] <= x.shape()[d], ErrorCode::kInvalidArgument, "ScatterElements: indices ",
            shape_str(it.shape()), " exceed data ", shape_str(x.shape()), " off axis ", axis);
    std::vector<int64_t> idx = ints_of(it);
    const int64_t dim = x.shape()[axis];
    const int64_t bad = kernels::normalize_indices(idx.data(), static_cast<int64_t>(idx.size()), dim);
    check(bad < 0, ErrorCode::kInvalidArgument, "ScatterElements: index ", bad < 0 ? 0 : ints_of(it)[bad],
          " is out of range for axis ", axis, " of size ", dim);
    Tensor& y = ctx.output(0, x.shape());
    copy_data(x, y);
    if (idx.empty()) return;
    dispatch_scatter(x.dtype(), reduce_, "ScatterElements", [&](auto tag) {
      using T = decltype(tag);
      kernels::scatter_elements(y.data_as<T>(), x.shape(), idx.data(), it.shape(), axis, u.data_as<T>(), reduce_);
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }

 private:
  int64_t axis_;
  ScatterReduce reduce_;
};

class ScatterND final : public OpKernel {
 public:
  explicit ScatterND(ScatterReduce r) : reduce_(r) {}

  void infer(InferContext& ctx) const override { infer_scatter(ctx, "ScatterND"); }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& it = *ctx.input(1);
    const Tensor& u = *ctx.input(2);
    int64_t len = 0;
    const std::vector<int64_t> offsets = nd_offsets(x, it, 0, "ScatterND", len);
    std::vector<int64_t> expect(it.shape().begin(), it.shape().end() - 1);
    expect.insert(expect.end(), x.shape().begin() + it.shape().back(), x.shape().end());
    check(u.shape() == expect, ErrorCode::kInvalidArgument, "ScatterND: updates have shape ", shape_str(u.shape()),
          ", expected ", shape_str(expect));
    Tensor& y = ctx.output(0, x.shape());
    copy_data(x, y);
    if (offsets.empty() || len == 0) return;
    dispatch_scatter(x.dtype(), reduce_, "ScatterND", [&](auto tag) {
      using T = decltype(tag);
      kernels::scatter_rows(y.data_as<T>(), offsets.data(), static_cast<int64_t>(offsets.size()), len, u.data_as<T>(),
                            reduce_);
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }

 private:
  ScatterReduce reduce_;
};

// TensorScatter (opset 24, KV-cache update): rows of `update` along `axis` are written into a
// copy of past_cache starting at write_indices[batch] (modulo the cache length in circular mode).
class TensorScatter final : public OpKernel {
 public:
  TensorScatter(int64_t axis, bool circular) : axis_(axis), circular_(circular) {}

  void infer(InferContext& ctx) const override {
    if (ctx.has_input(2))
      check(ctx.input_dtype(2) == DType::kInt64 || ctx.input_dtype(2) == DType::kUndefined, ErrorCode::kInvalidArgument,
            "TensorScatter: write_indices must be int64");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& u = *ctx.input(1);
    check(x.rank() >= 2 && u.rank() == x.rank(), ErrorCode::kInvalidArgument, "TensorScatter: past_cache ",
          shape_str(x.shape()), " and update ", shape_str(u.shape()), " must have one rank >= 2");
    const int64_t axis = normalize_axis(axis_, x.rank());
    check(axis != 0, ErrorCode::kInvalidArgument, "TensorScatter: axis must not be the batch axis");
    for (int64_t d = 0; d < x.rank(); ++d)
      check(d == axis ? u.shape()[d] <= x.shape()[d] : u.shape()[d] == x.shape()[d], ErrorCode::kInvalidArgument,
            "TensorScatter: update ", shape_str(u.shape()), " does not fit past_cache ", shape_str(x.shape()));
    const int64_t batch = x.shape()[0], max_len = x.shape()[axis], seq = u.shape()[axis];
    std::vector<int64_t> wi(static_cast<size_t>(batch), 0);
    if (ctx.input(2)) {
      wi = ints_of(*ctx.input(2));
      check(static_cast<int64_t>(wi.size()) == batch, ErrorCode::kInvalidArgument, "TensorScatter: ", wi.size(),
            " write_indices for a batch of ", batch);
    }
    for (int64_t w : wi)
      check(w >= 0 && (circular_ ? w < std::max<int64_t>(max_len, 1) : w <= max_len - seq), ErrorCode::kInvalidArgument,
            "TensorScatter: write index ", w, " with ", seq, " updates does not fit a cache of ", max_len);
    int64_t prefix = 1, inner = 1;
    for (int64_t d = 0; d < x.rank(); ++d) {
      if (d < axis) prefix *= x.shape()[d];
      if (d > axis) inner *= x.shape()[d];
    }
    const int64_t per_batch = batch > 0 ? prefix / batch : 0;
    std::vector<int64_t> offsets(static_cast<size_t>(prefix * seq));
    for (int64_t p = 0; p < prefix; ++p) {
      for (int64_t s = 0; s < seq; ++s) {
        int64_t idx = wi[p / per_batch] + s;
        if (circular_) idx %= max_len;
        offsets[p * seq + s] = (p * max_len + idx) * inner;
      }
    }
    Tensor& y = ctx.output(0, x.shape());
    copy_data(x, y);
    if (offsets.empty() || inner == 0) return;
    dispatch_move(x.dtype(), "TensorScatter", [&](auto tag) {
      using T = decltype(tag);
      kernels::scatter_rows(y.data_as<T>(), offsets.data(), static_cast<int64_t>(offsets.size()), inner, u.data_as<T>(),
                            ScatterReduce::kNone);
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }

 private:
  int64_t axis_;
  bool circular_;
};

}  // namespace

std::unique_ptr<OpKernel> build_scatter_elements(const BuildContext& b) {
  return std::make_unique<ScatterElements>(b.node.get_int("axis", 0), parse_reduction(b));
}
std::unique_ptr<OpKernel> build_scatter_nd(const BuildContext& b) {
  return std::make_unique<ScatterND>(parse_reduction(b));
}

std::unique_ptr<OpKernel> build_tensor_scatter(const BuildContext& b) {
  const std::string mode = b.node.get_string("mode", "linear");
  check(mode == "linear" || mode == "circular", ErrorCode::kInvalidModel, "TensorScatter: unsupported mode '", mode,
        "'");
  return std::make_unique<TensorScatter>(b.node.get_int("axis", -2), mode == "circular");
}

}  // namespace ortl::opset
