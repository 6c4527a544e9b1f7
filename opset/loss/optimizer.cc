#include "opset/loss/optimizer.h"

#include "opset/util.h"

namespace ortl::opset::loss {
namespace {

bool is_float(DType dt) { return dt == DType::kFloat || dt == DType::kDouble; }

double scalar_value(const Tensor& t) {
  return t.dtype() == DType::kDouble ? *t.data_as<double>() : static_cast<double>(*t.data_as<float>());
}

}  // namespace

int OptimizerOp::tensor_count(int num_inputs, int num_outputs) const {
  const int rest = num_inputs - 2;
  if (rest <= 0 || rest % groups_ != 0) {
    fail(ErrorCode::kInvalidArgument, name_, ": expects R, T and ", groups_, " groups of n tensors, got ", num_inputs,
         " inputs");
  }
  const int n = rest / groups_;
  const int want = n * static_cast<int>(out_groups_.size());
  check(num_outputs == want, ErrorCode::kInvalidArgument, name_, ": ", n, " tensors need ", want, " outputs, got ",
        num_outputs);
  return n;
}

void OptimizerOp::infer(InferContext& ctx) const {
  const int n = tensor_count(ctx.num_inputs(), ctx.num_outputs());
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    check(ctx.has_input(i), ErrorCode::kInvalidArgument, name_, ": input ", i, " is missing");
  }
  const DType rt = ctx.input_dtype(0), tt = ctx.input_dtype(1);
  check(rt == DType::kUndefined || is_float(rt), ErrorCode::kInvalidArgument, name_,
        ": R must be float or double, got ", dtype_name(rt));
  check(tt == DType::kUndefined || tt == DType::kInt64, ErrorCode::kInvalidArgument, name_, ": T must be int64, got ",
        dtype_name(tt));
  for (int i = 0; i < n; ++i) {
    const TypeInfo& x = ctx.input_type(2 + i);
    check(x.dtype == DType::kUndefined || is_float(x.dtype), ErrorCode::kInvalidArgument, name_, ": tensor ", i,
          " must be float or double, got ", dtype_name(x.dtype));
    for (int g = 1; g < groups_; ++g) {
      const TypeInfo& o = ctx.input_type(2 + g * n + i);
      check(o.dtype == DType::kUndefined || x.dtype == DType::kUndefined || o.dtype == x.dtype,
            ErrorCode::kInvalidArgument, name_, ": input ", 2 + g * n + i, " dtype ", dtype_name(o.dtype),
            " differs from X", i + 1, " (", dtype_name(x.dtype), ")");
    }
    for (size_t k = 0; k < out_groups_.size(); ++k) {
      ctx.set_output(static_cast<int>(k) * n + i, ctx.input_type(2 + out_groups_[k] * n + i));
    }
  }
}

void OptimizerOp::run(RunContext& ctx) const {
  const int n = tensor_count(ctx.num_inputs(), ctx.num_outputs());
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    check(ctx.input(i) != nullptr, ErrorCode::kInvalidArgument, name_, ": input ", i, " is missing");
  }
  const Tensor& r = *ctx.input(0);
  const Tensor& t = *ctx.input(1);
  check(is_float(r.dtype()) && r.numel() == 1, ErrorCode::kInvalidArgument, name_,
        ": R must be one float or double, got ", dtype_name(r.dtype()), " ", shape_str(r.shape()));
  check(t.dtype() == DType::kInt64 && t.numel() == 1, ErrorCode::kInvalidArgument, name_, ": T must be one int64, got ",
        dtype_name(t.dtype()), " ", shape_str(t.shape()));
  const double rv = scalar_value(r);
  const int64_t tv = *t.data_as<int64_t>();
  std::vector<const Tensor*> in(static_cast<size_t>(groups_));
  std::vector<Tensor*> out(out_groups_.size());
  std::vector<Tensor> scratch(out_groups_.size());  // for outputs the graph leaves out
  for (int i = 0; i < n; ++i) {
    for (int g = 0; g < groups_; ++g) {
      in[g] = ctx.input(2 + g * n + i);
      check(is_float(in[g]->dtype()) && in[g]->dtype() == in[0]->dtype() && in[g]->shape() == in[0]->shape(),
            ErrorCode::kInvalidArgument, name_, ": input ", 2 + g * n + i, " (", dtype_name(in[g]->dtype()), " ",
            shape_str(in[g]->shape()), ") does not match X", i + 1, " (", dtype_name(in[0]->dtype()), " ",
            shape_str(in[0]->shape()), "); float or double expected");
    }
    for (size_t k = 0; k < out_groups_.size(); ++k) {
      const int o = static_cast<int>(k) * n + i;
      if (ctx.has_output(o)) {
        out[k] = &ctx.output(o, in[0]->shape());
      } else {
        scratch[k] = Tensor(in[0]->dtype(), in[0]->shape());
        out[k] = &scratch[k];
      }
    }
    update(rv, tv, in, out);
  }
}

float required_float(const graph::Node& node, const char* attr, const char* op) {
  check(node.has(attr), ErrorCode::kInvalidArgument, op, ": attribute '", attr, "' is required");
  return node.get_float(attr, 0);
}

}  // namespace ortl::opset::loss
