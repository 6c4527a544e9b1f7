// Integer GEMM (qgemm.h): int16 widening with the zero points folded in, then a row kernel over
// column blocks of kNBlock so one block of accumulators stays in L1 while K streams past it.
#include "kernels/quant/qgemm.h"

#include <algorithm>
#include <vector>

namespace ortl::kernels {
namespace {

constexpr int64_t kNBlock = 512;

}  // namespace

template <class T>
void pack_s16(int64_t rows, int64_t cols, const T* src, int64_t ld, const int32_t* zp, int64_t zp_row_stride,
              int64_t zp_col_stride, int16_t* dst) {
  for (int64_t r = 0; r < rows; ++r) {
    const T* s = src + r * ld;
    int16_t* d = dst + r * cols;
    if (!zp) {
      for (int64_t c = 0; c < cols; ++c) d[c] = static_cast<int16_t>(s[c]);
    } else if (zp_col_stride == 0) {
      const int32_t z = zp[r * zp_row_stride];
      for (int64_t c = 0; c < cols; ++c) d[c] = static_cast<int16_t>(s[c] - z);
    } else {
      const int32_t* z = zp + r * zp_row_stride;
      for (int64_t c = 0; c < cols; ++c) d[c] = static_cast<int16_t>(s[c] - z[c * zp_col_stride]);
    }
  }
}

void qgemm_s16(int64_t m, int64_t n, int64_t k, const int16_t* a, int64_t lda, const int16_t* b, int64_t ldb,
               int32_t* c, int64_t ldc) {
  for (int64_t n0 = 0; n0 < n; n0 += kNBlock) {
    const int64_t nb = std::min(kNBlock, n - n0);
    for (int64_t i = 0; i < m; ++i) {
      // int32 and uint32 may alias; unsigned arithmetic gives the wrapped two's complement sum.
      uint32_t* acc = reinterpret_cast<uint32_t*>(c + i * ldc + n0);
      std::fill(acc, acc + nb, 0u);
      for (int64_t kk = 0; kk < k; ++kk) {
        const auto av = static_cast<uint32_t>(static_cast<int32_t>(a[i * lda + kk]));
        if (av == 0) continue;  // padding taps and zero-point-valued inputs
        const int16_t* brow = b + kk * ldb + n0;
        for (int64_t j = 0; j < nb; ++j) acc[j] += av * static_cast<uint32_t>(static_cast<int32_t>(brow[j]));
      }
    }
  }
}

template <class TA, class TB>
void qgemm_ref(const QGemmArgs<TA, TB>& g) {
  for (int64_t i = 0; i < g.m; ++i) {
    const int64_t azp = g.a_zp ? g.a_zp[i * g.a_zp_stride] : 0;
    for (int64_t j = 0; j < g.n; ++j) {
      const int64_t bzp = g.b_zp ? g.b_zp[j * g.b_zp_stride] : 0;
      int64_t sum = 0;
      for (int64_t kk = 0; kk < g.k; ++kk) sum += (g.a[i * g.lda + kk] - azp) * (g.b[kk * g.ldb + j] - bzp);
      g.c[i * g.ldc + j] = static_cast<int32_t>(sum);  // modulo 2^32 (C++20)
    }
  }
}

template <class TA, class TB>
void qgemm_s32(const QGemmArgs<TA, TB>& g, Parallel& par) {
  if (g.m == 0 || g.n == 0) return;
  std::vector<int16_t> b16(static_cast<size_t>(g.k * g.n));
  pack_s16(g.k, g.n, g.b, g.ldb, g.b_zp, 0, g.b_zp_stride, b16.data());
  par.for_range(g.m, static_cast<double>(g.n * g.k), [&](int64_t r0, int64_t r1) {
    std::vector<int16_t> a16(static_cast<size_t>((r1 - r0) * g.k));
    pack_s16(r1 - r0, g.k, g.a + r0 * g.lda, g.lda, g.a_zp ? g.a_zp + r0 * g.a_zp_stride : nullptr, g.a_zp_stride, 0,
             a16.data());
    qgemm_s16(r1 - r0, g.n, g.k, a16.data(), g.k, b16.data(), g.n, g.c + r0 * g.ldc, g.ldc);
  });
}

#define ORTL_QGEMM_INSTANTIATE(TA, TB)                       \
  template void qgemm_ref<TA, TB>(const QGemmArgs<TA, TB>&); \
  template void qgemm_s32<TA, TB>(const QGemmArgs<TA, TB>&, Parallel&);
ORTL_QGEMM_INSTANTIATE(uint8_t, uint8_t)
ORTL_QGEMM_INSTANTIATE(uint8_t, int8_t)
ORTL_QGEMM_INSTANTIATE(int8_t, uint8_t)
ORTL_QGEMM_INSTANTIATE(int8_t, int8_t)
#undef ORTL_QGEMM_INSTANTIATE

template void pack_s16<uint8_t>(int64_t, int64_t, const uint8_t*, int64_t, const int32_t*, int64_t, int64_t, int16_t*);
template void pack_s16<int8_t>(int64_t, int64_t, const int8_t*, int64_t, const int32_t*, int64_t, int64_t, int16_t*);

}  // namespace ortl::kernels
