// MatMul (1, 9, 13): numpy matmul. A 1-D A is [1, K] and a 1-D B is [K, 1], the added dim
// dropped from the result; leading (batch) dims broadcast. When B has no batch (the Linear-layer
// case, weights [K, N]) the batch of A folds into M and the whole op is one GEMM. Otherwise the
// batch runs as separate GEMMs, in parallel over batches when there are enough of them.
// float16 / bfloat16 compute in float.
#include <algorithm>

#include "opset/linalg/linalg.h"
#include "opset/linalg/linalg_util.h"
#include "opset/util.h"

namespace ortl::opset {
namespace {

class MatMulOp final : public OpKernel {
 public:
  MatMulOp() : gemm_(&kernels::select_gemm_f32(kernels::active_isa())) {}

  void infer(InferContext& ctx) const override {
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(1);
    check(a.dtype == DType::kUndefined || linalg::gemm_type_supported(a.dtype), ErrorCode::kNotImplemented,
          "MatMul: dtype ", dtype_name(a.dtype), " is not supported");
    check(a.rank() != 0 && b.rank() != 0, ErrorCode::kInvalidArgument, "MatMul: operands must have rank >= 1");
    if (!a.has_shape || !b.has_shape) return ctx.set_output(0, TypeInfo{a.dtype, false, {}});
    const size_t ra = a.shape.size(), rb = b.shape.size();
    const Dim ka = a.shape[ra - 1], kb = b.shape[rb == 1 ? 0 : rb - 2];
    check(!ka.known() || !kb.known() || ka.value == kb.value, ErrorCode::kInvalidArgument,
          "MatMul: inner dims differ: ", graph::shape_str(a.shape), " x ", graph::shape_str(b.shape));
    const Shape batch_a(a.shape.begin(), a.shape.end() - std::min<size_t>(ra, 2));
    const Shape batch_b(b.shape.begin(), b.shape.end() - std::min<size_t>(rb, 2));
    Shape out = broadcast_shapes(batch_a, batch_b);
    if (ra >= 2) out.push_back(a.shape[ra - 2]);
    if (rb >= 2) out.push_back(b.shape[rb - 1]);
    ctx.set_output(0, TypeInfo::of(a.dtype, out));
  }

  void run(RunContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    check(a.rank() >= 1 && b.rank() >= 1, ErrorCode::kInvalidArgument, "MatMul: operands must have rank >= 1");
    check(a.dtype() == b.dtype(), ErrorCode::kInvalidArgument, "MatMul: A is ", dtype_name(a.dtype()), ", B is ",
          dtype_name(b.dtype()));
    const size_t ra = a.shape().size(), rb = b.shape().size();
    const int64_t m = ra >= 2 ? a.dim(-2) : 1, k = a.dim(-1);
    const int64_t kb = rb >= 2 ? b.dim(-2) : b.dim(0), n = rb >= 2 ? b.dim(-1) : 1;
    check(k == kb, ErrorCode::kInvalidArgument, "MatMul: inner dims differ: ", shape_str(a.shape()), " x ",
          shape_str(b.shape()));
    const std::vector<int64_t> batch_a(a.shape().begin(), a.shape().end() - std::min<size_t>(ra, 2));
    const std::vector<int64_t> batch_b(b.shape().begin(), b.shape().end() - std::min<size_t>(rb, 2));
    const std::vector<int64_t> batch = broadcast_shapes(batch_a, batch_b);
    std::vector<int64_t> out = batch;
    if (ra >= 2) out.push_back(m);
    if (rb >= 2) out.push_back(n);
    Tensor& y = ctx.output(0, out);

    Shapes sh{m, n, k, batch, batch_a, batch_b};
    if (linalg::is_half(a.dtype())) {
      const std::vector<float> af = linalg::widen(a), bf = linalg::widen(b);
      std::vector<float> yf(static_cast<size_t>(y.numel()));
      compute(sh, af.data(), bf.data(), yf.data(), ctx.par());
      linalg::narrow(yf, y);
      return;
    }
    linalg::dispatch_gemm_type(a.dtype(), "MatMul", [&](auto tag) {
      using T = decltype(tag);
      compute(sh, a.data_as<T>(), b.data_as<T>(), y.data_as<T>(), ctx.par());
    });
  }

  std::string kernel_name() const override { return gemm_->name; }

 private:
  // off[i] = offset of the matrix of output batch i in an operand with batch dims `dims`
  // (right-aligned to `batch`, size-1 dims broadcast), matrices of `matrix` elements.
  static void batch_offsets(const std::vector<int64_t>& batch, const std::vector<int64_t>& dims, int64_t matrix,
                            std::vector<int64_t>& off) {
    const size_t r = batch.size(), shift = r - dims.size();
    std::vector<int64_t> stride(r, 0);
    int64_t s = matrix;
    for (size_t d = dims.size(); d-- > 0;) {
      stride[d + shift] = dims[d] == 1 ? 0 : s;
      s *= dims[d];
    }
    std::vector<int64_t> idx(r, 0);
    int64_t cur = 0;
    for (size_t i = 0; i < off.size(); ++i) {
      off[i] = cur;
      for (size_t d = r; d-- > 0;) {
        cur += stride[d];
        if (++idx[d] < batch[d]) break;
        cur -= stride[d] * batch[d];
        idx[d] = 0;
      }
    }
  }

  struct Shapes {
    int64_t m, n, k;
    std::vector<int64_t> batch, batch_a, batch_b;
  };

  template <class T>
  void compute(const Shapes& sh, const T* a, const T* b, T* y, kernels::Parallel& par) const {
    int64_t count = 1, count_b = 1;
    for (int64_t d : sh.batch) count *= d;
    for (int64_t d : sh.batch_b) count_b *= d;
    const int64_t m = sh.m, n = sh.n, k = sh.k;
    kernels::GemmArgs<T> g;
    g.m = m, g.n = n, g.k = k, g.lda = k, g.ldb = n, g.ldc = n;
    g.a = a, g.b = b, g.c = y;
    if (count_b == 1) {  // B shared by every batch: A's batch (= the output's) folds into M
      g.m = m * count;
      linalg::run_gemm(g, *gemm_, par);
      return;
    }
    // Element offsets of each batch's A and B matrices under broadcasting.
    std::vector<int64_t> off_a(count), off_b(count);
    batch_offsets(sh.batch, sh.batch_a, m * k, off_a);
    batch_offsets(sh.batch, sh.batch_b, k * n, off_b);
    auto one = [&](int64_t i, kernels::Parallel& inner) {
      kernels::GemmArgs<T> gi = g;
      gi.a += off_a[i], gi.b += off_b[i], gi.c += i * m * n;
      linalg::run_gemm(gi, *gemm_, inner);
    };
    if (count >= 2 * par.num_threads()) {
      par.for_range(count, static_cast<double>(m * n * k) / 16.0, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) one(i, kernels::serial());
      });
    } else {
      for (int64_t i = 0; i < count; ++i) one(i, par);
    }
  }

  const kernels::GemmF32Impl* gemm_;
};

}  // namespace

std::unique_ptr<OpKernel> build_matmul(const BuildContext&) { return std::make_unique<MatMulOp>(); }

}  // namespace ortl::opset
