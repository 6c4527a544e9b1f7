// BitCast (opset 26): reinterprets each element's bits as another type of the same bit width;
// any type but string. The bytes are little-endian on every host ort-lite builds for, so 8-bit
// and wider types copy as they are. 4- and 2-bit types are held one element per byte (see
// tensor.hpp), so their low bits carry over and are re-normalised for the target: int4 / int2
// sign-extend, uint4 / uint2 / float4e2m1 zero-extend.
#include <cstring>

#include "opset/math/math.h"

namespace ortl::opset {
namespace {

class BitCast final : public OpKernel {
 public:
  explicit BitCast(DType to) : to_(to) {}

  void infer(InferContext& ctx) const override {
    const DType from = ctx.input_dtype(0);
    if (from == DType::kString || dtype_bits(from) == 0)
      fail(ErrorCode::kInvalidArgument, "BitCast: input type ", dtype_name(from), " cannot be bit-cast");
    if (dtype_bits(from) != dtype_bits(to_))
      fail(ErrorCode::kInvalidArgument, "BitCast: ", dtype_name(from), " (", dtype_bits(from), " bits) and ",
           dtype_name(to_), " (", dtype_bits(to_), " bits) differ in bit width");
    const TypeInfo& x = ctx.input_type(0);
    ctx.set_output(0, TypeInfo{to_, x.has_shape, x.shape});
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.dtype() == DType::kString || dtype_bits(x.dtype()) != dtype_bits(to_))
      fail(ErrorCode::kInvalidArgument, "BitCast: input is ", dtype_name(x.dtype()), ", which cannot be bit-cast to ",
           dtype_name(to_));
    Tensor& y = ctx.output(0, x.shape());
    const int bits = dtype_bits(to_);
    if (bits >= 8) {
      if (y.data() != x.data() && x.nbytes()) std::memmove(y.data(), x.data(), x.nbytes());
      return;
    }
    const unsigned mask = (1u << bits) - 1;
    const bool sign = to_ == DType::kInt4 || to_ == DType::kInt2;
    const auto* s = x.data_as<uint8_t>();
    auto* d = y.data_as<uint8_t>();
    for (int64_t i = 0; i < x.numel(); ++i) {
      const unsigned v = s[i] & mask;
      d[i] = static_cast<uint8_t>(sign && (v >> (bits - 1)) ? v | ~mask : v);
    }
  }

  std::vector<std::pair<int, int>> inplace() const override { return {{0, 0}}; }
  std::string kernel_name() const override { return "bitcast"; }

 private:
  DType to_;
};

}  // namespace

std::unique_ptr<OpKernel> build_bitcast(const BuildContext& c) {
  const graph::Attribute* a = c.node.attr("to");
  check(a != nullptr, ErrorCode::kInvalidModel, "BitCast: attribute 'to' is required");
  const DType to = static_cast<DType>(a->i);
  if (to == DType::kString || a->i <= 0 || a->i > 28)
    fail(ErrorCode::kInvalidArgument, "BitCast: 'to' = ", a->i, " is not a type BitCast accepts");
  if (dtype_size(to) == 0)  // complex, float6
    fail(ErrorCode::kNotImplemented, "BitCast: 'to' = ", a->i, " (ONNX TensorProto.DataType) is not supported");
  return std::make_unique<BitCast>(to);
}

}  // namespace ortl::opset
