// AVX-512 build of the NCHWc Winograd kernels (nchwc_winograd_impl.h): a 12 tiles x 32 channels
// register tile (24 zmm accumulators, 2 for the U row, 1 for the V broadcast, of 32), the shape
// of the 12x32 GEMM kernel: 14 loads per 24 FMAs per input channel.
#include "kernels/nchwc/nchwc_winograd_impl.h"

namespace ortl::kernels::nchwc {

WinoKernels winograd_kernels_avx512() { return wino_kernels<12, 2, 16>(); }

}  // namespace ortl::kernels::nchwc
