// RNN / GRU / LSTM on GEMMs: per direction, one GEMM X * W^T projects every timestep at once
// ([seq*batch, input] x [input, gates*hidden]: the big, well-shaped product), then each step
// runs one GEMM H * R^T over the whole batch and an elementwise pass per batch entry (biases,
// peepholes, clip, activations, state update) over whole gate blocks, so the Sigmoid / Tanh
// loops vectorize (float: kernels/eltwise/fast_math.h, a few ulp). GRU without
// linear_before_reset needs (r (.) H) * Rh^T, a second per-step GEMM after r. Entries with
// shorter sequences stay in the GEMM (their rows cost less than splitting the batch) but their
// state is left alone once they are done.
// Known cost: the SGEMM packs R again every step (it has no pre-packed-B entry point yet).
#include "kernels/rnn/rnn.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/eltwise/fast_math.h"
#include "kernels/gemm/gemm.h"

namespace ortl::kernels {
namespace {

// C[m, n] = A[m, k] * op(B): B is [n, k] (the ONNX weight layout) when trans_b, else [k, n].
template <class T>
void gemm(int64_t m, int64_t n, int64_t k, const T* a, int64_t lda, bool trans_b, const T* b, int64_t ldb, T* c,
          int64_t ldc, Parallel& par) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i) std::fill(c + i * ldc, c + i * ldc + n, T(0));
    return;
  }
  GemmArgs<T> g;
  g.m = m, g.n = n, g.k = k, g.trans_b = trans_b;
  g.a = a, g.lda = lda, g.b = b, g.ldb = ldb, g.c = c, g.ldc = ldc;
  if constexpr (std::is_same_v<T, float>) {
    select_gemm_f32().run(g, par);
  } else {
    gemm_ref(g);
  }
}

template <class T>
class Runner {
 public:
  Runner(const RnnParams& p, const RnnTensors<T>& t, Parallel& par)
      : p_(p), t_(t), par_(par), H_(p.hidden), GH_(rnn_gates(p.cell) * p.hidden) {}

  void run() {
    const int64_t S = p_.seq, B = p_.batch, I = p_.input;
    if (t_.y) std::fill(t_.y, t_.y + S * p_.dirs * B * H_, T(0));
    xw_.resize(static_cast<size_t>(S * B * GH_));
    hr_.resize(static_cast<size_t>(B * GH_));
    h_.resize(static_cast<size_t>(B * H_));
    c_.resize(p_.cell == RnnCell::kLstm ? static_cast<size_t>(B * H_) : 0);
    rh_.assign(p_.cell == RnnCell::kGru && !p_.linear_before_reset ? static_cast<size_t>(B * H_) : 0, T(0));
    bias_.resize(static_cast<size_t>(GH_));
    lens_.resize(static_cast<size_t>(B));
    int64_t max_len = 0;
    for (int64_t b = 0; b < B; ++b) max_len = std::max(max_len, lens_[b] = t_.seq_lens ? t_.seq_lens[b] : S);
    for (int d = 0; d < p_.dirs; ++d) {
      d_ = d;
      rev_ = p_.dirs == 2 ? d == 1 : p_.reverse;
      const T* W = t_.w + d * GH_ * I;
      R_ = t_.r + d * GH_ * H_;
      Rb_ = t_.b ? t_.b + d * 2 * GH_ + GH_ : nullptr;
      P_ = t_.p ? t_.p + d * 3 * H_ : nullptr;
      // Wb + Rb folded into one vector, except GRU's Rbh under linear_before_reset (inside r (.)).
      for (int64_t j = 0; j < GH_; ++j) {
        const bool split = p_.cell == RnnCell::kGru && p_.linear_before_reset && j >= 2 * H_;
        bias_[j] = t_.b ? t_.b[d * 2 * GH_ + j] + (split ? T(0) : Rb_[j]) : T(0);
      }
      gemm<T>(S * B, GH_, I, t_.x, I, true, W, I, xw_.data(), GH_, par_);
      // R^T [hidden, gates*hidden] once per direction when the batch has several rows: there a
      // transposed B costs the SGEMM about 2x (M = 8, N = 768, K = 256: 0.19 vs 0.09 ms with
      // avx512). A single row runs the SGEMM's GEMV, which reads R's rows directly.
      if (B > 1) {
        rt_.resize(static_cast<size_t>(H_ * GH_));
        constexpr int64_t kTile = 32;  // blocked transpose: both sides stay in cache
        for (int64_t j0 = 0; j0 < GH_; j0 += kTile) {
          for (int64_t k0 = 0; k0 < H_; k0 += kTile) {
            for (int64_t j = j0; j < std::min(GH_, j0 + kTile); ++j) {
              for (int64_t k = k0; k < std::min(H_, k0 + kTile); ++k) rt_[k * GH_ + j] = R_[j * H_ + k];
            }
          }
        }
      }
      for (int64_t b = 0; b < B; ++b) {
        for (int64_t j = 0; j < H_; ++j) {
          h_[b * H_ + j] = t_.h0 ? t_.h0[state_off(b) + j] : T(0);
          if (!c_.empty()) c_[b * H_ + j] = t_.c0 ? t_.c0[state_off(b) + j] : T(0);
        }
      }
      for (int64_t s = 0; s < max_len; ++s) step(s);
      for (int64_t b = 0; b < B; ++b) {
        if (lens_[b] == 0) {  // no step ran: zeros, as onnxruntime
          std::fill(&h_[b * H_], &h_[b * H_] + H_, T(0));
          if (!c_.empty()) std::fill(&c_[b * H_], &c_[b * H_] + H_, T(0));
        }
        if (t_.y_h) std::copy(&h_[b * H_], &h_[b * H_] + H_, t_.y_h + state_off(b));
        if (t_.y_c) std::copy(&c_[b * H_], &c_[b * H_] + H_, t_.y_c + state_off(b));
      }
    }
  }

 private:
  int64_t state_off(int64_t b) const { return (p_.batch_first ? b * p_.dirs + d_ : d_ * p_.batch + b) * H_; }
  int64_t x_row(int64_t t, int64_t b) const { return p_.batch_first ? b * p_.seq + t : t * p_.batch + b; }
  T* y_at(int64_t t, int64_t b) const {
    return t_.y + (p_.batch_first ? (b * p_.seq + t) * p_.dirs + d_ : (t * p_.dirs + d_) * p_.batch + b) * H_;
  }

  void step(int64_t s) {
    const int64_t B = p_.batch;
    const bool gru_reset_first = p_.cell == RnnCell::kGru && !p_.linear_before_reset;
    // GRU (default): z and r first, the h gate after the second GEMM on r (.) H.
    recurrent(B, gru_reset_first ? 2 * H_ : GH_, h_.data(), 0, hr_.data());
    const double cost = static_cast<double>(GH_) * 20;
    if (gru_reset_first) {
      par_.for_range(B, cost, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
          if (s >= lens_[b]) continue;
          T* gh = &hr_[b * GH_];
          add_input(gh, &xw_[x_row(time(s, b), b) * GH_], 0, 2 * H_);
          activate(0, gh, 2 * H_);  // z (kept for cell()) and r
          const T* hp = &h_[b * H_];
          for (int64_t j = 0; j < H_; ++j) rh_[b * H_ + j] = gh[H_ + j] * hp[j];  // r (.) H
        }
      });
      recurrent(B, H_, rh_.data(), 2 * H_, hr_.data() + 2 * H_);
    }
    par_.for_range(B, cost, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        if (s >= lens_[b]) continue;
        const int64_t t = time(s, b);
        cell(&xw_[x_row(t, b) * GH_], &hr_[b * GH_], &h_[b * H_], c_.empty() ? nullptr : &c_[b * H_]);
        if (t_.y) std::copy(&h_[b * H_], &h_[b * H_] + H_, y_at(t, b));
      }
    });
  }

  // dst[b, :n] = src[b, :] * (R rows [row0, row0 + n))^T, dst rows GH_ apart.
  void recurrent(int64_t B, int64_t n, const T* src, int64_t row0, T* dst) {
    if (B > 1) {
      gemm<T>(B, n, H_, src, H_, false, rt_.data() + row0, GH_, dst, GH_, par_);
    } else {
      gemm<T>(B, n, H_, src, H_, true, R_ + row0 * H_, H_, dst, GH_, par_);
    }
  }

  int64_t time(int64_t s, int64_t b) const { return rev_ ? lens_[b] - 1 - s : s; }

  // g[j] += gx[j] + bias[j] for j in [begin, end): the pre-activation of those gates.
  void add_input(T* g, const T* gx, int64_t begin, int64_t end) const {
    const T* bs = bias_.data();
    for (int64_t j = begin; j < end; ++j) g[j] += gx[j] + bs[j];
  }

  // v = act_k(clip(v)) over n values, the dispatch hoisted out of the loop so the common
  // Sigmoid / Tanh loops vectorize (float: the kernels/eltwise approximations, a few ulp).
  void activate(int k, T* v, int64_t n, bool clip = true) const {
    const RnnAct& a = p_.act[d_][k];
    const T c = static_cast<T>(p_.clip);
    if (clip && c > T(0)) {
      for (int64_t j = 0; j < n; ++j) v[j] = std::min(std::max(v[j], -c), c);
    }
    if constexpr (std::is_same_v<T, float>) {
      if (a.kind == RnnActKind::kSigmoid) {
        for (int64_t j = 0; j < n; ++j) v[j] = fastmath::sigmoid_f32(v[j]);
        return;
      }
      if (a.kind == RnnActKind::kTanh) {
        for (int64_t j = 0; j < n; ++j) v[j] = fastmath::tanh_f32(v[j]);
        return;
      }
    }
    for (int64_t j = 0; j < n; ++j) v[j] = rnn_activate<T>(a, v[j]);
  }

  // One batch entry: gx = its X * W^T row, g = its H * R^T row (overwritten as scratch);
  // updates hs (and cs) in place.
  void cell(const T* gx, T* g, T* hs, T* cs) const {
    const int64_t H = H_;
    if (p_.cell == RnnCell::kRnn) {
      add_input(g, gx, 0, H);
      activate(0, g, H);
      std::copy(g, g + H, hs);
    } else if (p_.cell == RnnCell::kGru) {
      T *z = g, *r = g + H, *hh = g + 2 * H;
      if (p_.linear_before_reset) {
        add_input(g, gx, 0, 2 * H);
        activate(0, g, 2 * H);
        const T* bs = bias_.data() + 2 * H;  // Wbh only; Rbh goes inside r (.) (...)
        for (int64_t j = 0; j < H; ++j) hh[j] = gx[2 * H + j] + bs[j] + r[j] * (hh[j] + (Rb_ ? Rb_[2 * H + j] : T(0)));
      } else {
        add_input(g, gx, 2 * H, 3 * H);  // z, r were activated in step()
      }
      activate(1, hh, H);
      for (int64_t j = 0; j < H; ++j) hs[j] = (T(1) - z[j]) * hh[j] + z[j] * hs[j];
    } else {
      T *i = g, *o = g + H, *f = g + 2 * H, *c = g + 3 * H;
      add_input(g, gx, 0, 4 * H);
      if (P_) {
        for (int64_t j = 0; j < H; ++j) i[j] += P_[j] * cs[j];
        for (int64_t j = 0; j < H; ++j) f[j] += P_[2 * H + j] * cs[j];
      }
      activate(0, i, H);
      if (p_.input_forget) {
        for (int64_t j = 0; j < H; ++j) f[j] = T(1) - i[j];
      } else {
        activate(0, f, H);
      }
      activate(1, c, H);
      for (int64_t j = 0; j < H; ++j) cs[j] = f[j] * cs[j] + i[j] * c[j];
      if (P_) {
        for (int64_t j = 0; j < H; ++j) o[j] += P_[H + j] * cs[j];
      }
      activate(0, o, H);
      std::copy(cs, cs + H, c);  // h(C) is not clipped
      activate(2, c, H, false);
      for (int64_t j = 0; j < H; ++j) hs[j] = o[j] * c[j];
    }
  }

  const RnnParams& p_;
  const RnnTensors<T>& t_;
  Parallel& par_;
  const int64_t H_, GH_;
  int d_ = 0;
  bool rev_ = false;
  const T* R_ = nullptr;
  const T* Rb_ = nullptr;
  const T* P_ = nullptr;
  std::vector<T> xw_, hr_, h_, c_, rh_, bias_, rt_;
  std::vector<int64_t> lens_;
};

}  // namespace

template <class T>
void rnn(const RnnParams& p, const RnnTensors<T>& t, Parallel& par) {
  Runner<T>(p, t, par).run();
}

template void rnn<float>(const RnnParams&, const RnnTensors<float>&, Parallel&);
template void rnn<double>(const RnnParams&, const RnnTensors<double>&, Parallel&);

}  // namespace ortl::kernels
