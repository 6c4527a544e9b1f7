// Reference Conv and ConvTranspose: the definitions in conv.h written as plain loops over every
// output (Conv, a gather) or every input (ConvTranspose, a scatter), any spatial rank, with a
// double accumulator. Slow by design: they are the oracle the fast paths are tested against,
// and the path for dtypes without a fast kernel.
#include <vector>

#include "kernels/conv/conv.h"

namespace ortl::kernels {
namespace {

int64_t product(const std::vector<int64_t>& v) {
  int64_t n = 1;
  for (int64_t x : v) n *= x;
  return n;
}

// Row-major multi-index of a flat position.
void unravel(int64_t flat, const std::vector<int64_t>& dims, std::vector<int64_t>& idx) {
  for (size_t d = dims.size(); d-- > 0;) {
    idx[d] = flat % dims[d];
    flat /= dims[d];
  }
}

// Flat offset of pos[d] * stride[d] + k[d] * dilation[d] - pad[d] in `extent`, or -1 outside.
int64_t tap_offset(const ConvParams& p, const std::vector<int64_t>& pos, const std::vector<int64_t>& k,
                   const std::vector<int64_t>& extent) {
  int64_t off = 0;
  for (size_t d = 0; d < extent.size(); ++d) {
    const int64_t i = pos[d] * p.strides[d] + k[d] * p.dilations[d] - p.pads_begin[d];
    if (i < 0 || i >= extent[d]) return -1;
    off = off * extent[d] + i;
  }
  return off;
}

}  // namespace

template <class T>
void conv_ref(const ConvParams& p, const T* x, const T* w, const T* bias, T* y) {
  const int64_t in_size = product(p.in), out_size = product(p.out), k_size = product(p.kernel);
  const int64_t cin_g = p.c_in / p.group, cout_g = p.c_out / p.group;
  std::vector<int64_t> o(p.in.size()), k(p.in.size());
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t co = 0; co < p.c_out; ++co) {
      const int64_t g = co / cout_g;
      for (int64_t op = 0; op < out_size; ++op) {
        unravel(op, p.out, o);
        double sum = bias ? static_cast<double>(bias[co]) : 0.0;
        for (int64_t ci = 0; ci < cin_g; ++ci) {
          const T* xc = x + (n * p.c_in + g * cin_g + ci) * in_size;
          const T* wc = w + (co * cin_g + ci) * k_size;
          for (int64_t kp = 0; kp < k_size; ++kp) {
            unravel(kp, p.kernel, k);
            const int64_t off = tap_offset(p, o, k, p.in);
            if (off >= 0) sum += static_cast<double>(wc[kp]) * static_cast<double>(xc[off]);
          }
        }
        y[(n * p.c_out + co) * out_size + op] = static_cast<T>(sum);
      }
    }
  }
}

template <class T>
void conv_transpose_ref(const ConvParams& p, const T* x, const T* w, const T* bias, T* y) {
  const int64_t in_size = product(p.in), out_size = product(p.out), k_size = product(p.kernel);
  const int64_t cin_g = p.c_in / p.group, cout_g = p.c_out / p.group;
  std::vector<double> acc(static_cast<size_t>(p.batch * p.c_out * out_size));
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t co = 0; co < p.c_out; ++co) {
      const double b = bias ? static_cast<double>(bias[co]) : 0.0;
      for (int64_t op = 0; op < out_size; ++op) acc[(n * p.c_out + co) * out_size + op] = b;
    }
  }
  std::vector<int64_t> i(p.in.size()), k(p.in.size());
  for (int64_t n = 0; n < p.batch; ++n) {
    for (int64_t ci = 0; ci < p.c_in; ++ci) {
      const int64_t g = ci / cin_g;
      for (int64_t ip = 0; ip < in_size; ++ip) {
        unravel(ip, p.in, i);
        const double xv = static_cast<double>(x[(n * p.c_in + ci) * in_size + ip]);
        for (int64_t co = 0; co < cout_g; ++co) {
          const T* wc = w + (ci * cout_g + co) * k_size;
          double* yc = acc.data() + (n * p.c_out + g * cout_g + co) * out_size;
          for (int64_t kp = 0; kp < k_size; ++kp) {
            unravel(kp, p.kernel, k);
            const int64_t off = tap_offset(p, i, k, p.out);
            if (off >= 0) yc[off] += xv * static_cast<double>(wc[kp]);
          }
        }
      }
    }
  }
  for (size_t idx = 0; idx < acc.size(); ++idx) y[idx] = static_cast<T>(acc[idx]);
}

template void conv_ref<float>(const ConvParams&, const float*, const float*, const float*, float*);
template void conv_ref<double>(const ConvParams&, const double*, const double*, const double*, double*);
template void conv_transpose_ref<float>(const ConvParams&, const float*, const float*, const float*, float*);
template void conv_transpose_ref<double>(const ConvParams&, const double*, const double*, const double*, double*);

}  // namespace ortl::kernels
