// ImageDecoder on hand-built BMP, Netpbm, TIFF, JPEG, PNG and WebP streams: bottom-up and top-down rows, row
// padding, palettes, ASCII and binary PNM, maxval scaling, the three pixel formats, corrupt data
// (the empty image) and formats without a decoder (kNotImplemented).
#include <dlfcn.h>

#include <algorithm>
#include <array>

#include "tests/text/harness.h"

namespace ortl::texttest {
namespace {

using Bytes = std::vector<uint8_t>;

Tensor stream(const Bytes& b) { return make<uint8_t>(DType::kUInt8, {static_cast<int64_t>(b.size())}, b); }
Tensor stream(const std::string& s) { return stream(Bytes(s.begin(), s.end())); }

void put32(Bytes& b, size_t at, uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = static_cast<uint8_t>(v >> (8 * k));
}

// BITMAPINFOHEADER file: `rows` are stored as given (already padded), `palette` BGRX entries.
Bytes bmp(int32_t w, int32_t h, uint16_t bpp, const Bytes& palette, const Bytes& rows, uint32_t compression = 0) {
  Bytes b(54 + palette.size() + rows.size(), 0);
  b[0] = 'B', b[1] = 'M';
  put32(b, 2, static_cast<uint32_t>(b.size()));
  put32(b, 10, static_cast<uint32_t>(54 + palette.size()));
  put32(b, 14, 40);
  put32(b, 18, static_cast<uint32_t>(w));
  put32(b, 22, static_cast<uint32_t>(h));
  b[26] = 1, b[28] = static_cast<uint8_t>(bpp);
  put32(b, 30, compression);
  put32(b, 46, static_cast<uint32_t>(palette.size() / 4));
  std::copy(palette.begin(), palette.end(), b.begin() + 54);
  std::copy(rows.begin(), rows.end(), b.begin() + 54 + static_cast<std::ptrdiff_t>(palette.size()));
  return b;
}

std::vector<uint8_t> decode(const Tensor& x, const std::string& fmt = "RGB", std::vector<int64_t>* shape = nullptr) {
  auto y = Op("ImageDecoder", 20).attr("pixel_format", attr_s(fmt)).run({x});
  EXPECT_EQ(y[0].dtype(), DType::kUInt8);
  if (shape) *shape = y[0].shape();
  return values<uint8_t>(y[0]);
}

// 2x2, bottom-up: stored bottom row first (blue, white), then top (red, green); 6 bytes + 2 pad.
const Bytes kRgb2x2 = bmp(2, 2, 24, {}, {255, 0, 0, 255, 255, 255, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0});

TEST(ImageDecoder, Bmp24BottomUpWithPadding) {
  std::vector<int64_t> shape;
  EXPECT_EQ(decode(stream(kRgb2x2), "RGB", &shape), (Bytes{255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255}));
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(decode(stream(kRgb2x2), "BGR"), (Bytes{0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255}));
  // Pillow's luma: red 76, green 150, blue 29, white 255.
  EXPECT_EQ(decode(stream(kRgb2x2), "Grayscale", &shape), (Bytes{76, 150, 29, 255}));
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 2, 1}));
}

TEST(ImageDecoder, BmpPaletteTopDownAnd32Bit) {
  // 3x1 8-bit, top-down (negative height); palette: 0 black, 1 (B=10, G=20, R=30).
  const Bytes pal = {0, 0, 0, 0, 10, 20, 30, 0};
  EXPECT_EQ(decode(stream(bmp(3, -1, 8, pal, {1, 0, 1, 0}))), (Bytes{30, 20, 10, 0, 0, 0, 30, 20, 10}));
  // 4-bit: two pixels per byte, high nibble first.
  EXPECT_EQ(decode(stream(bmp(2, 1, 4, pal, {0x10, 0, 0, 0}))), (Bytes{30, 20, 10, 0, 0, 0}));
  // 32-bit BGRX.
  EXPECT_EQ(decode(stream(bmp(1, 1, 32, {}, {1, 2, 3, 99}))), (Bytes{3, 2, 1}));
  // A palette index past the palette is corrupt data.
  std::vector<int64_t> shape;
  decode(stream(bmp(1, 1, 8, pal, {7, 0, 0, 0})), "RGB", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{0, 0, 3}));
}

TEST(ImageDecoder, NetpbmAsciiAndBinary) {
  EXPECT_EQ(decode(stream(std::string("P6\n2 1\n255\n") + "\x01\x02\x03\xFA\xFB\xFC")),
            (Bytes{1, 2, 3, 250, 251, 252}));
  EXPECT_EQ(decode(stream("P3 # comment\n# another\n1 1 15\n15 0 5\n")), (Bytes{255, 0, 85}));
  EXPECT_EQ(decode(stream(std::string("P5 2 1 255 ") + "\x10\xF0"), "Grayscale"), (Bytes{16, 240}));
  EXPECT_EQ(decode(stream("P2 1 1 255 200"), "BGR"), (Bytes{200, 200, 200}));
  EXPECT_EQ(decode(stream("P1 3 1 101"), "Grayscale"), (Bytes{0, 255, 0}));  // 1 is black
  EXPECT_EQ(decode(stream(std::string("P4 3 1\n") + "\xA0"), "Grayscale"), (Bytes{0, 255, 0}));
  // 16-bit samples, big-endian, scaled from maxval.
  EXPECT_EQ(decode(stream(std::string("P5 1 1 65535\n") + "\xFF\xFF"), "Grayscale"), (Bytes{255}));
}

// A little-endian TIFF: header, the strip data at offset 8, then one directory of SHORT/LONG
// entries (tag, type, value), values inline.
Bytes tiff(const Bytes& strip, std::vector<std::array<uint32_t, 3>> entries) {
  Bytes b = {'I', 'I', 42, 0, 0, 0, 0, 0};
  b.insert(b.end(), strip.begin(), strip.end());
  if (b.size() % 2) b.push_back(0);
  put32(b, 4, static_cast<uint32_t>(b.size()));
  entries.push_back({273, 4, 8});  // StripOffsets
  entries.push_back({279, 4, static_cast<uint32_t>(strip.size())});
  std::sort(entries.begin(), entries.end());
  b.push_back(static_cast<uint8_t>(entries.size())), b.push_back(0);
  for (const auto& [tag, type, value] : entries) {
    const size_t at = b.size();
    b.resize(at + 12, 0);
    b[at] = static_cast<uint8_t>(tag), b[at + 1] = static_cast<uint8_t>(tag >> 8),
    b[at + 2] = static_cast<uint8_t>(type);
    b[at + 4] = 1;
    put32(b, at + 8, value);
  }
  b.resize(b.size() + 4, 0);  // no next directory
  return b;
}

TEST(ImageDecoder, BaselineTiff) {
  // 2x1 RGB, uncompressed.
  const Bytes rgb = tiff({1, 2, 3, 4, 5, 6}, {{256, 3, 2}, {257, 3, 1}, {258, 3, 8}, {262, 3, 2}, {277, 3, 3}});
  std::vector<int64_t> shape;
  EXPECT_EQ(decode(stream(rgb), "RGB", &shape), (Bytes{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 2, 3}));
  // 3x2 gray (BlackIsZero), PackBits: a run of three 7s, then literals 1 2 3.
  const Bytes gray =
      tiff({0xFE, 7, 0x02, 1, 2, 3}, {{256, 3, 3}, {257, 3, 2}, {258, 3, 8}, {259, 3, 32773}, {262, 3, 1}});
  EXPECT_EQ(decode(stream(gray), "Grayscale"), (Bytes{7, 7, 7, 1, 2, 3}));
  // WhiteIsZero inverts.
  EXPECT_EQ(decode(stream(tiff({0, 255}, {{256, 3, 2}, {257, 3, 1}, {258, 3, 8}, {262, 3, 0}})), "Grayscale"),
            (Bytes{255, 0}));
  // A strip shorter than the image is corrupt; LZW is not decoded.
  decode(stream(tiff({1, 2, 3}, {{256, 3, 2}, {257, 3, 1}, {258, 3, 8}, {262, 3, 2}, {277, 3, 3}})), "RGB", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{0, 0, 3}));
  std::string msg;
  EXPECT_EQ(error_of(
                [&] {
                  decode(stream(tiff({1, 2}, {{256, 3, 2}, {257, 3, 1}, {258, 3, 8}, {259, 3, 5}, {262, 3, 1}})));
                },
                &msg),
            ErrorCode::kNotImplemented);
  EXPECT_NE(msg.find("compression 5"), std::string::npos) << msg;
}

// An 8x8 baseline JPEG of flat gray 100, built by hand: quantisation table of 1s, a DC table
// whose only code "0" means category 8, an AC table whose only code "0" is end-of-block. The
// scan is DC "0" + 8 bits of -224 ((100 - 128) * 8, ones' complement 00011111) + EOB "0",
// padded with 1s: 0x0F 0xBF. Flat blocks decode exactly.
Bytes gray_jpeg() {
  Bytes b = {0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, 0x00};
  b.insert(b.end(), 64, 0x01);
  const Bytes rest = {0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00,  // SOF0
                      0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0,    0,    0,    0,    0,    0,    0,    0,
                      0,    0,    0,    0,    0,    0,    0,    0x08, 0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01,
                      0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
                      0,    0x00, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00,  // SOS
                      0x0F, 0xBF, 0xFF, 0xD9};
  b.insert(b.end(), rest.begin(), rest.end());
  return b;
}

uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

void chunk(Bytes& png, const char* type, const Bytes& data) {
  const auto n = static_cast<uint32_t>(data.size());
  png.insert(png.end(), {uint8_t(n >> 24), uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n)});
  const size_t start = png.size();
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  const uint32_t c = crc32(png.data() + start, png.size() - start);
  png.insert(png.end(), {uint8_t(c >> 24), uint8_t(c >> 16), uint8_t(c >> 8), uint8_t(c)});
}

// A 2x1 8-bit RGB PNG whose zlib stream holds one stored (uncompressed) deflate block.
Bytes rgb_png(const Bytes& pixels) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  chunk(png, "IHDR", {0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0});
  Bytes raw = {0};  // filter type "none"
  raw.insert(raw.end(), pixels.begin(), pixels.end());
  const auto len = static_cast<uint16_t>(raw.size());
  Bytes z = {0x78, 0x01, 0x01, uint8_t(len), uint8_t(len >> 8), uint8_t(~len), uint8_t(~len >> 8)};
  z.insert(z.end(), raw.begin(), raw.end());
  uint32_t a = 1, b = 0;
  for (uint8_t v : raw) a = (a + v) % 65521, b = (b + a) % 65521;
  const uint32_t adler = b << 16 | a;
  z.insert(z.end(), {uint8_t(adler >> 24), uint8_t(adler >> 16), uint8_t(adler >> 8), uint8_t(adler)});
  chunk(png, "IDAT", z);
  chunk(png, "IEND", {});
  return png;
}

// JPEG and PNG go through the system libraries; where they cannot be loaded the op says so.
bool codec_missing(const Bytes& b) {
  return error_of([&] { decode(stream(b)); }) == ErrorCode::kNotImplemented;
}

TEST(ImageDecoder, JpegThroughLibjpeg) {
  if (codec_missing(gray_jpeg())) GTEST_SKIP() << "libjpeg is not available";
  std::vector<int64_t> shape;
  EXPECT_EQ(decode(stream(gray_jpeg()), "RGB", &shape), Bytes(8 * 8 * 3, 100));
  EXPECT_EQ(shape, (std::vector<int64_t>{8, 8, 3}));
  EXPECT_EQ(decode(stream(gray_jpeg()), "Grayscale"), Bytes(8 * 8, 100));
  Bytes cut = gray_jpeg();
  cut.resize(30);
  decode(stream(cut), "RGB", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{0, 0, 3}));
}

TEST(ImageDecoder, PngThroughLibpng) {
  const Bytes png = rgb_png({10, 20, 30, 250, 128, 0});
  if (codec_missing(png)) GTEST_SKIP() << "libpng is not available";
  std::vector<int64_t> shape;
  EXPECT_EQ(decode(stream(png), "RGB", &shape), (Bytes{10, 20, 30, 250, 128, 0}));
  EXPECT_EQ(shape, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(decode(stream(png), "BGR"), (Bytes{30, 20, 10, 0, 128, 250}));
  Bytes bad = png;
  bad[bad.size() - 20] ^= 0xFF;  // inside IDAT: the CRC no longer matches
  decode(stream(bad), "RGB", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{0, 0, 3}));
}

// WebP: encode losslessly with the same system libwebp, then decode through the op.
TEST(ImageDecoder, WebpThroughLibwebp) {
  void* lib = dlopen("libwebp.so.7", RTLD_NOW | RTLD_LOCAL);
  if (!lib) GTEST_SKIP() << "libwebp is not available";
  using Encode = size_t (*)(const uint8_t*, int, int, int, uint8_t**);
  using Free = void (*)(void*);
  auto encode = reinterpret_cast<Encode>(dlsym(lib, "WebPEncodeLosslessRGB"));
  auto release = reinterpret_cast<Free>(dlsym(lib, "WebPFree"));
  ASSERT_TRUE(encode && release);
  const Bytes pixels = {1, 2, 3, 200, 100, 50, 0, 0, 0, 255, 255, 255, 9, 8, 7, 60, 70, 80};  // 3x2
  uint8_t* out = nullptr;
  const size_t n = encode(pixels.data(), 3, 2, 9, &out);
  ASSERT_GT(n, 0u);
  const Bytes webp(out, out + n);
  release(out);
  std::vector<int64_t> shape;
  EXPECT_EQ(decode(stream(webp), "RGB", &shape), pixels);
  EXPECT_EQ(shape, (std::vector<int64_t>{2, 3, 3}));
  decode(stream(Bytes(webp.begin(), webp.begin() + 20)), "RGB", &shape);
  EXPECT_EQ(shape, (std::vector<int64_t>{0, 0, 3}));
}

TEST(ImageDecoder, CorruptDataGivesEmptyImage) {
  std::vector<int64_t> shape;
  Bytes truncated = kRgb2x2;
  truncated.resize(truncated.size() - 3);
  for (const Tensor& x : {stream(truncated), stream("P6 2 2 255\n\x01"), stream("hello"), stream(Bytes{}),
                          stream("P3 1 1 255 300 0 0"), stream("P6 0 5 255\n")}) {
    decode(x, "Grayscale", &shape);
    EXPECT_EQ(shape, (std::vector<int64_t>{0, 0, 1}));
  }
}

TEST(ImageDecoder, Errors) {
  std::string msg;
  const Bytes jp2 = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', '\r', '\n', 0x87, '\n', 0, 0};
  EXPECT_EQ(error_of([&] { decode(stream(jp2)); }, &msg), ErrorCode::kNotImplemented);
  EXPECT_NE(msg.find("JPEG 2000"), std::string::npos) << msg;
  EXPECT_EQ(error_of(
                [&] {
                  decode(stream(bmp(1, 1, 8, {0, 0, 0, 0}, {0, 0, 0, 0}, 1)));
                },
                &msg),
            ErrorCode::kNotImplemented);
  EXPECT_NE(msg.find("RLE"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { Op("ImageDecoder", 20).attr("pixel_format", attr_s("RGBA")).build(); }, &msg),
            ErrorCode::kInvalidArgument);
  EXPECT_NE(msg.find("RGBA"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] {
              Op("ImageDecoder", 20).run({make<uint8_t>(DType::kUInt8, {1, 2}, {1, 2})});
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(error_of([&] { Op("ImageDecoder", 20).run({make<int32_t>(DType::kInt32, {1}, {1})}); }),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ortl::texttest
