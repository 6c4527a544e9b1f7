// BMP, Netpbm and baseline TIFF decoding (see image_codecs.h). Every read is bounds-checked against `size`.
#include "kernels/text/image_codecs.h"

#include <algorithm>
#include <cstring>

namespace ortl::kernels {
namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 28;

uint32_t le16(const uint8_t* p) { return p[0] | (p[1] << 8); }
uint32_t le32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24); }

bool sane_dims(int64_t h, int64_t w) { return h > 0 && w > 0 && h <= kMaxPixels / w; }

// Netpbm header tokens: whitespace and '#' comments separate them.
class PnmReader {
 public:
  PnmReader(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  bool number(int64_t& v) {
    skip();
    if (i_ >= n_ || d_[i_] < '0' || d_[i_] > '9') return false;
    v = 0;
    while (i_ < n_ && d_[i_] >= '0' && d_[i_] <= '9') {
      v = v * 10 + (d_[i_++] - '0');
      if (v > (int64_t{1} << 30)) return false;
    }
    return true;
  }
  // One ASCII bit of P1: '0' or '1', possibly without separators.
  bool bit(int& b) {
    skip();
    if (i_ >= n_ || (d_[i_] != '0' && d_[i_] != '1')) return false;
    b = d_[i_++] - '0';
    return true;
  }
  size_t pos() const { return i_; }
  void advance(size_t k) { i_ += k; }

 private:
  void skip() {
    while (i_ < n_) {
      if (d_[i_] == '#') {
        while (i_ < n_ && d_[i_] != '\n' && d_[i_] != '\r') ++i_;
      } else if (d_[i_] == ' ' || (d_[i_] >= '\t' && d_[i_] <= '\r')) {
        ++i_;
      } else {
        break;
      }
    }
  }
  const uint8_t* d_;
  size_t n_;
  size_t i_ = 0;
};

}  // namespace

ImageFormat sniff_image_format(const uint8_t* d, size_t n) {
  auto starts = [&](const char* sig, size_t len) { return n >= len && std::memcmp(d, sig, len) == 0; };
  if (starts("BM", 2)) return ImageFormat::kBmp;
  if (n >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '7') return ImageFormat::kPnm;
  if (starts("\xFF\xD8\xFF", 3)) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n", 8)) return ImageFormat::kPng;
  if (starts("II*\0", 4) || starts("MM\0*", 4)) return ImageFormat::kTiff;
  if (n >= 12 && starts("RIFF", 4) && std::memcmp(d + 8, "WEBP", 4) == 0) return ImageFormat::kWebp;
  if (starts("\0\0\0\x0CjP  \r\n\x87\n", 12) || starts("\xFF\x4F\xFF\x51", 4)) return ImageFormat::kJpeg2000;
  return ImageFormat::kUnknown;
}

const char* image_format_name(ImageFormat f) {
  switch (f) {
    case ImageFormat::kBmp: return "BMP";
    case ImageFormat::kPnm: return "PNM";
    case ImageFormat::kJpeg: return "JPEG";
    case ImageFormat::kPng: return "PNG";
    case ImageFormat::kTiff: return "TIFF";
    case ImageFormat::kWebp: return "WebP";
    case ImageFormat::kJpeg2000: return "JPEG 2000";
    default: return "unknown";
  }
}

DecodeStatus decode_bmp(const uint8_t* d, size_t n, DecodedImage& out, std::string& why) {
  if (n < 26 || d[0] != 'B' || d[1] != 'M') return DecodeStatus::kCorrupt;
  const uint32_t pixel_offset = le32(d + 10), dib = le32(d + 14);
  int64_t w, h;
  uint32_t bpp, compression = 0, colors = 0;
  size_t palette_entry = 4;
  if (dib == 12) {  // BITMAPCOREHEADER
    w = le16(d + 18), h = static_cast<int16_t>(le16(d + 20)), bpp = le16(d + 24);
    palette_entry = 3;
  } else if (dib >= 40 && n >= 14 + size_t{40}) {
    w = static_cast<int32_t>(le32(d + 18)), h = static_cast<int32_t>(le32(d + 22));
    bpp = le16(d + 28), compression = le32(d + 30), colors = le32(d + 46);
  } else {
    return DecodeStatus::kCorrupt;
  }
  const bool top_down = h < 0;
  if (top_down) h = -h;
  if (!sane_dims(h, w)) return DecodeStatus::kCorrupt;
  if (compression == 3 && bpp == 32) {  // BI_BITFIELDS: only the plain BGRX layout
    const size_t masks = 54;            // right after a 40-byte header, or inside a V4/V5 header at the same place
    if (n < masks + 12 || le32(d + masks) != 0x00FF0000u || le32(d + masks + 4) != 0x0000FF00u ||
        le32(d + masks + 8) != 0x000000FFu) {
      why = "BMP with non-standard bit fields";
      return DecodeStatus::kUnsupported;
    }
  } else if (compression != 0) {
    why = "compressed (RLE) BMP";
    return DecodeStatus::kUnsupported;
  }
  if (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 24 && bpp != 32) {
    why = std::to_string(bpp) + "-bit BMP";
    return DecodeStatus::kUnsupported;
  }
  const uint8_t* palette = nullptr;
  size_t palette_size = 0;
  if (bpp <= 8) {
    palette_size = colors ? colors : (size_t{1} << bpp);
    const size_t at = 14 + static_cast<size_t>(dib);
    if (palette_size > 256 || at + palette_size * palette_entry > n) return DecodeStatus::kCorrupt;
    palette = d + at;
  }
  const size_t stride = ((static_cast<size_t>(w) * bpp + 31) / 32) * 4;
  if (pixel_offset > n || (n - pixel_offset) / stride < static_cast<size_t>(h)) return DecodeStatus::kCorrupt;
  out.height = h, out.width = w;
  out.rgb.assign(static_cast<size_t>(h * w * 3), 0);
  for (int64_t y = 0; y < h; ++y) {
    const uint8_t* row = d + pixel_offset + stride * static_cast<size_t>(top_down ? y : h - 1 - y);
    uint8_t* dst = out.rgb.data() + y * w * 3;
    for (int64_t x = 0; x < w; ++x, dst += 3) {
      if (bpp >= 24) {
        const uint8_t* p = row + x * (bpp / 8);
        dst[0] = p[2], dst[1] = p[1], dst[2] = p[0];
        continue;
      }
      const int64_t bit = x * bpp;
      const uint32_t idx = (row[bit / 8] >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
      if (idx >= palette_size) return DecodeStatus::kCorrupt;
      const uint8_t* c = palette + idx * palette_entry;
      dst[0] = c[2], dst[1] = c[1], dst[2] = c[0];
    }
  }
  return DecodeStatus::kOk;
}

DecodeStatus decode_pnm(const uint8_t* d, size_t n, DecodedImage& out, std::string& why) {
  if (n < 2 || d[0] != 'P') return DecodeStatus::kCorrupt;
  const int kind = d[1] - '0';
  if (kind < 1 || kind > 6) {
    why = "PAM (P7) images";
    return DecodeStatus::kUnsupported;
  }
  PnmReader r(d, n);
  r.advance(2);
  int64_t w = 0, h = 0, maxval = 1;
  if (!r.number(w) || !r.number(h) || !sane_dims(h, w)) return DecodeStatus::kCorrupt;
  const bool bitmap = kind == 1 || kind == 4;
  if (!bitmap && (!r.number(maxval) || maxval < 1 || maxval > 65535)) return DecodeStatus::kCorrupt;
  const bool color = kind == 3 || kind == 6, binary = kind >= 4;
  const int channels = color ? 3 : 1;
  out.height = h, out.width = w;
  out.rgb.assign(static_cast<size_t>(h * w * 3), 0);
  auto scale = [&](int64_t v) { return static_cast<uint8_t>((v * 255 + maxval / 2) / maxval); };
  auto put = [&](int64_t px, int c, uint8_t v) {
    if (color) {
      out.rgb[px * 3 + c] = v;
    } else {
      out.rgb[px * 3] = out.rgb[px * 3 + 1] = out.rgb[px * 3 + 2] = v;
    }
  };
  if (binary) {
    r.advance(1);  // the single whitespace after the header
    const uint8_t* p = d + r.pos();
    const size_t left = r.pos() <= n ? n - r.pos() : 0;
    if (kind == 4) {
      const size_t stride = (static_cast<size_t>(w) + 7) / 8;
      if (left / stride < static_cast<size_t>(h)) return DecodeStatus::kCorrupt;
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) put(y * w + x, 0, (p[y * stride + x / 8] >> (7 - x % 8)) & 1 ? 0 : 255);
      return DecodeStatus::kOk;
    }
    const size_t bytes = maxval > 255 ? 2 : 1;
    if (left / (bytes * channels) < static_cast<size_t>(h * w)) return DecodeStatus::kCorrupt;
    for (int64_t i = 0; i < h * w * channels; ++i) {
      const int64_t v = bytes == 2 ? (p[2 * i] << 8 | p[2 * i + 1]) : p[i];
      if (v > maxval) return DecodeStatus::kCorrupt;
      put(i / channels, static_cast<int>(i % channels), scale(v));
    }
    return DecodeStatus::kOk;
  }
  for (int64_t i = 0; i < h * w * channels; ++i) {
    int64_t v = 0;
    if (kind == 1) {
      int b = 0;
      if (!r.bit(b)) return DecodeStatus::kCorrupt;
      put(i, 0, b ? 0 : 255);
      continue;
    }
    if (!r.number(v) || v > maxval) return DecodeStatus::kCorrupt;
    put(i / channels, static_cast<int>(i % channels), scale(v));
  }
  return DecodeStatus::kOk;
}

namespace {

// Baseline TIFF: the first image file directory, strips, 8-bit samples.
class TiffReader {
 public:
  TiffReader(const uint8_t* d, size_t n) : d_(d), n_(n), le_(n >= 2 && d[0] == 'I') {}
  bool ok(size_t at, size_t len) const { return at <= n_ && len <= n_ - at; }
  uint32_t u16(size_t at) const { return le_ ? le16(d_ + at) : (d_[at] << 8 | d_[at + 1]); }
  uint32_t u32(size_t at) const {
    return le_ ? le32(d_ + at)
               : (static_cast<uint32_t>(d_[at]) << 24 | d_[at + 1] << 16 | d_[at + 2] << 8 | d_[at + 3]);
  }
  // Values of `tag` (SHORT or LONG) in the directory at `ifd`; false when absent or malformed.
  bool values(size_t ifd, uint32_t tag, std::vector<uint32_t>& out) const {
    const uint32_t entries = u16(ifd);
    if (!ok(ifd + 2, size_t{entries} * 12)) return false;
    for (uint32_t e = 0; e < entries; ++e) {
      const size_t at = ifd + 2 + size_t{e} * 12;
      if (u16(at) != tag) continue;
      const uint32_t type = u16(at + 2), count = u32(at + 4);
      const size_t size = type == 3 ? 2 : type == 4 ? 4 : 0;
      if (size == 0 || count == 0 || count > (1u << 24)) return false;
      const size_t where = size * count <= 4 ? at + 8 : u32(at + 8);
      if (!ok(where, size * count)) return false;
      out.resize(count);
      for (uint32_t i = 0; i < count; ++i) out[i] = size == 2 ? u16(where + 2 * i) : u32(where + 4 * i);
      return true;
    }
    return false;
  }

 private:
  const uint8_t* d_;
  size_t n_;
  bool le_;
};

// PackBits (TIFF compression 32773) into exactly `want` bytes.
bool unpack_bits(const uint8_t* src, size_t n, size_t want, std::vector<uint8_t>& dst) {
  dst.clear();
  for (size_t i = 0; i < n && dst.size() < want;) {
    const auto c = static_cast<int8_t>(src[i++]);
    if (c >= 0) {
      const size_t len = static_cast<size_t>(c) + 1;
      if (len > n - i) return false;
      dst.insert(dst.end(), src + i, src + i + len);
      i += len;
    } else if (c != -128) {
      if (i >= n) return false;
      dst.insert(dst.end(), static_cast<size_t>(1 - c), src[i++]);
    }
  }
  if (dst.size() < want) return false;
  dst.resize(want);
  return true;
}

}  // namespace

DecodeStatus decode_tiff(const uint8_t* d, size_t n, DecodedImage& out, std::string& why) {
  TiffReader t(d, n);
  if (!t.ok(0, 8)) return DecodeStatus::kCorrupt;
  const size_t ifd = t.u32(4);
  if (!t.ok(ifd, 2)) return DecodeStatus::kCorrupt;
  std::vector<uint32_t> width, height, bits{1}, compression{1}, photometric, samples{1}, rows_per_strip, offsets,
      counts, planar{1}, colormap, tiles;
  if (!t.values(ifd, 256, width) || !t.values(ifd, 257, height) || !t.values(ifd, 262, photometric) ||
      !t.values(ifd, 273, offsets) || !t.values(ifd, 279, counts) || offsets.size() != counts.size())
    return DecodeStatus::kCorrupt;
  t.values(ifd, 258, bits), t.values(ifd, 259, compression), t.values(ifd, 277, samples);
  t.values(ifd, 284, planar);
  const int64_t w = width[0], h = height[0];
  if (!sane_dims(h, w)) return DecodeStatus::kCorrupt;
  rows_per_strip = {static_cast<uint32_t>(h)};
  t.values(ifd, 278, rows_per_strip);
  const uint32_t photo = photometric[0], spp = samples[0];
  const bool palette = photo == 3 && t.values(ifd, 320, colormap) && colormap.size() == 3 * 256;
  const bool layout_ok = (photo <= 1 && spp >= 1) || (photo == 2 && spp >= 3) || (palette && spp == 1);
  if (t.values(ifd, 322, tiles) || planar[0] != 1 || !layout_ok ||
      std::any_of(bits.begin(), bits.end(), [](uint32_t b) { return b != 8; }) || bits.size() > spp) {
    why = "this TIFF layout (only strips of 8-bit gray, RGB or palette samples are decoded)";
    return DecodeStatus::kUnsupported;
  }
  if (compression[0] != 1 && compression[0] != 32773) {
    why = "TIFF compression " + std::to_string(compression[0]) + " (only none and PackBits are decoded)";
    return DecodeStatus::kUnsupported;
  }
  const size_t row_bytes = static_cast<size_t>(w) * spp, rps = std::max<uint32_t>(rows_per_strip[0], 1);
  out.height = h, out.width = w;
  out.rgb.assign(static_cast<size_t>(h * w * 3), 0);
  std::vector<uint8_t> strip;
  for (size_t s = 0, y0 = 0; y0 < static_cast<size_t>(h); ++s, y0 += rps) {
    if (s >= offsets.size() || !t.ok(offsets[s], counts[s])) return DecodeStatus::kCorrupt;
    const size_t rows = std::min<size_t>(rps, static_cast<size_t>(h) - y0), want = rows * row_bytes;
    const uint8_t* src = d + offsets[s];
    if (compression[0] == 1) {
      if (counts[s] < want) return DecodeStatus::kCorrupt;
    } else {
      if (!unpack_bits(src, counts[s], want, strip)) return DecodeStatus::kCorrupt;
      src = strip.data();
    }
    for (size_t i = 0; i < rows * static_cast<size_t>(w); ++i) {
      const uint8_t* p = src + i * spp;
      uint8_t* dst = out.rgb.data() + (y0 * w + i) * 3;
      if (photo == 2) {
        dst[0] = p[0], dst[1] = p[1], dst[2] = p[2];
      } else if (palette) {
        for (int c = 0; c < 3; ++c) dst[c] = static_cast<uint8_t>(colormap[c * 256 + p[0]] >> 8);
      } else {
        dst[0] = dst[1] = dst[2] = photo == 0 ? 255 - p[0] : p[0];  // 0: WhiteIsZero
      }
    }
  }
  return DecodeStatus::kOk;
}

}  // namespace ortl::kernels
