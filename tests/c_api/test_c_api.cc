// The C API (include/ort_lite/ort_lite.h): results, and every kind of misuse the issue names
// (NULL handles, released handles, wrong buffer sizes, wrong dtypes) ending in an error status
// with a message, never a crash. Runs under ASan in the sanitizer build.
#include <ort_lite/ort_lite.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <ort_lite/ort_lite.hpp>

#include "tests/runtime/model_builder.h"

namespace {

using ortl::DType;
using ortl::test::ModelBuilder;

// y = Relu(x), z = Neg(x), x float [d0, 3] (d0 symbolic).
std::string relu_neg_model() {
  ModelBuilder b;
  b.input("x", DType::kFloat, {-1, 3});
  b.node("Relu", {"x"}, {"y"});
  b.node("Neg", {"x"}, {"z"});
  b.output("y", DType::kFloat);
  b.output("z", DType::kFloat);
  return b.bytes();
}

class CApi : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = relu_neg_model();
    ASSERT_EQ(ortl_session_create_from_buffer(bytes_.data(), bytes_.size(), nullptr, &s_), ORTL_OK) << ortl_last_error();
  }
  void TearDown() override { EXPECT_EQ(ortl_session_release(s_), ORTL_OK); }

  // A float [rows, 3] input over x_.
  ortl_tensor input(int64_t rows) {
    x_.assign(static_cast<size_t>(rows) * 3, 0.f);
    for (size_t i = 0; i < x_.size(); ++i) x_[i] = static_cast<float>(i) - 2.f;
    shape_[0] = rows;
    shape_[1] = 3;
    return ortl_tensor{ORTL_DTYPE_FLOAT, shape_, 2, x_.data(), x_.size() * sizeof(float)};
  }

  std::string bytes_;
  ortl_session* s_ = nullptr;
  std::vector<float> x_;
  int64_t shape_[2] = {0, 0};
  const char* x_name_ = "x";
};

#define EXPECT_STATUS(call, status, text)                         \
  do {                                                            \
    EXPECT_EQ((call), status) << #call;                           \
    EXPECT_NE(std::string(ortl_last_error()).find(text), std::string::npos) \
        << #call << ": message '" << ortl_last_error() << "' lacks '" << text << "'"; \
  } while (0)

TEST(CApiLibrary, VersionAndNames) {
  EXPECT_STREQ(ortl_version(), ORTL_VERSION);
  EXPECT_STREQ(ortl_version(), ort_lite::version());
  EXPECT_STREQ(ortl_status_string(ORTL_INVALID_HANDLE), "ORTL_INVALID_HANDLE");
  EXPECT_STREQ(ortl_dtype_name(ORTL_DTYPE_INT64), "int64");
  EXPECT_EQ(ortl_dtype_size(ORTL_DTYPE_FLOAT16), 2u);
  EXPECT_EQ(ortl_dtype_size(ORTL_DTYPE_STRING), 0u);
  EXPECT_EQ(ortl_dtype_size(static_cast<ortl_dtype>(99)), 0u);
}

TEST_F(CApi, InputsAndOutputsWithSymbolicDims) {
  size_t n = 0;
  ASSERT_EQ(ortl_session_input_count(s_, &n), ORTL_OK);
  EXPECT_EQ(n, 1u);
  ASSERT_EQ(ortl_session_output_count(s_, &n), ORTL_OK);
  EXPECT_EQ(n, 2u);
  ortl_value_info info;
  ASSERT_EQ(ortl_session_input_info(s_, 0, &info), ORTL_OK);
  EXPECT_STREQ(info.name, "x");
  EXPECT_EQ(info.dtype, ORTL_DTYPE_FLOAT);
  ASSERT_EQ(info.rank, 2);
  EXPECT_EQ(info.shape[0], -1);
  EXPECT_STREQ(info.dim_names[0], "d0");
  EXPECT_EQ(info.shape[1], 3);
  EXPECT_STREQ(info.dim_names[1], "");
  ASSERT_EQ(ortl_session_output_info(s_, 1, &info), ORTL_OK);
  EXPECT_STREQ(info.name, "z");
  EXPECT_STATUS(ortl_session_output_info(s_, 2, &info), ORTL_INVALID_ARGUMENT, "out of range");
}

TEST_F(CApi, RunAllocatesOutputs) {
  const ortl_tensor x = input(2);
  ortl_value* out[2] = {nullptr, nullptr};
  ASSERT_EQ(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_OK) << ortl_last_error();
  ortl_tensor y, z;
  ASSERT_EQ(ortl_value_get(out[0], &y), ORTL_OK);
  ASSERT_EQ(ortl_value_get(out[1], &z), ORTL_OK);
  ASSERT_EQ(y.dtype, ORTL_DTYPE_FLOAT);
  ASSERT_EQ(y.rank, 2u);
  EXPECT_EQ(y.shape[0], 2);
  EXPECT_EQ(y.shape[1], 3);
  ASSERT_EQ(y.byte_size, 6 * sizeof(float));
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(static_cast<const float*>(y.data)[i], std::max(x_[i], 0.f));
    EXPECT_EQ(static_cast<const float*>(z.data)[i], -x_[i]);
  }
  EXPECT_EQ(ortl_value_release(out[0]), ORTL_OK);
  EXPECT_EQ(ortl_value_release(out[1]), ORTL_OK);
}

TEST_F(CApi, RunSelectedOutputsInTheGivenOrder) {
  const ortl_tensor x = input(1);
  const char* names[] = {"z", "y"};
  ortl_value* out[2] = {nullptr, nullptr};
  ASSERT_EQ(ortl_run(s_, &x_name_, &x, 1, names, 2, out), ORTL_OK) << ortl_last_error();
  ortl_tensor z;
  ASSERT_EQ(ortl_value_get(out[0], &z), ORTL_OK);
  EXPECT_EQ(static_cast<const float*>(z.data)[0], 2.f);  // -(-2)
  ortl_value_release(out[0]);
  ortl_value_release(out[1]);
}

TEST_F(CApi, RunIntoCallerBuffers) {
  const ortl_tensor x = input(2);
  float y[6], z[6];
  const int64_t shape[2] = {2, 3};
  const ortl_tensor outs[2] = {{ORTL_DTYPE_FLOAT, shape, 2, y, sizeof y}, {ORTL_DTYPE_FLOAT, shape, 2, z, sizeof z}};
  ASSERT_EQ(ortl_run_into(s_, &x_name_, &x, 1, nullptr, outs, 2), ORTL_OK) << ortl_last_error();
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(y[i], std::max(x_[i], 0.f));
    EXPECT_EQ(z[i], -x_[i]);
  }
}

TEST_F(CApi, RunIntoChecksOutputBuffersAndWritesNothingOnError) {
  const ortl_tensor x = input(2);
  float y[6], z[6];
  std::fill(y, y + 6, 42.f);
  std::fill(z, z + 6, 42.f);
  const int64_t wrong[2] = {3, 2};
  const int64_t right[2] = {2, 3};
  ortl_tensor outs[2] = {{ORTL_DTYPE_FLOAT, right, 2, y, sizeof y}, {ORTL_DTYPE_FLOAT, wrong, 2, z, sizeof z}};
  EXPECT_STATUS(ortl_run_into(s_, &x_name_, &x, 1, nullptr, outs, 2), ORTL_INVALID_ARGUMENT, "buffer given is for");
  EXPECT_EQ(y[0], 42.f);  // the first output's buffer was fine, and still untouched
  outs[1].shape = right;
  outs[1].byte_size = sizeof z - 1;
  EXPECT_STATUS(ortl_run_into(s_, &x_name_, &x, 1, nullptr, outs, 2), ORTL_INVALID_ARGUMENT, "byte_size");
  outs[1].byte_size = sizeof z;
  outs[1].dtype = ORTL_DTYPE_INT32;
  EXPECT_STATUS(ortl_run_into(s_, &x_name_, &x, 1, nullptr, outs, 2), ORTL_INVALID_ARGUMENT, "int32");
  outs[1].dtype = ORTL_DTYPE_FLOAT;
  outs[1].data = nullptr;
  EXPECT_STATUS(ortl_run_into(s_, &x_name_, &x, 1, nullptr, outs, 2), ORTL_INVALID_ARGUMENT, "NULL data");
  EXPECT_EQ(y[0], 42.f);
  EXPECT_EQ(z[0], 42.f);
}

TEST_F(CApi, WrongInputsAreErrorsAndTheSessionStaysUsable) {
  ortl_tensor x = input(2);
  ortl_value* out[2] = {nullptr, nullptr};
  x.byte_size -= 1;  // buffer smaller than its shape
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "byte_size");
  x = input(2);
  std::vector<int64_t> ints(6, 1);
  x.dtype = ORTL_DTYPE_INT64;  // dtype the model does not take
  x.data = ints.data();
  x.byte_size = ints.size() * sizeof(int64_t);
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "must be float");
  x = input(2);
  x.dtype = static_cast<ortl_dtype>(99);  // not a dtype at all
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "dtype 99");
  x.dtype = ORTL_DTYPE_STRING;
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "string");
  x = input(2);
  x.rank = 1;  // wrong rank
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "rank");
  x = input(2);
  x.shape = nullptr;
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "shape is NULL");
  x = input(2);
  x.data = nullptr;
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "NULL data");
  x = input(2);
  const char* bad = "nope";
  EXPECT_STATUS(ortl_run(s_, &bad, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "unknown input 'nope'");
  EXPECT_STATUS(ortl_run(s_, nullptr, nullptr, 0, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "missing input 'x'");
  const char* no_such_output = "w";
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, &no_such_output, 1, out), ORTL_INVALID_ARGUMENT, "'w'");
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 1, out), ORTL_INVALID_ARGUMENT, "output_count is 1");
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, &no_such_output, 0, out), ORTL_INVALID_ARGUMENT, "output_count is 0");
  EXPECT_STATUS(ortl_run_into(s_, &x_name_, &x, 1, nullptr, nullptr, 0), ORTL_INVALID_ARGUMENT, "output_count is 0");
  EXPECT_STATUS(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, nullptr), ORTL_INVALID_ARGUMENT, "outputs is NULL");
  EXPECT_STATUS(ortl_run(s_, nullptr, &x, 1, nullptr, 2, out), ORTL_INVALID_ARGUMENT, "input_names is NULL");
  EXPECT_EQ(out[0], nullptr);  // out-parameters are written only on success
  ASSERT_EQ(ortl_run(s_, &x_name_, &x, 1, nullptr, 2, out), ORTL_OK) << ortl_last_error();
  ortl_value_release(out[0]);
  ortl_value_release(out[1]);
}

TEST(CApiHandles, NullHandlesAndNullOutPointers) {
  size_t n = 0;
  ortl_value_info info;
  ortl_tensor t;
  ortl_value* out = nullptr;
  EXPECT_STATUS(ortl_session_input_count(nullptr, &n), ORTL_INVALID_HANDLE, "ortl_session_input_count");
  EXPECT_STATUS(ortl_session_output_count(nullptr, &n), ORTL_INVALID_HANDLE, "NULL");
  EXPECT_STATUS(ortl_session_input_info(nullptr, 0, &info), ORTL_INVALID_HANDLE, "NULL");
  EXPECT_STATUS(ortl_session_output_info(nullptr, 0, &info), ORTL_INVALID_HANDLE, "NULL");
  EXPECT_STATUS(ortl_run(nullptr, nullptr, nullptr, 0, nullptr, 1, &out), ORTL_INVALID_HANDLE, "ortl_run");
  EXPECT_STATUS(ortl_run_into(nullptr, nullptr, nullptr, 0, nullptr, nullptr, 0), ORTL_INVALID_HANDLE, "ortl_run_into");
  EXPECT_STATUS(ortl_value_get(nullptr, &t), ORTL_INVALID_HANDLE, "ortl_value");
  EXPECT_STATUS(ortl_options_set_intra_op_threads(nullptr, 1), ORTL_INVALID_HANDLE, "ortl_options");
  EXPECT_STATUS(ortl_options_set_optimization_level(nullptr, 1), ORTL_INVALID_HANDLE, "ortl_options");
  EXPECT_STATUS(ortl_options_set_verbose(nullptr, 1), ORTL_INVALID_HANDLE, "ortl_options");
  // Releasing NULL is a no-op, as free(NULL) is.
  EXPECT_EQ(ortl_session_release(nullptr), ORTL_OK);
  EXPECT_EQ(ortl_value_release(nullptr), ORTL_OK);
  EXPECT_EQ(ortl_options_release(nullptr), ORTL_OK);
  // NULL out-pointers.
  EXPECT_STATUS(ortl_options_create(nullptr), ORTL_INVALID_ARGUMENT, "out is NULL");
  const std::string bytes = relu_neg_model();
  EXPECT_STATUS(ortl_session_create_from_buffer(bytes.data(), bytes.size(), nullptr, nullptr), ORTL_INVALID_ARGUMENT,
                "out is NULL");
  EXPECT_STATUS(ortl_session_create_from_path(nullptr, nullptr, nullptr), ORTL_INVALID_ARGUMENT, "path is NULL");
  ortl_session* s = nullptr;
  ASSERT_EQ(ortl_session_create_from_buffer(bytes.data(), bytes.size(), nullptr, &s), ORTL_OK);
  EXPECT_STATUS(ortl_session_input_count(s, nullptr), ORTL_INVALID_ARGUMENT, "out is NULL");
  EXPECT_STATUS(ortl_session_input_info(s, 0, nullptr), ORTL_INVALID_ARGUMENT, "out is NULL");
  EXPECT_EQ(ortl_session_release(s), ORTL_OK);
}

TEST(CApiHandles, UseAfterReleaseAndDoubleRelease) {
  const std::string bytes = relu_neg_model();
  ortl_session* s = nullptr;
  ASSERT_EQ(ortl_session_create_from_buffer(bytes.data(), bytes.size(), nullptr, &s), ORTL_OK);
  float x[3] = {1, -1, 2};
  const int64_t shape[2] = {1, 3};
  const ortl_tensor in = {ORTL_DTYPE_FLOAT, shape, 2, x, sizeof x};
  const char* name = "x";
  ortl_value* out[2] = {nullptr, nullptr};
  ASSERT_EQ(ortl_run(s, &name, &in, 1, nullptr, 2, out), ORTL_OK);
  ASSERT_EQ(ortl_session_release(s), ORTL_OK);
  size_t n = 0;
  EXPECT_STATUS(ortl_session_input_count(s, &n), ORTL_INVALID_HANDLE, "not a live ortl_session");
  EXPECT_STATUS(ortl_run(s, &name, &in, 1, nullptr, 2, out), ORTL_INVALID_HANDLE, "already released");
  EXPECT_STATUS(ortl_session_release(s), ORTL_INVALID_HANDLE, "ortl_session_release");
  // Outputs outlive their session.
  ortl_tensor y;
  ASSERT_EQ(ortl_value_get(out[0], &y), ORTL_OK);
  EXPECT_EQ(static_cast<const float*>(y.data)[2], 2.f);
  ASSERT_EQ(ortl_value_release(out[0]), ORTL_OK);
  EXPECT_STATUS(ortl_value_get(out[0], &y), ORTL_INVALID_HANDLE, "not a live ortl_value");
  EXPECT_STATUS(ortl_value_release(out[0]), ORTL_INVALID_HANDLE, "ortl_value_release");
  ASSERT_EQ(ortl_value_release(out[1]), ORTL_OK);

  ortl_options* o = nullptr;
  ASSERT_EQ(ortl_options_create(&o), ORTL_OK);
  ASSERT_EQ(ortl_options_release(o), ORTL_OK);
  EXPECT_STATUS(ortl_options_set_intra_op_threads(o, 1), ORTL_INVALID_HANDLE, "not a live ortl_options");
  EXPECT_STATUS(ortl_session_create_from_buffer(bytes.data(), bytes.size(), o, &s), ORTL_INVALID_HANDLE,
                "not a live ortl_options");
}

TEST(CApiHandles, ForeignAndMismatchedHandles) {
  const std::string bytes = relu_neg_model();
  ortl_options* o = nullptr;
  ASSERT_EQ(ortl_options_create(&o), ORTL_OK);
  size_t n = 0;
  // An options handle where a session is expected, and a pointer that was never a handle.
  EXPECT_STATUS(ortl_session_input_count(reinterpret_cast<ortl_session*>(o), &n), ORTL_INVALID_HANDLE,
                "another kind of handle");
  int not_a_handle = 0;
  EXPECT_STATUS(ortl_session_release(reinterpret_cast<ortl_session*>(&not_a_handle)), ORTL_INVALID_HANDLE, "never created");
  EXPECT_STATUS(ortl_value_release(reinterpret_cast<ortl_value*>(o)), ORTL_INVALID_HANDLE, "another kind");
  EXPECT_EQ(ortl_options_release(o), ORTL_OK);
}

TEST(CApiOptions, ValuesAreCheckedAndUsed) {
  ortl_options* o = nullptr;
  ASSERT_EQ(ortl_options_create(&o), ORTL_OK);
  EXPECT_STATUS(ortl_options_set_intra_op_threads(o, -1), ORTL_INVALID_ARGUMENT, "threads");
  EXPECT_STATUS(ortl_options_set_optimization_level(o, -3), ORTL_INVALID_ARGUMENT, "level");
  ASSERT_EQ(ortl_options_set_intra_op_threads(o, 2), ORTL_OK);
  ASSERT_EQ(ortl_options_set_optimization_level(o, 0), ORTL_OK);
  const std::string bytes = relu_neg_model();
  ortl_session* s = nullptr;
  ASSERT_EQ(ortl_session_create_from_buffer(bytes.data(), bytes.size(), o, &s), ORTL_OK) << ortl_last_error();
  EXPECT_EQ(ortl_options_release(o), ORTL_OK);  // the session keeps its own copy
  size_t n = 0;
  EXPECT_EQ(ortl_session_input_count(s, &n), ORTL_OK);
  EXPECT_EQ(ortl_session_release(s), ORTL_OK);
}

TEST(CApiLoad, BadModelsAreErrors) {
  ortl_session* s = nullptr;
  EXPECT_STATUS(ortl_session_create_from_path("/no/such/model.onnx", nullptr, &s), ORTL_INVALID_ARGUMENT,
                "/no/such/model.onnx");
  const char garbage[] = "\x08\x07\x12\xff\xff\xff\xff\x0f not a model";
  EXPECT_STATUS(ortl_session_create_from_buffer(garbage, sizeof garbage, nullptr, &s), ORTL_INVALID_MODEL, "");
  EXPECT_NE(std::string(ortl_last_error()), "");
  EXPECT_STATUS(ortl_session_create_from_buffer(garbage, 0, nullptr, &s), ORTL_INVALID_ARGUMENT, "size is 0");
  EXPECT_STATUS(ortl_session_create_from_buffer(nullptr, 10, nullptr, &s), ORTL_INVALID_ARGUMENT, "data is NULL");
  ModelBuilder b;
  b.input("x", DType::kFloat, {2});
  b.node("NoSuchOp", {"x"}, {"y"});
  b.output("y", DType::kFloat);
  const std::string unknown_op = b.bytes();
  EXPECT_STATUS(ortl_session_create_from_buffer(unknown_op.data(), unknown_op.size(), nullptr, &s), ORTL_NOT_IMPLEMENTED,
                "NoSuchOp");
  EXPECT_EQ(s, nullptr);
}

TEST(CApiThreads, ErrorMessagesAreThreadLocal) {
  ortl_options_set_verbose(nullptr, 1);
  const std::string mine = ortl_last_error();
  std::thread([] { ortl_session_release(reinterpret_cast<ortl_session*>(0x10)); }).join();
  EXPECT_EQ(mine, ortl_last_error());
}

TEST_F(CApi, ConcurrentRunsOnOneSession) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const char* name = "x";
      for (int iter = 0; iter < 50; ++iter) {
        const int64_t rows = 1 + (t + iter) % 4;
        std::vector<float> x(static_cast<size_t>(rows) * 3);
        for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) - 3.f + static_cast<float>(t);
        const int64_t shape[2] = {rows, 3};
        const ortl_tensor in = {ORTL_DTYPE_FLOAT, shape, 2, x.data(), x.size() * sizeof(float)};
        std::vector<float> y(x.size()), z(x.size());
        const ortl_tensor outs[2] = {{ORTL_DTYPE_FLOAT, shape, 2, y.data(), y.size() * sizeof(float)},
                                     {ORTL_DTYPE_FLOAT, shape, 2, z.data(), z.size() * sizeof(float)}};
        if (ortl_run_into(s_, &name, &in, 1, nullptr, outs, 2) != ORTL_OK) {
          failures++;
          continue;
        }
        for (size_t i = 0; i < x.size(); ++i)
          if (y[i] != std::max(x[i], 0.f) || z[i] != -x[i]) failures++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(CApiThreads, ReleaseWhileOtherThreadsRun) {
  const std::string bytes = relu_neg_model();
  ortl_session* s = nullptr;
  ASSERT_EQ(ortl_session_create_from_buffer(bytes.data(), bytes.size(), nullptr, &s), ORTL_OK);
  std::atomic<int> bad{0}, started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      float x[3] = {1, 2, 3}, y[3], z[3];
      const int64_t shape[2] = {1, 3};
      const ortl_tensor in = {ORTL_DTYPE_FLOAT, shape, 2, x, sizeof x};
      const ortl_tensor outs[2] = {{ORTL_DTYPE_FLOAT, shape, 2, y, sizeof y}, {ORTL_DTYPE_FLOAT, shape, 2, z, sizeof z}};
      const char* name = "x";
      started++;
      for (;;) {
        const ortl_status st = ortl_run_into(s, &name, &in, 1, nullptr, outs, 2);
        if (st == ORTL_INVALID_HANDLE) break;  // released: every later call says so
        if (st != ORTL_OK || y[2] != 3.f) bad++;
      }
    });
  }
  while (started.load() < 3) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ortl_session_release(s), ORTL_OK);
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
