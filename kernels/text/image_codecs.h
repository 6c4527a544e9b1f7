// Image decoders for ImageDecoder. BMP (uncompressed 1/4/8/24/32-bit), the Netpbm formats (PBM,
// PGM, PPM; ASCII and binary) and baseline TIFF (8-bit strips, uncompressed or PackBits) are
// parsed here; JPEG, PNG and WebP go through the system's libjpeg / libpng / libwebp, loaded at
// run time (image_codecs_lib.cc). JPEG 2000 is only recognised, so the op can say so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ortl::kernels {

enum class ImageFormat { kUnknown, kBmp, kPnm, kJpeg, kPng, kTiff, kWebp, kJpeg2000 };

ImageFormat sniff_image_format(const uint8_t* data, size_t size);
const char* image_format_name(ImageFormat f);

struct DecodedImage {
  int64_t height = 0, width = 0;
  std::vector<uint8_t> rgb;  // height * width * 3, row-major, top row first
};

enum class DecodeStatus { kOk, kCorrupt, kUnsupported };

// Decode a stream into 8-bit RGB. kCorrupt: malformed or truncated data;
// kUnsupported: a valid variant not handled here (`why` says which). Images over 2^28 pixels
// count as corrupt.
DecodeStatus decode_bmp(const uint8_t* data, size_t size, DecodedImage& out, std::string& why);
DecodeStatus decode_pnm(const uint8_t* data, size_t size, DecodedImage& out, std::string& why);
DecodeStatus decode_tiff(const uint8_t* data, size_t size, DecodedImage& out, std::string& why);
// kUnsupported also when the library (or its header at build time) is missing.
DecodeStatus decode_jpeg(const uint8_t* data, size_t size, DecodedImage& out, std::string& why);
DecodeStatus decode_png(const uint8_t* data, size_t size, DecodedImage& out, std::string& why);
DecodeStatus decode_webp(const uint8_t* data, size_t size, DecodedImage& out, std::string& why);

// ITU-R 601-2 luma with Pillow's fixed-point rounding (its convert("L")), so grayscale output
// matches the reference implementation bit for bit.
inline uint8_t rgb_to_luma(uint8_t r, uint8_t g, uint8_t b) {
  return static_cast<uint8_t>((r * 19595u + g * 38470u + b * 7471u + 0x8000u) >> 16);
}

}  // namespace ortl::kernels
