// RotaryEmbedding (opset 23): rotates the first rotary_embedding_dim values of each head row
// of X ([B, H, S, D], or [B, S, H*D] with num_heads) by the angles in cos_cache / sin_cache,
// gathered by position_ids ([B, S] rows of a [max_pos, rot/2] cache) or, without them, taken
// as [B or 1, S, rot/2]. Halves or interleaved pairs; the rest of the row is copied.
#include "kernels/attention/blocks.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "RotaryEmbedding";

class Rotary final : public OpKernel {
 public:
  Rotary(int64_t num_heads, int64_t rot_dim, bool interleaved)
      : num_heads_(num_heads), rot_dim_(rot_dim), interleaved_(interleaved) {}

  void infer(InferContext& ctx) const override {
    for (int i : {0, 1, 2}) {
      const DType d = ctx.input_dtype(i);
      check(d == DType::kUndefined || d == DType::kFloat || d == DType::kFloat16 || d == DType::kBFloat16,
            ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(d), " is not supported (float, float16, bfloat16)");
    }
    const int r = ctx.input_rank(0);
    check(r == -1 || r == 3 || r == 4, ErrorCode::kInvalidArgument, kOp, ": X must be 3-D or 4-D, got rank ", r);
    check(r != 3 || num_heads_ > 0, ErrorCode::kInvalidArgument, kOp, ": 3-D input needs num_heads");
    ctx.set_output(0, ctx.input_type(0));
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 3, kOp);
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "rotary_embedding"; }

 private:
  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const Tensor& cos = *ctx.input(1);
    const Tensor& sin = *ctx.input(2);
    const Tensor* pos = ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    for (const Tensor* t : {&x, &cos, &sin}) {
      if (t->dtype() != DType::kFloat)
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(t->dtype()), " is not supported");
    }
    kernels::RotaryParams p;
    p.batch = x.rank() > 0 ? x.dim(0) : 0;
    if (x.rank() == 4) {
      p.heads = x.dim(1), p.seq = x.dim(2), p.head_dim = x.dim(3);
      p.xs = {p.heads * p.seq * p.head_dim, p.seq * p.head_dim, p.head_dim};
    } else if (x.rank() == 3) {
      check(num_heads_ > 0 && x.dim(2) % num_heads_ == 0, ErrorCode::kInvalidArgument, kOp, ": X ",
            shape_str(x.shape()), " does not split into num_heads ", num_heads_);
      p.heads = num_heads_, p.seq = x.dim(1), p.head_dim = x.dim(2) / num_heads_;
      p.xs = {p.seq * x.dim(2), p.head_dim, x.dim(2)};
    } else {
      fail(ErrorCode::kInvalidArgument, kOp, ": X must be 3-D or 4-D, got ", shape_str(x.shape()));
    }
    p.rot_dim = rot_dim_ > 0 ? rot_dim_ : p.head_dim;
    check(p.rot_dim % 2 == 0 && p.rot_dim <= p.head_dim, ErrorCode::kInvalidArgument, kOp, ": rotary_embedding_dim ",
          p.rot_dim, " must be even and at most the head size ", p.head_dim);
    p.interleaved = interleaved_;
    const int64_t half = p.rot_dim / 2;
    check(cos.shape() == sin.shape() && cos.rank() >= 2 && cos.dim(-1) == half, ErrorCode::kInvalidArgument, kOp,
          ": cos_cache ", shape_str(cos.shape()), " and sin_cache ", shape_str(sin.shape()),
          " must match and end in rotary_embedding_dim / 2 = ", half);
    std::vector<int64_t> rows;
    if (pos) {
      check(pos->shape() == std::vector<int64_t>{p.batch, p.seq} && cos.rank() == 2, ErrorCode::kInvalidArgument, kOp,
            ": position_ids ", shape_str(pos->shape()), " must be [batch, seq] over a 2-D cache, cache is ",
            shape_str(cos.shape()));
      rows = read_ints(*pos);
      for (int64_t r : rows) {
        if (r < 0 || r >= cos.dim(0))
          fail(ErrorCode::kInvalidArgument, kOp, ": position id ", r, " is outside the cache's ", cos.dim(0), " rows");
      }
      p.pos = rows.data();
    } else if (cos.rank() == 3) {
      check((cos.dim(0) == p.batch || cos.dim(0) == 1) && cos.dim(1) == p.seq, ErrorCode::kInvalidArgument, kOp,
            ": without position_ids the cache ", shape_str(cos.shape()), " must be [batch, seq, ", half, "]");
      p.cache_batch_rows = cos.dim(0) == 1 ? 0 : p.seq;
    } else {
      check(cos.rank() == 2 && cos.dim(0) == p.seq, ErrorCode::kInvalidArgument, kOp,
            ": without position_ids the cache ", shape_str(cos.shape()), " must be [batch, seq, ", half, "]");
    }
    Tensor& y = ctx.output(0, x.shape());
    kernels::rotary_embedding(p, x.data_as<float>(), cos.data_as<float>(), sin.data_as<float>(), y.data_as<float>(),
                              ctx.par());
  }

  int64_t num_heads_, rot_dim_;
  bool interleaved_;
};

}  // namespace

std::unique_ptr<OpKernel> build_rotary_embedding(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const int64_t heads = n.get_int("num_heads", 0), rot = n.get_int("rotary_embedding_dim", 0);
  check(heads >= 0 && rot >= 0, ErrorCode::kInvalidArgument, kOp, ": num_heads and rotary_embedding_dim must be >= 0");
  return std::make_unique<Rotary>(heads, rot, n.get_int("interleaved", 0) != 0);
}

}  // namespace ortl::opset
