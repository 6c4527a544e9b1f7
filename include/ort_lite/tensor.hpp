// ort-lite public API: data types, errors and the Tensor (owning, or a view over user memory).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ort_lite/export.h"

namespace ort_lite {

// Values are the ONNX TensorProto.DataType codes, so they round-trip through model files.
//
// The sub-byte and 8-bit low-precision types (codes 17-28) are held UNPACKED in memory, one
// element per byte (dtype_size 1), whatever the ONNX file does:
//   - float8 flavours, float8e8m0: the element's 8-bit pattern;
//   - float4e2m1, float6e2m3, float6e3m2: the 4- or 6-bit pattern in the low bits (the rest zero);
//   - int4 / int2: the value sign-extended to an int8 ([-8, 7] / [-2, 1]);
//   - uint4 / uint2: the value as a uint8 ([0, 15] / [0, 3]).
// ONNX files pack 4-bit types two per byte, 2-bit types four per byte and 6-bit types four per
// three bytes, as one little-endian bit stream (first element in the lowest bits); the loader
// unpacks them and every writer (save_tensor_pb, ...) packs them again.
// A tensor handed to ort-lite through the API uses the unpacked layout.
enum class DataType : int32_t {
  kUndefined = 0,
  kFloat = 1,
  kUInt8 = 2,
  kInt8 = 3,
  kUInt16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kDouble = 11,
  kUInt32 = 12,
  kUInt64 = 13,
  kBFloat16 = 16,
  kFloat8E4M3FN = 17,    // 1 sign, 4 exponent (bias 7), 3 mantissa bits; no inf, NaN S.1111.111
  kFloat8E4M3FNUZ = 18,  // bias 8; no inf, no -0; 0x80 is NaN
  kFloat8E5M2 = 19,      // bias 15; IEEE-like inf and NaN
  kFloat8E5M2FNUZ = 20,  // bias 16; no inf, no -0; 0x80 is NaN
  kUInt4 = 21,
  kInt4 = 22,
  kFloat4E2M1 = 23,  // 1 sign, 2 exponent (bias 1), 1 mantissa bit; no inf, no NaN; max 6
  kFloat8E8M0 = 24,  // unsigned power of two 2^(e - 127); 0xff is NaN
  kUInt2 = 25,
  kInt2 = 26,
  kFloat6E2M3 = 27,  // 1 sign, 2 exponent (bias 1), 3 mantissa bits; no inf, no NaN; max 7.5
  kFloat6E3M2 = 28,  // 1 sign, 3 exponent (bias 3), 2 mantissa bits; no inf, no NaN; max 28
};

// True for the types above held unpacked (codes 17-28).
constexpr bool is_lowp_dtype(DataType t) { return t >= DataType::kFloat8E4M3FN && t <= DataType::kFloat6E3M2; }
// Bits of one element in an ONNX file (4 for int4/uint4/float4e2m1, 2 for int2/uint2, 6 for
// the float6 types, else 8 * dtype_size).
ORTL_API int dtype_bits(DataType t);

// Size in bytes of one element (sizeof(std::string) for kString, 0 for kUndefined).
ORTL_API size_t dtype_size(DataType t);
// ONNX spelling: "float", "int64", "float16", ...
ORTL_API const char* dtype_name(DataType t);

enum class ErrorCode : int {
  kOk = 0,
  kInvalidArgument = 1,  // bad user input: names, dtypes, shapes, values
  kInvalidModel = 2,     // malformed or inconsistent model file
  kNotImplemented = 3,   // an op, attribute or dtype ort-lite does not support
  kOutOfMemory = 4,      // a tensor too large to allocate
  kRuntime = 5,          // anything else raised while running
};

class ORTL_API Exception : public std::runtime_error {
 public:
  Exception(ErrorCode code, const std::string& msg) : std::runtime_error(msg), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// A dense row-major tensor. Copies are shallow (they share the buffer); an owning tensor frees
// its buffer when the last copy goes, a view never frees the memory it was given.
class ORTL_API Tensor {
 public:
  Tensor() = default;
  // Allocates (64-byte aligned, zero-filled) memory for the given shape.
  Tensor(DataType dtype, std::vector<int64_t> shape);
  // A view over caller-owned memory, which must outlive every copy of the view.
  static Tensor view(DataType dtype, std::vector<int64_t> shape, void* data);
  // A view that keeps `owner` alive as long as the tensor or a copy of it exists.
  static Tensor wrap(DataType dtype, std::vector<int64_t> shape, void* data, std::shared_ptr<void> owner);

  bool defined() const { return dtype_ != DataType::kUndefined; }
  DataType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[i < 0 ? i + rank() : i]; }
  int64_t numel() const;
  size_t nbytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype_); }

  void* data() { return data_; }
  const void* data() const { return data_; }
  template <class T>
  T* data_as() {
    return static_cast<T*>(data_);
  }
  template <class T>
  const T* data_as() const {
    return static_cast<const T*>(data_);
  }
  const std::shared_ptr<void>& storage() const { return storage_; }

  // Same buffer, another shape with the same element count.
  Tensor reshaped(std::vector<int64_t> shape) const;
  // A deep copy into freshly allocated memory.
  Tensor clone() const;

 private:
  DataType dtype_ = DataType::kUndefined;
  std::vector<int64_t> shape_;
  void* data_ = nullptr;
  std::shared_ptr<void> storage_;
};

}  // namespace ort_lite
