// GEMM kernels: C = alpha * op(A) * op(B) + beta * C on row-major matrices, op(X) = X or X^T.
//
// Layout: A is M x K (K x M when trans_a) with row stride lda, B is K x N (N x K when trans_b)
// with row stride ldb, C is M x N with row stride ldc. beta == 0 never reads C (it may hold
// NaN garbage), as in BLAS.
//
// Implementations are listed best-first in kernels.inc; select_gemm_f32() takes the ISA mask so
// tests and benchmarks can force any of them. gemm_f32_ref is the spec-literal oracle.
#pragma once

#include <cstdint>
#include <span>

#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"

namespace ortl::kernels {

template <class T>
struct GemmArgs {
  int64_t m = 0, n = 0, k = 0;
  bool trans_a = false, trans_b = false;
  T alpha = T(1), beta = T(0);
  const T* a = nullptr;
  int64_t lda = 0;
  const T* b = nullptr;
  int64_t ldb = 0;
  T* c = nullptr;
  int64_t ldc = 0;
  // op(A) already packed by the same implementation's pack_a (weights packed once at session
  // creation); a must still be set (the M == 1 / N == 1 paths read it).
  const T* a_packed = nullptr;
  // op(B) already packed by the same implementation's pack_b (constant MatMul weights); b must
  // still be set (the M == 1 / N == 1 / small-N paths read it).
  const T* b_packed = nullptr;
};
using GemmF32Args = GemmArgs<float>;

using GemmF32Fn = void (*)(const GemmF32Args& args, Parallel& par);

struct GemmF32Impl {
  const char* name;  // gemm_f32_<MR>x<NR>_<isa>
  uint32_t isa;      // IsaBit mask the host must have
  int mr, nr;        // register tile
  GemmF32Fn run;
  // Packs op(A) of `args` (a, lda, trans_a, m, k) into dst, a buffer of packed_a_floats(m, k)
  // floats, for GemmArgs::a_packed. Null for implementations that do not pack (the reference).
  void (*pack_a)(const GemmF32Args& args, float* dst);
  int64_t (*packed_a_floats)(int64_t m, int64_t k);
  // The same for op(B) (b, ldb, trans_b, k, n), for GemmArgs::b_packed.
  void (*pack_b)(const GemmF32Args& args, float* dst);
  int64_t (*packed_b_floats)(int64_t k, int64_t n);
};

// Every implementation, best first (kernels.inc order), the reference last.
std::span<const GemmF32Impl> gemm_f32_impls();
// The best implementation whose ISA bits are all in isa_mask.
const GemmF32Impl& select_gemm_f32(uint32_t isa_mask = active_isa());

// Spec-literal references (plain triple loop, wide accumulator). T: float, double, int32_t,
// int64_t, uint32_t, uint64_t. gemm_f32_ref is the float instance, usable as a GemmF32Fn.
template <class T>
void gemm_ref(const GemmArgs<T>& args);
void gemm_f32_ref(const GemmF32Args& args, Parallel& par);

// The per-ISA blocked implementations (gemm.cc, gemm_avx2.cc, gemm_avx512.cc).
void gemm_f32_6x8_generic(const GemmF32Args& args, Parallel& par);
void gemm_f32_6x16_avx2(const GemmF32Args& args, Parallel& par);
void gemm_f32_12x32_avx512(const GemmF32Args& args, Parallel& par);
void gemm_f32_6x8_generic_pack_a(const GemmF32Args& args, float* dst);
void gemm_f32_6x16_avx2_pack_a(const GemmF32Args& args, float* dst);
void gemm_f32_12x32_avx512_pack_a(const GemmF32Args& args, float* dst);
int64_t gemm_f32_mr6_packed_a_floats(int64_t m, int64_t k);
int64_t gemm_f32_mr12_packed_a_floats(int64_t m, int64_t k);
void gemm_f32_6x8_generic_pack_b(const GemmF32Args& args, float* dst);
void gemm_f32_6x16_avx2_pack_b(const GemmF32Args& args, float* dst);
void gemm_f32_12x32_avx512_pack_b(const GemmF32Args& args, float* dst);
int64_t gemm_f32_nr8_packed_b_floats(int64_t k, int64_t n);
int64_t gemm_f32_nr16_packed_b_floats(int64_t k, int64_t n);
int64_t gemm_f32_nr32_packed_b_floats(int64_t k, int64_t n);

// Convenience: the best implementation for the host (selected once).
void gemm_f32(const GemmF32Args& args, Parallel& par = serial());

// Per-thread scratch for packing buffers: grows, never shrinks, 64-byte aligned. `slot`
// separates users that may be live at once on one thread (0: gemm packing, 1: conv columns,
// 2: gemm's small-N copy of B or padded copy of A, 3: conv's transposed output for few output channels).
float* thread_scratch_f32(int slot, int64_t count);

}  // namespace ortl::kernels
