// Plain-loop kernels of blocks.h: each is memory-bound or a short recurrence, so one clear loop
// nest per op, parallel over independent rows / (batch, head) pairs.
#include "kernels/attention/blocks.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ortl::kernels {

template <class T>
void rms_norm(int64_t rows, int64_t n, float epsilon, const T* src, const T* scale, int64_t scale_row_stride, T* dst,
              Parallel& par) {
  par.for_range(rows, 2.0 * static_cast<double>(n), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const T* x = src + r * n;
      const T* w = scale + r * scale_row_stride;
      T* y = dst + r * n;
      double ss = 0;
      for (int64_t j = 0; j < n; ++j) ss += static_cast<double>(x[j]) * static_cast<double>(x[j]);
      const double inv = 1.0 / std::sqrt(ss / static_cast<double>(std::max<int64_t>(n, 1)) + epsilon);
      for (int64_t j = 0; j < n; ++j)
        y[j] = static_cast<T>(static_cast<double>(x[j]) * inv * static_cast<double>(w[j]));
    }
  });
}
template void rms_norm<float>(int64_t, int64_t, float, const float*, const float*, int64_t, float*, Parallel&);
template void rms_norm<double>(int64_t, int64_t, float, const double*, const double*, int64_t, double*, Parallel&);

void rotary_embedding(const RotaryParams& p, const float* src, const float* cos, const float* sin, float* dst,
                      Parallel& par) {
  const int64_t half = p.rot_dim / 2;
  par.for_range(p.batch * p.heads * p.seq, static_cast<double>(p.head_dim), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t s = r % p.seq, h = r / p.seq % p.heads, b = r / p.seq / p.heads;
      const int64_t off = b * p.xs.batch + h * p.xs.head + s * p.xs.seq;
      const float* x = src + off;
      float* y = dst + off;
      const int64_t row = p.pos ? p.pos[b * p.seq + s] : b * p.cache_batch_rows + s;
      const float* c = cos + row * half;
      const float* sn = sin + row * half;
      for (int64_t k = 0; k < half; ++k) {
        const int64_t i1 = p.interleaved ? 2 * k : k, i2 = p.interleaved ? 2 * k + 1 : k + half;
        const float x1 = x[i1], x2 = x[i2];
        y[i1] = c[k] * x1 - sn[k] * x2;
        y[i2] = sn[k] * x1 + c[k] * x2;
      }
      for (int64_t d = 2 * half; d < p.head_dim; ++d) y[d] = x[d];
    }
  });
}

template <class T>
void swiglu(int64_t n, float alpha, const T* a, const T* b, T* dst, Parallel& par) {
  par.for_range(n, 4.0, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i) {
      const T x = a[i];
      dst[i] = x / (T(1) + std::exp(-static_cast<T>(alpha) * x)) * b[i];
    }
  });
}
template void swiglu<float>(int64_t, float, const float*, const float*, float*, Parallel&);
template void swiglu<double>(int64_t, float, const double*, const double*, double*, Parallel&);

void causal_conv_with_state(const CausalConvParams& p, const float* src, const float* weight, const float* bias,
                            const float* past, float* dst, float* present, Parallel& par) {
  const int64_t k = p.k, keep = k - 1, len = p.len;
  par.for_range(p.batch * p.channels, static_cast<double>(len * k), [&](int64_t r0, int64_t r1) {
    std::vector<float> padded(static_cast<size_t>(keep + len));
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t c = r % p.channels;
      if (past) {
        std::copy_n(past + r * keep, keep, padded.begin());
      } else {
        std::fill_n(padded.begin(), keep, 0.0f);
      }
      std::copy_n(src + r * len, len, padded.begin() + keep);
      const float* w = weight + c * k;
      float* y = dst + r * len;
      for (int64_t t = 0; t < len; ++t) {
        float acc = bias ? bias[c] : 0.0f;
        for (int64_t j = 0; j < k; ++j) acc += w[j] * padded[t + j];
        y[t] = p.silu ? acc / (1.0f + std::exp(-acc)) : acc;
      }
      std::copy_n(padded.begin() + len, keep, present + r * keep);
    }
  });
}

void linear_attention(const LinearAttentionParams& p, const float* q, const float* k, const float* v, float* out,
                      float* state, Parallel& par) {
  const int64_t group = p.q_heads / p.kv_heads, dk = p.dk, dv = p.dv;
  const int64_t qrow = p.q_heads * dk, krow = p.kv_heads * dk, vrow = p.kv_heads * dv, orow = p.q_heads * dv;
  par.for_range(p.batch * p.kv_heads, static_cast<double>(p.len * dk * dv * (3 + group)), [&](int64_t r0, int64_t r1) {
    std::vector<float> vt(static_cast<size_t>(dv));
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t h = r % p.kv_heads, b = r / p.kv_heads;
      float* s = state + r * dk * dv;
      for (int64_t t = 0; t < p.len; ++t) {
        const int64_t bt = b * p.len + t;
        const float* kt = k + bt * krow + h * dk;
        const float* vsrc = v + bt * vrow + h * dv;
        if (p.decay) {
          const float* g = p.decay + bt * p.kv_heads * p.decay_width + h * p.decay_width;
          for (int64_t d = 0; d < dk; ++d) {
            const float e = std::exp(g[p.decay_width == 1 ? 0 : d]);
            for (int64_t m = 0; m < dv; ++m) s[d * dv + m] *= e;
          }
        }
        std::copy_n(vsrc, dv, vt.begin());
        if (p.beta) {
          const float beta = p.beta[bt * p.beta_heads + (p.beta_heads == 1 ? 0 : h)];
          for (int64_t m = 0; m < dv; ++m) {
            float retrieved = 0;
            for (int64_t d = 0; d < dk; ++d) retrieved += s[d * dv + m] * kt[d];
            vt[m] = beta * (vt[m] - retrieved);
          }
        }
        for (int64_t d = 0; d < dk; ++d) {
          for (int64_t m = 0; m < dv; ++m) s[d * dv + m] += kt[d] * vt[m];
        }
        for (int64_t hq = h * group; hq < (h + 1) * group; ++hq) {
          const float* qt = q + bt * qrow + hq * dk;
          float* o = out + bt * orow + hq * dv;
          for (int64_t m = 0; m < dv; ++m) {
            float acc = 0;
            for (int64_t d = 0; d < dk; ++d) acc += qt[d] * s[d * dv + m];
            o[m] = p.scale * acc;
          }
        }
      }
    }
  });
}

}  // namespace ortl::kernels
