// The main() every bench_<family> binary shares: single-threaded baselines, host ISA in the
// context, then the family's own registrations.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "kernels/base/isa.h"

#ifdef ORTL_BENCH_HAVE_OMP
#include <omp.h>
#endif

namespace ortl::bench {

// n uniform floats in [lo, hi) from a fixed seed: the same inputs on every run and side.
inline std::vector<float> random_vec(int64_t n, unsigned seed, float lo = -1.f, float hi = 1.f) {
  std::vector<float> v(static_cast<size_t>(n));
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& x : v) x = dist(rng);
  return v;
}

inline int run_benchmarks(int argc, char** argv, void (*register_all)()) {
#ifdef ORTL_BENCH_HAVE_OMP
  omp_set_num_threads(1);  // the oneDNN baseline runs single-threaded, like kernels::serial()
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("threads", "1");
  benchmark::AddCustomContext("host_isa", kernels::isa_name(kernels::host_isa()));
  register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace ortl::bench
