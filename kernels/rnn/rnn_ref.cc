// Reference RNN / GRU / LSTM: the spec equations one timestep, one batch entry and one hidden
// unit at a time, with dot products and activations in double. The oracle for rnn() in tests.
#include <vector>

#include "kernels/rnn/rnn.h"

namespace ortl::kernels {
namespace {

struct Layout {
  const RnnParams& p;
  int64_t x_row(int64_t t, int64_t b) const { return p.batch_first ? b * p.seq + t : t * p.batch + b; }
  int64_t y_off(int64_t t, int d, int64_t b) const {
    return (p.batch_first ? (b * p.seq + t) * p.dirs + d : (t * p.dirs + d) * p.batch + b) * p.hidden;
  }
  int64_t state_off(int d, int64_t b) const { return (p.batch_first ? b * p.dirs + d : d * p.batch + b) * p.hidden; }
};

double clip_to(double v, float clip) { return clip > 0 ? std::min(std::max(v, -double(clip)), double(clip)) : v; }

}  // namespace

template <class T>
void rnn_ref(const RnnParams& p, const RnnTensors<T>& t) {
  const Layout lay{p};
  const int64_t H = p.hidden, I = p.input, S = p.seq, GH = rnn_gates(p.cell) * H;
  if (t.y) std::fill(t.y, t.y + S * p.dirs * p.batch * H, T(0));
  std::vector<double> h(H), c(H), wx(GH), rh(GH), hn(H), cn(H), rh_reset(H);
  for (int d = 0; d < p.dirs; ++d) {
    const T* W = t.w + d * GH * I;
    const T* R = t.r + d * GH * H;
    const T* Wb = t.b ? t.b + d * 2 * GH : nullptr;
    const T* Rb = t.b ? Wb + GH : nullptr;
    const T* P = t.p ? t.p + d * 3 * H : nullptr;
    const RnnAct* act = p.act[d];
    const bool rev = p.dirs == 2 ? d == 1 : p.reverse;
    auto f = [&](double v) { return rnn_activate<double>(act[0], clip_to(v, p.clip)); };
    auto g = [&](double v) { return rnn_activate<double>(act[1], clip_to(v, p.clip)); };
    auto hact = [&](double v) { return rnn_activate<double>(act[2], v); };
    for (int64_t b = 0; b < p.batch; ++b) {
      const int64_t len = t.seq_lens ? t.seq_lens[b] : S;
      for (int64_t j = 0; j < H; ++j) {
        h[j] = t.h0 ? double(t.h0[lay.state_off(d, b) + j]) : 0.0;
        c[j] = t.c0 ? double(t.c0[lay.state_off(d, b) + j]) : 0.0;
      }
      for (int64_t s = 0; s < len; ++s) {
        const int64_t tt = rev ? len - 1 - s : s;
        const T* x = t.x + lay.x_row(tt, b) * I;
        for (int64_t j = 0; j < GH; ++j) {
          double a = Wb ? double(Wb[j]) : 0.0, r = Rb ? double(Rb[j]) : 0.0;
          for (int64_t i = 0; i < I; ++i) a += double(W[j * I + i]) * double(x[i]);
          for (int64_t k = 0; k < H; ++k) r += double(R[j * H + k]) * h[k];
          wx[j] = a;
          rh[j] = r;
        }
        for (int64_t j = 0; j < H; ++j) {
          if (p.cell == RnnCell::kRnn) {
            hn[j] = f(wx[j] + rh[j]);
          } else if (p.cell == RnnCell::kGru) {
            const double z = f(wx[j] + rh[j]), rg = f(wx[H + j] + rh[H + j]);
            double pre;
            if (p.linear_before_reset) {
              pre = wx[2 * H + j] + rg * rh[2 * H + j];
            } else {
              // (r (.) H) * Rh^T + Rbh: needs every r of this step first, so computed below.
              rh_reset[j] = rg;
              hn[j] = z;
              continue;
            }
            hn[j] = (1 - z) * g(pre) + z * h[j];
          } else {
            const double pi = P ? double(P[j]) : 0.0, po = P ? double(P[H + j]) : 0.0,
                         pf = P ? double(P[2 * H + j]) : 0.0;
            const double i = f(wx[j] + rh[j] + pi * c[j]);
            const double fg = p.input_forget ? 1 - i : f(wx[2 * H + j] + rh[2 * H + j] + pf * c[j]);
            const double cc = g(wx[3 * H + j] + rh[3 * H + j]);
            cn[j] = fg * c[j] + i * cc;
            const double o = f(wx[H + j] + rh[H + j] + po * cn[j]);
            hn[j] = o * hact(cn[j]);
          }
        }
        if (p.cell == RnnCell::kGru && !p.linear_before_reset) {
          for (int64_t j = 0; j < H; ++j) {
            double r = Rb ? double(Rb[2 * H + j]) : 0.0;
            for (int64_t k = 0; k < H; ++k) r += double(R[(2 * H + j) * H + k]) * rh_reset[k] * h[k];
            const double z = hn[j];
            hn[j] = (1 - z) * g(wx[2 * H + j] + r) + z * h[j];
          }
        }
        h = hn;
        if (p.cell == RnnCell::kLstm) c = cn;
        if (t.y) {
          for (int64_t j = 0; j < H; ++j) t.y[lay.y_off(tt, d, b) + j] = static_cast<T>(h[j]);
        }
      }
      for (int64_t j = 0; j < H; ++j) {
        if (t.y_h) t.y_h[lay.state_off(d, b) + j] = len == 0 ? T(0) : static_cast<T>(h[j]);
        if (t.y_c) t.y_c[lay.state_off(d, b) + j] = len == 0 ? T(0) : static_cast<T>(c[j]);
      }
    }
  }
}

template void rnn_ref<float>(const RnnParams&, const RnnTensors<float>&);
template void rnn_ref<double>(const RnnParams&, const RnnTensors<double>&);

}  // namespace ortl::kernels
