// Shared pieces of the quant ops: the DType -> codec switch, scale reading, the granularity of
// QuantizeLinear / DequantizeLinear, and the matmul / conv geometry of the integer ops.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/quant/qtypes.h"
#include "kernels/quant/quantize.h"
#include "opset/conv/conv_attrs.h"
#include "opset/op.h"

namespace ortl::opset::quant {

// dtype_name, or "data type <code>" for a code ort-lite has no name for.
std::string type_name(DType dt);

// The one switch from a quantized storage type to its codec (kernels/quant/qtypes.h): a type
// added to ort-lite (float8, int4, ...) gets a codec there and a case here. int32 is a
// DequantizeLinear input only; QuantizeLinear rejects it before dispatching.
template <class F>
void dispatch_codec(DType dt, const char* op, F&& fn) {
  switch (dt) {
    case DType::kInt8: fn(kernels::IntCodec<int8_t>{}); break;
    case DType::kUInt8: fn(kernels::IntCodec<uint8_t>{}); break;
    case DType::kInt16: fn(kernels::IntCodec<int16_t>{}); break;
    case DType::kUInt16: fn(kernels::IntCodec<uint16_t>{}); break;
    case DType::kInt32: fn(kernels::IntCodec<int32_t>{}); break;
    case DType::kInt4: fn(kernels::SmallIntCodec<kernels::lowp::Int4>{}); break;
    case DType::kUInt4: fn(kernels::SmallIntCodec<kernels::lowp::UInt4>{}); break;
    case DType::kInt2: fn(kernels::SmallIntCodec<kernels::lowp::Int2>{}); break;
    case DType::kUInt2: fn(kernels::SmallIntCodec<kernels::lowp::UInt2>{}); break;
    case DType::kFloat8E4M3FN: fn(kernels::FloatCodec<kernels::lowp::E4M3FN>{}); break;
    case DType::kFloat8E4M3FNUZ: fn(kernels::FloatCodec<kernels::lowp::E4M3FNUZ>{}); break;
    case DType::kFloat8E5M2: fn(kernels::FloatCodec<kernels::lowp::E5M2>{}); break;
    case DType::kFloat8E5M2FNUZ: fn(kernels::FloatCodec<kernels::lowp::E5M2FNUZ>{}); break;
    case DType::kFloat4E2M1: fn(kernels::FloatCodec<kernels::lowp::E2M1>{}); break;
    default: fail(ErrorCode::kNotImplemented, op, ": quantized type ", type_name(dt), " is not supported");
  }
}

// True for the types dispatch_codec handles.
bool is_quant_type(DType dt);

// The first QuantizeLinear / DequantizeLinear version that allows quantized type `dt`: 10 for
// int8 / uint8 / int32, 19 for float8, 21 for int16 / uint16 / int4 / uint4, 23 for float4e2m1,
// 25 for int2 / uint2.
int quant_type_since(DType dt);
// Throws kInvalidArgument naming `op` when `dt` is not a quantized type of opset version `opset`
// (kNotImplemented when it is no quantized type at all). kUndefined (unknown yet) passes.
void check_quant_type(const char* op, DType dt, int opset);

// The float (or int32) types scales come in, and the precision arithmetic in them rounds to.
bool is_scale_type(DType dt);
kernels::Precision precision_of(DType dt);

// Scale values widened to double (exact); throws kNotImplemented for other dtypes.
std::vector<double> read_scales(const Tensor& t, const char* op);
// Zero point values of an int8 / uint8 tensor as int32.
std::vector<int32_t> read_zero_points(const Tensor& t, const char* op);

// QuantizeLinear / DequantizeLinear granularity from the shapes: a one-element scale is
// per-tensor; otherwise block_size 0 asks for per-axis (scale 1-D of x's extent on `axis`) and
// block_size > 0 for blocked (scale shaped like x but ceil(D / block_size) on `axis`). Throws
// kInvalidArgument naming `op` on any mismatch. The zero point, when given, must match the scale.
kernels::QuantLayout resolve_layout(const char* op, const std::vector<int64_t>& x, const Tensor& scale,
                                    const Tensor* zero_point, int64_t axis, int64_t block_size);

// numpy matmul geometry of A [..., M, K] x B [..., K, N] (1-D operands promoted and the added dim
// dropped from `out`); batch dims broadcast.
struct MatMulGeometry {
  int64_t m = 1, n = 1, k = 1;
  int64_t count = 1;                  // number of output matrices
  std::vector<int64_t> batch;         // broadcast batch dims
  std::vector<int64_t> out;           // output shape
  std::vector<int64_t> off_a, off_b;  // per output matrix: element offset of its A and B matrix
};
MatMulGeometry resolve_matmul(const char* op, const std::vector<int64_t>& a, const std::vector<int64_t>& b);
// Symbolic output shape for infer(); throws on a definite mismatch. `a`, `b` must have shapes.
Shape infer_matmul_shape(const char* op, const TypeInfo& a, const TypeInfo& b);

// Per-row (A side) or per-column (B side) parameters of the integer matmuls: a one-element
// tensor applies to all; otherwise [M] / [..., M, 1] for rows of A and [N] / [..., 1, N] for
// columns of B, batch dims broadcasting against the output's. Returns, for each output matrix
// and row (column), the index of its value in `param`: count * M (count * N) entries.
std::vector<int64_t> param_index(const char* op, const char* name, const std::vector<int64_t>& param,
                                 const MatMulGeometry& g, const std::vector<int64_t>& operand, bool rows);

// Values of a per-row / per-column parameter expanded through param_index.
template <class T>
std::vector<T> gather(const std::vector<T>& values, const std::vector<int64_t>& index) {
  std::vector<T> out(index.size());
  for (size_t i = 0; i < index.size(); ++i) out[i] = values[static_cast<size_t>(index[i])];
  return out;
}

// The int32 product of MatMulInteger / QLinearMatMul: c [count, M, N] from int8 / uint8 A and B,
// zero points per output matrix and row of A (a_zp, count * M, or null) and per output matrix
// and column of B (b_zp, count * N, or null).
void matmul_s32(const MatMulGeometry& g, const Tensor& a, const Tensor& b, const int32_t* a_zp, const int32_t* b_zp,
                int32_t* c, kernels::Parallel& par);

// Shape inference shared by ConvInteger and QLinearConv: X (input x_index), W (w_index) -> Y of
// dtype `y`; reuses the Conv attribute resolution.
void infer_conv_integer(const conv::ConvAttrs& attrs, InferContext& ctx, const char* op, int x_index, int w_index,
                        DType y);

// conv::resolve with the op's name on its errors.
conv::Geometry resolve_conv(const char* op, const conv::ConvAttrs& attrs, const std::vector<int64_t>& x,
                            const std::vector<int64_t>& w);

// A per-output-channel parameter (w_scale, w_zero_point): stride 0 for one element, 1 for a 1-D
// tensor of c_out entries; throws kInvalidArgument otherwise.
int64_t channel_stride(const char* op, const char* name, const Tensor& t, int64_t c_out);

// The int32 convolution of ConvInteger / QLinearConv for int8 / uint8 x and w.
void conv_s32(const kernels::ConvParams& p, const Tensor& x, int32_t x_zp, const Tensor& w, const int32_t* w_zp,
              int64_t w_zp_stride, int32_t* y, kernels::Parallel& par);

}  // namespace ortl::opset::quant
