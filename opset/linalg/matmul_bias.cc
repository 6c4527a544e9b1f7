// ai.ortlite.MatMulBias (internal, made by graph/passes/fuse_matmul_add.cc): Y = MatMul(A, B) + bias
// with B a 2-D [K, N] float matrix and bias a row broadcast along the last axis (every dim but the
// last is 1, the last is N or 1). A's batch dims fold into M, Y is prefilled with the bias row and
// one GEMM runs with beta = 1 on top of it, so the Add costs no extra pass over Y. float only (the
// pass fuses float MatMuls only). The output shape is numpy-broadcast(MatMul(A, B), bias), as the
// unfused Add would give. A constant B (the usual case: a Linear layer's weight) is packed for
// the GEMM once, when the node is built.
#include <algorithm>

#include "opset/linalg/linalg.h"
#include "opset/linalg/linalg_util.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

class MatMulBiasOp final : public OpKernel {
 public:
  explicit MatMulBiasOp(const BuildContext& ctx) : gemm_(&kernels::select_gemm_f32(kernels::active_isa())) {
    const Tensor* bc = gemm_->pack_b ? constant_input(ctx, 1) : nullptr;
    if (!bc || bc->dtype() != DType::kFloat || bc->rank() != 2) return;
    const Tensor& b = *bc;
    if (b.numel() == 0) return;
    kernels::GemmArgs<float> g;
    g.k = b.dim(0), g.n = b.dim(1), g.b = b.data_as<float>(), g.ldb = g.n;
    packed_b_.resize(static_cast<size_t>(gemm_->packed_b_floats(g.k, g.n)));
    gemm_->pack_b(g, packed_b_.data());
    packed_of_ = b.data();
  }

  void infer(InferContext& ctx) const override {
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(1);
    const TypeInfo& c = ctx.input_type(2);
    check(a.dtype == DType::kUndefined || a.dtype == DType::kFloat, ErrorCode::kNotImplemented, "MatMulBias: dtype ",
          dtype_name(a.dtype), " is not supported");
    check(a.rank() != 0, ErrorCode::kInvalidArgument, "MatMulBias: A must have rank >= 1");
    check(b.rank() < 0 || b.rank() == 2, ErrorCode::kInvalidArgument, "MatMulBias: B must be 2-D, got rank ", b.rank());
    if (!a.has_shape || !b.has_shape || !c.has_shape) return ctx.set_output(0, TypeInfo{DType::kFloat, false, {}});
    const size_t ra = a.shape.size();
    const Dim ka = a.shape[ra - 1], kb = b.shape[0];
    check(!ka.known() || !kb.known() || ka.value == kb.value, ErrorCode::kInvalidArgument,
          "MatMulBias: inner dims differ: ", graph::shape_str(a.shape), " x ", graph::shape_str(b.shape));
    Shape out(a.shape.begin(), a.shape.end() - 1);
    out.push_back(b.shape[1]);
    ctx.set_output(0, TypeInfo::of(DType::kFloat, broadcast_shapes(out, c.shape)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    const Tensor& c = *ctx.input(2);
    check(a.rank() >= 1 && b.rank() == 2, ErrorCode::kInvalidArgument,
          "MatMulBias: A must have rank >= 1 and B rank 2");
    check(a.dtype() == DType::kFloat && b.dtype() == DType::kFloat && c.dtype() == DType::kFloat,
          ErrorCode::kInvalidArgument, "MatMulBias: A, B and bias must be float");
    const int64_t k = a.dim(-1), n = b.dim(1);
    check(k == b.dim(0), ErrorCode::kInvalidArgument, "MatMulBias: inner dims differ: ", shape_str(a.shape()), " x ",
          shape_str(b.shape()));
    const int64_t cn = c.rank() == 0 ? 1 : c.dim(-1);
    if (c.numel() != cn || (cn != 1 && cn != n))
      fail(ErrorCode::kInvalidArgument, "MatMulBias: bias ", shape_str(c.shape()), " is not a row of ", n);
    std::vector<int64_t> out(a.shape().begin(), a.shape().end() - 1);
    out.push_back(n);
    const int64_t m = checked_numel(out) / std::max<int64_t>(n, 1);
    Tensor& y = ctx.output(0, broadcast_shapes(out, c.shape()));
    float* py = y.data_as<float>();
    const float* pc = c.data_as<float>();
    for (int64_t i = 0; i < m; ++i) {
      float* row = py + i * n;
      if (cn == n)
        std::copy(pc, pc + n, row);
      else
        std::fill(row, row + n, pc[0]);
    }
    if (m == 0 || n == 0) return;
    kernels::GemmArgs<float> g;
    g.m = m, g.n = n, g.k = k, g.lda = k, g.ldb = n, g.ldc = n;
    g.a = a.data_as<float>(), g.b = b.data_as<float>(), g.c = py;
    g.beta = 1.f;
    // B's data is null when the session freed the initializer (prepacked_inputs).
    if (!packed_b_.empty() && (b.data() == packed_of_ || b.data() == nullptr)) g.b_packed = packed_b_.data();
    if (k == 0) return;  // Y = bias
    linalg::run_gemm(g, *gemm_, ctx.par());
  }

  std::string kernel_name() const override {
    return std::string(gemm_->name) + (packed_b_.empty() ? "" : "+prepacked");
  }

  std::vector<int> prepacked_inputs() const override {
    if (packed_b_.empty()) return {};
    return {1};
  }

 private:
  const kernels::GemmF32Impl* gemm_;
  std::vector<float> packed_b_;      // constant B packed for gemm_, empty when not
  const void* packed_of_ = nullptr;  // the initializer buffer packed_b_ came from
};

}  // namespace

std::unique_ptr<OpKernel> build_matmul_bias(const BuildContext& ctx) { return std::make_unique<MatMulBiasOp>(ctx); }

}  // namespace ortl::opset
