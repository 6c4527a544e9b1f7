// The numpy-compatible generator (values printed by numpy's RandomState) and training-mode
// Dropout through the registry: the mask against numpy's stream, the kept values' scale, the
// float16 path, unseeded runs, the ratio check, and onnx's Dropout node tests.
#include <gtest/gtest.h>

#include <functional>

#include "kernels/eltwise/half.h"
#include "kernels/random/random.h"
#include "tests/nn/node_runner.h"

namespace ortl::nntest {
namespace {

TEST(NumpyRandom, MatchesRandomState) {
  kernels::NumpyRandom r0(0);  // numpy.random.RandomState(0).random_sample(3)
  EXPECT_EQ(r0.next_double(), 0.5488135039273248);
  EXPECT_EQ(r0.next_double(), 0.7151893663724195);
  EXPECT_EQ(r0.next_double(), 0.6027633760716439);
  kernels::NumpyRandom rmax(4294967295u);
  EXPECT_EQ(rmax.next_double(), 0.0976320289940138);
}

OpCall dropout(const Tensor& x, float ratio, bool seeded) {
  OpCall c("Dropout", 22);
  c.input(x).input(make_tensor<float>(DType::kFloat, {}, {ratio})).input(make_tensor<uint8_t>(DType::kBool, {}, {1}));
  c.outputs(2);
  if (seeded) c.attr_int("seed", 42);
  return c;
}

TEST(DropoutTraining, MaskFollowsNumpyStream) {
  std::vector<float> xv(16);
  for (int i = 0; i < 16; ++i) xv[i] = static_cast<float>(i) - 7.5f;
  auto y = dropout(make_tensor(DType::kFloat, {4, 4}, xv), 0.3f, true).run();
  // (numpy.random.RandomState(42).uniform(0, 1, 16) >= 0.3)
  const std::vector<int> want = {1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0};
  ASSERT_EQ(y[1].dtype(), DType::kBool);
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(y[1].data_as<uint8_t>()[i], want[i]) << i;
    const float scale = static_cast<float>(1.0 / (1.0 - double{0.3f}));
    EXPECT_EQ(y[0].data_as<float>()[i], want[i] ? xv[i] * scale : 0.0f) << i;
  }
  // The same seed gives the same mask on every run.
  auto again = dropout(make_tensor(DType::kFloat, {4, 4}, xv), 0.3f, true).run();
  EXPECT_EQ(0, std::memcmp(again[1].data(), y[1].data(), 16));
}

TEST(DropoutTraining, Float16AndUnseeded) {
  std::vector<uint16_t> xh(16, kernels::double_to_half_bits(1.5));
  auto y = dropout(make_tensor(DType::kFloat16, {16}, xh), 0.5f, true).run();
  ASSERT_EQ(y[0].dtype(), DType::kFloat16);
  for (int i = 0; i < 16; ++i) {
    const float v = kernels::half_bits_to_float(y[0].data_as<uint16_t>()[i]);
    EXPECT_EQ(v, y[1].data_as<uint8_t>()[i] ? 3.0f : 0.0f) << i;
  }
  // Without a seed the op is not folded and masks differ between runs (2^-4096 odds otherwise).
  const Tensor x(DType::kFloat, {4096});
  const OpCall c = dropout(x, 0.5f, false);
  EXPECT_FALSE(c.build()->deterministic());
  EXPECT_TRUE(dropout(x, 0.5f, true).build()->deterministic());
  auto a = c.run(), b = c.run();
  EXPECT_NE(0, std::memcmp(a[1].data(), b[1].data(), 4096));
}

TEST(DropoutTraining, RatioMustBeBelowOne) {
  const Tensor x(DType::kFloat, {3});
  ErrorCode code = ErrorCode::kOk;
  try {
    dropout(x, 1.0f, true).run();
  } catch (const Error& e) {
    code = e.code();
  }
  EXPECT_EQ(code, ErrorCode::kInvalidArgument);
}

// onnx's test_training_dropout* cases: their masks come from RandomState(seed).
TEST(DropoutNodeCases, AllPass) { run_node_cases({"training_dropout", "dropout"}); }

}  // namespace
}  // namespace ortl::nntest
