// DepthToSpace (DCR, and CRD since opset 11) and SpaceToDepth: the spec's reshape to 6-D,
// transpose, reshape back, done as one transpose kernel call on the 6-D view.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

class DepthSpace final : public OpKernel {
 public:
  DepthSpace(bool to_space, bool crd, int64_t block) : to_space_(to_space), crd_(crd), block_(block) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo::of(x.dtype, fresh_dims(ctx, 4)));
      return;
    }
    check(x.rank() == 4, ErrorCode::kInvalidArgument, name(), ": the input must be 4-D, got ",
          graph::shape_str(x.shape));
    Shape out = x.shape;
    const int64_t bb = block_ * block_;
    if (to_space_) {
      if (x.shape[1].known()) {
        check(x.shape[1].value % bb == 0, ErrorCode::kInvalidArgument, name(), ": channels ", x.shape[1].value,
              " are not divisible by blocksize^2 = ", bb);
        out[1] = Dim(x.shape[1].value / bb);
      } else {
        out[1] = ctx.fresh_dim();
      }
      for (int i = 2; i < 4; ++i) out[i] = x.shape[i].known() ? Dim(x.shape[i].value * block_) : ctx.fresh_dim();
    } else {
      out[1] = x.shape[1].known() ? Dim(x.shape[1].value * bb) : ctx.fresh_dim();
      for (int i = 2; i < 4; ++i) {
        if (!x.shape[i].known()) {
          out[i] = ctx.fresh_dim();
          continue;
        }
        check(x.shape[i].value % block_ == 0, ErrorCode::kInvalidArgument, name(), ": spatial dim ", x.shape[i].value,
              " is not divisible by the block size ", block_);
        out[i] = Dim(x.shape[i].value / block_);
      }
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    check(x.rank() == 4, ErrorCode::kInvalidArgument, name(), ": the input must be 4-D, got ", shape_str(x.shape()));
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), b = block_;
    std::vector<int64_t> view, perm, out;
    if (to_space_) {
      check(c % (b * b) == 0, ErrorCode::kInvalidArgument, name(), ": channels ", c,
            " are not divisible by blocksize^2 = ", b * b);
      const int64_t oc = c / (b * b);
      if (crd_) {
        view = {n, oc, b, b, h, w};
        perm = {0, 1, 4, 2, 5, 3};
      } else {
        view = {n, b, b, oc, h, w};
        perm = {0, 3, 4, 1, 5, 2};
      }
      out = {n, oc, h * b, w * b};
    } else {
      check(h % b == 0 && w % b == 0, ErrorCode::kInvalidArgument, name(), ": spatial dims ", h, "x", w,
            " are not divisible by the block size ", b);
      view = {n, c, h / b, b, w / b, b};
      perm = crd_ ? std::vector<int64_t>{0, 1, 3, 5, 2, 4} : std::vector<int64_t>{0, 3, 5, 1, 2, 4};
      out = {n, c * b * b, h / b, w / b};
    }
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    dispatch_move(x.dtype(), name(), [&](auto tag) {
      using T = decltype(tag);
      kernels::transpose(x.data_as<T>(), y.data_as<T>(), view, perm, ctx.par());
    });
  }

 private:
  const char* name() const { return to_space_ ? "DepthToSpace" : "SpaceToDepth"; }
  bool to_space_;
  bool crd_;
  int64_t block_;
};

std::unique_ptr<OpKernel> build(const BuildContext& b, bool to_space) {
  const int64_t block = b.node.get_int("blocksize", 0);
  check(b.node.has("blocksize") && block > 0 && block <= (1 << 20), ErrorCode::kInvalidModel,
        "attribute 'blocksize' must be in [1, 2^20]");
  const std::string mode = b.node.get_string("mode", "DCR");
  check(mode == "DCR" || mode == "CRD", ErrorCode::kInvalidModel, "unsupported mode '", mode, "'");
  return std::make_unique<DepthSpace>(to_space, mode == "CRD", block);
}

}  // namespace

std::unique_ptr<OpKernel> build_depth_to_space(const BuildContext& b) { return build(b, true); }
std::unique_ptr<OpKernel> build_space_to_depth(const BuildContext& b) { return build(b, false); }

}  // namespace ortl::opset
