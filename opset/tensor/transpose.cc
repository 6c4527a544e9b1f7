// Transpose: perm attribute (default: reverse the dims), any dtype by element size.
#include <algorithm>

#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class Transpose final : public OpKernel {
 public:
  explicit Transpose(std::vector<int64_t> perm) : perm_(std::move(perm)) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(
          0, perm_.empty() ? TypeInfo{x.dtype, false, {}} : TypeInfo::of(x.dtype, fresh_dims(ctx, perm_.size())));
      return;
    }
    const std::vector<int64_t> p = perm(x.rank());
    Shape out(p.size());
    for (size_t k = 0; k < p.size(); ++k) out[k] = x.shape[p[k]];
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> p = perm(x.rank());
    std::vector<int64_t> shape(p.size());
    for (size_t k = 0; k < p.size(); ++k) shape[k] = x.shape()[p[k]];
    Tensor& y = ctx.output(0, shape);
    dispatch_move(x.dtype(), "Transpose", [&](auto t) {
      using T = decltype(t);
      kernels::transpose(x.data_as<T>(), y.data_as<T>(), x.shape(), p, ctx.par());
    });
  }

 private:
  std::vector<int64_t> perm(int64_t rank) const {
    if (perm_.empty()) {
      std::vector<int64_t> p(static_cast<size_t>(rank));
      for (int64_t i = 0; i < rank; ++i) p[i] = rank - 1 - i;
      return p;
    }
    check(static_cast<int64_t>(perm_.size()) == rank, ErrorCode::kInvalidArgument, "Transpose: perm has ", perm_.size(),
          " entries for an input of rank ", rank);
    return perm_;
  }
  std::vector<int64_t> perm_;
};

}  // namespace

std::unique_ptr<OpKernel> build_transpose(const BuildContext& b) {
  std::vector<int64_t> perm = b.node.get_ints("perm");
  std::vector<int64_t> seen = perm;
  std::sort(seen.begin(), seen.end());
  for (size_t i = 0; i < seen.size(); ++i)
    check(seen[i] == static_cast<int64_t>(i), ErrorCode::kInvalidModel, "Transpose: perm is not a permutation of 0..",
          seen.size() - 1);
  return std::make_unique<Transpose>(std::move(perm));
}

}  // namespace ortl::opset
