// Data-movement micro-benchmarks, single thread: kernels::transpose on float32 (as uint32) for a
// 2-D transpose, NCHW <-> NHWC and BERT's [B, S, H, D] -> [B, H, S, D]; Concat along channels
// and Softmax over the last axis. Each ort-lite transpose runs once per 4-byte block variant the
// host can run (transpose_block_u32_kernels; the scalar loop is the old baseline). Baseline:
// Eigen's Tensor shuffle (row-major) for the transposes, Eigen arrays for softmax. Names:
// transform/<impl>/<shape>. Counter: bytes/s (input + output once).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <utility>
#include <vector>

#ifdef ORTL_BENCH_HAVE_EIGEN
#include <Eigen/Core>
#include <unsupported/Eigen/CXX11/Tensor>
#endif

#include "bench/bench_main.h"
#include "kernels/base/isa.h"
#include "kernels/base/parallel.h"
#include "kernels/softmax/softmax.h"
#include "kernels/transform/transform.h"

namespace {

namespace k = ortl::kernels;

struct TransposeShape {
  const char* name;
  k::Dims shape, perm;
};

const TransposeShape kTransposes[] = {
    {"2d_1024x1024", {1024, 1024}, {1, 0}},
    {"2d_768x3072", {768, 3072}, {1, 0}},
    {"nchw2nhwc_64x56x56", {1, 64, 56, 56}, {0, 2, 3, 1}},
    {"nhwc2nchw_64x56x56", {1, 56, 56, 64}, {0, 3, 1, 2}},
    {"bert_bshd2bhsd_128x12x64", {1, 128, 12, 64}, {0, 2, 1, 3}},
    {"bert_bhsd2bhds_12x128x64", {1, 12, 128, 64}, {0, 1, 3, 2}},
};

int64_t numel(const k::Dims& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::vector<uint32_t> pattern(int64_t n) {
  std::vector<uint32_t> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint32_t>(i * 2654435761u);
  return v;
}

void bytes_counter(benchmark::State& state, int64_t elems) {
  state.counters["bytes"] =
      benchmark::Counter(8.0 * static_cast<double>(elems), benchmark::Counter::kIsIterationInvariantRate);
}

// The whole transpose() as the ops call it (the host's best block variant).
void bm_transpose(benchmark::State& state, TransposeShape s) {
  const std::vector<uint32_t> x = pattern(numel(s.shape));
  std::vector<uint32_t> y(x.size());
  for (auto _ : state) {
    k::transpose(x.data(), y.data(), s.shape, s.perm, k::serial());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  bytes_counter(state, numel(s.shape));
}

// One variant of the 4-byte block on a plain [rows, cols] -> [cols, rows] transpose (the inner
// loop of every 2-D / NCHW <-> NHWC transpose), blocked 16 source columns at a time as transpose() does.
void bm_block(benchmark::State& state, const k::TransposeBlockU32Kernel* impl, int64_t rows, int64_t cols) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  const std::vector<uint32_t> x = pattern(rows * cols);
  std::vector<uint32_t> y(x.size());
  for (auto _ : state) {
    for (int64_t a0 = 0; a0 < cols; a0 += 16)
      impl->fn(x.data() + a0, cols, y.data() + a0 * rows, rows, std::min<int64_t>(16, cols - a0), rows);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  bytes_counter(state, rows * cols);
}

#ifdef ORTL_BENCH_HAVE_EIGEN
template <int R>
void bm_eigen(benchmark::State& state, TransposeShape s) {
  std::vector<float> x(static_cast<size_t>(numel(s.shape))), y(x.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 1000);
  Eigen::array<Eigen::Index, R> in_dims, perm;
  for (int i = 0; i < R; ++i) {
    in_dims[i] = s.shape[static_cast<size_t>(i)];
    perm[i] = s.perm[static_cast<size_t>(i)];
  }
  Eigen::array<Eigen::Index, R> out_dims;
  for (int i = 0; i < R; ++i) out_dims[i] = in_dims[perm[i]];
  Eigen::TensorMap<Eigen::Tensor<const float, R, Eigen::RowMajor>> in(x.data(), in_dims);
  Eigen::TensorMap<Eigen::Tensor<float, R, Eigen::RowMajor>> out(y.data(), out_dims);
  for (auto _ : state) {
    out = in.shuffle(perm);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  bytes_counter(state, numel(s.shape));
}
#endif

void bm_concat(benchmark::State& state, int64_t outer, int64_t inner_each, int n) {
  std::vector<std::vector<uint32_t>> srcs(static_cast<size_t>(n), pattern(outer * inner_each));
  std::vector<const uint32_t*> ptrs;
  std::vector<int64_t> inners(static_cast<size_t>(n), inner_each);
  for (const auto& s : srcs) ptrs.push_back(s.data());
  std::vector<uint32_t> y(static_cast<size_t>(outer * inner_each * n));
  for (auto _ : state) {
    k::concat(ptrs.data(), inners.data(), n, outer, y.data(), k::serial());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  bytes_counter(state, outer * inner_each * n);
}

void bm_softmax(benchmark::State& state, const k::SoftmaxF32Kernel* impl, int64_t rows, int64_t n) {
  if ((impl->isa & k::host_isa()) != impl->isa) {
    state.SkipWithError("host lacks this ISA");
    return;
  }
  std::vector<float> x(static_cast<size_t>(rows * n)), y(x.size());
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> dist(-8.f, 8.f);
  for (float& v : x) v = dist(rng);
  const k::SoftmaxDims d{rows, n, 1};
  for (auto _ : state) {
    impl->fn(k::SoftmaxKind::kSoftmax, d, x.data(), y.data(), k::serial());
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  bytes_counter(state, rows * n);
}

#ifdef ORTL_BENCH_HAVE_EIGEN
void bm_softmax_eigen(benchmark::State& state, int64_t rows, int64_t n) {
  Eigen::ArrayXXf x = Eigen::ArrayXXf::Random(n, rows) * 8.f, y(n, rows);
  for (auto _ : state) {
    for (Eigen::Index r = 0; r < rows; ++r) {
      const float m = x.col(r).maxCoeff();
      y.col(r) = (x.col(r) - m).exp();
      y.col(r) /= y.col(r).sum();
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  bytes_counter(state, rows * n);
}
#endif

void register_all() {
  for (const TransposeShape& s : kTransposes) {
    const std::string name = std::string("transform/ortl_transpose/") + s.name;
    benchmark::RegisterBenchmark(name.c_str(), bm_transpose, s)->Unit(benchmark::kMicrosecond);
#ifdef ORTL_BENCH_HAVE_EIGEN
    const std::string ename = std::string("transform/eigen_shuffle/") + s.name;
    if (s.shape.size() == 2) {
      benchmark::RegisterBenchmark(ename.c_str(), bm_eigen<2>, s)->Unit(benchmark::kMicrosecond);
    } else {
      benchmark::RegisterBenchmark(ename.c_str(), bm_eigen<4>, s)->Unit(benchmark::kMicrosecond);
    }
#endif
  }
  for (const k::TransposeBlockU32Kernel& impl : k::transpose_block_u32_kernels()) {
    for (const auto& [r, c] : {std::pair<int64_t, int64_t>{1024, 1024}, {3136, 64}, {64, 3136}}) {
      const std::string name =
          std::string("transform/ortl_") + impl.name + "/" + std::to_string(r) + "x" + std::to_string(c);
      benchmark::RegisterBenchmark(name.c_str(), bm_block, &impl, r, c)->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::RegisterBenchmark("transform/ortl_concat/3x[256x3136]", bm_concat, 1, 256 * 3136, 3)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("transform/ortl_concat/128rows_4x[64]", bm_concat, 128 * 12, 64, 4)
      ->Unit(benchmark::kMicrosecond);
  for (const auto& [rows, n] : {std::pair<int64_t, int64_t>{12 * 128, 128}, {1000, 1000}}) {
    const std::string shape = std::to_string(rows) + "x" + std::to_string(n);
    for (const k::SoftmaxF32Kernel& impl : k::softmax_f32_kernels()) {
      const std::string name = std::string("softmax/ortl_") + impl.name + "/" + shape;
      benchmark::RegisterBenchmark(name.c_str(), bm_softmax, &impl, rows, n)->Unit(benchmark::kMicrosecond);
    }
#ifdef ORTL_BENCH_HAVE_EIGEN
    const std::string name = std::string("softmax/eigen/") + shape;
    benchmark::RegisterBenchmark(name.c_str(), bm_softmax_eigen, rows, n)->Unit(benchmark::kMicrosecond);
#endif
  }
}

}  // namespace

int main(int argc, char** argv) { return ortl::bench::run_benchmarks(argc, argv, register_all); }
