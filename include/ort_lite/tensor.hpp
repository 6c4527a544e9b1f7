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
};

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
