#include "opset/quant/quant_util.h"

#include <algorithm>

#include "kernels/eltwise/half.h"
#include "kernels/quant/qconv.h"
#include "kernels/quant/qgemm.h"
#include "opset/util.h"

namespace ortl::opset::quant {
namespace {

// Offsets of each output matrix (batch index over `batch`) in an operand whose batch dims `dims`
// right-align to `batch`, size-1 dims broadcasting; matrices of `matrix` elements.
std::vector<int64_t> batch_offsets(const std::vector<int64_t>& batch, const std::vector<int64_t>& dims, int64_t matrix,
                                   int64_t count) {
  const size_t r = batch.size(), shift = r - dims.size();
  std::vector<int64_t> stride(r, 0);
  int64_t s = matrix;
  for (size_t d = dims.size(); d-- > 0;) {
    stride[d + shift] = dims[d] == 1 ? 0 : s;
    s *= dims[d];
  }
  std::vector<int64_t> off(static_cast<size_t>(count)), idx(r, 0);
  int64_t cur = 0;
  for (int64_t i = 0; i < count; ++i) {
    off[static_cast<size_t>(i)] = cur;
    for (size_t d = r; d-- > 0;) {
      cur += stride[d];
      if (++idx[d] < batch[d]) break;
      cur -= stride[d] * batch[d];
      idx[d] = 0;
    }
  }
  return off;
}

}  // namespace

std::string type_name(DType dt) {
  const std::string n = dtype_name(dt);
  return n != "undefined" || dt == DType::kUndefined ? n : "data type " + std::to_string(static_cast<int>(dt));
}

bool is_quant_type(DType dt) { return quant_type_since(dt) != 0; }

int quant_type_since(DType dt) {
  switch (dt) {
    case DType::kInt8:
    case DType::kUInt8:
    case DType::kInt32: return 10;
    case DType::kFloat8E4M3FN:
    case DType::kFloat8E4M3FNUZ:
    case DType::kFloat8E5M2:
    case DType::kFloat8E5M2FNUZ: return 19;
    case DType::kInt16:
    case DType::kUInt16:
    case DType::kInt4:
    case DType::kUInt4: return 21;
    case DType::kFloat4E2M1: return 23;
    case DType::kInt2:
    case DType::kUInt2: return 25;
    default: return 0;
  }
}

void check_quant_type(const char* op, DType dt, int opset) {
  if (dt == DType::kUndefined) return;
  const int since = quant_type_since(dt);
  if (since == 0) fail(ErrorCode::kNotImplemented, op, ": quantized type ", type_name(dt), " is not supported");
  if (opset < since) {
    fail(ErrorCode::kInvalidArgument, op, ": quantized type ", type_name(dt), " needs opset ", since,
         " or later, the model has ", opset);
  }
}

bool is_scale_type(DType dt) {
  return dt == DType::kFloat || dt == DType::kFloat16 || dt == DType::kBFloat16 || dt == DType::kInt32 ||
         dt == DType::kDouble;
}

kernels::Precision precision_of(DType dt) {
  switch (dt) {
    case DType::kFloat: return kernels::Precision::kFloat;
    case DType::kFloat16: return kernels::Precision::kHalf;
    case DType::kBFloat16: return kernels::Precision::kBFloat16;
    default: return kernels::Precision::kDouble;  // int32 and double divide exactly enough in double
  }
}

std::vector<double> read_scales(const Tensor& t, const char* op) {
  std::vector<double> v(static_cast<size_t>(t.numel()));
  const auto n = static_cast<size_t>(t.numel());
  switch (t.dtype()) {
    case DType::kFloat: std::copy_n(t.data_as<float>(), n, v.begin()); break;
    case DType::kDouble: std::copy_n(t.data_as<double>(), n, v.begin()); break;
    case DType::kInt32: std::copy_n(t.data_as<int32_t>(), n, v.begin()); break;
    case DType::kFloat16:
      for (size_t i = 0; i < n; ++i) v[i] = kernels::half_bits_to_float(t.data_as<uint16_t>()[i]);
      break;
    case DType::kBFloat16:
      for (size_t i = 0; i < n; ++i) v[i] = kernels::bf16_bits_to_float(t.data_as<uint16_t>()[i]);
      break;
    default: fail(ErrorCode::kNotImplemented, op, ": scale type ", type_name(t.dtype()), " is not supported");
  }
  return v;
}

std::vector<int32_t> read_zero_points(const Tensor& t, const char* op) {
  std::vector<int32_t> v(static_cast<size_t>(t.numel()));
  if (t.dtype() == DType::kInt8) {
    std::copy_n(t.data_as<int8_t>(), v.size(), v.begin());
  } else if (t.dtype() == DType::kUInt8) {
    std::copy_n(t.data_as<uint8_t>(), v.size(), v.begin());
  } else {
    fail(ErrorCode::kNotImplemented, op, ": zero point type ", type_name(t.dtype()), " is not supported");
  }
  return v;
}

kernels::QuantLayout resolve_layout(const char* op, const std::vector<int64_t>& x, const Tensor& scale,
                                    const Tensor* zero_point, int64_t axis, int64_t block_size) {
  if (block_size < 0) fail(ErrorCode::kInvalidArgument, op, ": block_size must not be negative, got ", block_size);
  if (zero_point) {
    const bool same = zero_point->shape() == scale.shape() || (zero_point->numel() == 1 && scale.numel() == 1);
    if (!same) {
      fail(ErrorCode::kInvalidArgument, op, ": zero point shape ", shape_str(zero_point->shape()),
           " differs from scale shape ", shape_str(scale.shape()));
    }
  }
  kernels::QuantLayout l;
  const int64_t numel = checked_numel(x);
  if (scale.numel() == 1) {  // per-tensor, whatever the scale's rank
    l.inner = numel;
    return l;
  }
  const auto rank = static_cast<int64_t>(x.size());
  if (rank == 0) fail(ErrorCode::kInvalidArgument, op, ": a scalar input needs a one-element scale");
  if (axis < -rank || axis >= rank) {
    fail(ErrorCode::kInvalidArgument, op, ": axis ", axis, " is out of range for rank ", rank);
  }
  const auto ax = static_cast<size_t>(normalize_axis(axis, rank));
  for (size_t d = 0; d < ax; ++d) l.outer *= x[d];
  l.axis_len = x[ax];
  for (size_t d = ax + 1; d < x.size(); ++d) l.inner *= x[d];
  const std::vector<int64_t>& s = scale.shape();
  if (block_size == 0) {
    if (s.size() != 1 || s[0] != x[ax]) {
      fail(ErrorCode::kInvalidArgument, op, ": per-axis scale must be 1-D with ", x[ax], " entries (axis ", axis,
           " of ", shape_str(x), "), got ", shape_str(s),
           s.size() > 1 ? "; blocked quantization needs block_size" : "");
    }
    l.s_axis = 1;
    return l;
  }
  bool ok = s.size() == x.size();
  for (size_t d = 0; ok && d < x.size(); ++d) {
    ok = d == ax ? s[d] == (x[d] + block_size - 1) / block_size : s[d] == x[d];
  }
  if (!ok) {
    fail(ErrorCode::kInvalidArgument, op, ": blocked scale ", shape_str(s), " does not fit input ", shape_str(x),
         " with block_size ", block_size, " on axis ", axis);
  }
  l.block = block_size;
  l.s_inner = 1;
  l.s_axis = l.inner;
  l.s_outer = s[ax] * l.inner;
  return l;
}

MatMulGeometry resolve_matmul(const char* op, const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  if (a.empty() || b.empty()) fail(ErrorCode::kInvalidArgument, op, ": operands must have rank >= 1");
  const size_t ra = a.size(), rb = b.size();
  MatMulGeometry g;
  g.m = ra >= 2 ? a[ra - 2] : 1;
  g.k = a[ra - 1];
  const int64_t kb = rb >= 2 ? b[rb - 2] : b[0];
  g.n = rb >= 2 ? b[rb - 1] : 1;
  if (g.k != kb) fail(ErrorCode::kInvalidArgument, op, ": inner dims differ: ", shape_str(a), " x ", shape_str(b));
  const std::vector<int64_t> batch_a(a.begin(), a.end() - static_cast<int64_t>(std::min<size_t>(ra, 2)));
  const std::vector<int64_t> batch_b(b.begin(), b.end() - static_cast<int64_t>(std::min<size_t>(rb, 2)));
  g.batch = broadcast_shapes(batch_a, batch_b);
  g.out = g.batch;
  if (ra >= 2) g.out.push_back(g.m);
  if (rb >= 2) g.out.push_back(g.n);
  g.count = checked_numel(g.batch);
  g.off_a = batch_offsets(g.batch, batch_a, g.m * g.k, g.count);
  g.off_b = batch_offsets(g.batch, batch_b, g.k * g.n, g.count);
  return g;
}

Shape infer_matmul_shape(const char* op, const TypeInfo& a, const TypeInfo& b) {
  if (a.rank() == 0 || b.rank() == 0) fail(ErrorCode::kInvalidArgument, op, ": operands must have rank >= 1");
  const size_t ra = a.shape.size(), rb = b.shape.size();
  const Dim ka = a.shape[ra - 1], kb = b.shape[rb == 1 ? 0 : rb - 2];
  if (ka.known() && kb.known() && ka.value != kb.value) {
    fail(ErrorCode::kInvalidArgument, op, ": inner dims differ: ", graph::shape_str(a.shape), " x ",
         graph::shape_str(b.shape));
  }
  const Shape batch_a(a.shape.begin(), a.shape.end() - static_cast<int64_t>(std::min<size_t>(ra, 2)));
  const Shape batch_b(b.shape.begin(), b.shape.end() - static_cast<int64_t>(std::min<size_t>(rb, 2)));
  Shape out = broadcast_shapes(batch_a, batch_b);
  if (ra >= 2) out.push_back(a.shape[ra - 2]);
  if (rb >= 2) out.push_back(b.shape[rb - 1]);
  return out;
}

std::vector<int64_t> param_index(const char* op, const char* name, const std::vector<int64_t>& param,
                                 const MatMulGeometry& g, const std::vector<int64_t>& operand, bool rows) {
  const int64_t len = rows ? g.m : g.n;
  std::vector<int64_t> index(static_cast<size_t>(g.count * len), 0);
  if (checked_numel(param) == 1) return index;
  // Drop the size-1 dim that stands for the other matrix axis: [.., M, 1] -> [.., M],
  // [.., 1, N] -> [.., N]. Flat indices do not change.
  std::vector<int64_t> p = param;
  const bool operand_2d = operand.size() >= 2;
  bool ok = operand_2d;
  if (ok && p.size() >= 2) {
    const size_t drop = rows ? p.size() - 1 : p.size() - 2;
    ok = p[drop] == 1;
    p.erase(p.begin() + static_cast<int64_t>(drop));
  }
  ok = ok && !p.empty() && p.back() == len && p.size() - 1 <= g.batch.size();
  const size_t shift = g.batch.size() - (p.empty() ? 0 : p.size() - 1);
  for (size_t d = 0; ok && d + 1 < p.size(); ++d) ok = p[d] == 1 || p[d] == g.batch[d + shift];
  if (!ok) {
    fail(ErrorCode::kInvalidArgument, op, ": ", name, " of shape ", shape_str(param), " is neither a scalar nor per ",
         rows ? "row" : "column", " of ", shape_str(operand));
  }
  // Strides of p's batch dims against the output batch (0 where broadcast).
  std::vector<int64_t> stride(g.batch.size(), 0);
  int64_t s = len;
  for (size_t d = p.size() - 1; d-- > 0;) {
    stride[d + shift] = p[d] == 1 ? 0 : s;
    s *= p[d];
  }
  std::vector<int64_t> idx(g.batch.size(), 0);
  for (int64_t b = 0; b < g.count; ++b) {
    int64_t base = 0;
    for (size_t d = 0; d < idx.size(); ++d) base += idx[d] * stride[d];
    for (int64_t r = 0; r < len; ++r) index[static_cast<size_t>(b * len + r)] = base + r;
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < g.batch[d]) break;
      idx[d] = 0;
    }
  }
  return index;
}

void matmul_s32(const MatMulGeometry& g, const Tensor& a, const Tensor& b, const int32_t* a_zp, const int32_t* b_zp,
                int32_t* c, kernels::Parallel& par) {
  auto typed = [&](auto ta, auto tb) {
    using TA = decltype(ta);
    using TB = decltype(tb);
    kernels::QGemmArgs<TA, TB> q;
    q.m = g.m, q.n = g.n, q.k = g.k, q.lda = g.k, q.ldb = g.n, q.ldc = g.n;
    q.a_zp_stride = 1, q.b_zp_stride = 1;
    // B shared by every output matrix (the Linear-layer case, weights [K, N]) with the same column
    // zero points, and A unbroadcast: the batch folds into M and the op is one GEMM.
    bool fold = g.count > 1;
    for (int64_t i = 0; fold && i < g.count; ++i) fold = g.off_b[i] == 0 && g.off_a[i] == i * g.m * g.k;
    for (int64_t i = 0; fold && b_zp && i < g.count * g.n; ++i) fold = b_zp[i] == b_zp[i % g.n];
    const int64_t matrices = fold ? 1 : g.count;
    if (fold) q.m = g.m * g.count;
    for (int64_t i = 0; i < matrices; ++i) {
      q.a = a.data_as<TA>() + g.off_a[i];
      q.b = b.data_as<TB>() + g.off_b[i];
      q.a_zp = a_zp ? a_zp + i * g.m : nullptr;
      q.b_zp = b_zp ? b_zp + i * g.n : nullptr;
      q.c = c + i * g.m * g.n;
      kernels::qgemm_s32(q, par);
    }
  };
  auto with_b = [&](auto ta) {
    if (b.dtype() == DType::kInt8) {
      typed(ta, int8_t{});
    } else {
      typed(ta, uint8_t{});
    }
  };
  if (a.dtype() == DType::kInt8) {
    with_b(int8_t{});
  } else {
    with_b(uint8_t{});
  }
}

void infer_conv_integer(const conv::ConvAttrs& attrs, InferContext& ctx, const char* op, int x_index, int w_index,
                        DType y) {
  const TypeInfo& xt = ctx.input_type(x_index);
  const TypeInfo& wt = ctx.input_type(w_index);
  for (DType dt : {xt.dtype, wt.dtype}) {
    if (dt != DType::kInt8 && dt != DType::kUInt8 && dt != DType::kUndefined) {
      fail(ErrorCode::kNotImplemented, op, ": dtype ", type_name(dt), " is not supported (int8 / uint8)");
    }
  }
  TypeInfo out{y, false, {}};
  const int rank = xt.has_shape ? xt.rank() : wt.rank();
  if (rank < 0) return ctx.set_output(0, out);
  auto extents = [&](const TypeInfo& t) {
    std::vector<int64_t> v(static_cast<size_t>(rank), -1);
    if (t.has_shape) {
      if (t.rank() != rank) {
        fail(ErrorCode::kInvalidArgument, op, ": x (rank ", xt.rank(), ") and w (rank ", wt.rank(),
             ") must have the same rank");
      }
      for (int i = 0; i < rank; ++i) v[static_cast<size_t>(i)] = t.shape[static_cast<size_t>(i)].value;
    }
    return v;
  };
  const conv::Geometry g = resolve_conv(op, attrs, extents(xt), extents(wt));
  out.has_shape = true;
  out.shape.push_back(xt.has_shape ? xt.shape[0] : ctx.fresh_dim());
  out.shape.push_back(g.c_out >= 0 ? Dim(g.c_out) : ctx.fresh_dim());
  for (int64_t o : g.out) out.shape.push_back(o >= 0 ? Dim(o) : ctx.fresh_dim());
  ctx.set_output(0, out);
}

conv::Geometry resolve_conv(const char* op, const conv::ConvAttrs& attrs, const std::vector<int64_t>& x,
                            const std::vector<int64_t>& w) {
  try {
    return conv::resolve(attrs, x, w);
  } catch (const Error& e) {
    throw Error(e.code(), std::string(op) + ": " + e.what());
  }
}

int64_t channel_stride(const char* op, const char* name, const Tensor& t, int64_t c_out) {
  if (t.numel() == 1) return 0;
  if (t.rank() != 1 || t.dim(0) != c_out) {
    fail(ErrorCode::kInvalidArgument, op, ": ", name, " must have one element or be 1-D with ", c_out,
         " (output channels) entries, got ", shape_str(t.shape()));
  }
  return 1;
}

void conv_s32(const kernels::ConvParams& p, const Tensor& x, int32_t x_zp, const Tensor& w, const int32_t* w_zp,
              int64_t w_zp_stride, int32_t* y, kernels::Parallel& par) {
  auto typed = [&](auto tx, auto tw) {
    using TX = decltype(tx);
    using TW = decltype(tw);
    kernels::conv_integer_s32(p, x.data_as<TX>(), x_zp, w.data_as<TW>(), w_zp, w_zp_stride, y, par);
  };
  auto with_w = [&](auto tx) {
    if (w.dtype() == DType::kInt8) {
      typed(tx, int8_t{});
    } else {
      typed(tx, uint8_t{});
    }
  };
  if (x.dtype() == DType::kInt8) {
    with_w(int8_t{});
  } else {
    with_w(uint8_t{});
  }
}

}  // namespace ortl::opset::quant
