// Einsum (12, 28; 28 adds bfloat16): numpy einsum semantics, explicit ("ij,jk->ik") or implicit
// output (ellipsis dims, then the labels used once, in ASCII order), ellipsis broadcasting,
// repeated labels (diagonals) and size-1 broadcasting of any label.
//
// Evaluation: each operand is first reduced on its own (diagonals taken, labels no one else
// needs summed) by one strided copy plus a row sum; operands are then folded left to right by
// pairwise contractions, each a batched GEMM over [batch, free_a, contracted] x
// [batch, contracted, free_b] layouts (kernels/gemm: the best float kernel, the reference loop
// for other types); a final strided copy puts the labels in output order. Copies are skipped
// when an operand already has the wanted layout or its transpose (read through the GEMM's
// transpose flags). float16 / bfloat16 compute in float, 8/16-bit integers in int64 (wrapping
// like numpy's own integer arithmetic when narrowed back).
#include <algorithm>
#include <array>
#include <cstring>
#include <type_traits>

#include "kernels/gemm/gemm.h"
#include "kernels/transform/transform.h"
#include "opset/math/eltwise_util.h"
#include "opset/vision/vision.h"
#include "opset/vision/vision_util.h"

namespace ortl::opset {
namespace {

constexpr int kLetters = 52;  // a-z, A-Z; ellipsis dims take the ids from here on

int letter_id(char c) { return c >= 'a' && c <= 'z' ? c - 'a' : c - 'A' + 26; }
// ASCII order of the ids (uppercase sorts before lowercase), for the implicit output.
int ascii_of(int id) { return id < 26 ? 'a' + id : 'A' + id - 26; }

// One operand term: its letter ids in order (-1 marks where the ellipsis sits), as written.
struct Term {
  std::vector<int> ids;
  bool ellipsis = false;
};

Term parse_term(const std::string& s, const std::string& eq) {
  Term t;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      t.ids.push_back(letter_id(c));
    } else if (c == '.' && s.compare(i, 3, "...") == 0 && !t.ellipsis) {
      t.ellipsis = true;
      t.ids.push_back(-1);
      i += 2;
    } else {
      fail(ErrorCode::kInvalidArgument, "Einsum: bad equation '", eq, "' at '", s.substr(i), "'");
    }
  }
  return t;
}

struct Equation {
  std::vector<Term> inputs;
  Term output;
  bool explicit_output = false;
};

Equation parse(const std::string& raw) {
  std::string eq;
  for (char c : raw) {
    if (c != ' ' && c != '\t' && c != '\n') eq.push_back(c);
  }
  Equation e;
  const size_t arrow = eq.find("->");
  const std::string lhs = eq.substr(0, arrow);
  size_t start = 0;
  for (;;) {
    const size_t comma = lhs.find(',', start);
    e.inputs.push_back(parse_term(lhs.substr(start, comma - start), raw));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (arrow != std::string::npos) {
    e.explicit_output = true;
    e.output = parse_term(eq.substr(arrow + 2), raw);
  }
  return e;
}

// The equation bound to concrete input ranks: every input dim gets a label (letters 0..51,
// ellipsis dims right-aligned as kLetters + j), and the output's labels are resolved.
struct Plan {
  std::vector<std::vector<int>> labels;  // per input, per dim
  std::vector<int> out;                  // output labels
  int ellipsis_rank = 0;
};

Plan bind_ranks(const Equation& e, const std::vector<int>& ranks) {
  if (e.inputs.size() != ranks.size()) {
    fail(ErrorCode::kInvalidArgument, "Einsum: the equation has ", e.inputs.size(), " operands, the node ",
         ranks.size(), " inputs");
  }
  Plan p;
  int ell = 0;  // broadcast ellipsis rank
  std::vector<int> ell_rank(ranks.size(), 0);
  for (size_t i = 0; i < ranks.size(); ++i) {
    const Term& t = e.inputs[i];
    const int letters = static_cast<int>(t.ids.size()) - (t.ellipsis ? 1 : 0);
    if (t.ellipsis ? ranks[i] < letters : ranks[i] != letters) {
      fail(ErrorCode::kInvalidArgument, "Einsum: operand ", i, " has rank ", ranks[i], " but its term has ", letters,
           " labels", t.ellipsis ? " and an ellipsis" : "");
    }
    ell_rank[i] = ranks[i] - letters;
    ell = std::max(ell, ell_rank[i]);
  }
  p.ellipsis_rank = ell;
  std::array<int, kLetters> uses{};
  for (size_t i = 0; i < ranks.size(); ++i) {
    std::vector<int>& l = p.labels.emplace_back();
    for (int id : e.inputs[i].ids) {
      if (id >= 0) {
        l.push_back(id);
        ++uses[id];
      } else {
        for (int j = 0; j < ell_rank[i]; ++j) l.push_back(kLetters + ell - ell_rank[i] + j);
      }
    }
  }
  if (e.explicit_output) {
    std::array<bool, kLetters> seen{};
    for (int id : e.output.ids) {
      if (id < 0) {
        for (int j = 0; j < ell; ++j) p.out.push_back(kLetters + j);
        continue;
      }
      if (uses[id] == 0 || seen[id]) {
        fail(ErrorCode::kInvalidArgument, "Einsum: output label '", static_cast<char>(ascii_of(id)), "' ",
             uses[id] == 0 ? "does not appear in any input" : "appears twice");
      }
      seen[id] = true;
      p.out.push_back(id);
    }
    check(ell == 0 || e.output.ellipsis, ErrorCode::kInvalidArgument,
          "Einsum: the inputs have ellipsis dims but the output has no '...'");
  } else {
    for (int j = 0; j < ell; ++j) p.out.push_back(kLetters + j);
    std::vector<int> once;
    for (int id = 0; id < kLetters; ++id) {
      if (uses[id] == 1) once.push_back(id);
    }
    std::sort(once.begin(), once.end(), [](int a, int b) { return ascii_of(a) < ascii_of(b); });
    p.out.insert(p.out.end(), once.begin(), once.end());
  }
  return p;
}

// Size of every label: equal across uses, or 1 broadcasting to the other size.
std::vector<int64_t> label_sizes(const Plan& p, const std::vector<std::vector<int64_t>>& shapes) {
  std::vector<int64_t> size(static_cast<size_t>(kLetters + p.ellipsis_rank), -1);
  for (size_t i = 0; i < shapes.size(); ++i) {
    for (size_t d = 0; d < shapes[i].size(); ++d) {
      int64_t& s = size[p.labels[i][d]];
      const int64_t v = shapes[i][d];
      if (s < 0 || s == 1) {
        s = v;
      } else if (v != 1 && v != s) {
        fail(ErrorCode::kInvalidArgument, "Einsum: a label has sizes ", s, " and ", v, " (operand ", i, ")");
      }
    }
  }
  return size;
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// An operand during evaluation: contiguous data with one distinct label per dim.
template <class T>
struct Operand {
  const T* data = nullptr;
  std::vector<T> own;  // backing store when the operand was materialized
  std::vector<int> labels;
  std::vector<int64_t> dims;
};

template <class T>
void copy_strided(const T* src, T* dst, const std::vector<int64_t>& shape, const std::vector<int64_t>& strides,
                  kernels::Parallel& par) {
  using Bits = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  static_assert(sizeof(T) == sizeof(Bits));
  if (shape.empty()) {
    *dst = *src;
    return;
  }
  kernels::strided_copy<Bits>(reinterpret_cast<const Bits*>(src), reinterpret_cast<Bits*>(dst), {shape, strides}, par);
}

// Materializes `src` (labels src_labels, dims src_dims, contiguous) with labels `want` in that
// order at the global sizes (size-1 dims broadcast by stride 0); labels of src not in `want`
// are summed out afterwards, `sum` listing them. Repeated src labels read the diagonal.
template <class T>
Operand<T> arrange(const T* src, const std::vector<int>& src_labels, const std::vector<int64_t>& src_dims,
                   const std::vector<int>& want, const std::vector<int>& sum, const std::vector<int64_t>& size,
                   kernels::Parallel& par) {
  std::vector<int64_t> src_stride(src_dims.size(), 1);
  for (size_t d = src_dims.size(); d-- > 1;) src_stride[d - 1] = src_stride[d] * src_dims[d];
  auto stride_of = [&](int label, int64_t full) {
    int64_t s = 0;
    for (size_t d = 0; d < src_labels.size(); ++d) {
      if (src_labels[d] == label && !(src_dims[d] == 1 && full != 1)) s += src_stride[d];
    }
    return s;
  };
  Operand<T> r;
  r.labels = want;
  std::vector<int64_t> shape, strides;
  bool identity = src_labels == want && sum.empty();
  for (int l : want) {
    r.dims.push_back(size[l]);
    shape.push_back(size[l]);
    strides.push_back(stride_of(l, size[l]));
  }
  int64_t keep = 1, summed = 1;
  for (int64_t d : r.dims) keep *= d;
  for (int l : sum) {
    // A summed label occurs in this operand only: its own size is the global one.
    int64_t own = 1;
    for (size_t d = 0; d < src_labels.size(); ++d) {
      if (src_labels[d] == l) own = src_dims[d];
    }
    shape.push_back(own);
    strides.push_back(stride_of(l, own));
    summed *= own;
  }
  if (identity && src_dims == r.dims) {
    r.data = src;
    return r;
  }
  std::vector<T> tmp(static_cast<size_t>(keep * summed));
  if (!tmp.empty()) copy_strided(src, tmp.data(), shape, strides, par);
  if (sum.empty()) {
    r.own = std::move(tmp);
  } else {
    using Acc = std::conditional_t<std::is_same_v<T, float>, double, T>;
    r.own.assign(static_cast<size_t>(keep), T(0));
    for (int64_t i = 0; i < keep && summed > 0; ++i) {
      Acc acc = 0;
      for (int64_t j = 0; j < summed; ++j) acc += tmp[i * summed + j];
      r.own[i] = static_cast<T>(acc);
    }
  }
  r.data = r.own.data();
  return r;
}

template <class T>
void gemm(const kernels::GemmArgs<T>& g, kernels::Parallel& par) {
  if constexpr (std::is_same_v<T, float>) {
    kernels::gemm_f32(g, par);
  } else {
    kernels::gemm_ref(g);
  }
}

// a (labels A) x b (labels B) -> labels batch + free_a + free_b, contracting the shared labels
// not in `later`.
template <class T>
Operand<T> contract(const Operand<T>& a, const Operand<T>& b, const std::vector<int>& later,
                    const std::vector<int64_t>& size, kernels::Parallel& par) {
  std::vector<int> batch, con, fa, fb;
  for (int l : a.labels) {
    if (contains(b.labels, l)) {
      (contains(later, l) ? batch : con).push_back(l);
    } else {
      fa.push_back(l);
    }
  }
  for (int l : b.labels) {
    if (!contains(a.labels, l)) fb.push_back(l);
  }
  auto cat = [](std::vector<int> x, const std::vector<int>& y, const std::vector<int>& z) {
    x.insert(x.end(), y.begin(), y.end());
    x.insert(x.end(), z.begin(), z.end());
    return x;
  };
  // An operand already laid out as the transposed matrix is read through the GEMM's
  // transpose flag instead of being copied (B = [batch, free_b, contracted] in attention).
  auto fits = [&](const Operand<T>& o, const std::vector<int>& want) {
    if (o.labels != want) return false;
    for (size_t d = 0; d < want.size(); ++d) {
      if (o.dims[d] != size[want[d]]) return false;
    }
    return true;
  };
  const bool trans_a = !fits(a, cat(batch, fa, con)) && fits(a, cat(batch, con, fa));
  const bool trans_b = !fits(b, cat(batch, con, fb)) && fits(b, cat(batch, fb, con));
  const Operand<T> la =
      arrange(a.data, a.labels, a.dims, trans_a ? cat(batch, con, fa) : cat(batch, fa, con), {}, size, par);
  const Operand<T> lb =
      arrange(b.data, b.labels, b.dims, trans_b ? cat(batch, fb, con) : cat(batch, con, fb), {}, size, par);
  auto prod = [&](const std::vector<int>& ls) {
    int64_t p = 1;
    for (int l : ls) p *= size[l];
    return p;
  };
  const int64_t nb = prod(batch), m = prod(fa), k = prod(con), n = prod(fb);
  Operand<T> r;
  r.labels = cat(batch, fa, fb);
  for (int l : r.labels) r.dims.push_back(size[l]);
  r.own.assign(static_cast<size_t>(nb * m * n), T(0));
  r.data = r.own.data();
  if (k == 0 || r.own.empty()) return r;
  kernels::GemmArgs<T> g;
  g.m = m, g.n = n, g.k = k, g.ldc = n;
  g.trans_a = trans_a, g.lda = trans_a ? m : k;
  g.trans_b = trans_b, g.ldb = trans_b ? k : n;
  auto one = [&](int64_t i, kernels::Parallel& inner) {
    kernels::GemmArgs<T> gi = g;
    gi.a = la.data + i * m * k, gi.b = lb.data + i * k * n, gi.c = r.own.data() + i * m * n;
    gemm(gi, inner);
  };
  if (nb >= 2 * par.num_threads()) {
    par.for_range(nb, static_cast<double>(m * n * k), [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) one(i, kernels::serial());
    });
  } else {
    for (int64_t i = 0; i < nb; ++i) one(i, par);
  }
  return r;
}

template <class T>
void evaluate(const Plan& p, const std::vector<const T*>& ins, const std::vector<std::vector<int64_t>>& shapes,
              const std::vector<int64_t>& size, T* out, kernels::Parallel& par) {
  const size_t n = ins.size();
  // Labels needed after operand i: the output's and those of operands i+1.. .
  std::vector<std::vector<int>> later(n);
  std::vector<int> acc = p.out;
  for (size_t i = n; i-- > 0;) {
    later[i] = acc;
    acc.insert(acc.end(), p.labels[i].begin(), p.labels[i].end());
  }
  std::vector<Operand<T>> ops;
  for (size_t i = 0; i < n; ++i) {
    // Labels someone else needs stay (first-appearance order); the rest are summed here.
    std::vector<int> keep, sum;
    for (int l : p.labels[i]) {
      if (contains(keep, l) || contains(sum, l)) continue;
      bool elsewhere = contains(p.out, l);
      for (size_t j = 0; j < n && !elsewhere; ++j) elsewhere = j != i && contains(p.labels[j], l);
      (elsewhere ? keep : sum).push_back(l);
    }
    std::vector<int64_t> own_size = size;
    for (size_t d = 0; d < shapes[i].size(); ++d) own_size[p.labels[i][d]] = shapes[i][d];
    ops.push_back(arrange(ins[i], p.labels[i], shapes[i], keep, sum, own_size, par));
  }
  Operand<T> cur = std::move(ops[0]);  // moving keeps `own`'s buffer, so `data` stays valid
  for (size_t i = 1; i < n; ++i) cur = contract(cur, ops[i], later[i], size, par);
  const Operand<T> res = arrange(cur.data, cur.labels, cur.dims, p.out, {}, size, par);
  const int64_t count = vision::numel(res.dims);
  std::copy(res.data, res.data + count, out);
}

// The compute type for a storage dtype.
template <class F>
void dispatch_compute(DType dt, F&& fn) {
  switch (dt) {
    case DType::kFloat:
    case DType::kFloat16:
    case DType::kBFloat16: fn(float{}); break;
    case DType::kDouble: fn(double{}); break;
    case DType::kInt32: fn(int32_t{}); break;
    case DType::kUInt32: fn(uint32_t{}); break;
    case DType::kUInt64: fn(uint64_t{}); break;
    case DType::kInt64:
    case DType::kInt8:
    case DType::kInt16:
    case DType::kUInt8:
    case DType::kUInt16: fn(int64_t{}); break;
    default: fail(ErrorCode::kNotImplemented, "Einsum: dtype ", dtype_name(dt), " is not supported");
  }
}

// Elements of t converted to T (t holds a dtype dispatch_compute maps to T).
template <class T>
std::vector<T> widen_to(const Tensor& t) {
  std::vector<T> v(static_cast<size_t>(t.numel()));
  if (t.dtype() == DType::kFloat16 || t.dtype() == DType::kBFloat16) {
    if constexpr (std::is_same_v<T, float>) half_to_float(t, v.data());
  } else {
    dispatch_numeric(t.dtype(), "Einsum", [&](auto tag) {
      using S = decltype(tag);
      const S* s = t.data_as<S>();
      for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<T>(s[i]);
    });
  }
  return v;
}

template <class T>
void narrow_into(const std::vector<T>& v, Tensor& t) {
  if (t.dtype() == DType::kFloat16 || t.dtype() == DType::kBFloat16) {
    if constexpr (std::is_same_v<T, float>) float_to_half(v.data(), t);
    return;
  }
  dispatch_numeric(t.dtype(), "Einsum", [&](auto tag) {
    using S = decltype(tag);
    S* d = t.data_as<S>();
    for (size_t i = 0; i < v.size(); ++i) d[i] = static_cast<S>(v[i]);
  });
}

class Einsum final : public OpKernel {
 public:
  Einsum(Equation eq, bool bf16) : eq_(std::move(eq)), bf16_(bf16) {}

  void infer(InferContext& ctx) const override {
    const DType dt = ctx.input_dtype(0);
    std::vector<int> ranks;
    bool ranks_known = true;
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      check(ctx.input_dtype(i) == dt || ctx.input_dtype(i) == DType::kUndefined || dt == DType::kUndefined,
            ErrorCode::kInvalidArgument, "Einsum: inputs have different dtypes");
      ranks.push_back(ctx.input_rank(i));
      ranks_known = ranks_known && ranks.back() >= 0;
    }
    check(dt == DType::kUndefined || supported(dt), ErrorCode::kNotImplemented, "Einsum: dtype ", dtype_name(dt),
          " is not supported");
    if (!ranks_known) return ctx.set_output(0, TypeInfo{dt, false, {}});
    const Plan p = bind_ranks(eq_, ranks);
    // Output dims: a known size > 1 wins (size-1 dims broadcast), else the first use's dim.
    Shape out;
    for (int l : p.out) {
      Dim d;
      bool set = false;
      for (int i = 0; i < ctx.num_inputs(); ++i) {
        for (size_t k = 0; k < p.labels[i].size(); ++k) {
          if (p.labels[i][k] != l) continue;
          const Dim& s = ctx.input_type(i).shape[k];
          if (!set || (s.known() && s.value != 1 && !(d.known() && d.value != 1))) d = s;
          set = true;
        }
      }
      out.push_back(d);
    }
    ctx.set_output(0, TypeInfo::of(dt, out));
  }

  void run(RunContext& ctx) const override {
    const int n = ctx.num_inputs();
    check(n >= 1, ErrorCode::kInvalidArgument, "Einsum: needs at least one input");
    const DType dt = ctx.input(0)->dtype();
    std::vector<int> ranks;
    std::vector<std::vector<int64_t>> shapes;
    for (int i = 0; i < n; ++i) {
      const Tensor* t = ctx.input(i);
      check(t != nullptr, ErrorCode::kInvalidArgument, "Einsum: input ", i, " is missing");
      check(t->dtype() == dt, ErrorCode::kInvalidArgument, "Einsum: input ", i, " is ", dtype_name(t->dtype()),
            ", input 0 is ", dtype_name(dt));
      ranks.push_back(t->rank());
      shapes.push_back(t->shape());
    }
    check(supported(dt), ErrorCode::kNotImplemented, "Einsum: dtype ", dtype_name(dt), " is not supported");
    const Plan p = bind_ranks(eq_, ranks);
    const std::vector<int64_t> size = label_sizes(p, shapes);
    std::vector<int64_t> out;
    for (int l : p.out) out.push_back(size[l]);
    Tensor& y = ctx.output(0, out);
    if (y.numel() == 0) return;
    dispatch_compute(dt, [&](auto tag) {
      using T = decltype(tag);
      if (storage_is<T>(dt)) {
        std::vector<const T*> ins;
        for (int i = 0; i < n; ++i) ins.push_back(ctx.input(i)->data_as<T>());
        evaluate<T>(p, ins, shapes, size, y.data_as<T>(), ctx.par());
        return;
      }
      std::vector<std::vector<T>> wide;
      std::vector<const T*> ins;
      for (int i = 0; i < n; ++i) ins.push_back(wide.emplace_back(widen_to<T>(*ctx.input(i))).data());
      std::vector<T> res(static_cast<size_t>(y.numel()));
      evaluate<T>(p, ins, shapes, size, res.data(), ctx.par());
      narrow_into(res, y);
    });
  }

  std::string kernel_name() const override { return std::string("einsum_") + kernels::select_gemm_f32().name; }

 private:
  template <class T>
  static bool storage_is(DType dt) {
    if constexpr (std::is_same_v<T, float>) return dt == DType::kFloat;
    if constexpr (std::is_same_v<T, double>) return dt == DType::kDouble;
    if constexpr (std::is_same_v<T, int32_t>) return dt == DType::kInt32;
    if constexpr (std::is_same_v<T, int64_t>) return dt == DType::kInt64;
    if constexpr (std::is_same_v<T, uint32_t>) return dt == DType::kUInt32;
    if constexpr (std::is_same_v<T, uint64_t>) return dt == DType::kUInt64;
    return false;
  }
  bool supported(DType dt) const {
    if (dt == DType::kBFloat16) return bf16_;
    return eltwise::is_float_type(dt) || eltwise::is_integer_type(dt);
  }

  Equation eq_;
  bool bf16_;
};

}  // namespace

std::unique_ptr<OpKernel> build_einsum(const BuildContext& ctx) {
  check(ctx.node.has("equation"), ErrorCode::kInvalidArgument, "Einsum: attribute 'equation' is required");
  const std::string eq = ctx.node.get_string("equation", "");
  check(!eq.empty(), ErrorCode::kInvalidArgument, "Einsum: the equation is empty");
  return std::make_unique<Einsum>(parse(eq), ctx.opset >= 28);
}

}  // namespace ortl::opset
