#include "kernels/base/isa.h"

#include <cpuid.h>

#include <cstdlib>
#include <cstring>

namespace ortl::kernels {
namespace {

uint64_t xgetbv0() {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
}

uint32_t probe() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  const bool osxsave = c & bit_OSXSAVE, fma = c & bit_FMA, f16c = c & bit_F16C, avx = c & bit_AVX;
  if (!osxsave || !avx) return 0;
  const uint64_t xcr0 = xgetbv0();
  const bool ymm_saved = (xcr0 & 0x6) == 0x6;
  const bool zmm_saved = (xcr0 & 0xe6) == 0xe6;
  if (__get_cpuid_max(0, nullptr) < 7) return 0;
  __cpuid_count(7, 0, a, b, c, d);
  uint32_t mask = 0;
  if (ymm_saved && fma && f16c && (b & bit_AVX2)) mask |= kIsaAvx2;
  const bool avx512 = (b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512DQ) && (b & bit_AVX512VL);
  if ((mask & kIsaAvx2) && zmm_saved && avx512) mask |= kIsaAvx512;
  if ((mask & kIsaAvx512) && (c & bit_AVX512VNNI)) mask |= kIsaAvx512Vnni;
  if ((d & (1u << 24)) && (d & (1u << 25)) && (xcr0 & 0x60000) == 0x60000) mask |= kIsaAmx;
  return mask;
}

}  // namespace

uint32_t host_isa() {
  static const uint32_t mask = probe();
  return mask;
}

uint32_t active_isa() {
  static const uint32_t mask = [] {
    uint32_t m = host_isa();
    const char* cap = std::getenv("ORTL_MAX_ISA");
    if (!cap) return m;
    if (std::strcmp(cap, "ref") == 0) return 0u;
    if (std::strcmp(cap, "avx2") == 0) return m & kIsaAvx2;
    if (std::strcmp(cap, "avx512") == 0) return m & (kIsaAvx2 | kIsaAvx512 | kIsaAvx512Vnni);
    return m;
  }();
  return mask;
}

const char* isa_name(uint32_t mask) {
  if (mask & kIsaAvx512) return "avx512";
  if (mask & kIsaAvx2) return "avx2";
  return "ref";
}

}  // namespace ortl::kernels
