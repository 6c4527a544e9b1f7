// Normalization kernels: LayerNorm, Group/InstanceNorm, BatchNorm (inference and batch stats),
// LpNorm, LRN and mean-variance normalization of rows.
//
// Layouts: LayerNorm and MVN work on [rows, n] (the op layer merges the normalized dims);
// Group/Instance/Batch norm and LRN on [N, C, S] with S the product of spatial dims; LpNorm on
// [outer, n, inner]. Statistics are two-pass (mean, then mean of squared deviations: no
// cancellation), accumulated in T with independent lanes. dtypes: float, double.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::kernels {

struct LayerNormParams {
  int64_t rows = 0;
  int64_t n = 0;  // normalized length; scale and bias (optional) hold n values
  float epsilon = 1e-5f;
};
// dst = (x - mean) / sqrt(var + eps) * scale + bias per row; mean / inv_std (optional) get one
// value per row.
template <class T>
void layer_norm_ref(const LayerNormParams& p, const T* src, const T* scale, const T* bias, T* dst, T* mean, T* inv_std);
template <class T>
void layer_norm(const LayerNormParams& p, const T* src, const T* scale, const T* bias, T* dst, T* mean, T* inv_std,
                Parallel& par);

struct GroupNormParams {
  int64_t batch = 0;     // N
  int64_t channels = 0;  // C
  int64_t spatial = 1;   // S
  int64_t groups = 1;    // G, divides C (InstanceNorm: G = C)
  float epsilon = 1e-5f;
};
// Statistics per (n, group) over C/G * S values; scale and bias are per channel (C values).
template <class T>
void group_norm_ref(const GroupNormParams& p, const T* src, const T* scale, const T* bias, T* dst);
template <class T>
void group_norm(const GroupNormParams& p, const T* src, const T* scale, const T* bias, T* dst, Parallel& par);

struct BatchNormParams {
  int64_t batch = 0;
  int64_t channels = 0;
  int64_t spatial = 1;
  float epsilon = 1e-5f;
};
// dst = (x - mean[c]) / sqrt(var[c] + eps) * scale[c] + bias[c].
template <class T>
void batch_norm_ref(const BatchNormParams& p, const T* src, const T* scale, const T* bias, const T* mean, const T* var,
                    T* dst);
template <class T>
void batch_norm(const BatchNormParams& p, const T* src, const T* scale, const T* bias, const T* mean, const T* var,
                T* dst, Parallel& par);
// Per-channel mean and population variance over N and S (BatchNormalization training mode).
template <class T>
void channel_moments(const BatchNormParams& p, const T* src, T* mean, T* var, Parallel& par);

// dst = x / ||x||_p along the middle dim of [outer, n, inner], p in {1, 2}; a zero norm gives 0.
template <class T>
void lp_norm_ref(int64_t outer, int64_t n, int64_t inner, int p, const T* src, T* dst);
template <class T>
void lp_norm(int64_t outer, int64_t n, int64_t inner, int p, const T* src, T* dst, Parallel& par);

struct LrnParams {
  int64_t batch = 0;
  int64_t channels = 0;
  int64_t spatial = 1;
  int64_t size = 1;  // window: channels [c - floor((size-1)/2), c + ceil((size-1)/2)]
  float alpha = 1e-4f;
  float beta = 0.75f;
  float bias = 1.0f;
};
// dst = x / (bias + alpha / size * sum of x^2 over the channel window) ^ beta.
template <class T>
void lrn_ref(const LrnParams& p, const T* src, T* dst);
template <class T>
void lrn(const LrnParams& p, const T* src, T* dst, Parallel& par);

// float32 builds of LayerNorm / GroupNorm / BatchNorm per ISA, best first; the typed entry
// points above pick the first one active_isa() allows. Tests run every entry the host can.
struct NormF32Kernels {
  const char* name;
  uint32_t isa;
  void (*layer_norm)(const LayerNormParams&, const float*, const float*, const float*, float*, float*, float*,
                     Parallel&);
  void (*group_norm)(const GroupNormParams&, const float*, const float*, const float*, float*, Parallel&);
  void (*batch_norm)(const BatchNormParams&, const float*, const float*, const float*, const float*, const float*,
                     float*, Parallel&);
};
const std::vector<NormF32Kernels>& norm_f32_kernels();

// MeanVarianceNormalization of each row of [rows, n]: (x - mean) / (sqrt(var) + eps), with eps
// added to the standard deviation as in the ONNX function body (1e-9).
template <class T>
void mvn_rows_ref(int64_t rows, int64_t n, float eps, const T* src, T* dst);
template <class T>
void mvn_rows(int64_t rows, int64_t n, float eps, const T* src, T* dst, Parallel& par);

}  // namespace ortl::kernels
