// LayerNormalization (opset 17): X is split at `axis` into [rows, n]; each row is normalized
// to zero mean and unit variance, then scaled and shifted by Scale and B, which broadcast to
// X.shape[axis:]. Optional outputs Mean and InvStdDev have shape X.shape[:axis] + [1, ...] and
// the stash_type dtype (float by default). Statistics are computed in X's dtype: float or double.
#include <vector>

#include "kernels/norm/norm.h"
#include "opset/nn/half_detour.h"
#include "opset/nn/nn.h"
#include "opset/nn/nn_util.h"

namespace ortl::opset {
namespace {

// `p` (shape ps) broadcast to the normalized shape ns (right-aligned), as n contiguous values.
template <class T>
std::vector<T> expand_param(const Tensor& p, const std::vector<int64_t>& ns, const char* name) {
  const auto& ps = p.shape();
  check(ps.size() <= ns.size(), ErrorCode::kInvalidArgument, "LayerNormalization: ", name, " shape ", shape_str(ps),
        " does not broadcast to ", shape_str(ns));
  const size_t off = ns.size() - ps.size();
  for (size_t i = 0; i < ps.size(); ++i) {
    check(ps[i] == ns[off + i] || ps[i] == 1, ErrorCode::kInvalidArgument, "LayerNormalization: ", name, " shape ",
          shape_str(ps), " does not broadcast to ", shape_str(ns));
  }
  const int64_t n = nn::prod(ns, 0, ns.size());
  std::vector<T> out(static_cast<size_t>(n));
  const T* src = p.data_as<T>();
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, idx = 0, stride = 1;
    for (size_t d = ns.size(); d-- > off;) {
      const int64_t k = rem % ns[d];
      rem /= ns[d];
      const int64_t pd = ps[d - off];
      if (pd != 1) idx += k * stride;
      stride *= pd;
    }
    out[i] = src[idx];
  }
  return out;
}

class LayerNorm final : public OpKernel {
 public:
  LayerNorm(int64_t axis, float epsilon, DType stash) : axis_(axis), epsilon_(epsilon), stash_(stash) {}

  void infer(InferContext& ctx) const override {
    nn::infer_same(ctx, "LayerNormalization");
    const TypeInfo& x = ctx.input_type(0);
    TypeInfo stat{stash_, false, {}};
    if (x.has_shape) {
      const auto axis = static_cast<size_t>(normalize_axis(axis_, x.rank()));
      stat.has_shape = true;
      stat.shape = x.shape;
      for (size_t i = axis; i < stat.shape.size(); ++i) stat.shape[i] = 1;
    }
    for (int i = 1; i < ctx.num_outputs() && i <= 2; ++i) ctx.set_output(i, stat);
  }

  void run(RunContext& ctx) const override {
    nn::run_half_as_float(ctx, [this](RunContext& c) { run_float(c); });
  }

  void run_float(RunContext& ctx) const {
    const Tensor& x = *ctx.input(0);
    const auto& xs = x.shape();
    Tensor& y = ctx.output(0, xs);
    const auto axis = static_cast<size_t>(normalize_axis(axis_, x.rank()));
    kernels::LayerNormParams p;
    p.rows = nn::prod(xs, 0, axis);
    p.n = nn::prod(xs, axis, xs.size());
    p.epsilon = epsilon_;
    const std::vector<int64_t> ns(xs.begin() + static_cast<int64_t>(axis), xs.end());
    std::vector<int64_t> stat_shape = xs;
    for (size_t i = axis; i < stat_shape.size(); ++i) stat_shape[i] = 1;
    const Tensor* scale = ctx.input(1);
    const Tensor* bias = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    check(scale != nullptr, ErrorCode::kInvalidArgument, "LayerNormalization: input 'Scale' is missing");
    nn::dispatch_float(x.dtype(), "LayerNormalization", [&](auto t) {
      using T = decltype(t);
      for (const Tensor* prm : {scale, bias}) {
        check(!prm || prm->dtype() == x.dtype(), ErrorCode::kInvalidArgument, "LayerNormalization: Scale/B dtype ",
              dtype_name(prm ? prm->dtype() : x.dtype()), " differs from X's ", dtype_name(x.dtype()));
      }
      std::vector<T> sv, bv;
      const T* sp = scale->data_as<T>();
      const T* bp = bias ? bias->data_as<T>() : nullptr;
      if (scale->numel() != p.n || scale->rank() > static_cast<int>(ns.size())) {
        sv = expand_param<T>(*scale, ns, "Scale");
        sp = sv.data();
      }
      if (bias && (bias->numel() != p.n || bias->rank() > static_cast<int>(ns.size()))) {
        bv = expand_param<T>(*bias, ns, "B");
        bp = bv.data();
      }
      const bool want_mean = ctx.has_output(1), want_inv = ctx.has_output(2);
      std::vector<T> mean(want_mean ? static_cast<size_t>(p.rows) : 0), inv(want_inv ? static_cast<size_t>(p.rows) : 0);
      kernels::layer_norm<T>(p, x.data_as<T>(), sp, bp, y.data_as<T>(), want_mean ? mean.data() : nullptr,
                             want_inv ? inv.data() : nullptr, ctx.par());
      if (want_mean) store_stat(ctx.output(1, stat_shape), mean);
      if (want_inv) store_stat(ctx.output(2, stat_shape), inv);
    });
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "layer_norm"; }

 private:
  template <class T>
  static void store_stat(Tensor& out, const std::vector<T>& v) {
    const int64_t n = out.numel();
    if (out.dtype() == DType::kDouble) {
      for (int64_t i = 0; i < n; ++i) out.data_as<double>()[i] = static_cast<double>(v[i]);
    } else if (out.dtype() == DType::kFloat) {
      for (int64_t i = 0; i < n; ++i) out.data_as<float>()[i] = static_cast<float>(v[i]);
    } else {
      fail(ErrorCode::kNotImplemented, "LayerNormalization: statistics dtype ", dtype_name(out.dtype()),
           " is not supported");
    }
  }

  int64_t axis_;
  float epsilon_;
  DType stash_;
};

}  // namespace

std::unique_ptr<OpKernel> build_layer_norm(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  const auto stash = static_cast<DType>(n.get_int("stash_type", 1));
  check(stash == DType::kFloat || stash == DType::kDouble, ErrorCode::kNotImplemented,
        "LayerNormalization: stash_type ", static_cast<int>(stash), " is not supported");
  return std::make_unique<LayerNorm>(n.get_int("axis", -1), n.get_float("epsilon", 1e-5f), stash);
}

}  // namespace ortl::opset
