// Gather, GatherElements and GatherND. Indices (int32 or int64) are read into int64, checked
// against the axis they index and made non-negative before any kernel runs: an index outside
// [-dim, dim) is a kInvalidArgument error naming the index, never an out-of-bounds read.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

// Reads and validates the indices tensor against an axis of length dim.
std::vector<int64_t> checked_indices(const Tensor& t, int64_t dim, const char* op, int64_t axis) {
  check(is_index_dtype(t.dtype()), ErrorCode::kInvalidArgument, op, ": indices must be int32 or int64, got ",
        dtype_name(t.dtype()));
  std::vector<int64_t> idx = ints_of(t);
  const int64_t bad = kernels::normalize_indices(idx.data(), static_cast<int64_t>(idx.size()), dim);
  if (bad >= 0) {
    fail(ErrorCode::kInvalidArgument, op, ": index ", ints_of(t)[bad], " (at flat position ", bad,
         ") is out of range for axis ", axis, " of size ", dim);
  }
  return idx;
}

class Gather final : public OpKernel {
 public:
  explicit Gather(int64_t axis) : axis_(axis) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& idx = ctx.input_type(1);
    check_index_input(ctx, 1, "Gather", "indices");
    if (!x.has_shape || !idx.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Gather: data must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x.rank());
    Shape out(x.shape.begin(), x.shape.begin() + axis);
    out.insert(out.end(), idx.shape.begin(), idx.shape.end());
    out.insert(out.end(), x.shape.begin() + axis + 1, x.shape.end());
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& it = *ctx.input(1);
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "Gather: data must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x.rank());
    const int64_t dim = x.shape()[axis];
    const std::vector<int64_t> idx = checked_indices(it, dim, "Gather", axis);
    std::vector<int64_t> out(x.shape().begin(), x.shape().begin() + axis);
    out.insert(out.end(), it.shape().begin(), it.shape().end());
    out.insert(out.end(), x.shape().begin() + axis + 1, x.shape().end());
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < x.rank(); ++d) {
      if (d < axis) outer *= x.shape()[d];
      if (d > axis) inner *= x.shape()[d];
    }
    dispatch_move(x.dtype(), "Gather", [&](auto tag) {
      using T = decltype(tag);
      kernels::gather(x.data_as<T>(), idx.data(), static_cast<int64_t>(idx.size()), outer, dim, inner, y.data_as<T>(),
                      ctx.par());
    });
  }

 private:
  int64_t axis_;
};

class GatherElements final : public OpKernel {
 public:
  explicit GatherElements(int64_t axis) : axis_(axis) {}

  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, "GatherElements", "indices");
    const TypeInfo& idx = ctx.input_type(1);
    ctx.set_output(0, TypeInfo{ctx.input_dtype(0), idx.has_shape, idx.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& it = *ctx.input(1);
    check(x.rank() >= 1 && it.rank() == x.rank(), ErrorCode::kInvalidArgument, "GatherElements: data ",
          shape_str(x.shape()), " and indices ", shape_str(it.shape()), " must have the same rank >= 1");
    const int axis = static_cast<int>(normalize_axis(axis_, x.rank()));
    for (int d = 0; d < x.rank(); ++d)
      check(d == axis || it.shape()[d] <= x.shape()[d], ErrorCode::kInvalidArgument, "GatherElements: indices ",
            shape_str(it.shape()), " exceed data ", shape_str(x.shape()), " off axis ", axis);
    const std::vector<int64_t> idx = checked_indices(it, x.shape()[axis], "GatherElements", axis);
    Tensor& y = ctx.output(0, it.shape());
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), "GatherElements", [&](auto tag) {
      using T = decltype(tag);
      kernels::gather_elements(x.data_as<T>(), x.shape(), idx.data(), it.shape(), axis, y.data_as<T>(), ctx.par());
    });
  }

 private:
  int64_t axis_;
};

}  // namespace

// Row offsets of GatherND / ScatterND index tuples: data [b..., k dims, slice...], indices
// [b..., tuples..., k]. Returns the offsets (one per tuple) and sets slice_len.
std::vector<int64_t> nd_offsets(const Tensor& data, const Tensor& indices, int64_t batch_dims, const char* op,
                                int64_t& slice_len) {
  const int64_t r = data.rank(), q = indices.rank();
  check(is_index_dtype(indices.dtype()), ErrorCode::kInvalidArgument, op, ": indices must be int32 or int64");
  check(q >= 1 && r >= 1 && batch_dims >= 0 && batch_dims < std::min(r, q), ErrorCode::kInvalidArgument, op,
        ": batch_dims ", batch_dims, " is invalid for data rank ", r, " and indices rank ", q);
  const int64_t k = indices.shape().back();
  check(k >= 1 && k <= r - batch_dims, ErrorCode::kInvalidArgument, op, ": index tuples of length ", k,
        " do not fit data ", shape_str(data.shape()), " with batch_dims ", batch_dims);
  int64_t batches = 1;
  for (int64_t d = 0; d < batch_dims; ++d) {
    check(data.shape()[d] == indices.shape()[d], ErrorCode::kInvalidArgument, op, ": batch dim ", d, " differs: data ",
          shape_str(data.shape()), ", indices ", shape_str(indices.shape()));
    batches *= data.shape()[d];
  }
  const std::vector<int64_t> strides = kernels::contiguous_strides(data.shape());
  slice_len = batch_dims + k < r ? strides[batch_dims + k - 1] : 1;
  const int64_t batch_stride = batch_dims > 0 ? strides[batch_dims - 1] : 0;
  const std::vector<int64_t> idx = ints_of(indices);
  const int64_t n = static_cast<int64_t>(idx.size()) / k;
  const int64_t per_batch = batches > 0 ? n / batches : 0;
  std::vector<int64_t> offsets(static_cast<size_t>(n));
  for (int64_t t = 0; t < n; ++t) {
    int64_t off = per_batch > 0 ? (t / per_batch) * batch_stride : 0;
    for (int64_t j = 0; j < k; ++j) {
      const int64_t dim = data.shape()[batch_dims + j];
      int64_t v = idx[t * k + j];
      check(v >= -dim && v < dim, ErrorCode::kInvalidArgument, op, ": index ", v, " is out of range for axis ",
            batch_dims + j, " of size ", dim);
      if (v < 0) v += dim;
      off += v * strides[batch_dims + j];
    }
    offsets[t] = off;
  }
  return offsets;
}

namespace {

class GatherND final : public OpKernel {
 public:
  explicit GatherND(int64_t batch_dims) : batch_dims_(batch_dims) {}

  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, "GatherND", "indices");
    const TypeInfo& x = ctx.input_type(0);
    const TypeInfo& idx = ctx.input_type(1);
    if (!x.has_shape || !idx.has_shape || idx.rank() < 1 || !idx.shape.back().known()) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    const int64_t k = idx.shape.back().value;
    check(k >= 1 && batch_dims_ + k <= x.rank(), ErrorCode::kInvalidArgument, "GatherND: index tuples of length ", k,
          " do not fit data ", graph::shape_str(x.shape), " with batch_dims ", batch_dims_);
    Shape out(idx.shape.begin(), idx.shape.end() - 1);
    out.insert(out.end(), x.shape.begin() + batch_dims_ + k, x.shape.end());
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& it = *ctx.input(1);
    int64_t len = 0;
    const std::vector<int64_t> offsets = nd_offsets(x, it, batch_dims_, "GatherND", len);
    std::vector<int64_t> out(it.shape().begin(), it.shape().end() - 1);
    out.insert(out.end(), x.shape().begin() + batch_dims_ + it.shape().back(), x.shape().end());
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), "GatherND", [&](auto tag) {
      using T = decltype(tag);
      kernels::gather_rows(x.data_as<T>(), offsets.data(), static_cast<int64_t>(offsets.size()), len, y.data_as<T>(),
                           ctx.par());
    });
  }

 private:
  int64_t batch_dims_;
};

}  // namespace

std::unique_ptr<OpKernel> build_gather(const BuildContext& b) {
  return std::make_unique<Gather>(b.node.get_int("axis", 0));
}
std::unique_ptr<OpKernel> build_gather_elements(const BuildContext& b) {
  return std::make_unique<GatherElements>(b.node.get_int("axis", 0));
}
std::unique_ptr<OpKernel> build_gather_nd(const BuildContext& b) {
  const int64_t batch_dims = b.opset >= 12 ? b.node.get_int("batch_dims", 0) : 0;
  check(batch_dims >= 0, ErrorCode::kInvalidModel, "GatherND: batch_dims must be >= 0");
  return std::make_unique<GatherND>(batch_dims);
}

}  // namespace ortl::opset
