// Generic blocked f32 GEMM (6x8 register tile of 4-wide GCC vectors: SSE2 on any x86-64, 12 of
// the 16 xmm registers hold the accumulators), the implementation list and selector, and the
// per-thread packing scratch shared by the ISA variants.
#include "kernels/gemm/gemm.h"

#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "kernels/gemm/gemm_impl.h"

namespace ortl::kernels {
namespace {

struct Vec4 {
  typedef float V __attribute__((vector_size(16)));
  static constexpr int kW = 4;
  static V zero() { return V{0.f, 0.f, 0.f, 0.f}; }
  static V set1(float x) { return V{x, x, x, x}; }
  static V load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(float* p, V v) { std::memcpy(p, &v, sizeof v); }
  static V fmadd(V a, V b, V c) { return a * b + c; }
  static V mul(V a, V b) { return a * b; }
  static V add(V a, V b) { return a + b; }
  static float hsum(V v) { return (v[0] + v[1]) + (v[2] + v[3]); }
};

constexpr GemmF32Impl kImpls[] = {
#include "kernels/gemm/kernels.inc"
};

struct AlignedFree {
  void operator()(float* p) const { ::operator delete[](p, std::align_val_t{64}); }
};

}  // namespace

void gemm_f32_6x8_generic(const GemmF32Args& args, Parallel& par) { gemm_detail::Blocked<Vec4, 6, 2>::run(args, par); }

std::span<const GemmF32Impl> gemm_f32_impls() { return kImpls; }

const GemmF32Impl& select_gemm_f32(uint32_t isa_mask) {
  for (const GemmF32Impl& impl : kImpls) {
    if ((impl.isa & isa_mask) == impl.isa) return impl;
  }
  return kImpls[std::size(kImpls) - 1];
}

void gemm_f32(const GemmF32Args& args, Parallel& par) {
  static const GemmF32Fn fn = select_gemm_f32(active_isa()).run;
  fn(args, par);
}

float* thread_scratch_f32(int slot, int64_t count) {
  struct Buf {
    std::unique_ptr<float[], AlignedFree> data;
    int64_t size = 0;
  };
  thread_local Buf bufs[4];
  Buf& b = bufs[slot];
  if (b.size < count) {
    const int64_t want = std::max(count, b.size + b.size / 2);
    b.data.reset(
        static_cast<float*>(::operator new[](static_cast<size_t>(want) * sizeof(float), std::align_val_t{64})));
    b.size = want;
  }
  return b.data.get();
}

void gemm_f32_6x8_generic_pack_a(const GemmF32Args& args, float* dst) {
  gemm_detail::Blocked<Vec4, 6, 2>::pack_a_all(args, dst);
}
int64_t gemm_f32_mr6_packed_a_floats(int64_t m, int64_t k) {
  return gemm_detail::Blocked<Vec4, 6, 2>::packed_a_floats(m, k);
}
int64_t gemm_f32_mr12_packed_a_floats(int64_t m, int64_t k) {
  return gemm_detail::Blocked<Vec4, 12, 1>::packed_a_floats(m, k);
}

void gemm_f32_6x8_generic_pack_b(const GemmF32Args& args, float* dst) {
  gemm_detail::Blocked<Vec4, 6, 2>::pack_b_all(args, dst);
}
int64_t gemm_f32_nr8_packed_b_floats(int64_t k, int64_t n) {
  return gemm_detail::Blocked<Vec4, 6, 2>::packed_b_floats(k, n);
}
int64_t gemm_f32_nr16_packed_b_floats(int64_t k, int64_t n) {
  return gemm_detail::Blocked<Vec4, 6, 4>::packed_b_floats(k, n);
}
int64_t gemm_f32_nr32_packed_b_floats(int64_t k, int64_t n) {
  return gemm_detail::Blocked<Vec4, 6, 8>::packed_b_floats(k, n);
}

}  // namespace ortl::kernels
