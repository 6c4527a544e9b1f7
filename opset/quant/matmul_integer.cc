// MatMulInteger (10): numpy matmul of int8 / uint8 A and B into int32,
// Y = (A - a_zero_point) @ (B - b_zero_point), the zero points optional and per tensor, per row
// of A ([M] or [..., M, 1]) or per column of B ([N] or [..., 1, N]).
#include <numeric>

#include "opset/quant/quant.h"
#include "opset/quant/quant_util.h"

namespace ortl::opset {
namespace {

void check_int8(DType dt, const char* name) {
  if (dt != DType::kInt8 && dt != DType::kUInt8 && dt != DType::kUndefined) {
    fail(ErrorCode::kNotImplemented, "MatMulInteger: ", name, " type ", quant::type_name(dt),
         " is not supported (int8 / uint8)");
  }
}

// The zero point of `operand` expanded to one value per output matrix and row (column); empty
// when absent.
std::vector<int32_t> zero_points(const Tensor* zp, const Tensor& operand, const quant::MatMulGeometry& g, bool rows,
                                 const char* name) {
  if (!zp) return {};
  if (zp->dtype() != operand.dtype()) {
    fail(ErrorCode::kInvalidArgument, "MatMulInteger: ", name, " is ", quant::type_name(zp->dtype()),
         " but its operand is ", quant::type_name(operand.dtype()));
  }
  const std::vector<int64_t> idx = quant::param_index("MatMulInteger", name, zp->shape(), g, operand.shape(), rows);
  return quant::gather(quant::read_zero_points(*zp, "MatMulInteger"), idx);
}

class MatMulIntegerOp final : public OpKernel {
 public:
  void infer(InferContext& ctx) const override {
    const TypeInfo& a = ctx.input_type(0);
    const TypeInfo& b = ctx.input_type(1);
    check_int8(a.dtype, "A");
    check_int8(b.dtype, "B");
    if (!a.has_shape || !b.has_shape) return ctx.set_output(0, TypeInfo{DType::kInt32, false, {}});
    ctx.set_output(0, TypeInfo::of(DType::kInt32, quant::infer_matmul_shape("MatMulInteger", a, b)));
  }

  void run(RunContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    check_int8(a.dtype(), "A");
    check_int8(b.dtype(), "B");
    const quant::MatMulGeometry g = quant::resolve_matmul("MatMulInteger", a.shape(), b.shape());
    const std::vector<int32_t> azp =
        zero_points(ctx.num_inputs() > 2 ? ctx.input(2) : nullptr, a, g, true, "a_zero_point");
    const std::vector<int32_t> bzp =
        zero_points(ctx.num_inputs() > 3 ? ctx.input(3) : nullptr, b, g, false, "b_zero_point");
    Tensor& y = ctx.output(0, g.out);
    quant::matmul_s32(g, a, b, azp.empty() ? nullptr : azp.data(), bzp.empty() ? nullptr : bzp.data(),
                      y.data_as<int32_t>(), ctx.par());
  }

  std::string kernel_name() const override { return "qgemm_s32"; }
};

}  // namespace

std::unique_ptr<OpKernel> build_matmul_integer(const BuildContext&) { return std::make_unique<MatMulIntegerOp>(); }

}  // namespace ortl::opset
