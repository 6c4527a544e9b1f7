// TopK and Unique: order-based selection along one axis of [outer, n, inner].
//
// Both sort index arrays rather than values, so ties resolve by index (TopK: lower index
// first; Unique: a stable sort keeps each run's first occurrence in front). NaN ranks above
// every number and equals itself, which keeps the comparisons a strict weak order (std::sort
// is undefined otherwise) and matches numpy's sort, the onnx reference's oracle.
// TopK: heap selection along each line, parallel over lines.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <type_traits>
#include <utility>

#include "kernels/vision/vision.h"

namespace ortl::kernels {
namespace {

template <class T>
bool is_nan(const T& v) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::isnan(v);
  } else {
    return false;
  }
}

// a < b with NaN above everything and equal to itself.
template <class T>
bool less_nan_last(const T& a, const T& b) {
  if (is_nan(a)) return false;
  if (is_nan(b)) return true;
  return a < b;
}

}  // namespace

template <class T>
void topk(const T* src, int64_t outer, int64_t n, int64_t inner, int64_t k, bool largest, T* dst_values,
          int64_t* dst_indices, Parallel& par) {
  if (k == 0 || outer * inner == 0) return;
  const double cost = static_cast<double>(n) * std::log2(static_cast<double>(k) + 1.0) * 4.0;
  par.for_range(outer * inner, cost, [&](int64_t l0, int64_t l1) {
    // A heap of the k best so far with the worst on top: a later element only enters when it
    // strictly beats the top (an equal value has a higher index, so it ranks after), which one
    // comparison decides for most elements.
    std::vector<std::pair<T, int64_t>> heap;
    heap.reserve(static_cast<size_t>(k));
    auto before = [largest](const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) {
      if (largest ? less_nan_last(b.first, a.first) : less_nan_last(a.first, b.first)) return true;
      if (largest ? less_nan_last(a.first, b.first) : less_nan_last(b.first, a.first)) return false;
      return a.second < b.second;
    };
    auto beats = [largest](const T& v, const T& w) { return largest ? less_nan_last(w, v) : less_nan_last(v, w); };
    for (int64_t l = l0; l < l1; ++l) {
      const int64_t o = l / inner, i = l % inner;
      const T* s = src + o * n * inner + i;
      heap.clear();
      for (int64_t j = 0; j < k; ++j) heap.emplace_back(s[j * inner], j);
      std::make_heap(heap.begin(), heap.end(), before);
      for (int64_t j = k; j < n; ++j) {
        const T v = s[j * inner];
        if (!beats(v, heap.front().first)) continue;
        std::pop_heap(heap.begin(), heap.end(), before);
        heap.back() = {v, j};
        std::push_heap(heap.begin(), heap.end(), before);
      }
      std::sort_heap(heap.begin(), heap.end(), before);
      T* dv = dst_values + o * k * inner + i;
      int64_t* di = dst_indices + o * k * inner + i;
      for (int64_t j = 0; j < k; ++j) {
        dv[j * inner] = heap[j].first;
        di[j * inner] = heap[j].second;
      }
    }
  });
}

template <class T>
UniqueResult unique(const T* src, int64_t outer, int64_t n, int64_t inner, bool sorted) {
  // Lexicographic order of slices j (elements in (outer, inner) order); -1, 0, 1.
  auto cmp = [&](int64_t a, int64_t b) {
    for (int64_t o = 0; o < outer; ++o) {
      const T* base = src + o * n * inner;
      for (int64_t i = 0; i < inner; ++i) {
        const T& x = base[a * inner + i];
        const T& y = base[b * inner + i];
        if (less_nan_last(x, y)) return -1;
        if (less_nan_last(y, x)) return 1;
      }
    }
    return 0;
  };
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t{0});
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return cmp(a, b) < 0; });

  UniqueResult r;
  r.inverse.resize(static_cast<size_t>(n));
  std::vector<int64_t> group_of(static_cast<size_t>(n));  // sorted position -> group
  for (int64_t s = 0; s < n; ++s) {
    if (s == 0 || cmp(order[s - 1], order[s]) != 0) {
      r.first.push_back(order[s]);
      r.counts.push_back(0);
    }
    group_of[s] = static_cast<int64_t>(r.first.size()) - 1;
    ++r.counts.back();
  }
  const int64_t groups = static_cast<int64_t>(r.first.size());
  std::vector<int64_t> rank(static_cast<size_t>(groups));  // group -> output position
  std::iota(rank.begin(), rank.end(), int64_t{0});
  if (!sorted) {
    // Groups in order of first occurrence.
    std::vector<int64_t> by_first(static_cast<size_t>(groups));
    std::iota(by_first.begin(), by_first.end(), int64_t{0});
    std::sort(by_first.begin(), by_first.end(), [&](int64_t a, int64_t b) { return r.first[a] < r.first[b]; });
    std::vector<int64_t> first(static_cast<size_t>(groups)), counts(static_cast<size_t>(groups));
    for (int64_t g = 0; g < groups; ++g) {
      rank[by_first[g]] = g;
      first[g] = r.first[by_first[g]];
      counts[g] = r.counts[by_first[g]];
    }
    r.first = std::move(first);
    r.counts = std::move(counts);
  }
  for (int64_t s = 0; s < n; ++s) r.inverse[order[s]] = rank[group_of[s]];
  return r;
}

#define ORTL_TOPK(T)                                                                                  \
  template void topk<T>(const T*, int64_t, int64_t, int64_t, int64_t, bool, T*, int64_t*, Parallel&); \
  template UniqueResult unique<T>(const T*, int64_t, int64_t, int64_t, bool);
ORTL_TOPK(float)
ORTL_TOPK(double)
ORTL_TOPK(int8_t)
ORTL_TOPK(int16_t)
ORTL_TOPK(int32_t)
ORTL_TOPK(int64_t)
ORTL_TOPK(uint8_t)
ORTL_TOPK(uint16_t)
ORTL_TOPK(uint32_t)
ORTL_TOPK(uint64_t)
#undef ORTL_TOPK
template UniqueResult unique<std::string>(const std::string*, int64_t, int64_t, int64_t, bool);

}  // namespace ortl::kernels
