// Tensor storage: 64-byte aligned so SIMD kernels can use aligned loads on whole buffers.
#include <cstdlib>
#include <cstring>
#include <new>

#include "graph/common.h"

namespace ort_lite {

size_t dtype_size(DataType t) {
  switch (t) {
    case DataType::kFloat:
    case DataType::kInt32:
    case DataType::kUInt32: return 4;
    case DataType::kUInt8:
    case DataType::kInt8:
    case DataType::kBool:
    case DataType::kFloat8E4M3FN:
    case DataType::kFloat8E4M3FNUZ:
    case DataType::kFloat8E5M2:
    case DataType::kFloat8E5M2FNUZ:
    case DataType::kUInt4:
    case DataType::kInt4:
    case DataType::kFloat4E2M1:
    case DataType::kFloat8E8M0:
    case DataType::kUInt2:
    case DataType::kInt2:
    case DataType::kFloat6E2M3:
    case DataType::kFloat6E3M2: return 1;  // unpacked: one element per byte
    case DataType::kUInt16:
    case DataType::kInt16:
    case DataType::kFloat16:
    case DataType::kBFloat16: return 2;
    case DataType::kInt64:
    case DataType::kDouble:
    case DataType::kUInt64: return 8;
    case DataType::kString: return sizeof(std::string);
    default: return 0;
  }
}

const char* dtype_name(DataType t) {
  switch (t) {
    case DataType::kFloat: return "float";
    case DataType::kUInt8: return "uint8";
    case DataType::kInt8: return "int8";
    case DataType::kUInt16: return "uint16";
    case DataType::kInt16: return "int16";
    case DataType::kInt32: return "int32";
    case DataType::kInt64: return "int64";
    case DataType::kString: return "string";
    case DataType::kBool: return "bool";
    case DataType::kFloat16: return "float16";
    case DataType::kDouble: return "double";
    case DataType::kUInt32: return "uint32";
    case DataType::kUInt64: return "uint64";
    case DataType::kBFloat16: return "bfloat16";
    case DataType::kFloat8E4M3FN: return "float8e4m3fn";
    case DataType::kFloat8E4M3FNUZ: return "float8e4m3fnuz";
    case DataType::kFloat8E5M2: return "float8e5m2";
    case DataType::kFloat8E5M2FNUZ: return "float8e5m2fnuz";
    case DataType::kUInt4: return "uint4";
    case DataType::kInt4: return "int4";
    case DataType::kFloat4E2M1: return "float4e2m1";
    case DataType::kFloat8E8M0: return "float8e8m0";
    case DataType::kUInt2: return "uint2";
    case DataType::kInt2: return "int2";
    case DataType::kFloat6E2M3: return "float6e2m3";
    case DataType::kFloat6E3M2: return "float6e3m2";
    default: return "undefined";
  }
}

int dtype_bits(DataType t) {
  switch (t) {
    case DataType::kUInt4:
    case DataType::kInt4:
    case DataType::kFloat4E2M1: return 4;
    case DataType::kUInt2:
    case DataType::kInt2: return 2;
    case DataType::kFloat6E2M3:
    case DataType::kFloat6E3M2: return 6;
    case DataType::kString: return 0;
    default: return static_cast<int>(8 * dtype_size(t));
  }
}

int64_t Tensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape_) n *= d;
  return n;
}

Tensor::Tensor(DataType dtype, std::vector<int64_t> shape) : dtype_(dtype), shape_(std::move(shape)) {
  const int64_t n = ortl::checked_numel(shape_);
  const size_t esz = dtype_size(dtype);
  ortl::check(esz != 0, ortl::ErrorCode::kInvalidArgument, "cannot allocate a tensor of dtype ", dtype_name(dtype));
  if (dtype == DataType::kString) {
    auto* strings = new std::string[n > 0 ? n : 1];
    storage_ = std::shared_ptr<void>(strings, [](void* p) { delete[] static_cast<std::string*>(p); });
    data_ = strings;
    return;
  }
  const size_t bytes = (static_cast<size_t>(n) * esz + 63) & ~size_t{63};
  void* p = std::aligned_alloc(64, bytes > 0 ? bytes : 64);
  if (!p)
    ortl::fail(ortl::ErrorCode::kOutOfMemory, "cannot allocate ", bytes, " bytes for a tensor of shape ",
               ortl::shape_str(shape_));
  std::memset(p, 0, bytes);
  storage_ = std::shared_ptr<void>(p, [](void* q) { std::free(q); });
  data_ = p;
}

Tensor Tensor::view(DataType dtype, std::vector<int64_t> shape, void* data) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.data_ = data;
  return t;
}

Tensor Tensor::wrap(DataType dtype, std::vector<int64_t> shape, void* data, std::shared_ptr<void> owner) {
  Tensor t = view(dtype, std::move(shape), data);
  t.storage_ = std::move(owner);
  return t;
}

Tensor Tensor::reshaped(std::vector<int64_t> shape) const {
  Tensor t = *this;
  t.shape_ = std::move(shape);
  ortl::check(t.numel() == numel(), ortl::ErrorCode::kInvalidArgument, "cannot reshape ", ortl::shape_str(shape_),
              " to ", ortl::shape_str(t.shape_));
  return t;
}

Tensor Tensor::clone() const {
  Tensor t(dtype_, shape_);
  if (dtype_ == DataType::kString) {
    for (int64_t i = 0; i < numel(); ++i) t.data_as<std::string>()[i] = data_as<std::string>()[i];
  } else if (nbytes() > 0) {
    std::memcpy(t.data_, data_, nbytes());
  }
  return t;
}

}  // namespace ort_lite

namespace ortl {

int64_t checked_numel(const std::vector<int64_t>& shape) {
  constexpr int64_t kMax = int64_t{1} << 40;
  for (int64_t d : shape) check(d >= 0, ErrorCode::kInvalidArgument, "negative dimension in shape ", shape_str(shape));
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d == 0) return 0;
    if (n > kMax / d) fail(ErrorCode::kOutOfMemory, "shape ", shape_str(shape), " has too many elements (limit 2^40)");
    n *= d;
  }
  return n;
}

std::string shape_str(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace ortl
