// Seeded random numbers that reproduce numpy's legacy RandomState stream, and the training-mode
// Dropout built on it.
//
// numpy's RandomState(seed) is MT19937 seeded by init_genrand(seed) (std::mt19937's seeding) and
// builds each double from two 32-bit draws: ((a >> 5) * 2^26 + (b >> 6)) / 2^53. onnx's reference
// Dropout draws its mask from RandomState(seed).uniform(0, 1, shape), so a seeded Dropout here
// gives the reference's mask bit for bit (the backend node tests compare it exactly).
#pragma once

#include <cstdint>
#include <random>

namespace ortl::kernels {

class NumpyRandom {
 public:
  explicit NumpyRandom(uint32_t seed) : gen_(seed) {}
  // Uniform in [0, 1) with 53 random bits: numpy's random_double / random_sample.
  double next_double() {
    const uint32_t a = static_cast<uint32_t>(gen_()) >> 5;
    const uint32_t b = static_cast<uint32_t>(gen_()) >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

 private:
  std::mt19937 gen_;
};

struct DropoutParams {
  double ratio = 0.5;  // drop probability, in [0, 1)
  uint32_t seed = 0;
};

// mask[i] = u_i >= ratio with u_i the i-th draw of NumpyRandom(seed); dst[i] = mask[i] ? src[i] *
// (1 / (1 - ratio)) : 0, the scale rounded to T first as numpy does. `mask` may be null.
// dtypes: float, double (16-bit floats are widened by the op layer).
template <class T>
void dropout_train(const DropoutParams& p, int64_t n, const T* src, T* dst, uint8_t* mask);

}  // namespace ortl::kernels
