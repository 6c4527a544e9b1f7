// Reduction micro-benchmarks, single thread: ort-lite's float reduce_3d kernels (every
// reduce_3d_f32_kernels() entry the host can run, on the ReduceDims plan_reduce() makes; the
// planning stays outside the timed loop, as the op does it once per shape) and the reduce_ref
// oracle, against oneDNN's reduction primitive on the same plain tensor and axes. ArgMax (no
// oneDNN primitive) runs arg_reduce against arg_reduce_ref.
// Names: reduce/<op>/<impl>/<shape>, argmax/<impl>/<shape>.
// Counters: items (input elements, as a rate) and bytes (input read + output written, as a rate).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/reduce/reduce.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.hpp>
#endif

namespace {

using ortl::bench::random_vec;

namespace k = ortl::kernels;

struct ReduceCase {
  const char* op_name;
  k::ReduceOp op;
  const char* name;
  std::vector<int64_t> shape;
  std::vector<bool> mask;  // reduced dims
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  std::vector<int64_t> out_shape() const {  // keepdims
    std::vector<int64_t> o = shape;
    for (size_t i = 0; i < o.size(); ++i)
      if (mask[i]) o[i] = 1;
    return o;
  }
  int64_t out_numel() const {
    int64_t n = 1;
    for (int64_t d : out_shape()) n *= d;
    return n;
  }
};

const std::vector<ReduceCase>& cases() {
  using Op = k::ReduceOp;
  static const std::vector<ReduceCase> c = {
      // Global average pooling as ReduceMean over H, W.
      {"Mean", Op::kMean, "rn50_gap_1x2048x7x7_hw", {1, 2048, 7, 7}, {false, false, true, true}},
      {"Mean", Op::kMean, "mbv2_gap_1x1280x7x7_hw", {1, 1280, 7, 7}, {false, false, true, true}},
      {"Mean", Op::kMean, "rn50_1x256x56x56_hw", {1, 256, 56, 56}, {false, false, true, true}},
      // LayerNorm decomposed: ReduceMean over the hidden dim.
      {"Mean", Op::kMean, "bert_1x128x768_last", {1, 128, 768}, {false, false, true}},
      // Channel reduction (inner contiguous run of H*W).
      {"Sum", Op::kSum, "rn50_1x256x56x56_c", {1, 256, 56, 56}, {false, true, false, false}},
      // Softmax statistics: max over the key axis.
      {"Max", Op::kMax, "bert_attn_12x128x128_last", {12, 128, 128}, {false, false, true}},
      {"Max", Op::kMax, "rn50_1x256x56x56_hw", {1, 256, 56, 56}, {false, false, true, true}},
      {"SumSquare", Op::kSumSquare, "bert_1x128x768_last", {1, 128, 768}, {false, false, true}},
      // Size sweep: full reduction of a vector.
      {"Sum", Op::kSum, "sweep_all_4K", {4096}, {true}},
      {"Sum", Op::kSum, "sweep_all_64K", {65536}, {true}},
      {"Sum", Op::kSum, "sweep_all_1M", {1 << 20}, {true}},
      {"Sum", Op::kSum, "sweep_all_16M", {1 << 24}, {true}},
  };
  return c;
}

void set_counters(benchmark::State& state, int64_t in, int64_t out, int64_t out_elem_bytes = 4) {
  state.counters["items"] = benchmark::Counter(static_cast<double>(in), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(static_cast<double>(4 * in + out_elem_bytes * out),
                                               benchmark::Counter::kIsIterationInvariantRate);
}

void bm_ortl(benchmark::State& state, const k::Reduce3dF32Kernel* impl, ReduceCase c) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  const k::ReducePlan plan = k::plan_reduce(c.shape, c.mask);
  if (!plan.perm.empty()) {
    state.SkipWithError("case needs a permutation");
    return;
  }
  const std::vector<float> x = random_vec(c.numel(), 1);
  std::vector<float> y(static_cast<size_t>(c.out_numel()));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->fn(c.op, plan.dims, x.data(), y.data(), par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const k::ReduceDims& d = plan.dims;
  state.SetLabel("pre=" + std::to_string(d.pre) + " outer=" + std::to_string(d.outer) +
                 " reduced=" + std::to_string(d.reduced) + " inner=" + std::to_string(d.inner));
  set_counters(state, c.numel(), c.out_numel());
}

void bm_ref(benchmark::State& state, ReduceCase c) {
  const std::vector<float> x = random_vec(c.numel(), 1);
  std::vector<float> y(static_cast<size_t>(c.out_numel()));
  for (auto _ : state) {
    k::reduce_ref<float>(c.op, c.shape, c.mask, x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, c.numel(), c.out_numel());
}

#ifdef ORTL_BENCH_HAVE_DNNL
dnnl::memory::desc dense_md(const std::vector<int64_t>& dims) {
  dnnl::memory::dims d(dims.begin(), dims.end());
  dnnl::memory::dims strides(d.size(), 1);
  for (size_t i = d.size() - 1; i > 0; --i) strides[i - 1] = strides[i] * d[i];
  return dnnl::memory::desc(d, dnnl::memory::data_type::f32, strides);
}

void bm_dnnl(benchmark::State& state, ReduceCase c) {
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  std::vector<float> x = random_vec(c.numel(), 1);
  std::vector<float> y(static_cast<size_t>(c.out_numel()));
  const dnnl::memory::desc xmd = dense_md(c.shape), ymd = dense_md(c.out_shape());
  dnnl::memory mx(xmd, eng, x.data()), my(ymd, eng, y.data());
  dnnl::algorithm alg = dnnl::algorithm::reduction_sum;
  float p = 0.f;
  switch (c.op) {
    case k::ReduceOp::kMean: alg = dnnl::algorithm::reduction_mean; break;
    case k::ReduceOp::kMax: alg = dnnl::algorithm::reduction_max; break;
    case k::ReduceOp::kSumSquare:
      alg = dnnl::algorithm::reduction_norm_lp_power_p_sum;
      p = 2.f;
      break;
    default: break;
  }
  const dnnl::reduction::desc desc(alg, xmd, ymd, p, 0.f);
  const dnnl::reduction::primitive_desc pd(desc, eng);
  dnnl::reduction prim(pd);
  for (auto _ : state) {
    prim.execute(strm, {{DNNL_ARG_SRC, mx}, {DNNL_ARG_DST, my}});
    strm.wait();
    benchmark::ClobberMemory();
  }
  state.SetLabel(pd.impl_info_str());
  set_counters(state, c.numel(), c.out_numel());
}
#endif

// ---- ArgMax along the middle dim of [outer, n, inner] -------------------------------------------

struct ArgCase {
  const char* name;
  k::ReduceDims d;
  int64_t numel() const { return d.outer * d.reduced * d.inner; }
};
const ArgCase kArgCases[] = {
    {"imagenet_1x1000_last", {1, 1000, 1, 1}},
    {"bert_vocab_1x128x30522_last", {128, 30522, 1, 1}},
    {"seg_1x21x512x512_c", {1, 21, 512 * 512, 1}},
};

void bm_arg_ortl(benchmark::State& state, ArgCase c) {
  const std::vector<float> x = random_vec(c.numel(), 1);
  std::vector<int64_t> y(static_cast<size_t>(c.d.outer * c.d.inner));
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    k::arg_reduce<float>(true, false, c.d, x.data(), y.data(), par);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, c.numel(), c.d.outer * c.d.inner, 8);
}

void bm_arg_ref(benchmark::State& state, ArgCase c) {
  const std::vector<float> x = random_vec(c.numel(), 1);
  std::vector<int64_t> y(static_cast<size_t>(c.d.outer * c.d.inner));
  for (auto _ : state) {
    k::arg_reduce_ref<float>(true, false, c.d, x.data(), y.data());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, c.numel(), c.d.outer * c.d.inner, 8);
}

void register_all() {
  for (const ReduceCase& c : cases()) {
    const std::string pre = std::string("reduce/") + c.op_name + "/", tail = std::string("/") + c.name;
    for (const k::Reduce3dF32Kernel& impl : k::reduce_3d_f32_kernels())
      benchmark::RegisterBenchmark((pre + "ortl_" + impl.name + tail).c_str(), bm_ortl, &impl, c)
          ->Unit(benchmark::kMicrosecond);
    if (c.numel() <= (1 << 20))
      benchmark::RegisterBenchmark((pre + "ortl_reduce_ref" + tail).c_str(), bm_ref, c)->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_DNNL
    benchmark::RegisterBenchmark((pre + "onednn" + tail).c_str(), bm_dnnl, c)->Unit(benchmark::kMicrosecond);
#endif
  }
  for (const ArgCase& c : kArgCases) {
    const std::string tail = std::string("/") + c.name;
    benchmark::RegisterBenchmark(("argmax/ortl_arg_reduce" + tail).c_str(), bm_arg_ortl, c)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark(("argmax/ortl_arg_reduce_ref" + tail).c_str(), bm_arg_ref, c)
        ->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
