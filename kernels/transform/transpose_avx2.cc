// AVX2 build of the 4-byte transpose block (transpose_impl.h): 8x8 tiles.
#include <cstdint>

#include "kernels/transform/transpose_impl.h"

namespace ortl::kernels {

void transpose_block_u32_avx2(const uint32_t* src, int64_t ls, uint32_t* dst, int64_t ld, int64_t na, int64_t nb) {
  TransposeTile<8>::block(src, ls, dst, ld, na, nb);
}

}  // namespace ortl::kernels
