// Attention (opset 23, 24, 25): scaled dot-product attention over 3-D [B, S, H*D] or 4-D
// [B, H, S, D] Q/K/V with GQA, a bool or additive mask (broadcast right-aligned to
// [B, Hq, Lq, Lkv], a short last dim padded with -inf), is_causal with bottom-right alignment,
// softcap, a KV cache (past_* concatenated into present_*), the debug qk output (modes 0-3),
// nonpad_kv_seqlen (24: external cache) and left/right windows (25).
//
// Q/K/V are read in place through strides; only the cache concatenation and the mask (to the
// compute dtype, bool as 0 / -inf) are materialised. float runs the SGEMM kernel, double the
// reference; float16 / bfloat16 run the float path on widened copies (half_detour).
#include "kernels/attention/attention.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/eltwise/half.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/nn/half_detour.h"

namespace ortl::opset {
namespace {

using attn::is_float_type;

constexpr const char* kOp = "Attention";

struct Dims {
  int64_t batch, q_heads, kv_heads, q_len, kv_new, past, head_dim, v_head_dim;
  kernels::AttnStrides qs, ks, vs, ys;
};

class Attention final : public OpKernel {
 public:
  Attention(int opset, int64_t q_heads, int64_t kv_heads, bool has_scale, float scale, float softcap, bool causal,
            int qk_mode, int64_t left, int64_t right)
      : opset_(opset),
        q_heads_(q_heads),
        kv_heads_(kv_heads),
        has_scale_(has_scale),
        scale_(scale),
        softcap_(softcap),
        causal_(causal),
        qk_mode_(qk_mode),
        left_(left),
        right_(right) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(0), vdt = ctx.input_dtype(2);
    for (DType d : {dt, ctx.input_dtype(1), vdt}) {
      check(d == DType::kUndefined || is_float_type(d), ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(d),
            " is not supported (float, double, float16, bfloat16)");
    }
    const int rank = ctx.input_rank(0);
    check(rank == -1 || rank == 3 || rank == 4, ErrorCode::kInvalidArgument, kOp, ": Q must be 3-D or 4-D, got rank ",
          rank);
    for (int i : {1, 2}) {
      const int r = ctx.input_rank(i);
      check(rank == -1 || r == -1 || r == rank, ErrorCode::kInvalidArgument, kOp, ": Q, K and V must have one rank");
    }
    if (rank == 3) {
      check(q_heads_ > 0 && kv_heads_ > 0, ErrorCode::kInvalidArgument, kOp,
            ": 3-D inputs need q_num_heads and kv_num_heads");
    }
    check(ctx.has_input(4) == ctx.has_input(5), ErrorCode::kInvalidArgument, kOp,
          ": past_key and past_value go together");
    TypeInfo y{dt, false, {}}, pk{dt, false, {}}, pv{vdt, false, {}}, qk{dt, false, {}};
    const bool shaped = rank > 0 && ctx.input_type(1).has_shape && ctx.input_type(2).has_shape;
    if (shaped) {
      const Shape& q = ctx.input_type(0).shape;
      const Shape& k = ctx.input_type(1).shape;
      const Shape& v = ctx.input_type(2).shape;
      auto div = [&](const Dim& d, int64_t by) { return d.known() ? Dim(d.value / by) : ctx.fresh_dim(); };
      Dim hq, hkv, lq, lk, dk, dv;
      if (rank == 4) {
        hq = q[1], hkv = k[1], lq = q[2], lk = k[2], dk = k[3], dv = v[3];
        y = TypeInfo::of(dt, {q[0], q[1], q[2], v[3]});
      } else {
        hq = q_heads_, hkv = kv_heads_, lq = q[1], lk = k[1], dk = div(k[2], kv_heads_), dv = div(v[2], kv_heads_);
        y = TypeInfo::of(dt, {q[0], q[1], dv.known() ? Dim(dv.value * q_heads_) : ctx.fresh_dim()});
      }
      Dim total = lk;
      if (ctx.has_input(4)) {
        const TypeInfo& p = ctx.input_type(4);
        total = p.has_shape && p.rank() == 4 && p.shape[2].known() && lk.known() ? Dim(p.shape[2].value + lk.value)
                                                                                 : ctx.fresh_dim();
      }
      pk = TypeInfo::of(dt, {q[0], hkv, total, dk});
      pv = TypeInfo::of(vdt, {q[0], hkv, total, dv});
      qk = TypeInfo::of(dt, {q[0], hq, lq, total});
    }
    ctx.set_output(0, y);
    if (ctx.num_outputs() > 1) ctx.set_output(1, pk);
    if (ctx.num_outputs() > 2) ctx.set_output(2, pv);
    if (ctx.num_outputs() > 3) ctx.set_output(3, qk);
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 3, kOp);
    // bfloat16 follows the reference's per-step rounding: its 8-bit mantissa makes the
    // difference from a float computation visible (~1 ulp, 4e-3 relative); float16 results
    // computed in float already agree to its precision.
    const bool bf16 = ctx.input(0)->dtype() == DType::kBFloat16;
    nn::run_half_as_float(ctx, [this, bf16](RunContext& c) {
      const DType dt = c.input(0)->dtype();
      if (dt == DType::kFloat) {
        run_typed<float>(c, bf16 ? round_bf16 : nullptr);
      } else if (dt == DType::kDouble) {
        run_typed<double>(c, nullptr);
      } else {
        fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(dt), " is not supported");
      }
    });
  }

  std::string kernel_name() const override { return kernels::attention_f32_impls().front().name; }

 private:
  Dims dims(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor* past) const {
    check(q.rank() == 3 || q.rank() == 4, ErrorCode::kInvalidArgument, kOp, ": Q must be 3-D or 4-D, got ",
          shape_str(q.shape()));
    check(k.rank() == q.rank() && v.rank() == q.rank(), ErrorCode::kInvalidArgument, kOp, ": Q ", shape_str(q.shape()),
          ", K ", shape_str(k.shape()), " and V ", shape_str(v.shape()), " must have one rank");
    Dims d{};
    d.batch = q.dim(0);
    if (q.rank() == 4) {
      if (opset_ >= 25 && (q_heads_ > 0 || kv_heads_ > 0))
        fail(ErrorCode::kInvalidArgument, kOp, ": q_num_heads / kv_num_heads are for 3-D inputs only");
      d.q_heads = q.dim(1), d.kv_heads = k.dim(1), d.q_len = q.dim(2), d.kv_new = k.dim(2);
      d.head_dim = q.dim(3), d.v_head_dim = v.dim(3);
      check(k.dim(3) == d.head_dim && v.dim(1) == d.kv_heads && v.dim(2) == d.kv_new, ErrorCode::kInvalidArgument, kOp,
            ": K ", shape_str(k.shape()), " and V ", shape_str(v.shape()), " do not fit Q ", shape_str(q.shape()));
      d.qs = {d.q_heads * d.q_len * d.head_dim, d.q_len * d.head_dim, d.head_dim};
      d.ks = {d.kv_heads * d.kv_new * d.head_dim, d.kv_new * d.head_dim, d.head_dim};
      d.vs = {d.kv_heads * d.kv_new * d.v_head_dim, d.kv_new * d.v_head_dim, d.v_head_dim};
      d.ys = {d.q_heads * d.q_len * d.v_head_dim, d.q_len * d.v_head_dim, d.v_head_dim};
    } else {
      check(q_heads_ > 0 && kv_heads_ > 0, ErrorCode::kInvalidArgument, kOp,
            ": 3-D inputs need positive q_num_heads and kv_num_heads");
      d.q_heads = q_heads_, d.kv_heads = kv_heads_, d.q_len = q.dim(1), d.kv_new = k.dim(1);
      check(q.dim(2) % q_heads_ == 0 && k.dim(2) % kv_heads_ == 0 && v.dim(2) % kv_heads_ == 0,
            ErrorCode::kInvalidArgument, kOp, ": hidden sizes of Q ", shape_str(q.shape()), ", K ",
            shape_str(k.shape()), ", V ", shape_str(v.shape()), " do not divide by the head counts");
      d.head_dim = q.dim(2) / q_heads_, d.v_head_dim = v.dim(2) / kv_heads_;
      check(k.dim(2) / kv_heads_ == d.head_dim && v.dim(1) == d.kv_new, ErrorCode::kInvalidArgument, kOp, ": K ",
            shape_str(k.shape()), " and V ", shape_str(v.shape()), " do not fit Q ", shape_str(q.shape()));
      d.qs = {d.q_len * q.dim(2), d.head_dim, q.dim(2)};
      d.ks = {d.kv_new * k.dim(2), d.head_dim, k.dim(2)};
      d.vs = {d.kv_new * v.dim(2), d.v_head_dim, v.dim(2)};
      d.ys = {d.q_len * d.q_heads * d.v_head_dim, d.v_head_dim, d.q_heads * d.v_head_dim};
    }
    check(k.dim(0) == d.batch && v.dim(0) == d.batch, ErrorCode::kInvalidArgument, kOp,
          ": Q, K and V must share the batch size");
    check(d.kv_heads > 0 && d.q_heads % d.kv_heads == 0, ErrorCode::kInvalidArgument, kOp, ": ", d.q_heads,
          " query heads are not a multiple of ", d.kv_heads, " kv heads");
    d.past = past ? past->dim(2) : 0;
    return d;
  }

  static float round_bf16(float x) { return kernels::bf16_bits_to_float(kernels::float_to_bf16_bits(x)); }

  template <class T>
  void run_typed(RunContext& ctx, float (*round)(float)) const {
    const Tensor& q = *ctx.input(0);
    const Tensor& k = *ctx.input(1);
    const Tensor& v = *ctx.input(2);
    const Tensor* mask = ctx.num_inputs() > 3 ? ctx.input(3) : nullptr;
    const Tensor* past_k = ctx.num_inputs() > 4 ? ctx.input(4) : nullptr;
    const Tensor* past_v = ctx.num_inputs() > 5 ? ctx.input(5) : nullptr;
    const Tensor* nonpad = ctx.num_inputs() > 6 ? ctx.input(6) : nullptr;
    for (const Tensor* t : {&k, &v, past_k, past_v}) {
      if (t && t->dtype() != q.dtype())
        fail(ErrorCode::kNotImplemented, kOp, ": mixed dtypes ", dtype_name(q.dtype()), " and ", dtype_name(t->dtype()),
             " are not supported");
    }
    check(!past_k == !past_v, ErrorCode::kInvalidArgument, kOp, ": past_key and past_value go together");
    check(!(nonpad && past_k), ErrorCode::kInvalidArgument, kOp,
          ": nonpad_kv_seqlen cannot be combined with past_key / past_value");
    if (past_k) {
      check(past_k->rank() == 4 && past_v->rank() == 4, ErrorCode::kInvalidArgument, kOp,
            ": past_key and past_value must be 4-D");
    }
    const Dims d = dims(q, k, v, past_k);
    if (past_k) {
      check(past_k->shape() == std::vector<int64_t>{d.batch, d.kv_heads, d.past, d.head_dim} &&
                past_v->shape() == std::vector<int64_t>{d.batch, d.kv_heads, d.past, d.v_head_dim},
            ErrorCode::kInvalidArgument, kOp, ": past_key ", shape_str(past_k->shape()), " / past_value ",
            shape_str(past_v->shape()), " do not fit [batch, kv_heads, past, head_size]");
    }
    const int64_t total = d.past + d.kv_new;

    kernels::AttentionArgs<T> a;
    a.batch = d.batch, a.q_heads = d.q_heads, a.kv_heads = d.kv_heads;
    a.q_len = d.q_len, a.kv_len = total, a.head_dim = d.head_dim, a.v_head_dim = d.v_head_dim;
    a.q = q.data_as<T>(), a.qs = d.qs, a.ys = d.ys;
    a.scale = has_scale_ ? scale_ : static_cast<float>(1.0 / std::sqrt(static_cast<double>(d.head_dim)));
    a.softcap = softcap_;
    a.causal = causal_;
    a.left_window = left_;
    a.right_window = right_;
    a.offset = d.past;

    // K / V: read in place, or the present buffers (past ++ new) when there is a cache or the
    // caller asked for present_*.
    Tensor kbuf, vbuf;
    const bool want_pk = ctx.num_outputs() > 1 && ctx.has_output(1);
    const bool want_pv = ctx.num_outputs() > 2 && ctx.has_output(2);
    const std::vector<int64_t> pk_shape{d.batch, d.kv_heads, total, d.head_dim};
    const std::vector<int64_t> pv_shape{d.batch, d.kv_heads, total, d.v_head_dim};
    a.k = k.data_as<T>(), a.ks = d.ks;
    a.v = v.data_as<T>(), a.vs = d.vs;
    if (past_k || want_pk) {
      Tensor& pk = want_pk ? ctx.output(1, pk_shape) : (kbuf = Tensor(q.dtype(), pk_shape));
      attn::concat_cache<T>(past_k, k.data_as<T>(), d.ks, d.batch, d.kv_heads, d.past, d.kv_new, d.head_dim,
                            pk.data_as<T>());
      a.k = pk.data_as<T>(), a.ks = {d.kv_heads * total * d.head_dim, total * d.head_dim, d.head_dim};
    }
    if (past_v || want_pv) {
      Tensor& pv = want_pv ? ctx.output(2, pv_shape) : (vbuf = Tensor(v.dtype(), pv_shape));
      attn::concat_cache<T>(past_v, v.data_as<T>(), d.vs, d.batch, d.kv_heads, d.past, d.kv_new, d.v_head_dim,
                            pv.data_as<T>());
      a.v = pv.data_as<T>(), a.vs = {d.kv_heads * total * d.v_head_dim, total * d.v_head_dim, d.v_head_dim};
    }

    std::vector<T> mask_vals;
    if (mask) {
      a.ms = attn::mask_strides(*mask, {d.batch, d.q_heads, d.q_len, total}, kOp);
      mask_vals = attn::mask_as_bias<T>(*mask);
      if (mask_vals.empty()) mask_vals.push_back(T(0));  // no columns: every key masked, pointer still set
      a.mask = mask_vals.data();
      a.mask_len = mask->rank() > 0 ? mask->dim(-1) : 1;
    }
    std::vector<int64_t> nonpad_vals;
    if (nonpad) {
      check(nonpad->dtype() == DType::kInt64 && nonpad->numel() == d.batch, ErrorCode::kInvalidArgument, kOp,
            ": nonpad_kv_seqlen must hold ", d.batch, " int64 values, got ", shape_str(nonpad->shape()));
      nonpad_vals = read_ints(*nonpad);
      a.nonpad = nonpad_vals.data();
    }

    const std::vector<int64_t> y_shape = q.rank() == 4
                                             ? std::vector<int64_t>{d.batch, d.q_heads, d.q_len, d.v_head_dim}
                                             : std::vector<int64_t>{d.batch, d.q_len, d.q_heads * d.v_head_dim};
    a.y = ctx.output(0, y_shape).template data_as<T>();
    if (ctx.num_outputs() > 3 && ctx.has_output(3)) {
      a.qk = ctx.output(3, {d.batch, d.q_heads, d.q_len, total}).template data_as<T>();
      a.qk_mode = qk_mode_;
    }
    if constexpr (sizeof(T) == 4) a.round = round;
    kernels::attention(a, ctx.par());
  }

  int opset_;
  int64_t q_heads_, kv_heads_;
  bool has_scale_;
  float scale_, softcap_;
  bool causal_;
  int qk_mode_;
  int64_t left_, right_;
};

}  // namespace

std::unique_ptr<OpKernel> build_attention(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const int64_t mode = n.get_int("qk_matmul_output_mode", 0);
  check(mode >= 0 && mode <= 3, ErrorCode::kInvalidArgument, kOp, ": qk_matmul_output_mode ", mode,
        " is not one of 0, 1, 2, 3");
  if (n.has("softmax_precision")) {
    const int64_t p = n.get_int("softmax_precision", 1);
    check(p == 1 || p == 10 || p == 11 || p == 16, ErrorCode::kInvalidArgument, kOp, ": softmax_precision ", p,
          " is not 1, 10, 11 or 16");
  }
  int64_t left = -1, right = -1;
  if (ctx.opset >= 25) {
    left = n.get_int("left_window_size", -1);
    right = n.get_int("right_window_size", -1);
    check(left >= -1 && right >= -1, ErrorCode::kInvalidArgument, kOp, ": window sizes must be -1 or >= 0, got ", left,
          ", ", right);
  }
  const int64_t q_heads = n.get_int("q_num_heads", 0), kv_heads = n.get_int("kv_num_heads", 0);
  check(q_heads >= 0 && kv_heads >= 0, ErrorCode::kInvalidArgument, kOp, ": head counts must be positive");
  return std::make_unique<Attention>(ctx.opset, q_heads, kv_heads, n.has("scale"), n.get_float("scale", 1.0f),
                                     n.get_float("softcap", 0.0f), n.get_int("is_causal", 0) != 0,
                                     static_cast<int>(mode), left, right);
}

}  // namespace ortl::opset
