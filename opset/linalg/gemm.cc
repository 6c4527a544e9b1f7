// Gemm (1-24): Y = alpha * op(A) * op(B) + beta * C, A and B 2-D, C optional from 11 and
// unidirectionally broadcast to [M, N] (scalar, [N], [1, N], [M, 1], [M, N]). Versions before 7
// carry a `broadcast` flag; C is broadcast here whatever it says, which accepts every model
// that is valid under either setting. Y is prefilled with the broadcast C and the GEMM runs
// with beta on top of it, so the kernel never sees the broadcast. float16 / bfloat16 compute
// in float.
#include "opset/linalg/linalg.h"
#include "opset/linalg/linalg_util.h"

namespace ortl::opset {
namespace {

class GemmOp final : public OpKernel {
 public:
  explicit GemmOp(const BuildContext& ctx)
      : alpha_(ctx.node.get_float("alpha", 1.f)),
        beta_(ctx.node.get_float("beta", 1.f)),
        trans_a_(ctx.node.get_int("transA", 0) != 0),
        trans_b_(ctx.node.get_int("transB", 0) != 0),
        gemm_(&kernels::select_gemm_f32(kernels::active_isa())) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(1);
    check(a.dtype == DType::kUndefined || linalg::gemm_type_supported(a.dtype), ErrorCode::kNotImplemented,
          "Gemm: dtype ", dtype_name(a.dtype), " is not supported");
    check(a.rank() < 0 || a.rank() == 2, ErrorCode::kInvalidArgument, "Gemm: A must be 2-D, got rank ", a.rank());
    check(b.rank() < 0 || b.rank() == 2, ErrorCode::kInvalidArgument, "Gemm: B must be 2-D, got rank ", b.rank());
    const Dim m = a.has_shape ? a.shape[trans_a_ ? 1 : 0] : ctx.fresh_dim();
    const Dim n = b.has_shape ? b.shape[trans_b_ ? 0 : 1] : ctx.fresh_dim();
    if (a.has_shape && b.has_shape) {
      const Dim ka = a.shape[trans_a_ ? 0 : 1], kb = b.shape[trans_b_ ? 1 : 0];
      check(!ka.known() || !kb.known() || ka.value == kb.value, ErrorCode::kInvalidArgument,
            "Gemm: inner dims differ: ", graph::shape_str(a.shape), (trans_a_ ? "^T" : ""), " x ",
            graph::shape_str(b.shape), (trans_b_ ? "^T" : ""));
    }
    if (ctx.has_input(2) && ctx.input_type(2).has_shape) {
      const Shape& c = ctx.input_type(2).shape;
      check(c.size() <= 2, ErrorCode::kInvalidArgument, "Gemm: C must have rank <= 2, got ", graph::shape_str(c));
      const Dim target[2] = {m, n};
      for (size_t i = 0; i < c.size(); ++i) {
        const Dim& cd = c[i];
        const Dim& td = target[2 - c.size() + i];
        check(!cd.known() || !td.known() || cd.value == 1 || cd.value == td.value, ErrorCode::kInvalidArgument,
              "Gemm: C ", graph::shape_str(c), " does not broadcast to [M, N]");
      }
    }
    ctx.set_output(0, TypeInfo::of(a.dtype, {m, n}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    const Tensor* c = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    check(a.rank() == 2 && b.rank() == 2, ErrorCode::kInvalidArgument, "Gemm: A and B must be 2-D, got ",
          shape_str(a.shape()), " and ", shape_str(b.shape()));
    check(b.dtype() == a.dtype() && (!c || c->dtype() == a.dtype()), ErrorCode::kInvalidArgument,
          "Gemm: A, B and C must share one dtype");
    const int64_t m = a.dim(trans_a_ ? 1 : 0), k = a.dim(trans_a_ ? 0 : 1);
    const int64_t kb = b.dim(trans_b_ ? 1 : 0), n = b.dim(trans_b_ ? 0 : 1);
    check(k == kb, ErrorCode::kInvalidArgument, "Gemm: inner dims differ (", k, " vs ", kb, ")");
    int64_t c_rows = 1, c_cols = 1;
    if (c) {
      check(c->rank() <= 2, ErrorCode::kInvalidArgument, "Gemm: C must have rank <= 2");
      if (c->rank() == 2) c_rows = c->dim(0);
      if (c->rank() >= 1) c_cols = c->dim(-1);
      check((c_rows == 1 || c_rows == m) && (c_cols == 1 || c_cols == n), ErrorCode::kInvalidArgument, "Gemm: C ",
            shape_str(c->shape()), " does not broadcast to [", m, ", ", n, "]");
    }
    Tensor& y = ctx.output(0, {m, n});
    const Dims d{m, n, k, c_rows, c_cols, a.dim(1), b.dim(1)};
    const bool use_c = c && beta_ != 0.f;
    if (linalg::is_half(a.dtype())) {
      const std::vector<float> af = linalg::widen(a), bf = linalg::widen(b);
      const std::vector<float> cf = use_c ? linalg::widen(*c) : std::vector<float>();
      std::vector<float> yf(static_cast<size_t>(y.numel()));
      compute(d, af.data(), bf.data(), use_c ? cf.data() : nullptr, yf.data(), ctx.par());
      linalg::narrow(yf, y);
      return;
    }
    linalg::dispatch_gemm_type(a.dtype(), "Gemm", [&](auto tag) {
      using T = decltype(tag);
      compute(d, a.data_as<T>(), b.data_as<T>(), use_c ? c->data_as<T>() : nullptr, y.data_as<T>(), ctx.par());
    });
  }

  std::string kernel_name() const override { return gemm_->name; }

 private:
  struct Dims {
    int64_t m, n, k, c_rows, c_cols, lda, ldb;
  };

  // Y = broadcast(C) when c is given, then Y = alpha * op(A) op(B) + beta * Y.
  template <class T>
  void compute(const Dims& d, const T* a, const T* b, const T* c, T* y, kernels::Parallel& par) const {
    if (c) {
      for (int64_t i = 0; i < d.m; ++i) {
        const T* row = c + (d.c_rows == 1 ? 0 : i * d.c_cols);
        for (int64_t j = 0; j < d.n; ++j) y[i * d.n + j] = row[d.c_cols == 1 ? 0 : j];
      }
    }
    kernels::GemmArgs<T> g;
    g.m = d.m, g.n = d.n, g.k = d.k, g.trans_a = trans_a_, g.trans_b = trans_b_;
    g.alpha = static_cast<T>(alpha_), g.beta = c ? static_cast<T>(beta_) : T(0);
    g.a = a, g.lda = d.lda, g.b = b, g.ldb = d.ldb, g.c = y, g.ldc = d.n;
    linalg::run_gemm(g, *gemm_, par);
  }

  float alpha_, beta_;
  bool trans_a_, trans_b_;
  const kernels::GemmF32Impl* gemm_;
};

}  // namespace

std::unique_ptr<OpKernel> build_gemm(const BuildContext& ctx) { return std::make_unique<GemmOp>(ctx); }

}  // namespace ortl::opset
