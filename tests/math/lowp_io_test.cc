// TensorProto <-> Tensor for the low-precision types: 4- and 2-bit values unpack from raw_data,
// int32_data and external data (odd element counts included) and pack back bit for bit as
// onnx.numpy_helper.from_array writes them; float8 int32_data holds one element per entry.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "graph/loader.h"
#include "harness.h"
#include "onnx.pb.h"

namespace ortl::mathtest {
namespace {

std::vector<uint8_t> bytes_of(const Tensor& t) {
  return std::vector<uint8_t>(t.data_as<uint8_t>(), t.data_as<uint8_t>() + t.numel());
}

std::string raw(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// Packs t, checks the bytes (from numpy_helper.from_array), unpacks and compares.
void round_trip(const Tensor& t, const std::string& want_raw) {
  SCOPED_TRACE(dtype_name(t.dtype()));
  onnx::TensorProto tp;
  graph::tensor_to_proto(t, "t", &tp);
  EXPECT_EQ(tp.data_type(), static_cast<int>(t.dtype()));
  EXPECT_EQ(tp.raw_data(), want_raw);
  const Tensor back = graph::tensor_from_proto(tp, "", "t");
  EXPECT_EQ(back.dtype(), t.dtype());
  EXPECT_EQ(back.shape(), t.shape());
  EXPECT_EQ(bytes_of(back), bytes_of(t));
}

TEST(LowpIo, PacksAndUnpacksRawData) {
  round_trip(make_tensor<int8_t>(DType::kInt4, {5}, {-8, -1, 0, 7, 3}), raw({0xf8, 0x70, 0x03}));
  round_trip(make_tensor<uint8_t>(DType::kUInt4, {2, 2}, {15, 0, 1, 9}), raw({0x0f, 0x91}));
  round_trip(make_tensor<uint8_t>(DType::kFloat4E2M1, {3}, {0x1, 0xf, 0x3}), raw({0xf1, 0x03}));
  round_trip(make_tensor<int8_t>(DType::kInt2, {7}, {-2, -1, 0, 1, 1, 0, -1}), raw({0x4e, 0x31}));
  round_trip(make_tensor<uint8_t>(DType::kUInt2, {1, 5}, {3, 2, 1, 0, 3}), raw({0x1b, 0x03}));
  round_trip(make_tensor<uint8_t>(DType::kUInt2, {4}, {1, 1, 1, 1}), raw({0x55}));
  round_trip(make_tensor<uint8_t>(DType::kFloat8E5M2, {2}, {0x7c, 0x01}), raw({0x7c, 0x01}));
  round_trip(make_tensor<uint8_t>(DType::kFloat6E2M3, {5}, {0x3f, 0x01, 0x2a, 0x15, 0x07}),
             raw({0x7f, 0xa0, 0x56, 0x07}));
  round_trip(make_tensor<uint8_t>(DType::kFloat6E3M2, {4}, {1, 2, 3, 4}), raw({0x81, 0x30, 0x10}));
  round_trip(Tensor(DType::kInt4, {0, 3}), "");
  round_trip(Tensor(DType::kInt4, {1}), raw({0}));
}

TEST(LowpIo, Int32DataAndExternalData) {
  onnx::TensorProto tp;
  tp.set_data_type(static_cast<int>(DType::kInt4));
  tp.add_dims(3);
  for (int b : {0x8f, 0x07}) tp.add_int32_data(b);  // one packed byte per entry: -1, -8, 7
  EXPECT_EQ(bytes_of(graph::tensor_from_proto(tp, "", "t")), (std::vector<uint8_t>{0xff, 0xf8, 0x07}));

  onnx::TensorProto f8;
  f8.set_data_type(static_cast<int>(DType::kFloat8E4M3FN));
  f8.add_dims(2);
  for (int b : {0x7e, 0xb8}) f8.add_int32_data(b);  // one element per entry
  EXPECT_EQ(bytes_of(graph::tensor_from_proto(f8, "", "f8")), (std::vector<uint8_t>{0x7e, 0xb8}));

  // float6: one element per int32_data entry (helper.make_tensor); raw_data may pad the last
  // 3-byte group.
  onnx::TensorProto f6;
  f6.set_data_type(static_cast<int>(DType::kFloat6E3M2));
  f6.add_dims(2);
  for (int b : {12, 63}) f6.add_int32_data(b);
  EXPECT_EQ(bytes_of(graph::tensor_from_proto(f6, "", "f6")), (std::vector<uint8_t>{12, 63}));
  f6.clear_int32_data();
  f6.set_raw_data(raw({0xcc, 0x0f, 0x00}));  // 2 elements: 2 bytes, or the whole group of 3
  EXPECT_EQ(bytes_of(graph::tensor_from_proto(f6, "", "f6")), (std::vector<uint8_t>{12, 63}));

  // External data holds the packed bytes too.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("ortl_lowp_io_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "w.bin", std::ios::binary);
    f << raw({0xaa, 0x4e, 0x31});
  }
  onnx::TensorProto ext;
  ext.set_data_type(static_cast<int>(DType::kInt2));
  ext.add_dims(7);
  ext.set_data_location(onnx::TensorProto::EXTERNAL);
  auto* kv = ext.add_external_data();
  kv->set_key("location");
  kv->set_value("w.bin");
  kv = ext.add_external_data();
  kv->set_key("offset");
  kv->set_value("1");
  EXPECT_EQ(bytes_of(graph::tensor_from_proto(ext, dir.string(), "ext")),
            (std::vector<uint8_t>{0xfe, 0xff, 0, 1, 1, 0, 0xff}));
  fs::remove_all(dir);
}

TEST(LowpIo, WrongSizesAreModelErrors) {
  const auto expect_invalid = [](const onnx::TensorProto& tp) {
    try {
      graph::tensor_from_proto(tp, "", "w");
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidModel);
      EXPECT_NE(std::string(e.what()).find("w:"), std::string::npos) << e.what();
    }
  };
  onnx::TensorProto tp;
  tp.set_data_type(static_cast<int>(DType::kUInt4));
  tp.add_dims(5);
  tp.set_raw_data(raw({1, 2}));  // 5 nibbles need 3 bytes
  expect_invalid(tp);
  tp.set_raw_data(raw({1, 2, 3, 4, 5}));  // unpacked bytes are not accepted either
  expect_invalid(tp);
  onnx::TensorProto i32;
  i32.set_data_type(static_cast<int>(DType::kInt2));
  i32.add_dims(5);
  for (int i = 0; i < 5; ++i) i32.add_int32_data(1);  // needs 2 packed entries
  expect_invalid(i32);
}

}  // namespace
}  // namespace ortl::mathtest
