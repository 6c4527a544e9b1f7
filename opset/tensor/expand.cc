// Expand and Tile: both are one strided copy with zero strides. Expand broadcasts (stride 0
// on stretched dims); Tile views [d0, d1, ...] as [r0, d0, r1, d1, ...] with stride 0 on each
// repeat dim, so a tiled row is still a memcpy of the input row.
#include "kernels/transform/transform.h"
#include "opset/tensor/tensor.h"
#include "opset/tensor/tensor_util.h"

namespace ortl::opset {
namespace {

void copy_strided(RunContext& ctx, const Tensor& x, Tensor& y, const kernels::StridedCopyParams& p, const char* op) {
  if (y.numel() == 0) return;
  dispatch_move(x.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    kernels::strided_copy(x.data_as<T>(), y.data_as<T>(), p, ctx.par());
  });
}

class Expand final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, "Expand", "shape");
    const TypeInfo& x = ctx.input_type(0);
    std::vector<int64_t> shape;
    if (known_ints(ctx, 1, shape)) {
      ctx.set_output(0, x.has_shape ? TypeInfo::of(x.dtype, broadcast_shapes(x.shape, graph::from_concrete(shape)))
                                    : TypeInfo{x.dtype, false, {}});
      return;
    }
    const TypeInfo& s = ctx.input_type(1);
    if (!x.has_shape || s.rank() != 1 || !s.shape[0].known()) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    // The target's values are unknown, but a known input dim other than 1 survives broadcasting.
    const int64_t r = std::max<int64_t>(x.rank(), s.shape[0].value);
    Shape out = fresh_dims(ctx, r);
    for (int64_t i = 0; i < x.rank(); ++i) {
      const Dim& d = x.shape[i];
      if (d.known() && d.value != 1) out[r - x.rank() + i] = d;
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> out = broadcast_shapes(x.shape(), input_ints(ctx, 1));
    Tensor& y = ctx.output(0, out);
    const size_t r = out.size(), off = r - x.shape().size();
    const std::vector<int64_t> in_strides = kernels::contiguous_strides(x.shape());
    kernels::StridedCopyParams p{out, std::vector<int64_t>(r, 0)};
    for (size_t i = off; i < r; ++i) p.src_strides[i] = x.shape()[i - off] == 1 ? 0 : in_strides[i - off];
    copy_strided(ctx, x, y, p, "Expand");
  }

  std::vector<int> shape_inputs() const override { return {1}; }
};

class Tile final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    check_index_input(ctx, 1, "Tile", "repeats");
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{x.dtype, false, {}});
      return;
    }
    std::vector<int64_t> reps;
    if (!known_ints(ctx, 1, reps)) {
      Shape out = fresh_dims(ctx, x.rank());
      for (int i = 0; i < x.rank(); ++i)
        if (x.shape[i].known() && x.shape[i].value == 0) out[i] = Dim(0);
      ctx.set_output(0, TypeInfo::of(x.dtype, out));
      return;
    }
    check_repeats(reps, x.rank());
    Shape out = x.shape;
    for (int i = 0; i < x.rank(); ++i) {
      if (reps[i] == 1) continue;
      out[i] = x.shape[i].known() ? Dim(mul_dims(x.shape[i].value, reps[i], "Tile"))
                                  : (reps[i] == 0 ? Dim(0) : ctx.fresh_dim());
    }
    ctx.set_output(0, TypeInfo::of(x.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const std::vector<int64_t> reps = input_ints(ctx, 1);
    check_repeats(reps, x.rank());
    const std::vector<int64_t> in_strides = kernels::contiguous_strides(x.shape());
    std::vector<int64_t> out(x.rank());
    kernels::StridedCopyParams p;
    for (int i = 0; i < x.rank(); ++i) {
      out[i] = mul_dims(x.shape()[i], reps[i], "Tile");
      p.shape.insert(p.shape.end(), {reps[i], x.shape()[i]});
      p.src_strides.insert(p.src_strides.end(), {0, in_strides[i]});
    }
    Tensor& y = ctx.output(0, out);
    copy_strided(ctx, x, y, p, "Tile");
  }

  std::vector<int> shape_inputs() const override { return {1}; }

 private:
  static void check_repeats(const std::vector<int64_t>& reps, int64_t rank) {
    check(static_cast<int64_t>(reps.size()) == rank, ErrorCode::kInvalidArgument, "Tile: ", reps.size(),
          " repeats for an input of rank ", rank);
    for (int64_t r : reps) check(r >= 0, ErrorCode::kInvalidArgument, "Tile: negative repeat ", r);
  }
};

}  // namespace

std::unique_ptr<OpKernel> build_expand(const BuildContext&) { return std::make_unique<Expand>(); }
std::unique_ptr<OpKernel> build_tile(const BuildContext&) { return std::make_unique<Tile>(); }

}  // namespace ortl::opset
