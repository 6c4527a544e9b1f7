// Internal names for the public value types, and the error helpers every layer above kernels uses.
#pragma once

#include <ort_lite/tensor.hpp>
#include <sstream>
#include <string>
#include <utility>

namespace ortl {

using DType = ort_lite::DataType;
using ErrorCode = ort_lite::ErrorCode;
using Error = ort_lite::Exception;
using ort_lite::dtype_bits;
using ort_lite::dtype_name;
using ort_lite::dtype_size;
using ort_lite::is_lowp_dtype;
using ort_lite::Tensor;

// Builds a message from any streamable parts: fail(ErrorCode::kInvalidArgument, "rank ", r).
template <class... Parts>
[[noreturn]] void fail(ErrorCode code, const Parts&... parts) {
  std::ostringstream os;
  (os << ... << parts);
  throw Error(code, os.str());
}

template <class... Parts>
void check(bool cond, ErrorCode code, const Parts&... parts) {
  if (!cond) fail(code, parts...);
}

// Product of dims with overflow and absurd-size detection (limit: 2^40 elements).
int64_t checked_numel(const std::vector<int64_t>& shape);

std::string shape_str(const std::vector<int64_t>& shape);

}  // namespace ortl
