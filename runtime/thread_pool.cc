#include "runtime/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ORTL_CPU_RELAX() _mm_pause()
#else
#define ORTL_CPU_RELAX() ((void)0)
#endif

namespace ortl::runtime {
namespace {

// How long an idle thread polls before blocking: ~50-100 us of pause loops.
constexpr int kSpinIterations = 4000;

// Polls `done` for up to kSpinIterations; true when it became true.
template <class F>
bool spin_until(F&& done) {
  for (int i = 0; i < kSpinIterations; ++i) {
    if (done()) return true;
    ORTL_CPU_RELAX();
  }
  return done();
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::work_on_job() {
  for (;;) {
    const int64_t begin = next_.fetch_add(chunk_);
    if (begin >= n_) return;
    const int64_t end = std::min(n_, begin + chunk_);
    try {
      (*fn_)(begin, end);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!error_) error_ = std::current_exception();
    }
    finished_.fetch_add(end - begin);
  }
}

void ThreadPool::worker_loop() {
  uint64_t seen = 0;
  for (;;) {
    spin_until(
        [&] { return stop_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen; });
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stop_.load() || generation_.load() != seen; });
      if (stop_) return;
      seen = generation_;
      ++active_workers_;
    }
    work_on_job();
    {
      std::lock_guard<std::mutex> lock(mu_);
      --active_workers_;
    }
    done_.notify_all();
  }
}

void ThreadPool::for_range(int64_t n, double cost_per_item, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  // Handing work to (spinning) workers costs a microsecond or two: below ~10 us of work, stay on
  // this thread.
  const bool small = static_cast<double>(n) * std::max(cost_per_item, 1.0) < 10000.0;
  if (workers_.empty() || n == 1 || small) {
    fn(0, n);
    return;
  }
  std::unique_lock<std::mutex> region(region_mu_, std::try_to_lock);
  if (!region.owns_lock()) {  // another run is using the pool: do not oversubscribe
    fn(0, n);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = &fn;
    n_ = n;
    // A few chunks per thread balances uneven work without much scheduling overhead.
    chunk_ = std::max<int64_t>(1, (n + num_threads() * 4 - 1) / (num_threads() * 4));
    next_.store(0);
    finished_.store(0);
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  work_on_job();
  spin_until([&] { return finished_.load(std::memory_order_acquire) >= n && active_workers_.load() == 0; });
  std::unique_lock<std::mutex> lock(mu_);
  done_.wait(lock, [&] { return finished_.load() >= n_ && active_workers_ == 0; });
  fn_ = nullptr;
  if (error_) std::rethrow_exception(error_);
}

}  // namespace ortl::runtime
