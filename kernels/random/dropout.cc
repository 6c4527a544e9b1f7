// Training-mode Dropout: one sequential pass, since the mask must follow the generator's stream
// element by element to match the reference.
#include "kernels/random/random.h"

namespace ortl::kernels {

template <class T>
void dropout_train(const DropoutParams& p, int64_t n, const T* src, T* dst, uint8_t* mask) {
  NumpyRandom rng(p.seed);
  const T scale = static_cast<T>(1.0 / (1.0 - p.ratio));
  for (int64_t i = 0; i < n; ++i) {
    const bool keep = rng.next_double() >= p.ratio;
    dst[i] = src[i] * (keep ? scale : T(0));  // like numpy's mask * x * scale: -0 and NaN survive
    if (mask) mask[i] = keep ? 1 : 0;
  }
}

template void dropout_train<float>(const DropoutParams&, int64_t, const float*, float*, uint8_t*);
template void dropout_train<double>(const DropoutParams&, int64_t, const double*, double*, uint8_t*);

}  // namespace ortl::kernels
