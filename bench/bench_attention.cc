// Scaled dot-product attention micro-benchmarks, single thread, float: every
// attention_f32_impls() entry (the SGEMM-blocked path; the double-accumulating reference only on
// the small shapes) against oneDNN composed the way a framework without a fused SDPA runs it:
// matmul Q K^T (output scale = 1/sqrt(d)), softmax_forward in place on the scores, matmul P V,
// on dense [B * H, S, D] (see bm_dnnl); its score buffer is allocated once outside the timed loop.
// ort-lite reads the layout the op gets (3-D BERT [B, S, H*D] or 4-D [B, H, S, D], GQA kv heads
// shared in place). Causal cases: ort-lite skips the key blocks a row cannot see; the baseline
// computes every score and runs unmasked (oneDNN 2.6 takes its reference matmul for a
// batch-broadcast mask post-op; the values differ, the work does not).
// Names: attention/<impl>/<shape>. Counters: FLOPS (2 * B * Hq * q_len * kv_len * (d + dv) per
// call, as a rate) and bytes (Q, K, V read and Y written once, as a rate).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/attention/attention.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using ortl::bench::random_vec;

namespace k = ortl::kernels;

struct AttnCase {
  const char* name;
  int64_t batch, q_heads, kv_heads, q_len, kv_len, head_dim;
  bool bsd;  // true: Q/K/V/Y as [B, S, H*D] (3-D inputs); false: [B, H, S, D]
  bool causal;
  int64_t q_numel() const { return batch * q_heads * q_len * head_dim; }
  int64_t kv_numel() const { return batch * kv_heads * kv_len * head_dim; }
  double flops() const {
    return 2.0 * static_cast<double>(batch * q_heads * q_len * kv_len) * static_cast<double>(2 * head_dim);
  }
};

const AttnCase kCases[] = {
    {"bert_base_1x12x128x128_d64", 1, 12, 12, 128, 128, 64, true, false},
    {"bert_base_1x12x384x384_d64", 1, 12, 12, 384, 384, 64, true, false},
    {"vit_b16_1x12x197x197_d64", 1, 12, 12, 197, 197, 64, false, false},
    {"gpt2_causal_1x12x1024x1024_d64", 1, 12, 12, 1024, 1024, 64, false, true},
    {"llama_decode_gqa_1x32q8kv_1x2048_d128", 1, 32, 8, 1, 2048, 128, false, false},
    {"sweep_1x8x64x64_d64", 1, 8, 8, 64, 64, 64, false, false},
    {"sweep_1x8x256x256_d64", 1, 8, 8, 256, 256, 64, false, false},
    {"sweep_1x8x1024x1024_d64", 1, 8, 8, 1024, 1024, 64, false, false},
};

k::AttnStrides strides_for(const AttnCase& c, int64_t heads, int64_t len) {
  const int64_t d = c.head_dim;
  if (c.bsd) return {len * heads * d, d, heads * d};
  return {heads * len * d, len * d, d};
}

struct AttnData {
  std::vector<float> q, k, v, y;
  explicit AttnData(const AttnCase& c)
      : q(random_vec(c.q_numel(), 1)),
        k(random_vec(c.kv_numel(), 2)),
        v(random_vec(c.kv_numel(), 3)),
        y(static_cast<size_t>(c.q_numel())) {}
};

void set_counters(benchmark::State& state, const AttnCase& c) {
  state.counters["FLOPS"] = benchmark::Counter(c.flops(), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(4.0 * static_cast<double>(2 * c.q_numel() + 2 * c.kv_numel()),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

void bm_ortl(benchmark::State& state, const k::AttentionF32Impl* impl, AttnCase c) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  AttnData d(c);
  k::AttentionArgs<float> a;
  a.batch = c.batch;
  a.q_heads = c.q_heads;
  a.kv_heads = c.kv_heads;
  a.q_len = c.q_len;
  a.kv_len = c.kv_len;
  a.head_dim = a.v_head_dim = c.head_dim;
  a.q = d.q.data();
  a.k = d.k.data();
  a.v = d.v.data();
  a.y = d.y.data();
  a.qs = a.ys = strides_for(c, c.q_heads, c.q_len);
  a.ks = a.vs = strides_for(c, c.kv_heads, c.kv_len);
  a.scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
  a.causal = c.causal;
  a.offset = c.kv_len - c.q_len;
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->run(a, par);
    benchmark::DoNotOptimize(d.y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, c);
}

#ifdef ORTL_BENCH_HAVE_DNNL
// The composed baseline gets Q, K, V as dense [B * Hq, S, D] (GQA heads expanded), the layout its
// brgemm matmul takes without falling back to the reference; producing it from [B, S, H*D] is the
// transpose a framework runs before the matmuls, not timed here. K^T is a strided view of K.
void bm_dnnl(benchmark::State& state, AttnCase c) {
  using dnnl::memory;
  using dt = memory::data_type;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  const int64_t bh = c.batch * c.q_heads, d = c.head_dim;
  std::vector<float> q = random_vec(bh * c.q_len * d, 1), kk = random_vec(bh * c.kv_len * d, 2),
                     v = random_vec(bh * c.kv_len * d, 3), y(static_cast<size_t>(bh * c.q_len * d));
  const memory::desc q_md({bh, c.q_len, d}, dt::f32, memory::format_tag::abc), y_md = q_md;
  const memory::desc kt_md({bh, d, c.kv_len}, dt::f32, memory::dims{c.kv_len * d, 1, d});
  const memory::desc v_md({bh, c.kv_len, d}, dt::f32, memory::format_tag::abc);
  const memory::desc s_md({bh, c.q_len, c.kv_len}, dt::f32, memory::format_tag::abc);
  memory mq(q_md, eng, q.data()), mk(kt_md, eng, kk.data()), mv(v_md, eng, v.data()), my(y_md, eng, y.data());
  memory ms(s_md, eng);

  dnnl::primitive_attr qk_attr;
  qk_attr.set_output_scales(0, {1.0f / std::sqrt(static_cast<float>(d))});
  const dnnl::matmul::primitive_desc qk_pd(dnnl::matmul::desc(q_md, kt_md, s_md), qk_attr, eng);
  const dnnl::softmax_forward::primitive_desc sm_pd(
      dnnl::softmax_forward::desc(dnnl::prop_kind::forward_inference, s_md, 2), eng);
  const dnnl::matmul::primitive_desc pv_pd(dnnl::matmul::desc(s_md, v_md, y_md), eng);
  const std::string label =
      std::string(qk_pd.impl_info_str()) + " + " + sm_pd.impl_info_str() + " + " + pv_pd.impl_info_str();
  if (label.find("ref") != std::string::npos) {  // the reference impls take minutes here
    state.SkipWithError(("oneDNN fell back to a reference impl: " + label).c_str());
    return;
  }
  dnnl::matmul qk(qk_pd), pv(pv_pd);
  dnnl::softmax_forward sm(sm_pd);
  for (auto _ : state) {
    qk.execute(strm, {{DNNL_ARG_SRC, mq}, {DNNL_ARG_WEIGHTS, mk}, {DNNL_ARG_DST, ms}});
    sm.execute(strm, {{DNNL_ARG_SRC, ms}, {DNNL_ARG_DST, ms}});
    pv.execute(strm, {{DNNL_ARG_SRC, ms}, {DNNL_ARG_WEIGHTS, mv}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(label);
  set_counters(state, c);
}
#endif

void register_all() {
  for (const AttnCase& c : kCases) {
    const std::string tail = std::string("/") + c.name;
    for (const k::AttentionF32Impl& impl : k::attention_f32_impls()) {
      const bool is_ref = std::string(impl.name) == "attention_f32_ref";
      if (is_ref && c.flops() > 60e6) continue;  // the oracle is far too slow on the big ones
      benchmark::RegisterBenchmark((std::string("attention/ortl_") + impl.name + tail).c_str(), bm_ortl, &impl, c)
          ->Unit(benchmark::kMicrosecond);
    }
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark(("attention/onednn_matmul_softmax_matmul" + tail).c_str(), bm_dnnl, c)
        ->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
