// The native GCC float vector of the including translation unit's ISA, shared by the depthwise,
// pool and reorder bodies (each included once per ISA unit: baseline, *_avx2.cc, *_avx512.cc).
// A 16-float block is 16 / kVecW vectors ("lane groups"); a 64-byte GCC vector on AVX2 would be
// lowered through the stack. Everything is in an anonymous namespace, so the AVX builds never
// leak into the baseline path.
#pragma once

#include <cstring>

// The vector type is internal and inlined; no 32/64-byte vector crosses an ABI boundary. Left on
// for the rest of the including unit: GCC reports the warning at its end.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace ortl::kernels::nchwc {
namespace {

#if defined(__AVX512F__)
constexpr int kVecW = 16;
#elif defined(__AVX2__)
constexpr int kVecW = 8;
#else
constexpr int kVecW = 4;
#endif
typedef float NVec __attribute__((vector_size(kVecW * sizeof(float))));

inline NVec nv_ld(const float* p) {
  NVec v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
inline void nv_st(float* p, const NVec& v) { std::memcpy(p, &v, sizeof(v)); }

}  // namespace
}  // namespace ortl::kernels::nchwc
