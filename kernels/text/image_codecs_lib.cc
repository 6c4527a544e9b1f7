// JPEG and PNG decoding through the system's libjpeg(-turbo) and libpng, loaded with dlopen()
// on first use: ort-lite links no codec library, and builds without their headers (the decoders
// then report kUnsupported). Only the headers' types and constants are used at compile time;
// every call goes through a pointer looked up in the library whose SONAME matches the header.
//
// JPEG: libjpeg's defaults (islow IDCT, fancy upsampling) with RGB output are what Pillow does,
// so pixels match the ONNX reference exactly. PNG: libpng's simplified API, 8-bit sRGB RGB;
// palette, grayscale and 16-bit images are converted by libpng, alpha is composited on black.
// WebP: libwebp's WebPDecodeRGB (alpha dropped); its two functions take plain C types, so they
// are declared here and need no header.
#include <dlfcn.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <string>

#include "kernels/text/image_codecs.h"

#if __has_include(<jpeglib.h>)
#include <jpeglib.h>
#define ORTL_HAVE_JPEG_HEADERS 1
#endif
#if __has_include(<png.h>)
#include <png.h>
#define ORTL_HAVE_PNG_HEADERS 1
#endif

namespace ortl::kernels {
namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 28;

template <class Fn>
bool bind(void* lib, const char* name, Fn& fn) {
  fn = reinterpret_cast<Fn>(dlsym(lib, name));
  return fn != nullptr;
}

}  // namespace

#ifdef ORTL_HAVE_JPEG_HEADERS
namespace {

struct JpegApi {
  decltype(&jpeg_std_error) std_error;
  decltype(&jpeg_CreateDecompress) create;
  decltype(&jpeg_mem_src) mem_src;
  decltype(&jpeg_read_header) read_header;
  decltype(&jpeg_start_decompress) start;
  decltype(&jpeg_read_scanlines) read_scanlines;
  decltype(&jpeg_finish_decompress) finish;
  decltype(&jpeg_destroy_decompress) destroy;
};

const JpegApi* jpeg_api() {
  static const JpegApi* api = []() -> const JpegApi* {
    // libjpeg 6b's ABI is SONAME 62, later ABIs are 8 and 9.
    const int abi = JPEG_LIB_VERSION == 62 ? 62 : JPEG_LIB_VERSION / 10;
    void* lib = dlopen(("libjpeg.so." + std::to_string(abi)).c_str(), RTLD_NOW | RTLD_LOCAL);
    static JpegApi a;
    if (!lib || !bind(lib, "jpeg_std_error", a.std_error) || !bind(lib, "jpeg_CreateDecompress", a.create) ||
        !bind(lib, "jpeg_mem_src", a.mem_src) || !bind(lib, "jpeg_read_header", a.read_header) ||
        !bind(lib, "jpeg_start_decompress", a.start) || !bind(lib, "jpeg_read_scanlines", a.read_scanlines) ||
        !bind(lib, "jpeg_finish_decompress", a.finish) || !bind(lib, "jpeg_destroy_decompress", a.destroy))
      return nullptr;
    return &a;
  }();
  return api;
}

struct JpegError {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
};

[[noreturn]] void jpeg_fail(j_common_ptr c) { std::longjmp(reinterpret_cast<JpegError*>(c->err)->jump, 1); }
void jpeg_quiet(j_common_ptr) {}

// All state the error path touches lives in `c`, `err` and `out`, set up before setjmp, so
// longjmp skips no destructor and clobbers no local.
DecodeStatus jpeg_decode_into(const JpegApi& api, jpeg_decompress_struct& c, JpegError& err, const uint8_t* d, size_t n,
                              DecodedImage& out) {
  if (setjmp(err.jump)) {
    api.destroy(&c);
    return DecodeStatus::kCorrupt;
  }
  api.create(&c, JPEG_LIB_VERSION, sizeof(c));
  api.mem_src(&c, d, static_cast<unsigned long>(n));
  api.read_header(&c, TRUE);
  if (c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK) {
    api.destroy(&c);
    return DecodeStatus::kUnsupported;
  }
  c.out_color_space = JCS_RGB;
  const int64_t w = c.image_width, h = c.image_height;
  if (w <= 0 || h <= 0 || h > kMaxPixels / w) {
    api.destroy(&c);
    return DecodeStatus::kCorrupt;
  }
  api.start(&c);
  out.height = c.output_height, out.width = c.output_width;
  out.rgb.resize(static_cast<size_t>(out.height * out.width * 3));
  while (c.output_scanline < c.output_height) {
    JSAMPROW row = out.rgb.data() + static_cast<size_t>(c.output_scanline) * out.width * 3;
    api.read_scanlines(&c, &row, 1);
  }
  api.finish(&c);
  api.destroy(&c);
  return DecodeStatus::kOk;
}

}  // namespace

DecodeStatus decode_jpeg(const uint8_t* d, size_t n, DecodedImage& out, std::string& why) {
  const JpegApi* api = jpeg_api();
  if (!api) {
    why = "JPEG decoding (libjpeg could not be loaded)";
    return DecodeStatus::kUnsupported;
  }
  jpeg_decompress_struct c;
  std::memset(&c, 0, sizeof(c));  // destroy() after a failed create() then frees nothing
  JpegError err;
  c.err = api->std_error(&err.mgr);
  err.mgr.error_exit = jpeg_fail;
  err.mgr.output_message = jpeg_quiet;
  const DecodeStatus st = jpeg_decode_into(*api, c, err, d, n, out);
  if (st == DecodeStatus::kUnsupported) why = "CMYK JPEG";
  return st;
}
#else
DecodeStatus decode_jpeg(const uint8_t*, size_t, DecodedImage&, std::string& why) {
  why = "JPEG decoding (built without jpeglib.h)";
  return DecodeStatus::kUnsupported;
}
#endif

#ifdef ORTL_HAVE_PNG_HEADERS
namespace {

struct PngApi {
  decltype(&png_image_begin_read_from_memory) begin;
  decltype(&png_image_finish_read) finish;
  decltype(&png_image_free) free;
};

const PngApi* png_api() {
  static const PngApi* api = []() -> const PngApi* {
    const std::string name =
        "libpng" + std::to_string(PNG_LIBPNG_VER_DLLNUM) + ".so." + std::to_string(PNG_LIBPNG_VER_DLLNUM);
    void* lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
    static PngApi a;
    if (!lib || !bind(lib, "png_image_begin_read_from_memory", a.begin) ||
        !bind(lib, "png_image_finish_read", a.finish) || !bind(lib, "png_image_free", a.free))
      return nullptr;
    return &a;
  }();
  return api;
}

}  // namespace

DecodeStatus decode_png(const uint8_t* d, size_t n, DecodedImage& out, std::string& why) {
  const PngApi* api = png_api();
  if (!api) {
    why = "PNG decoding (libpng could not be loaded)";
    return DecodeStatus::kUnsupported;
  }
  png_image img;
  std::memset(&img, 0, sizeof(img));
  img.version = PNG_IMAGE_VERSION;
  if (!api->begin(&img, d, n)) return DecodeStatus::kCorrupt;
  const int64_t w = img.width, h = img.height;
  if (w <= 0 || h <= 0 || h > kMaxPixels / w) {
    api->free(&img);
    return DecodeStatus::kCorrupt;
  }
  img.format = PNG_FORMAT_RGB;
  out.height = h, out.width = w;
  out.rgb.assign(static_cast<size_t>(h * w * 3), 0);
  if (!api->finish(&img, nullptr, out.rgb.data(), 0, nullptr)) {
    api->free(&img);
    return DecodeStatus::kCorrupt;
  }
  return DecodeStatus::kOk;
}
#else
DecodeStatus decode_png(const uint8_t*, size_t, DecodedImage&, std::string& why) {
  why = "PNG decoding (built without png.h)";
  return DecodeStatus::kUnsupported;
}
#endif

DecodeStatus decode_webp(const uint8_t* d, size_t n, DecodedImage& out, std::string& why) {
  using DecodeRgb = uint8_t* (*)(const uint8_t*, size_t, int*, int*);
  using Free = void (*)(void*);
  struct WebpApi {
    DecodeRgb decode;
    Free free;
  };
  static const WebpApi* api = []() -> const WebpApi* {
    void* lib = dlopen("libwebp.so.7", RTLD_NOW | RTLD_LOCAL);
    static WebpApi a;
    if (!lib || !bind(lib, "WebPDecodeRGB", a.decode) || !bind(lib, "WebPFree", a.free)) return nullptr;
    return &a;
  }();
  if (!api) {
    why = "WebP decoding (libwebp could not be loaded)";
    return DecodeStatus::kUnsupported;
  }
  int w = 0, h = 0;
  uint8_t* px = api->decode(d, n, &w, &h);
  if (!px) return DecodeStatus::kCorrupt;
  const bool ok = w > 0 && h > 0 && h <= kMaxPixels / w;
  if (ok) {
    out.height = h, out.width = w;
    out.rgb.assign(px, px + static_cast<size_t>(h) * w * 3);
  }
  api->free(px);
  return ok ? DecodeStatus::kOk : DecodeStatus::kCorrupt;
}

}  // namespace ortl::kernels
