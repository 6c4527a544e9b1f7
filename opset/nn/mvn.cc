// MeanVarianceNormalization (opsets 9, 13): (x - mean) / (sqrt(var) + 1e-9) with mean and
// variance over `axes` (default [0, 2, 3]), the ONNX function body's formula. When the reduced
// dims are not trailing (the default on NCHW with N > 1), the input is permuted so they are,
// normalized as rows, and permuted back.
#include <vector>

#include "kernels/norm/norm.h"
#include "kernels/reduce/reduce.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

constexpr float kMvnEpsilon = 1e-9f;

class Mvn final : public OpKernel {
 public:
  explicit Mvn(std::vector<int64_t> axes) : axes_(std::move(axes)) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, "MeanVarianceNormalization");
    if (ctx.input_rank(0) >= 0) mask_of(ctx.input_rank(0));
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const auto& s = x.shape();
    Tensor& y = ctx.output(0, s);
    if (x.numel() == 0) return;
    const std::vector<bool> mask = mask_of(x.rank());
    std::vector<int64_t> perm;
    int64_t rows = 1, n = 1;
    bool trailing = true, seen_reduced = false;
    for (int pass = 0; pass < 2; ++pass) {  // kept dims first, then reduced ones
      for (size_t i = 0; i < s.size(); ++i) {
        if (mask[i] != (pass == 1)) continue;
        perm.push_back(static_cast<int64_t>(i));
        (pass == 1 ? n : rows) *= s[i];
      }
    }
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == 1) continue;
      if (mask[i])
        seen_reduced = true;
      else if (seen_reduced)
        trailing = false;
    }
    nn::dispatch_float(x.dtype(), "MeanVarianceNormalization", [&](auto t) {
      using T = decltype(t);
      if (trailing) {
        kernels::mvn_rows<T>(rows, n, kMvnEpsilon, x.data_as<T>(), y.data_as<T>(), ctx.par());
        return;
      }
      std::vector<T> tmp(static_cast<size_t>(x.numel()));
      kernels::permute_copy(sizeof(T), s, perm, x.data(), tmp.data(), ctx.par());
      kernels::mvn_rows<T>(rows, n, kMvnEpsilon, tmp.data(), tmp.data(), ctx.par());
      std::vector<int64_t> pshape(s.size()), inv(s.size());
      for (size_t i = 0; i < s.size(); ++i) {
        pshape[i] = s[perm[i]];
        inv[perm[i]] = static_cast<int64_t>(i);
      }
      kernels::permute_copy(sizeof(T), pshape, inv, tmp.data(), y.data(), ctx.par());
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "mvn"; }

 private:
  std::vector<bool> mask_of(int rank) const {
    std::vector<bool> mask(static_cast<size_t>(rank), false);
    for (int64_t a : axes_) {
      const int64_t k = normalize_axis(a, rank);
      check(k < rank, ErrorCode::kInvalidArgument, "MeanVarianceNormalization: axis ", a, " on a scalar");
      check(!mask[k], ErrorCode::kInvalidArgument, "MeanVarianceNormalization: axis ", a, " repeats");
      mask[k] = true;
    }
    return mask;
  }

  std::vector<int64_t> axes_;
};

}  // namespace

std::unique_ptr<OpKernel> build_mvn(const BuildContext& ctx) {
  return std::make_unique<Mvn>(ctx.node.get_ints("axes", {0, 2, 3}));
}

}  // namespace ortl::opset
