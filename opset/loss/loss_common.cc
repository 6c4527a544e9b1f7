#include "opset/loss/loss_common.h"

#include <algorithm>

#include "kernels/loss/loss.h"
#include "opset/util.h"

namespace ortl::opset::loss {
namespace {

bool is_float(DType dt) {
  return dt == DType::kFloat || dt == DType::kDouble || dt == DType::kFloat16 || dt == DType::kBFloat16;
}
bool is_label(DType dt) { return dt == DType::kInt32 || dt == DType::kInt64; }

// Concrete-or-symbolic dims must agree when both are known (or share a symbol).
bool dims_conflict(const graph::Dim& a, const graph::Dim& b) { return a.known() && b.known() && a.value != b.value; }

}  // namespace

LossAttrs parse_loss_attrs(const graph::Node& node, const char* op) {
  LossAttrs a;
  const std::string r = node.get_string("reduction", "mean");
  if (r == "none") {
    a.reduction = Reduction::kNone;
  } else if (r == "sum") {
    a.reduction = Reduction::kSum;
  } else if (r == "mean") {
    a.reduction = Reduction::kMean;
  } else {
    fail(ErrorCode::kInvalidArgument, op, ": reduction '", r, "' is not one of none, sum, mean");
  }
  a.has_ignore = node.has("ignore_index");
  a.ignore_index = node.get_int("ignore_index", 0);
  return a;
}

void infer_loss(InferContext& ctx, const LossAttrs& a, const char* op) {
  if (ctx.num_inputs() < 2 || !ctx.has_input(0) || !ctx.has_input(1)) {
    fail(ErrorCode::kInvalidArgument, op, ": expects inputs scores and labels (and an optional weight)");
  }
  const DType dt = ctx.input_dtype(0);
  check(dt == DType::kUndefined || is_float(dt), ErrorCode::kInvalidArgument, op, ": input dtype ", dtype_name(dt),
        " is not float, double, float16 or bfloat16");
  const DType lt = ctx.input_dtype(1);
  check(lt == DType::kUndefined || is_label(lt), ErrorCode::kInvalidArgument, op, ": labels dtype ", dtype_name(lt),
        " is not int32 or int64");
  const int r = ctx.input_rank(0), lr = ctx.input_rank(1);
  check(r < 0 || r >= 2, ErrorCode::kInvalidArgument, op, ": input must be (N, C, d1..dk), got rank ", r);
  if (r >= 2 && lr >= 0) {
    check(lr == r - 1, ErrorCode::kInvalidArgument, op, ": labels must have rank ", r - 1, ", got ", lr);
    const Shape& xs = ctx.input_type(0).shape;
    const Shape& ls = ctx.input_type(1).shape;
    for (int i = 0; i < lr; ++i) {
      const graph::Dim& xd = xs[i == 0 ? 0 : i + 1];
      if (dims_conflict(xd, ls[i])) {
        fail(ErrorCode::kInvalidArgument, op, ": labels shape ", graph::shape_str(ls), " does not fit input shape ",
             graph::shape_str(xs));
      }
    }
  }
  if (ctx.num_inputs() > 2 && ctx.has_input(2)) {
    const DType wt = ctx.input_dtype(2);
    check(wt == DType::kUndefined || dt == DType::kUndefined || wt == dt, ErrorCode::kInvalidArgument, op,
          ": weight dtype ", dtype_name(wt), " differs from input dtype ", dtype_name(dt));
    const int wr = ctx.input_rank(2);
    check(wr < 0 || wr == 1, ErrorCode::kInvalidArgument, op, ": weight must be 1-D, got rank ", wr);
    if (wr == 1 && r >= 2 && dims_conflict(ctx.input_type(2).shape[0], ctx.input_type(0).shape[1])) {
      fail(ErrorCode::kInvalidArgument, op, ": weight has ", ctx.input_type(2).shape[0].value, " entries for ",
           ctx.input_type(0).shape[1].value, " classes");
    }
  }
  if (a.reduction != Reduction::kNone) {
    ctx.set_output(0, TypeInfo::of(dt, {}));
  } else if (lr >= 0) {
    ctx.set_output(0, TypeInfo::of(dt, ctx.input_type(1).shape));
  } else if (r >= 2) {
    Shape s = ctx.input_type(0).shape;
    s.erase(s.begin() + 1);
    ctx.set_output(0, TypeInfo::of(dt, s));
  } else {
    ctx.set_output(0, TypeInfo{dt, false, {}});
  }
}

void check_loss_inputs(const Tensor& x, const Tensor& labels, const Tensor* weight, const char* op) {
  check(x.rank() >= 2, ErrorCode::kInvalidArgument, op, ": input must be (N, C, d1..dk), got shape ",
        shape_str(x.shape()));
  check(is_label(labels.dtype()), ErrorCode::kInvalidArgument, op, ": labels dtype ", dtype_name(labels.dtype()),
        " is not int32 or int64");
  std::vector<int64_t> want = x.shape();
  want.erase(want.begin() + 1);
  check(labels.shape() == want, ErrorCode::kInvalidArgument, op, ": labels shape ", shape_str(labels.shape()),
        " does not fit input shape ", shape_str(x.shape()), " (expected ", shape_str(want), ")");
  if (weight) {
    check(weight->dtype() == x.dtype(), ErrorCode::kInvalidArgument, op, ": weight dtype ", dtype_name(weight->dtype()),
          " differs from input dtype ", dtype_name(x.dtype()));
    check(weight->rank() == 1 && weight->dim(0) == x.dim(1), ErrorCode::kInvalidArgument, op, ": weight shape ",
          shape_str(weight->shape()), " does not match C = ", x.dim(1));
  }
}

void run_nll(const LossAttrs& a, const Tensor& logp, const Tensor& labels, const Tensor* weight, Tensor& dst,
             const char* op) {
  kernels::NllParams p;
  p.n = logp.dim(0);
  p.c = logp.dim(1);
  p.d = logp.numel() / std::max<int64_t>(1, p.n * p.c);
  if (p.n * p.c == 0) p.d = labels.numel() / std::max<int64_t>(1, p.n);  // zero-size N or C
  p.has_ignore = a.has_ignore;
  p.ignore_index = a.ignore_index;
  auto go = [&](auto t, auto l) {
    using T = decltype(t);
    using I = decltype(l);
    T* out = a.reduction == Reduction::kNone ? dst.data_as<T>() : nullptr;
    const kernels::NllResult r = kernels::nll_loss<T, I>(p, logp.data_as<T>(), labels.data_as<I>(),
                                                         weight ? weight->data_as<T>() : nullptr, out);
    if (r.bad >= 0) {
      fail(ErrorCode::kInvalidArgument, op, ": label ", static_cast<int64_t>(labels.data_as<I>()[r.bad]),
           " at position ", r.bad, " is outside [0, ", p.c, ") and is not ignore_index");
    }
    if (a.reduction == Reduction::kSum) *dst.data_as<T>() = static_cast<T>(r.loss_sum);
    if (a.reduction == Reduction::kMean) *dst.data_as<T>() = static_cast<T>(r.loss_sum / r.weight_sum);
  };
  auto with_label = [&](auto t) {
    if (labels.dtype() == DType::kInt32) {
      go(t, int32_t{});
    } else {
      go(t, int64_t{});
    }
  };
  if (logp.dtype() == DType::kDouble) {
    with_label(double{});
  } else if (logp.dtype() == DType::kFloat) {
    with_label(float{});
  } else {
    fail(ErrorCode::kNotImplemented, op, ": dtype ", dtype_name(logp.dtype()), " is not supported");
  }
}

}  // namespace ortl::opset::loss
