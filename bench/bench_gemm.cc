// SGEMM micro-benchmarks: every ort-lite GEMM implementation (kernels.inc order) and oneDNN's
// dnnl_sgemm on identical row-major shapes (kShapes below), single thread.
// Names: gemm/<impl>/<shape>. Counters: FLOPS (2*M*N*K per iteration, as a rate) and bytes/s.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/gemm/gemm.h"

#ifdef ORTL_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif

namespace {

namespace k = ortl::kernels;

struct GemmShape {
  const char* name;
  int64_t m, n, k;
};

// Model layer shapes (ResNet-50, BERT-base) and squares.
constexpr GemmShape kShapes[] = {
    {"square256", 256, 256, 256},
    {"square512", 512, 512, 512},
    {"square1024", 1024, 1024, 1024},
    {"square2048", 2048, 2048, 2048},
    {"rn50_res2_1x1_reduce", 3136, 64, 256},
    {"rn50_res2_1x1_expand", 3136, 256, 64},
    {"rn50_res3_1x1_reduce", 784, 128, 512},
    {"rn50_res4_1x1_reduce", 196, 256, 1024},
    {"rn50_res5_1x1_expand", 49, 2048, 512},
    {"bert_qkv_proj", 128, 768, 768},
    {"bert_ffn_up", 128, 3072, 768},
    {"bert_ffn_down", 128, 768, 3072},
};

struct Buffers {
  std::vector<float> a, b, c;
  explicit Buffers(const GemmShape& s)
      : a(static_cast<size_t>(s.m * s.k)), b(static_cast<size_t>(s.k * s.n)), c(static_cast<size_t>(s.m * s.n)) {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (float& v : a) v = dist(rng);
    for (float& v : b) v = dist(rng);
  }
};

void set_counters(benchmark::State& state, const GemmShape& s) {
  const double flops = 2.0 * static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.k);
  const double bytes = 4.0 * static_cast<double>(s.m * s.k + s.k * s.n + s.m * s.n);
  state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate);
}

// Row-major C = A B over the shape's buffers, with nothing packed ahead.
k::GemmF32Args args_for(const GemmShape& s, Buffers& buf) {
  k::GemmF32Args args;
  args.m = s.m;
  args.n = s.n;
  args.k = s.k;
  args.a = buf.a.data();
  args.lda = s.k;
  args.b = buf.b.data();
  args.ldb = s.n;
  args.c = buf.c.data();
  args.ldc = s.n;
  return args;
}

// packed_b: op(B) packed once outside the timed loop (GemmArgs::b_packed), as MatMulBias does for
// constant weights: those rows show what the kernel does without the per-call packing of B.
void bm_ortl_impl(benchmark::State& state, const k::GemmF32Impl* impl, const GemmShape& s, bool packed_b) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  Buffers buf(s);
  k::GemmF32Args args = args_for(s, buf);
  std::vector<float> packed;
  if (packed_b) {
    packed.resize(static_cast<size_t>(impl->packed_b_floats(s.k, s.n)));
    impl->pack_b(args, packed.data());
    args.b_packed = packed.data();
  }
  k::Parallel& par = k::serial();
  for (auto _ : state) {
    impl->run(args, par);
    benchmark::DoNotOptimize(buf.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s);
}

void bm_ortl(benchmark::State& state, const k::GemmF32Impl* impl, GemmShape s) { bm_ortl_impl(state, impl, s, false); }

void bm_ortl_packed_b(benchmark::State& state, const k::GemmF32Impl* impl, GemmShape s) {
  bm_ortl_impl(state, impl, s, true);
}

#ifdef ORTL_BENCH_HAVE_DNNL
void bm_dnnl(benchmark::State& state, GemmShape s) {
  Buffers buf(s);
  for (auto _ : state) {
    const dnnl_status_t st =
        dnnl_sgemm('N', 'N', s.m, s.n, s.k, 1.0f, buf.a.data(), s.k, buf.b.data(), s.n, 0.0f, buf.c.data(), s.n);
    if (st != dnnl_success) {
      state.SkipWithError("dnnl_sgemm failed");
      return;
    }
    benchmark::DoNotOptimize(buf.c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, s);
}
#endif

void register_all() {
  for (const GemmShape& s : kShapes) {
    for (const k::GemmF32Impl& impl : k::gemm_f32_impls()) {
      // The spec-literal reference is an oracle, not a contender: only on the small square.
      if (std::string(impl.name) == "gemm_f32_ref" && s.m * s.n * s.k > 256LL * 256 * 256) continue;
      const std::string name = std::string("gemm/") + impl.name + "/" + s.name;
      benchmark::RegisterBenchmark(name.c_str(), bm_ortl, &impl, s)->Unit(benchmark::kMicrosecond);
      // Prepacked constant B (MatMulBias weights) for the BERT projections.
      if (impl.pack_b != nullptr && std::string(s.name).rfind("bert_", 0) == 0) {
        const std::string pname = std::string("gemm/") + impl.name + "_packed_b/" + s.name;
        benchmark::RegisterBenchmark(pname.c_str(), bm_ortl_packed_b, &impl, s)->Unit(benchmark::kMicrosecond);
      }
    }
#ifdef ORTL_BENCH_HAVE_DNNL
    const std::string name = std::string("gemm/onednn_sgemm/") + s.name;
    benchmark::RegisterBenchmark(name.c_str(), bm_dnnl, s)->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
