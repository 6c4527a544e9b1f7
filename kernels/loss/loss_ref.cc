// Plain loops for the loss gather and the optimizer updates: both are memory-bound and tiny next
// to the layers that feed them (SoftmaxCrossEntropyLoss spends its time in the softmax kernel),
// so there is no SIMD variant; the compiler vectorizes the optimizer loops.
#include <cmath>

#include "kernels/loss/loss.h"

namespace ortl::kernels {

template <class T, class I>
NllResult nll_loss(const NllParams& p, const T* src, const I* label, const T* weight, T* dst) {
  NllResult r;
  for (int64_t i = 0; i < p.n; ++i) {
    for (int64_t j = 0; j < p.d; ++j) {
      const int64_t s = i * p.d + j;
      const auto t = static_cast<int64_t>(label[s]);
      double loss = 0;
      if (p.has_ignore && t == p.ignore_index) {
        // ignored: zero loss and zero weight
      } else if (t < 0 || t >= p.c) {
        r.bad = s;
        return r;
      } else {
        const double w = weight ? static_cast<double>(weight[t]) : 1.0;
        loss = -static_cast<double>(src[(i * p.c + t) * p.d + j]) * w;
        r.weight_sum += w;
      }
      r.loss_sum += loss;
      if (dst) dst[s] = static_cast<T>(loss);
    }
  }
  return r;
}

template <class T>
void adagrad_update(const AdagradParams& p, int64_t n, const T* x, const T* g, const T* h, T* x_new, T* h_new) {
  for (int64_t i = 0; i < n; ++i) {
    const double gr = p.norm_coefficient * x[i] + g[i];
    const double hn = h[i] + gr * gr;
    x_new[i] = static_cast<T>(x[i] - p.lr * gr / (std::sqrt(hn) + p.epsilon));
    h_new[i] = static_cast<T>(hn);
  }
}

template <class T>
void adam_update(const AdamParams& p, int64_t n, const T* x, const T* g, const T* v, const T* h, T* x_new, T* v_new,
                 T* h_new) {
  for (int64_t i = 0; i < n; ++i) {
    const double gr = p.norm_coefficient * x[i] + g[i];
    const double vn = p.alpha * v[i] + (1 - p.alpha) * gr;
    const double hn = p.beta * h[i] + (1 - p.beta) * gr * gr;
    const double xn = x[i] - p.lr * (vn / (std::sqrt(hn) + p.epsilon));
    x_new[i] = static_cast<T>((1 - p.norm_coefficient_post) * xn);
    v_new[i] = static_cast<T>(vn);
    h_new[i] = static_cast<T>(hn);
  }
}

template <class T>
void momentum_update(const MomentumParams& p, int64_t n, const T* x, const T* g, const T* v, T* x_new, T* v_new) {
  for (int64_t i = 0; i < n; ++i) {
    const double gr = p.norm_coefficient * x[i] + g[i];
    const double vn = p.alpha * v[i] + p.beta * gr;
    x_new[i] = static_cast<T>(x[i] - p.lr * (p.nesterov ? gr + p.alpha * vn : vn));
    v_new[i] = static_cast<T>(vn);
  }
}

template NllResult nll_loss<float, int32_t>(const NllParams&, const float*, const int32_t*, const float*, float*);
template NllResult nll_loss<float, int64_t>(const NllParams&, const float*, const int64_t*, const float*, float*);
template void adagrad_update<float>(const AdagradParams&, int64_t, const float*, const float*, const float*, float*,
                                    float*);
template void adam_update<float>(const AdamParams&, int64_t, const float*, const float*, const float*, const float*,
                                 float*, float*, float*);
template void momentum_update<float>(const MomentumParams&, int64_t, const float*, const float*, const float*, float*,
                                     float*);
template NllResult nll_loss<double, int32_t>(const NllParams&, const double*, const int32_t*, const double*, double*);
template NllResult nll_loss<double, int64_t>(const NllParams&, const double*, const int64_t*, const double*, double*);
template void adagrad_update<double>(const AdagradParams&, int64_t, const double*, const double*, const double*,
                                     double*, double*);
template void adam_update<double>(const AdamParams&, int64_t, const double*, const double*, const double*,
                                  const double*, double*, double*, double*);
template void momentum_update<double>(const MomentumParams&, int64_t, const double*, const double*, const double*,
                                      double*, double*);

}  // namespace ortl::kernels
