// Body of the Winograd F(4x4, 3x3) transforms (Lavin & Gray), included once per ISA translation
// unit (winograd.cc: baseline, winograd_avx2.cc, winograd_avx512.cc) inside an anonymous
// namespace. Every loop runs over a row of tiles (t contiguous), so the compiler vectorizes it
// with the unit's flags.
//
//   input  tile d (6x6, stride 4)  ->  V = B^T d B
//   weight g (3x3)                 ->  U = G g G^T      (once, winograd.cc)
//   per position (36): M = U . V summed over channels (a GEMM, winograd.cc)
//   output tile (4x4)              =   A^T M A
#pragma once

#include <algorithm>
#include <cstdint>

namespace ortl::kernels {
namespace {

// d[j][t] = x_row[4 t + j - pw] (0 outside the row), j < 6, t < tiles.
inline void wino_gather_row(const float* x_row, int64_t iw, int64_t pw, int64_t tiles, float* d /* [6][tiles] */) {
  for (int j = 0; j < 6; ++j) {
    float* dj = d + j * tiles;
    for (int64_t t = 0; t < tiles; ++t) {
      const int64_t c = 4 * t + j - pw;
      dj[t] = c >= 0 && c < iw ? x_row[c] : 0.f;
    }
  }
}

// z = d B over the 6 taps of a row (B^T's rows applied along j), vectorized over t:
//   z0 = 4 d0 - 5 d2 + d4          z3 = -2 d1 - d2 + 2 d3 + d4
//   z1 = -4 d1 - 4 d2 + d3 + d4    z4 = 2 d1 - d2 - 2 d3 + d4
//   z2 = 4 d1 - 4 d2 - d3 + d4     z5 = 4 d1 - 5 d3 + d5
inline void wino_bt6(const float* const* d, float* const* z, int64_t n) {
  const float *d0 = d[0], *d1 = d[1], *d2 = d[2], *d3 = d[3], *d4 = d[4], *d5 = d[5];
  float *z0 = z[0], *z1 = z[1], *z2 = z[2], *z3 = z[3], *z4 = z[4], *z5 = z[5];
  for (int64_t t = 0; t < n; ++t) {
    const float a = d0[t], b = d1[t], c = d2[t], e = d3[t], f = d4[t], g = d5[t];
    z0[t] = 4.f * a - 5.f * c + f;
    z1[t] = -4.f * (b + c) + e + f;
    z2[t] = 4.f * (b - c) - e + f;
    z3[t] = 2.f * (e - b) - c + f;
    z4[t] = 2.f * (b - e) - c + f;
    z5[t] = 4.f * b - 5.f * e + g;
  }
}

// The input transform of one channel over one row of tiles: x is the channel plane [ih, iw],
// tile row th (input rows 4 th - ph .. + 5). v[pos * vstride + t] = V[pos] for tile t < tiles.
// scratch: 42 * tiles floats.
inline void wino_input_row(const float* x, int64_t ih, int64_t iw, int64_t ph, int64_t pw, int64_t th, int64_t tiles,
                           float* v, int64_t vstride, float* scratch) {
  float* d = scratch;              // [6][tiles]: one input row gathered
  float* z = scratch + 6 * tiles;  // [6 rows i][6 cols j][tiles]: d B per row
  for (int i = 0; i < 6; ++i) {
    const int64_t r = 4 * th + i - ph;
    if (r >= 0 && r < ih) {
      wino_gather_row(x + r * iw, iw, pw, tiles, d);
    } else {
      std::fill(d, d + 6 * tiles, 0.f);
    }
    const float* dp[6] = {d, d + tiles, d + 2 * tiles, d + 3 * tiles, d + 4 * tiles, d + 5 * tiles};
    float* zp[6];
    for (int j = 0; j < 6; ++j) zp[j] = z + (i * 6 + j) * tiles;
    wino_bt6(dp, zp, tiles);
  }
  // Down the columns: for each j, B^T over the six z[i][j] straight into V[(ii, j)].
  for (int j = 0; j < 6; ++j) {
    const float* zp[6];
    float* vp[6];
    for (int i = 0; i < 6; ++i) {
      zp[i] = z + (i * 6 + j) * tiles;
      vp[i] = v + (i * 6 + j) * vstride;
    }
    wino_bt6(zp, vp, tiles);
  }
}

// The output transform of one output channel over one row of tiles: m[pos * mstride + t] =
// M[pos] for tile t. y is the output plane [oh, ow]; writes rows 4 th .. 4 th + 3 (clipped),
// adding bias. scratch: 28 * tiles floats.
inline void wino_output_row(const float* m, int64_t mstride, int64_t tiles, int64_t th, float bias, float* y,
                            int64_t oh, int64_t ow, float* scratch) {
  // s[i][jj] = sum_j M[i][j] A[j][jj]:  A^T rows: (1 1 1 1 1 0) (0 1 -1 2 -2 0) (0 1 1 4 4 0)
  // (0 1 -1 8 -8 1), applied along j for each of the 6 rows i -> [6][4][tiles].
  float* s = scratch;  // [6][4][tiles]
  for (int i = 0; i < 6; ++i) {
    const float* m0 = m + (i * 6 + 0) * mstride;
    const float* m1 = m0 + mstride;
    const float* m2 = m1 + mstride;
    const float* m3 = m2 + mstride;
    const float* m4 = m3 + mstride;
    const float* m5 = m4 + mstride;
    float* s0 = s + (i * 4 + 0) * tiles;
    float* s1 = s0 + tiles;
    float* s2 = s1 + tiles;
    float* s3 = s2 + tiles;
    for (int64_t t = 0; t < tiles; ++t) {
      const float a = m1[t] + m2[t], b = m1[t] - m2[t], c = m3[t] + m4[t], e = m3[t] - m4[t];
      s0[t] = m0[t] + a + c;
      s1[t] = b + 2.f * e;
      s2[t] = a + 4.f * c;
      s3[t] = b + 8.f * e + m5[t];
    }
  }
  // Then down the 6 rows for each of the 4 columns jj -> 4 output rows, and scatter.
  for (int jj = 0; jj < 4; ++jj) {
    const float* q0 = s + (0 * 4 + jj) * tiles;
    const float* q1 = s + (1 * 4 + jj) * tiles;
    const float* q2 = s + (2 * 4 + jj) * tiles;
    const float* q3 = s + (3 * 4 + jj) * tiles;
    const float* q4 = s + (4 * 4 + jj) * tiles;
    const float* q5 = s + (5 * 4 + jj) * tiles;
    float* o = s + 24 * tiles;  // [4][tiles]: rows ii of column jj
    for (int64_t t = 0; t < tiles; ++t) {
      const float a = q1[t] + q2[t], b = q1[t] - q2[t], c = q3[t] + q4[t], e = q3[t] - q4[t];
      o[t] = q0[t] + a + c + bias;
      o[tiles + t] = b + 2.f * e + bias;
      o[2 * tiles + t] = a + 4.f * c + bias;
      o[3 * tiles + t] = b + 8.f * e + q5[t] + bias;
    }
    for (int ii = 0; ii < 4; ++ii) {
      const int64_t r = 4 * th + ii;
      if (r >= oh) break;
      float* yr = y + r * ow + jj;
      const float* oi = o + ii * tiles;
      for (int64_t t = 0; t < tiles && 4 * t + jj < ow; ++t) yr[4 * t] = oi[t];
    }
  }
}

}  // namespace
}  // namespace ortl::kernels
