// Integer GEMM for MatMulInteger / QLinearMatMul and the integer convolutions:
//
//   C[m, n] = sum_k (A[m, k] - a_zp[m]) * (B[k, n] - b_zp[n])     (int32, wrapping on overflow)
//
// A is M x K (row stride lda), B is K x N (ldb), C is M x N (ldc), all row-major; A and B are
// int8 or uint8 in any mix. Zero points are per row of A and per column of B (stride 0: one for
// all, null: 0). The spec lets only the 32-bit accumulation overflow; it wraps here as in two's
// complement hardware, computed in uint32 so the C++ stays defined.
//
// qgemm_s32 widens both operands to int16 with the zero point subtracted (|x - zp| <= 255), then
// runs an int16 x int16 -> int32 row kernel (i-k-j order, the inner loop over contiguous N, which
// compilers vectorize). qgemm_ref is the spec-literal triple loop, the oracle in tests.
#pragma once

#include <cstdint>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

template <class TA, class TB>
struct QGemmArgs {
  int64_t m = 0, n = 0, k = 0;
  const TA* a = nullptr;
  int64_t lda = 0;
  const int32_t* a_zp = nullptr;
  int64_t a_zp_stride = 0;
  const TB* b = nullptr;
  int64_t ldb = 0;
  const int32_t* b_zp = nullptr;
  int64_t b_zp_stride = 0;
  int32_t* c = nullptr;
  int64_t ldc = 0;
};

// TA, TB: int8_t or uint8_t.
template <class TA, class TB>
void qgemm_ref(const QGemmArgs<TA, TB>& args);
template <class TA, class TB>
void qgemm_s32(const QGemmArgs<TA, TB>& args, Parallel& par = serial());

// Building blocks shared with conv_integer.
// dst[r * cols + c] = src[r * ld + c] - zp[r * zp_row_stride + c * zp_col_stride] (zp null: 0).
template <class T>
void pack_s16(int64_t rows, int64_t cols, const T* src, int64_t ld, const int32_t* zp, int64_t zp_row_stride,
              int64_t zp_col_stride, int16_t* dst);
// C[m, n] = sum_k a[m, k] * b[k, n] on already widened operands (int32, wrapping).
void qgemm_s16(int64_t m, int64_t n, int64_t k, const int16_t* a, int64_t lda, const int16_t* b, int64_t ldb,
               int32_t* c, int64_t ldc);

}  // namespace ortl::kernels
