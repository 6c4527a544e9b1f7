// AVX2 build of the NCHWc Winograd kernels (nchwc_winograd_impl.h): a 6 tiles x 16 channels
// register tile (12 ymm accumulators, 2 for the U row, 1 for the V broadcast, of 16).
#include "kernels/nchwc/nchwc_winograd_impl.h"

namespace ortl::kernels::nchwc {

WinoKernels winograd_kernels_avx2() { return wino_kernels<6, 1, 8>(); }

}  // namespace ortl::kernels::nchwc
