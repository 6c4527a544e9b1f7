// Reference GEMM: the spec-literal triple loop, the oracle for every blocked kernel and the path
// for dtypes without a fast kernel (double, integers). Floats accumulate in double so the
// oracle is more accurate than what it checks; integers wrap like the unsigned/two's-complement
// arithmetic of the ONNX reference.
#include <cstdint>
#include <type_traits>

#include "kernels/gemm/gemm.h"

namespace ortl::kernels {

template <class T>
void gemm_ref(const GemmArgs<T>& p) {
  // Integers accumulate unsigned: wrap-around is defined there, signed overflow is not.
  using Acc =
      typename std::conditional_t<std::is_floating_point_v<T>, std::type_identity<double>, std::make_unsigned<T>>::type;
  for (int64_t i = 0; i < p.m; ++i) {
    for (int64_t j = 0; j < p.n; ++j) {
      Acc sum = 0;
      for (int64_t l = 0; l < p.k; ++l) {
        const T a = p.trans_a ? p.a[l * p.lda + i] : p.a[i * p.lda + l];
        const T b = p.trans_b ? p.b[j * p.ldb + l] : p.b[l * p.ldb + j];
        sum += static_cast<Acc>(a) * static_cast<Acc>(b);
      }
      T& c = p.c[i * p.ldc + j];
      const Acc prev = p.beta == T(0) ? Acc(0) : static_cast<Acc>(p.beta) * static_cast<Acc>(c);
      c = static_cast<T>(static_cast<Acc>(p.alpha) * sum + prev);
    }
  }
}

template void gemm_ref<float>(const GemmArgs<float>&);
template void gemm_ref<double>(const GemmArgs<double>&);
template void gemm_ref<int32_t>(const GemmArgs<int32_t>&);
template void gemm_ref<int64_t>(const GemmArgs<int64_t>&);
template void gemm_ref<uint32_t>(const GemmArgs<uint32_t>&);
template void gemm_ref<uint64_t>(const GemmArgs<uint64_t>&);

void gemm_f32_ref(const GemmF32Args& args, Parallel&) { gemm_ref(args); }

}  // namespace ortl::kernels
