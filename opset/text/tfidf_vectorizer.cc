// TfIdfVectorizer (opset 9): counts the n-grams of `pool_*` (sizes min_gram_length..
// max_gram_length, items up to max_skip_count apart) in each row of X ([C] or [B, C]) and writes
// the counts (TF), 0/1 presence (IDF) or counts (TFIDF) scaled by `weights` at the output
// positions given by ngram_indexes. Follows the onnxruntime / ONNX reference algorithm: the pool
// is a trie walked from every start position, once per skip distance, unigrams counted once.
#include <algorithm>
#include <unordered_map>

#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

enum class Weighting { kTF, kIDF, kTFIDF };

// N-gram trie over token type K; node 0 is the root, `id` is 1 + the n-gram's pool position, 0
// when the path is only a prefix.
template <class K>
class Trie {
 public:
  Trie() : nodes_(1) {}
  int child_or_add(int node, const K& key) {
    auto it = nodes_[node].kids.find(key);
    if (it != nodes_[node].kids.end()) return it->second;
    const int c = static_cast<int>(nodes_.size());
    nodes_[node].kids.emplace(key, c);
    nodes_.emplace_back();
    return c;
  }
  int child(int node, const K& key) const {
    auto it = nodes_[node].kids.find(key);
    return it == nodes_[node].kids.end() ? -1 : it->second;
  }
  bool has_kids(int node) const { return !nodes_[node].kids.empty(); }
  int64_t& id(int node) { return nodes_[node].id; }
  int64_t id(int node) const { return nodes_[node].id; }

 private:
  struct Node {
    int64_t id = 0;
    std::unordered_map<K, int> kids;
  };
  std::vector<Node> nodes_;
};

struct TfIdfParams {
  int64_t min_gram = 1, max_gram = 1, max_skip = 0;
  Weighting mode = Weighting::kTF;
  std::vector<int64_t> ngram_indexes;
  std::vector<float> weights;
  int64_t out_size = 0;
};

class TfIdfVectorizer final : public OpKernel {
 public:
  TfIdfVectorizer(TfIdfParams p, const std::vector<int64_t>& counts, const std::vector<int64_t>& pool_ints,
                  const std::vector<std::string>& pool_strings)
      : p_(std::move(p)), strings_(!pool_strings.empty()) {
    if (strings_) {
      build(str_trie_, pool_strings, counts);
    } else {
      build(int_trie_, pool_ints, counts);
    }
  }

  void infer(InferContext& ctx) const override {
    if (strings_) {
      text::check_dtype(ctx, 0, {DType::kString}, "TfIdfVectorizer", "X (pool_strings is set)");
    } else {
      text::check_dtype(ctx, 0, {DType::kInt32, DType::kInt64}, "TfIdfVectorizer", "X (pool_int64s is set)");
    }
    const TypeInfo& x = ctx.input_type(0);
    if (!x.has_shape) {
      ctx.set_output(0, TypeInfo{DType::kFloat, false, {}});
      return;
    }
    check_rank(x.rank());
    Shape ys{p_.out_size};
    if (x.rank() == 2) ys.insert(ys.begin(), x.shape[0]);
    ctx.set_output(0, TypeInfo::of(DType::kFloat, ys));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (strings_) {
      text::check_dtype(x, {DType::kString}, "TfIdfVectorizer", "X (pool_strings is set)");
    } else {
      text::check_dtype(x, {DType::kInt32, DType::kInt64}, "TfIdfVectorizer", "X (pool_int64s is set)");
    }
    check_rank(x.rank());
    const int64_t rows = x.rank() == 2 ? x.dim(0) : 1;
    const int64_t cols = x.rank() == 0 ? 1 : x.dim(-1);
    std::vector<int64_t> ys{p_.out_size};
    if (x.rank() == 2) ys.insert(ys.begin(), rows);
    Tensor& y = ctx.output(0, ys);
    float* dst = y.data_as<float>();
    ctx.par().for_range(rows, 50.0 * static_cast<double>(cols * (p_.max_skip + 1)), [&](int64_t b, int64_t e) {
      std::vector<int64_t> freq(static_cast<size_t>(p_.out_size));
      std::vector<int64_t> row(strings_ ? 0 : static_cast<size_t>(cols));
      for (int64_t r = b; r < e; ++r) {
        std::fill(freq.begin(), freq.end(), 0);
        if (strings_) {
          count(str_trie_, x.data_as<std::string>() + r * cols, cols, freq);
        } else {
          for (int64_t c = 0; c < cols; ++c)
            row[c] =
                x.dtype() == DType::kInt32 ? x.data_as<int32_t>()[r * cols + c] : x.data_as<int64_t>()[r * cols + c];
          count(int_trie_, row.data(), cols, freq);
        }
        weigh(freq, dst + r * p_.out_size);
      }
    });
  }

  std::string kernel_name() const override { return "tfidf_trie"; }

 private:
  static void check_rank(int rank) {
    if (rank > 2) fail(ErrorCode::kInvalidArgument, "TfIdfVectorizer: X must have rank 0, 1 or 2, got rank ", rank);
  }

  template <class K>
  void build(Trie<K>& trie, const std::vector<K>& pool, const std::vector<int64_t>& counts) {
    int64_t ngram_id = 1;  // 0 marks a prefix that is no n-gram
    const auto total = static_cast<int64_t>(pool.size());
    for (size_t level = 0; level < counts.size(); ++level) {
      const int64_t n = static_cast<int64_t>(level) + 1;
      const int64_t begin = counts[level], end = level + 1 < counts.size() ? counts[level + 1] : total;
      const int64_t grams = (end - begin) / n;
      if (n < p_.min_gram || n > p_.max_gram) {
        ngram_id += grams;
        continue;
      }
      for (int64_t g = 0; g < grams; ++g) {
        int node = 0;
        for (int64_t k = 0; k < n; ++k) node = trie.child_or_add(node, pool[begin + g * n + k]);
        trie.id(node) = ngram_id++;
      }
    }
  }

  template <class K>
  void count(const Trie<K>& trie, const K* row, int64_t cols, std::vector<int64_t>& freq) const {
    if (!trie.has_kids(0)) return;
    int64_t start_size = p_.min_gram;
    for (int64_t skip = 1; skip <= p_.max_skip + 1; ++skip) {
      for (int64_t start = 0; start < cols; ++start) {
        if (start + skip * (start_size - 1) >= cols) break;  // no n-gram of a wanted size fits
        int node = 0;
        for (int64_t size = 1, item = start; trie.has_kids(node) && size <= p_.max_gram && item < cols;
             ++size, item += skip) {
          node = trie.child(node, row[item]);
          if (node < 0) break;
          if (size >= start_size && trie.id(node) != 0) ++freq[p_.ngram_indexes[trie.id(node) - 1]];
        }
      }
      // Unigrams do not depend on the skip distance: count them in the first pass only.
      if (start_size == 1 && ++start_size > p_.max_gram) break;
    }
  }

  void weigh(const std::vector<int64_t>& freq, float* out) const {
    const bool w = !p_.weights.empty();
    for (int64_t i = 0; i < p_.out_size; ++i) {
      const auto f = static_cast<float>(freq[i]);
      switch (p_.mode) {
        case Weighting::kTF: out[i] = f; break;
        case Weighting::kIDF: out[i] = freq[i] > 0 ? (w ? p_.weights[i] : 1.0f) : 0.0f; break;
        case Weighting::kTFIDF: out[i] = w ? p_.weights[i] * f : f; break;
      }
    }
  }

  TfIdfParams p_;
  bool strings_;
  Trie<int64_t> int_trie_;
  Trie<std::string> str_trie_;
};

}  // namespace

std::unique_ptr<OpKernel> build_tfidf_vectorizer(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  constexpr const char* kOp = "TfIdfVectorizer: ";
  for (const char* req :
       {"max_gram_length", "min_gram_length", "max_skip_count", "mode", "ngram_counts", "ngram_indexes"}) {
    if (!n.has(req)) fail(ErrorCode::kInvalidArgument, kOp, "the '", req, "' attribute is required");
  }
  TfIdfParams p;
  p.min_gram = n.get_int("min_gram_length", 1);
  p.max_gram = n.get_int("max_gram_length", 1);
  p.max_skip = n.get_int("max_skip_count", 0);
  if (p.min_gram < 1 || p.max_gram < p.min_gram)
    fail(ErrorCode::kInvalidArgument, kOp, "need 1 <= min_gram_length <= max_gram_length, got ", p.min_gram, " and ",
         p.max_gram);
  if (p.max_skip < 0) fail(ErrorCode::kInvalidArgument, kOp, "max_skip_count must be >= 0, got ", p.max_skip);
  const std::string mode = n.get_string("mode", "");
  if (mode == "TF") {
    p.mode = Weighting::kTF;
  } else if (mode == "IDF") {
    p.mode = Weighting::kIDF;
  } else if (mode == "TFIDF") {
    p.mode = Weighting::kTFIDF;
  } else {
    fail(ErrorCode::kInvalidArgument, kOp, "mode must be TF, IDF or TFIDF, got '", mode, "'");
  }
  const std::vector<int64_t> pool_ints = n.get_ints("pool_int64s");
  const std::vector<std::string> pool_strings = n.get_strings("pool_strings");
  if (pool_ints.empty() == pool_strings.empty())
    fail(ErrorCode::kInvalidArgument, kOp, "exactly one of pool_int64s and pool_strings must be set and non-empty");
  const auto pool_size = static_cast<int64_t>(std::max(pool_ints.size(), pool_strings.size()));

  const std::vector<int64_t> counts = n.get_ints("ngram_counts");
  if (counts.empty() || counts[0] != 0) fail(ErrorCode::kInvalidArgument, kOp, "ngram_counts must start with 0");
  int64_t grams = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const int64_t end = i + 1 < counts.size() ? counts[i + 1] : pool_size;
    if (counts[i] < 0 || counts[i] > end || end > pool_size)
      fail(ErrorCode::kInvalidArgument, kOp, "ngram_counts must be non-decreasing offsets into the pool (size ",
           pool_size, ")");
    const auto size = static_cast<int64_t>(i) + 1;
    if ((end - counts[i]) % size != 0)
      fail(ErrorCode::kInvalidArgument, kOp, "the pool holds ", end - counts[i], " items for ", size,
           "-grams, not a multiple of ", size);
    grams += (end - counts[i]) / size;
  }
  p.ngram_indexes = n.get_ints("ngram_indexes");
  if (static_cast<int64_t>(p.ngram_indexes.size()) != grams)
    fail(ErrorCode::kInvalidArgument, kOp, "ngram_indexes has ", p.ngram_indexes.size(), " entries, the pool holds ",
         grams, " n-grams");
  for (int64_t i : p.ngram_indexes) {
    if (i < 0) fail(ErrorCode::kInvalidArgument, kOp, "ngram_indexes must be >= 0, got ", i);
    p.out_size = std::max(p.out_size, i + 1);
  }
  p.weights = n.get_floats("weights");
  if (!p.weights.empty() && static_cast<int64_t>(p.weights.size()) < p.out_size)
    fail(ErrorCode::kInvalidArgument, kOp, "weights has ", p.weights.size(), " entries for an output of size ",
         p.out_size);
  return std::make_unique<TfIdfVectorizer>(std::move(p), counts, pool_ints, pool_strings);
}

}  // namespace ortl::opset
