// Helpers shared by the vision ops: float dtype checks and dispatch (the nn family's, whose
// float16 / bfloat16 detour the float-only kernels here use too), attribute reading, and
// tensors read in another floating type than they are stored in.
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "opset/nn/half_detour.h"
#include "opset/nn/nn_util.h"
#include "opset/tensor/tensor_util.h"
#include "opset/util.h"

namespace ortl::opset::vision {

using nn::check_float;
using nn::dispatch_float;
using nn::is_float;
using nn::run_half_as_float;

inline int64_t numel(const std::vector<int64_t>& s, size_t b = 0, size_t e = SIZE_MAX) {
  int64_t p = 1;
  for (size_t i = b; i < e && i < s.size(); ++i) p *= s[i];
  return p;
}

// The elements of a float / double tensor (widened float16 / bfloat16 included) as T, without a
// copy when it already holds T.
template <class T>
const T* floats_as(const Tensor& t, std::vector<T>& tmp) {
  if (t.dtype() == DType::kFloat && std::is_same_v<T, float>) return reinterpret_cast<const T*>(t.data());
  if (t.dtype() == DType::kDouble && std::is_same_v<T, double>) return reinterpret_cast<const T*>(t.data());
  tmp.resize(static_cast<size_t>(t.numel()));
  if (t.dtype() == DType::kDouble) {
    for (size_t i = 0; i < tmp.size(); ++i) tmp[i] = static_cast<T>(t.data_as<double>()[i]);
  } else if (t.dtype() == DType::kFloat) {
    for (size_t i = 0; i < tmp.size(); ++i) tmp[i] = static_cast<T>(t.data_as<float>()[i]);
  } else {
    const std::vector<float> f = floats_of(t);
    for (size_t i = 0; i < tmp.size(); ++i) tmp[i] = static_cast<T>(f[i]);
  }
  return tmp.data();
}

}  // namespace ortl::opset::vision
