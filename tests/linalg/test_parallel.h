// A Parallel for kernel tests that really runs chunks on other threads (the runtime's pool is
// not a kernel dependency), so splitting and per-thread scratch get exercised.
#pragma once

#include <algorithm>
#include <thread>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::testing {

class ThreadedParallel final : public kernels::Parallel {
 public:
  explicit ThreadedParallel(int threads) : threads_(threads) {}
  int num_threads() const override { return threads_; }
  void for_range(int64_t n, double, const std::function<void(int64_t, int64_t)>& fn) override {
    if (n <= 0) return;
    // More chunks than threads, with uneven sizes, as a work-stealing pool would produce.
    const int64_t chunks = std::min<int64_t>(n, 3 * threads_);
    std::vector<std::thread> pool;
    for (int64_t c = 1; c < chunks; ++c) {
      pool.emplace_back([&, c] { fn(n * c / chunks, n * (c + 1) / chunks); });
    }
    fn(0, n / chunks);
    for (auto& t : pool) t.join();
  }

 private:
  int threads_;
};

}  // namespace ortl::testing
