// A persistent pool of worker threads behind kernels::Parallel. Workers are created once per
// session; between parallel regions they spin briefly (a region usually follows within
// microseconds, and waking a sleeping thread costs tens of them), then sleep. The calling thread
// takes chunks too, so a pool of N threads has N-1 workers. One parallel region runs at a time: a concurrent caller
// (another thread running the same session) runs its loop serially instead of waiting.
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "kernels/base/parallel.h"

namespace ortl::runtime {

class ThreadPool final : public kernels::Parallel {
 public:
  explicit ThreadPool(int threads);  // threads <= 0: one per hardware core
  ~ThreadPool() override;
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const override { return static_cast<int>(workers_.size()) + 1; }
  void for_range(int64_t n, double cost_per_item, const std::function<void(int64_t, int64_t)>& fn) override;

 private:
  void worker_loop();
  void work_on_job();

  std::vector<std::thread> workers_;
  std::mutex region_mu_;  // held for the duration of one parallel region
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  // The current job.
  const std::function<void(int64_t, int64_t)>* fn_ = nullptr;
  int64_t n_ = 0;
  int64_t chunk_ = 1;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> finished_{0};
  std::atomic<int> active_workers_{0};
  std::exception_ptr error_;
};

}  // namespace ortl::runtime
