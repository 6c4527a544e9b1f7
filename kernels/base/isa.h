// Run-time ISA detection. The CPU is probed once (CPUID plus XGETBV: the OS must save the
// AVX/AVX-512 register state for those paths to be usable); ORTL_MAX_ISA=ref|avx2|avx512 caps
// the result so one machine can test every tier. Selectors take the mask as an argument so
// tests and benchmarks can force any variant.
#pragma once

#include <cstdint>

namespace ortl::kernels {

enum IsaBit : uint32_t {
  kIsaAvx2 = 1u << 0,        // AVX2 + FMA + F16C
  kIsaAvx512 = 1u << 1,      // AVX-512 F/BW/DQ/VL
  kIsaAvx512Vnni = 1u << 2,  // AVX-512 VNNI
  kIsaAmx = 1u << 3,         // AMX tile + int8/bf16
};

// What the host CPU and OS support, ignoring ORTL_MAX_ISA.
uint32_t host_isa();
// host_isa() capped by ORTL_MAX_ISA (read once); what selectors use by default.
uint32_t active_isa();
// "avx512" / "avx2" / "ref": the best tier in a mask.
const char* isa_name(uint32_t mask);

}  // namespace ortl::kernels
