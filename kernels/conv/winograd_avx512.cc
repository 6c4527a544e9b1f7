// AVX512 build of the Winograd transforms (winograd_impl.h); winograd.cc picks it at run time.
#include "kernels/conv/winograd.h"
#include "kernels/conv/winograd_impl.h"

namespace ortl::kernels {

WinogradTransforms winograd_transforms_avx512() { return {wino_input_row, wino_output_row}; }

}  // namespace ortl::kernels
