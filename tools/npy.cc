#include "tools/npy.h"

#include <cstring>
#include <fstream>
#include <regex>

namespace ortl::tools {
namespace {

struct Descr {
  const char* code;
  DType dtype;
};
constexpr Descr kDescrs[] = {
    {"<f4", DType::kFloat},  {"<f8", DType::kDouble}, {"<f2", DType::kFloat16}, {"<i8", DType::kInt64},
    {"<i4", DType::kInt32},  {"<i2", DType::kInt16},  {"|i1", DType::kInt8},    {"|u1", DType::kUInt8},
    {"<u2", DType::kUInt16}, {"<u4", DType::kUInt32}, {"<u8", DType::kUInt64},  {"|b1", DType::kBool},
};

}  // namespace

Tensor load_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  check(f.good(), ErrorCode::kInvalidArgument, path, ": cannot open file");
  char magic[8];
  f.read(magic, 8);
  check(f.good() && std::memcmp(magic, "\x93NUMPY", 6) == 0, ErrorCode::kInvalidArgument, path, ": not a .npy file");
  uint32_t hlen = 0;
  if (magic[6] == 1) {
    uint8_t b[2];
    f.read(reinterpret_cast<char*>(b), 2);
    hlen = b[0] | (b[1] << 8);
  } else {
    uint8_t b[4];
    f.read(reinterpret_cast<char*>(b), 4);
    hlen = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
  }
  check(f.good() && hlen < (1u << 20), ErrorCode::kInvalidArgument, path, ": bad .npy header");
  std::string header(hlen, '\0');
  f.read(header.data(), hlen);
  std::smatch m;
  check(std::regex_search(header, m, std::regex("'descr':\\s*'([^']+)'")), ErrorCode::kInvalidArgument, path,
        ": .npy header has no descr");
  const std::string descr = m[1];
  DType dt = DType::kUndefined;
  for (const auto& d : kDescrs)
    if (descr == d.code || (descr.size() == 3 && descr[0] == '=' && descr.substr(1) == std::string(d.code).substr(1)))
      dt = d.dtype;
  check(dt != DType::kUndefined, ErrorCode::kNotImplemented, path, ": unsupported .npy dtype '", descr, "'");
  check(!std::regex_search(header, std::regex("'fortran_order':\\s*True")), ErrorCode::kNotImplemented, path,
        ": Fortran-order .npy files are not supported");
  check(std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")), ErrorCode::kInvalidArgument, path,
        ": .npy header has no shape");
  std::vector<int64_t> shape;
  const std::string dims = m[1];
  const std::regex number("\\d+");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it)
    shape.push_back(std::stoll(it->str()));
  Tensor t(dt, shape);
  f.read(static_cast<char*>(t.data()), static_cast<std::streamsize>(t.nbytes()));
  check(static_cast<size_t>(f.gcount()) == t.nbytes(), ErrorCode::kInvalidArgument, path, ": truncated .npy data");
  return t;
}

void save_npy(const Tensor& t, const std::string& path) {
  const char* code = nullptr;
  for (const auto& d : kDescrs)
    if (d.dtype == t.dtype()) code = d.code;
  check(code != nullptr, ErrorCode::kNotImplemented, path, ": cannot write dtype ", dtype_name(t.dtype()), " to .npy");
  std::string shape = "(";
  for (int64_t d : t.shape()) shape += std::to_string(d) + ",";
  if (t.rank() > 1) shape.pop_back();
  shape += ")";
  std::string header = "{'descr': '" + std::string(code) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream f(path, std::ios::binary);
  check(f.good(), ErrorCode::kInvalidArgument, path, ": cannot write file");
  const uint16_t hlen = static_cast<uint16_t>(header.size());
  f.write("\x93NUMPY\x01\x00", 8);
  const char len[2] = {static_cast<char>(hlen & 0xff), static_cast<char>(hlen >> 8)};
  f.write(len, 2);
  f.write(header.data(), static_cast<std::streamsize>(header.size()));
  f.write(static_cast<const char*>(t.data()), static_cast<std::streamsize>(t.nbytes()));
}

}  // namespace ortl::tools
