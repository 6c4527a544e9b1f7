// TopK (1, 10, 11, 24): the k largest (or smallest, from 11) elements along `axis` and their
// int64 indices. 1 takes k as an attribute, later versions as a 1-element int64 input (whose
// value, when not known at plan time, leaves that output dim symbolic). 11 adds `largest` and
// `sorted` and integer types; 24 adds bfloat16. Results are always sorted (sorted=0 leaves the
// order unspecified, so sorted output conforms). Ties go to the lower index.
#include "kernels/vision/vision.h"
#include "opset/math/eltwise_util.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

class TopK final : public OpKernel {
 public:
  TopK(int opset, int64_t axis, int64_t k_attr, bool largest)
      : opset_(opset), axis_(axis), k_attr_(k_attr), largest_(largest) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(0);
    // Integer types are accepted before 11 too (only the schema's type list changed).
    const bool ok = dt == DType::kUndefined || supported(dt, opset_);
    check(ok, ErrorCode::kNotImplemented, "TopK-", opset_, ": dtype ", dtype_name(dt), " is not supported");
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{dt, false, {}});
      if (ctx.num_outputs() > 1) ctx.set_output(1, TypeInfo{DType::kInt64, false, {}});
      return;
    }
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "TopK: the input must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x.rank());
    Shape out = x.shape;
    out[axis] = ctx.fresh_dim();
    if (opset_ < 10) {
      out[axis] = Dim(k_attr_);
    } else if (std::vector<int64_t> k; known_ints(ctx, 1, k) && k.size() == 1) {
      out[axis] = Dim(k[0]);
    }
    if (out[axis].known() && x.shape[axis].known()) check_k(out[axis].value, x.shape[axis].value);
    ctx.set_output(0, TypeInfo::of(dt, out));
    if (ctx.num_outputs() > 1) ctx.set_output(1, TypeInfo::of(DType::kInt64, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() >= 1, ErrorCode::kInvalidArgument, "TopK: the input must have rank >= 1");
    const int64_t axis = normalize_axis(axis_, x.rank());
    int64_t k = k_attr_;
    if (opset_ >= 10) {
      const Tensor* kt = ctx.input(1);
      check(kt && kt->numel() == 1, ErrorCode::kInvalidArgument, "TopK: K must be a 1-element tensor");
      k = ints_of(*kt)[0];
    }
    check_k(k, x.dim(static_cast<int>(axis)));
    std::vector<int64_t> out = x.shape();
    out[axis] = k;
    // An output the graph does not use (a TopK feeding only its indices onward) still needs
    // somewhere to go: a scratch tensor.
    Tensor scratch_v, scratch_i;
    auto out_or = [&](int i, DType dt, Tensor& scratch) -> Tensor& {
      if (i < ctx.num_outputs() && ctx.has_output(i)) return ctx.output(i, out);
      scratch = Tensor(dt, out);
      return scratch;
    };
    Tensor& values = out_or(0, x.dtype(), scratch_v);
    Tensor& indices = out_or(1, DType::kInt64, scratch_i);
    const int64_t outer = vision::numel(x.shape(), 0, axis), n = x.shape()[axis];
    const int64_t inner = vision::numel(x.shape(), axis + 1);
    if (values.numel() == 0) return;
    if (x.dtype() == DType::kFloat16 || x.dtype() == DType::kBFloat16) {
      const Tensor xf = half_to_float(x);
      std::vector<float> vf(static_cast<size_t>(values.numel()));
      kernels::topk<float>(xf.data_as<float>(), outer, n, inner, k, largest_, vf.data(), indices.data_as<int64_t>(),
                           ctx.par());
      float_to_half(vf.data(), values);  // exact: every value came from a 16-bit one
      return;
    }
    dispatch_numeric(x.dtype(), "TopK", [&](auto tag) {
      using T = decltype(tag);
      kernels::topk<T>(x.data_as<T>(), outer, n, inner, k, largest_, values.data_as<T>(), indices.data_as<int64_t>(),
                       ctx.par());
    });
  }

  std::vector<int> shape_inputs() const override { return opset_ >= 10 ? std::vector<int>{1} : std::vector<int>{}; }
  std::string kernel_name() const override { return "topk_heap"; }

 private:
  static bool supported(DType dt, int opset) {
    if (dt == DType::kBFloat16) return opset >= 24;
    return eltwise::is_float_type(dt) || eltwise::is_integer_type(dt);
  }
  static void check_k(int64_t k, int64_t n) {
    check(k >= 0 && k <= n, ErrorCode::kInvalidArgument, "TopK: k = ", k, " is outside [0, ", n, "]");
  }

  int opset_;
  int64_t axis_;
  int64_t k_attr_;
  bool largest_;
};

}  // namespace

std::unique_ptr<OpKernel> build_topk(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  int64_t k = -1;
  if (ctx.opset < 10) {
    check(n.has("k"), ErrorCode::kInvalidArgument, "TopK-1: attribute 'k' is required");
    k = n.get_int("k", 0);
  }
  const int64_t largest = ctx.opset >= 11 ? n.get_int("largest", 1) : 1;
  return std::make_unique<TopK>(ctx.opset, n.get_int("axis", -1), k, largest != 0);
}

}  // namespace ortl::opset
