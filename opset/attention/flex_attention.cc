// FlexAttention (ai.onnx.preview 1): scaled dot-product attention over rank-4 Q, K, V with
// optional score_mod / prob_mod subgraphs, each run once on the whole [B, Hq, L, S] tensor:
//   scores = (Q * sqrt(scale)) @ (K * sqrt(scale))^T   (in the input dtype, K/V heads shared by GQA)
//   scores = score_mod(scores)   (softmax precision)
//   probs  = Softmax(scores, axis=-1);  probs = prob_mod(probs)
//   Y      = probs @ V           (softmax precision, cast to the input dtype)
#include <cmath>
#include <optional>

#include "kernels/eltwise/half.h"
#include "opset/attention/attention.h"
#include "opset/attention/attention_util.h"
#include "opset/control/control_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "FlexAttention";

// The tensor's elements widened to W (float16 / bfloat16 / float / double).
template <class W>
std::vector<W> widen(const Tensor& t) {
  const size_t n = static_cast<size_t>(t.numel());
  std::vector<W> out(n);
  switch (t.dtype()) {
    case DType::kFloat: std::copy_n(t.data_as<float>(), n, out.begin()); break;
    case DType::kDouble: std::copy_n(t.data_as<double>(), n, out.begin()); break;
    case DType::kFloat16: {
      const uint16_t* p = t.data_as<uint16_t>();
      for (size_t i = 0; i < n; ++i) out[i] = static_cast<W>(kernels::half_bits_to_float(p[i]));
      break;
    }
    case DType::kBFloat16: {
      const uint16_t* p = t.data_as<uint16_t>();
      for (size_t i = 0; i < n; ++i) out[i] = static_cast<W>(kernels::bf16_bits_to_float(p[i]));
      break;
    }
    default: fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(t.dtype()), " is not supported");
  }
  return out;
}

// x rounded to the precision of dtype `d` (a no-op for float / double).
inline double round_to(double x, DType d) {
  switch (d) {
    case DType::kFloat: return static_cast<float>(x);
    case DType::kFloat16: return kernels::half_bits_to_float(kernels::double_to_half_bits(x));
    case DType::kBFloat16: return kernels::bf16_bits_to_float(kernels::double_to_bf16_bits(x));
    default: return x;
  }
}

// Writes `n` values of C into `dst` (of dtype d), rounding to nearest even for 16-bit floats.
template <class C>
void narrow(const C* src, size_t n, Tensor& dst) {
  switch (dst.dtype()) {
    case DType::kFloat: std::copy_n(src, n, dst.data_as<float>()); break;
    case DType::kDouble: std::copy_n(src, n, dst.data_as<double>()); break;
    case DType::kFloat16:
      for (size_t i = 0; i < n; ++i) dst.data_as<uint16_t>()[i] = kernels::double_to_half_bits(src[i]);
      break;
    case DType::kBFloat16:
      for (size_t i = 0; i < n; ++i) dst.data_as<uint16_t>()[i] = kernels::double_to_bf16_bits(src[i]);
      break;
    default: fail(ErrorCode::kNotImplemented, kOp, ": dtype ", dtype_name(dst.dtype()), " is not supported");
  }
}

class FlexAttention final : public OpKernel {
 public:
  FlexAttention(std::optional<float> scale, int64_t precision, std::optional<control::Body> score_mod,
                std::optional<control::Body> prob_mod)
      : scale_(scale), precision_(precision), score_mod_(std::move(score_mod)), prob_mod_(std::move(prob_mod)) {}

  void infer(InferContext& ctx) const override {
    const DType d = ctx.input_dtype(0);
    for (int i = 0; i < 3; ++i) {
      const DType di = ctx.input_dtype(i);
      check(di == DType::kUndefined || attn::is_float_type(di), ErrorCode::kNotImplemented, kOp, ": dtype ",
            dtype_name(di), " is not supported (float, double, float16, bfloat16)");
      check(di == DType::kUndefined || d == DType::kUndefined || di == d, ErrorCode::kInvalidArgument, kOp,
            ": Q, K and V must have one dtype");
      check(ctx.input_rank(i) == -1 || ctx.input_rank(i) == 4, ErrorCode::kInvalidArgument, kOp,
            ": Q, K and V must be rank-4, input ", i, " has rank ", ctx.input_rank(i));
    }
    const TypeInfo& q = ctx.input_type(0);
    const TypeInfo& v = ctx.input_type(2);
    if (q.has_shape && v.has_shape) {
      ctx.set_output(0, TypeInfo::of(d, {q.shape[0], q.shape[1], q.shape[2], v.shape[3]}));
    } else {
      ctx.set_output(0, TypeInfo{d, false, {}});
    }
  }

  void run(RunContext& ctx) const override {
    attn::require_inputs(ctx, 3, kOp);
    const DType d = ctx.input(0)->dtype();
    const DType c = compute_dtype(d);
    if (c == DType::kDouble) {
      run_as<double>(ctx, c);
    } else {
      run_as<float>(ctx, c);
    }
  }

  bool deterministic() const override { return !score_mod_ && !prob_mod_; }
  std::string kernel_name() const override { return score_mod_ || prob_mod_ ? "subgraph" : "flex_attention"; }

 private:
  DType compute_dtype(DType input) const {
    if (precision_ < 0) return input == DType::kDouble ? DType::kDouble : DType::kFloat;
    return precision_ == static_cast<int64_t>(DType::kDouble) ? DType::kDouble : DType::kFloat;
  }

  // Runs `body` on `t` (dtype of C, shape `shape`) and returns its single output as C values.
  template <class C>
  void apply_mod(const control::Body& body, Tensor& t, RunContext& ctx) const {
    std::vector<AnyValue> res = body.run({AnyValue(t)}, ctx);
    if (res.size() != 1 || !res[0].tensor.defined())
      fail(ErrorCode::kInvalidArgument, kOp, ": subgraph '", body.attr, "' must produce one tensor");
    const Tensor& o = res[0].tensor;
    if (o.shape() != t.shape())
      fail(ErrorCode::kInvalidArgument, kOp, ": subgraph '", body.attr, "' returned shape ", shape_str(o.shape()),
           ", expected ", shape_str(t.shape()));
    if (!attn::is_float_type(o.dtype()))
      fail(ErrorCode::kInvalidArgument, kOp, ": subgraph '", body.attr, "' returned dtype ", dtype_name(o.dtype()),
           ", expected a float type");
    const std::vector<C> vals = widen<C>(o);
    std::copy(vals.begin(), vals.end(), t.data_as<C>());
  }

  template <class C>
  void run_as(RunContext& ctx, DType cdt) const {
    const Tensor& qt = *ctx.input(0);
    const Tensor& kt = *ctx.input(1);
    const Tensor& vt = *ctx.input(2);
    const DType d = qt.dtype();
    check(qt.shape().size() == 4 && kt.shape().size() == 4 && vt.shape().size() == 4, ErrorCode::kInvalidArgument, kOp,
          ": Q, K and V must be rank-4, got ", shape_str(qt.shape()), ", ", shape_str(kt.shape()), ", ",
          shape_str(vt.shape()));
    check(kt.dtype() == d && vt.dtype() == d, ErrorCode::kInvalidArgument, kOp, ": Q, K and V must have one dtype");
    const int64_t batch = qt.shape()[0], hq = qt.shape()[1], len = qt.shape()[2], e = qt.shape()[3];
    const int64_t hkv = kt.shape()[1], s = kt.shape()[2], ev = vt.shape()[3];
    if (kt.shape()[0] != batch || vt.shape()[0] != batch || kt.shape()[3] != e || vt.shape()[1] != hkv ||
        vt.shape()[2] != s)
      fail(ErrorCode::kInvalidArgument, kOp, ": incompatible shapes Q ", shape_str(qt.shape()), ", K ",
           shape_str(kt.shape()), ", V ", shape_str(vt.shape()));
    if (hkv <= 0 ? hq != 0 : hq % hkv != 0)
      fail(ErrorCode::kInvalidArgument, kOp, ": q_num_heads (", hq, ") must be a multiple of kv_num_heads (", hkv, ")");
    const int64_t group = hkv > 0 ? hq / hkv : 1;

    // Q and K pre-scaled by sqrt(scale) (computed in float, cast to the input dtype).
    const float scale = scale_ ? *scale_ : 1.0f / std::sqrt(static_cast<float>(e));
    const double sq = round_to(std::sqrt(scale), d);
    std::vector<double> q = widen<double>(qt), k = widen<double>(kt);
    for (double& x : q) x = round_to(x * sq, d);
    for (double& x : k) x = round_to(x * sq, d);
    const std::vector<C> v = widen<C>(vt);

    Tensor scores(cdt, {batch, hq, len, s});
    C* sc = scores.data_as<C>();
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t h = 0; h < hq; ++h) {
        const double* kh = k.data() + ((b * hkv + h / group) * s) * e;
        for (int64_t i = 0; i < len; ++i) {
          const double* qi = q.data() + ((b * hq + h) * len + i) * e;
          C* row = sc + ((b * hq + h) * len + i) * s;
          for (int64_t j = 0; j < s; ++j) {
            double acc = 0;
            for (int64_t x = 0; x < e; ++x) acc += qi[x] * kh[j * e + x];
            row[j] = static_cast<C>(round_to(acc, d));
          }
        }
      }
    }
    if (score_mod_) apply_mod<C>(*score_mod_, scores, ctx);

    // Softmax over the key axis.
    const int64_t rows = batch * hq * len;
    for (int64_t r = 0; r < rows; ++r) {
      C* row = sc + r * s;
      if (s == 0) continue;
      C mx = row[0];
      for (int64_t j = 1; j < s; ++j) mx = std::max(mx, row[j]);
      C sum = 0;
      for (int64_t j = 0; j < s; ++j) sum += row[j] = std::exp(row[j] - mx);
      for (int64_t j = 0; j < s; ++j) row[j] /= sum;
    }
    if (prob_mod_) apply_mod<C>(*prob_mod_, scores, ctx);

    std::vector<C> y(static_cast<size_t>(rows * ev), C(0));
    for (int64_t b = 0; b < batch; ++b) {
      for (int64_t h = 0; h < hq; ++h) {
        const C* vh = v.data() + ((b * hkv + h / group) * s) * ev;
        for (int64_t i = 0; i < len; ++i) {
          const C* p = sc + ((b * hq + h) * len + i) * s;
          C* out = y.data() + ((b * hq + h) * len + i) * ev;
          for (int64_t j = 0; j < s; ++j) {
            for (int64_t x = 0; x < ev; ++x) out[x] += p[j] * vh[j * ev + x];
          }
        }
      }
    }
    Tensor& yt = ctx.output(0, {batch, hq, len, ev});
    narrow<C>(y.data(), y.size(), yt);
  }

  std::optional<float> scale_;
  int64_t precision_;
  std::optional<control::Body> score_mod_, prob_mod_;
};

}  // namespace

std::unique_ptr<OpKernel> build_flex_attention(const BuildContext& b) {
  check(control::formal_inputs(b.node) == 3, ErrorCode::kInvalidModel, kOp, " takes 3 inputs (Q, K, V), got ",
        control::formal_inputs(b.node));
  std::optional<float> scale;
  if (b.node.has("scale")) scale = b.node.get_float("scale", 0.0f);
  const int64_t precision = b.node.get_int("softmax_precision", -1);
  if (precision != -1 && precision != static_cast<int64_t>(DType::kFloat) &&
      precision != static_cast<int64_t>(DType::kDouble)) {
    const bool half =
        precision == static_cast<int64_t>(DType::kFloat16) || precision == static_cast<int64_t>(DType::kBFloat16);
    fail(half ? ErrorCode::kNotImplemented : ErrorCode::kInvalidArgument, kOp, ": softmax_precision ", precision,
         half ? " (16-bit) is not supported" : " is not a float type (1 = float, 11 = double)");
  }
  std::optional<control::Body> score_mod, prob_mod;
  if (b.node.has("score_mod")) score_mod = control::compile_body(b, "score_mod", 1, 1);
  if (b.node.has("prob_mod")) prob_mod = control::compile_body(b, "prob_mod", 1, 1);
  return std::make_unique<FlexAttention>(scale, precision, std::move(score_mod), std::move(prob_mod));
}

}  // namespace ortl::opset
