// TfIdfVectorizer on hand-counted n-grams: string and integer pools, skips, batches, the three
// weightings, empty inputs, and bad attributes.
#include "tests/text/harness.h"

namespace ortl::texttest {
namespace {

// Pool: unigrams "a" "b" (outputs 0, 1) and the bigram "a b" (output 2).
Op string_op(int64_t skip, const std::string& mode = "TF", std::vector<float> weights = {}) {
  Op op("TfIdfVectorizer", 9);
  op.attr("min_gram_length", attr_i(1))
      .attr("max_gram_length", attr_i(2))
      .attr("max_skip_count", attr_i(skip))
      .attr("mode", attr_s(mode))
      .attr("ngram_counts", attr_ints({0, 2}))
      .attr("ngram_indexes", attr_ints({0, 1, 2}))
      .attr("pool_strings", attr_strings({"a", "b", "a", "b"}));
  if (!weights.empty()) op.attr("weights", attr_floats(std::move(weights)));
  return op;
}

TEST(TfIdfVectorizer, CountsWithAndWithoutSkips) {
  const Tensor x = strs({5}, {"a", "b", "a", "c", "b"});
  // Unigrams a:2 b:2; bigram (a,b) once adjacent (positions 0-1).
  auto y = string_op(0).run({x});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{3}));
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{2, 2, 1}));
  // Skip 1 adds pairs two apart: (a,a) (b,c) (a,b) -> one more "a b"; unigrams are counted once.
  y = string_op(1).run({x});
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{2, 2, 2}));
}

TEST(TfIdfVectorizer, Weightings) {
  const Tensor x = strs({5}, {"a", "b", "a", "c", "b"});
  EXPECT_EQ(values<float>(string_op(0, "IDF").run({x})[0]), (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(values<float>(string_op(0, "IDF", {0.5f, 2, 4}).run({x})[0]), (std::vector<float>{0.5f, 2, 4}));
  EXPECT_EQ(values<float>(string_op(0, "TFIDF", {0.5f, 2, 4}).run({x})[0]), (std::vector<float>{1, 4, 4}));
  EXPECT_EQ(values<float>(string_op(0, "TFIDF").run({x})[0]), (std::vector<float>{2, 2, 1}));
}

TEST(TfIdfVectorizer, IntegerBatchAndIndexPermutation) {
  Op op("TfIdfVectorizer", 9);
  op.attr("min_gram_length", attr_i(1))
      .attr("max_gram_length", attr_i(1))
      .attr("max_skip_count", attr_i(0))
      .attr("mode", attr_s("TF"))
      .attr("ngram_counts", attr_ints({0}))
      .attr("ngram_indexes", attr_ints({1, 0}))
      .attr("pool_int64s", attr_ints({1, 2}));
  auto y = op.run({make<int32_t>(DType::kInt32, {3, 2}, {1, 2, 2, 2, 7, 8})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{1, 1, 2, 0, 0, 0}));
  y = op.run({make<int64_t>(DType::kInt64, {2}, {2, 2})});
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{2, 0}));
}

TEST(TfIdfVectorizer, Utf8TokensAndEmptyInputs) {
  Op op("TfIdfVectorizer", 9);
  op.attr("min_gram_length", attr_i(2))
      .attr("max_gram_length", attr_i(2))
      .attr("max_skip_count", attr_i(0))
      .attr("mode", attr_s("TF"))
      .attr("ngram_counts", attr_ints({0, 0}))
      .attr("ngram_indexes", attr_ints({0}))
      .attr("pool_strings", attr_strings({"中", "文"}));
  EXPECT_EQ(values<float>(op.run({strs({4}, {"中", "文", "中", "文"})})[0]), (std::vector<float>{2}));
  EXPECT_EQ(values<float>(op.run({strs({2}, {"中", ""})})[0]), (std::vector<float>{0}));
  auto y = op.run({strs({0}, {})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{1}));
  EXPECT_EQ(values<float>(y[0]), (std::vector<float>{0}));
  y = op.run({strs({0, 3}, {})});
  EXPECT_EQ(y[0].shape(), (std::vector<int64_t>{0, 1}));
}

TEST(TfIdfVectorizer, Errors) {
  std::string msg;
  EXPECT_EQ(error_of([&] { string_op(0, "BM25").build(); }, &msg), ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("BM25"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { string_op(0).attr("pool_int64s", attr_ints({1})).build(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              string_op(0).attr("ngram_indexes", attr_ints({0, 1})).build();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] {
              string_op(0).attr("ngram_counts", attr_ints({0, 1})).build();
            }),
            ErrorCode::kInvalidArgument);  // 3 items for bigrams
  EXPECT_EQ(error_of([&] { string_op(0).attr("min_gram_length", attr_i(3)).build(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { string_op(0, "IDF", {1}).build(); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { string_op(0).run({make<int64_t>(DType::kInt64, {1}, {1})}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { string_op(0).run({strs({1, 1, 1}, {"a"})}); }), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ortl::texttest
