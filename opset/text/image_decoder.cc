// ImageDecoder (opset 20): a 1-D uint8 encoded image -> uint8 [H, W, 3] (RGB or BGR) or
// [H, W, 1] (Grayscale, Pillow's luma). Malformed data gives an empty [0, 0, C] tensor, as the
// spec asks. BMP, Netpbm and baseline TIFF are decoded in ort-lite, JPEG, PNG and WebP by the
// system's codec libraries loaded at run time (kernels/text/image_codecs.h); JPEG 2000, other
// TIFF variants and a missing codec library report kNotImplemented rather than a wrong image.
#include "kernels/text/image_codecs.h"
#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

enum class PixelFormat { kRgb, kBgr, kGray };

class ImageDecoder final : public OpKernel {
 public:
  explicit ImageDecoder(PixelFormat f) : format_(f) {}

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kUInt8}, "ImageDecoder", "encoded_stream");
    const TypeInfo& x = ctx.input_type(0);
    if (x.has_shape && x.rank() != 1)
      fail(ErrorCode::kInvalidArgument, "ImageDecoder: encoded_stream must be 1-D, got rank ", x.rank());
    ctx.set_output(0, TypeInfo::of(DType::kUInt8, {ctx.fresh_dim(), ctx.fresh_dim(), channels()}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    text::check_dtype(x, {DType::kUInt8}, "ImageDecoder", "encoded_stream");
    if (x.rank() != 1)
      fail(ErrorCode::kInvalidArgument, "ImageDecoder: encoded_stream must be 1-D, got rank ", x.rank());
    const auto* data = x.data_as<uint8_t>();
    const auto size = static_cast<size_t>(x.numel());
    const kernels::ImageFormat fmt = kernels::sniff_image_format(data, size);
    kernels::DecodedImage img;
    std::string why;
    kernels::DecodeStatus st = kernels::DecodeStatus::kCorrupt;
    if (fmt == kernels::ImageFormat::kBmp) {
      st = kernels::decode_bmp(data, size, img, why);
    } else if (fmt == kernels::ImageFormat::kPnm) {
      st = kernels::decode_pnm(data, size, img, why);
    } else if (fmt == kernels::ImageFormat::kJpeg) {
      st = kernels::decode_jpeg(data, size, img, why);
    } else if (fmt == kernels::ImageFormat::kPng) {
      st = kernels::decode_png(data, size, img, why);
    } else if (fmt == kernels::ImageFormat::kTiff) {
      st = kernels::decode_tiff(data, size, img, why);
    } else if (fmt == kernels::ImageFormat::kWebp) {
      st = kernels::decode_webp(data, size, img, why);
    } else if (fmt != kernels::ImageFormat::kUnknown) {
      fail(ErrorCode::kNotImplemented, "ImageDecoder: ", kernels::image_format_name(fmt),
           " images are not supported (BMP, PNM, TIFF, JPEG, PNG and WebP are)");
    }
    if (st == kernels::DecodeStatus::kUnsupported)
      fail(ErrorCode::kNotImplemented, "ImageDecoder: ", why, " is not supported");
    if (st != kernels::DecodeStatus::kOk) img = {};  // undecodable: the empty image
    const int64_t c = channels(), pixels = img.height * img.width;
    Tensor& y = ctx.output(0, {img.height, img.width, c});
    uint8_t* dst = y.data_as<uint8_t>();
    const uint8_t* src = img.rgb.data();
    for (int64_t i = 0; i < pixels; ++i, src += 3) {
      switch (format_) {
        case PixelFormat::kRgb: dst[3 * i] = src[0], dst[3 * i + 1] = src[1], dst[3 * i + 2] = src[2]; break;
        case PixelFormat::kBgr: dst[3 * i] = src[2], dst[3 * i + 1] = src[1], dst[3 * i + 2] = src[0]; break;
        case PixelFormat::kGray: dst[i] = kernels::rgb_to_luma(src[0], src[1], src[2]); break;
      }
    }
  }

  std::string kernel_name() const override { return "image_decoder_builtin"; }

 private:
  int64_t channels() const { return format_ == PixelFormat::kGray ? 1 : 3; }
  PixelFormat format_;
};

}  // namespace

std::unique_ptr<OpKernel> build_image_decoder(const BuildContext& ctx) {
  const std::string f = ctx.node.get_string("pixel_format", "RGB");
  PixelFormat p = PixelFormat::kRgb;
  if (f == "BGR") {
    p = PixelFormat::kBgr;
  } else if (f == "Grayscale") {
    p = PixelFormat::kGray;
  } else if (f != "RGB") {
    fail(ErrorCode::kInvalidArgument, "ImageDecoder: pixel_format must be RGB, BGR or Grayscale, got '", f, "'");
  }
  return std::make_unique<ImageDecoder>(p);
}

}  // namespace ortl::opset
