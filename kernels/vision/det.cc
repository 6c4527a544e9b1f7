// Det: determinant by LU decomposition with partial pivoting, in double whatever T is (numpy's
// LAPACK path works in the input precision; double keeps float results within a few ulps).
#include <cmath>
#include <utility>
#include <vector>

#include "kernels/vision/vision.h"

namespace ortl::kernels {

template <class T>
void det(const T* src, int64_t count, int64_t m, T* dst) {
  std::vector<double> a(static_cast<size_t>(m * m));
  for (int64_t b = 0; b < count; ++b) {
    const T* s = src + b * m * m;
    for (int64_t i = 0; i < m * m; ++i) a[i] = static_cast<double>(s[i]);
    double d = 1.0;
    for (int64_t c = 0; c < m; ++c) {
      int64_t piv = c;
      for (int64_t r = c + 1; r < m; ++r) {
        if (std::fabs(a[r * m + c]) > std::fabs(a[piv * m + c])) piv = r;
      }
      if (a[piv * m + c] == 0.0) {
        d = 0.0;
        break;
      }
      if (piv != c) {
        for (int64_t j = 0; j < m; ++j) std::swap(a[c * m + j], a[piv * m + j]);
        d = -d;
      }
      const double p = a[c * m + c];
      d *= p;
      for (int64_t r = c + 1; r < m; ++r) {
        const double f = a[r * m + c] / p;
        if (f == 0.0) continue;
        for (int64_t j = c + 1; j < m; ++j) a[r * m + j] -= f * a[c * m + j];
      }
    }
    dst[b] = static_cast<T>(d);
  }
}

template void det<float>(const float*, int64_t, int64_t, float*);
template void det<double>(const double*, int64_t, int64_t, double*);

}  // namespace ortl::kernels
