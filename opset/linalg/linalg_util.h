// Dtype dispatch shared by Gemm and MatMul: float runs the GEMM bound at build time, the other
// numeric types the reference loop (double, 32/64-bit integers, as the schemas allow), and
// float16 / bfloat16 detour through float copies (rounded once, on the way out).
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "kernels/eltwise/half.h"
#include "kernels/gemm/gemm.h"
#include "opset/op.h"
#include "opset/util.h"

namespace ortl::opset::linalg {

template <class F>
void dispatch_gemm_type(DType dt, const char* op, F&& fn) {
  switch (dt) {
    case DType::kFloat: fn(float{}); break;
    case DType::kDouble: fn(double{}); break;
    case DType::kInt32: fn(int32_t{}); break;
    case DType::kInt64: fn(int64_t{}); break;
    case DType::kUInt32: fn(uint32_t{}); break;
    case DType::kUInt64: fn(uint64_t{}); break;
    default: fail(ErrorCode::kNotImplemented, op, ": dtype ", dtype_name(dt), " is not supported");
  }
}

inline bool is_half(DType dt) { return dt == DType::kFloat16 || dt == DType::kBFloat16; }

inline bool gemm_type_supported(DType dt) {
  return dt == DType::kFloat || dt == DType::kDouble || dt == DType::kInt32 || dt == DType::kInt64 ||
         dt == DType::kUInt32 || dt == DType::kUInt64 || is_half(dt);
}

// float copy of a float16 / bfloat16 tensor.
inline std::vector<float> widen(const Tensor& t) {
  std::vector<float> f(static_cast<size_t>(t.numel()));
  half_to_float(t, f.data());
  return f;
}

// Rounds float results into a float16 / bfloat16 tensor of the same size.
inline void narrow(const std::vector<float>& f, Tensor& dst) { float_to_half(f.data(), dst); }

template <class T>
void run_gemm(const kernels::GemmArgs<T>& args, const kernels::GemmF32Impl& impl, kernels::Parallel& par) {
  if constexpr (std::is_same_v<T, float>) {
    impl.run(args, par);
  } else {
    kernels::gemm_ref(args);
  }
}

}  // namespace ortl::opset::linalg
