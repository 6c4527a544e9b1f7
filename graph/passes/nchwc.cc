// Blocked channel layout (optimization level 2): runs chains of 2-D convs, pools and the
// elementwise ops between them on NCHWc tensors [N, ceil(C/16), H, W, 16] (kernels/nchwc), the way
// ONNX Runtime's NCHWc transformer does. In that layout a conv needs no im2col and no packing of
// its input, and depthwise convs and pools are whole-vector operations at any stride.
//
// One walk in topological order keeps, for each NCHW value, its NCHWc twin (if any):
//   - Conv / FusedConv with constant float 4-D W (group 1 or depthwise) and >= 16 output channels
//     become ai.ortlite.NchwcConv writing a twin. X is its twin, or is read as plain NCHW when it
//     has fewer than 16 channels (the RGB input), or gets a ReorderToNchwc. A fused residual Z must
//     have a twin with the conv's channel count (or a declared 4-D shape with that count).
//   - MaxPool (without Indices) / AveragePool 2-D, GlobalAveragePool / GlobalMaxPool on a twin
//     become their ai.ortlite.Nchwc* versions.
//   - Relu, Sigmoid, Tanh, Clip, LeakyRelu, HardSigmoid, HardSwish on a twin, and Add / Sub / Mul of
//     two twins with the same channel count, run unchanged on the twins (broadcasting over N, H, W
//     works the same in 5-D). They map finite pad lanes to finite values, which is all the layout
//     asks of pad lanes.
//   - Concat on the channel axis of twins whose channel counts (all but the last) are multiples
//     of 16 concatenates the blocks.
//   - Split on the channel axis of a twin, with constant sizes of which all but the last are
//     multiples of 16, splits the blocks (YOLOv8's C2f: Split -> convs -> Concat stays blocked).
// Any other reader of a value that only exists as a twin gets a ReorderFromNchwc writing the
// original NCHW value (once per value), as do graph outputs and values read by subgraphs; so
// nothing outside the converted region sees a change.
#include <unordered_map>

#include "graph/passes/pass_util.h"

namespace ortl::graph::passes {
namespace {

constexpr int64_t kBlock = 16;

struct Twin {
  int value = -1;    // the NCHWc value
  int64_t channels;  // real channel count C
};

bool is_default(const Node& n, const char* op) { return n.domain.empty() && n.op_type == op; }

class NchwcRewriter {
 public:
  NchwcRewriter(Graph& g, PassStats& stats) : g_(g), stats_(stats), pinned_(names_read_by_subgraphs(g)) {}

  bool run() {
    std::vector<Node> old = std::move(g_.nodes);
    g_.nodes.clear();
    for (Node& n : old) {
      if (!convert(n)) {
        for (int v : n.inputs) need_plain(v);
        out_.push_back(std::move(n));
      }
    }
    for (int v : g_.outputs) need_plain(v);
    for (size_t v = 0; v < g_.values.size(); ++v)
      if (pinned_.count(g_.values[v].name)) need_plain(static_cast<int>(v));
    g_.nodes = std::move(out_);
    if (converted_ == 0) return false;
    g_.opsets.emplace("ai.ortlite", 1);
    return true;
  }

 private:
  bool convert(const Node& n) {
    if ((is_default(n, "Conv") || (n.domain == "ai.ortlite" && n.op_type == "FusedConv")) && convert_conv(n))
      return true;
    if (is_default(n, "Split")) return convert_split(n);
    if (n.outputs.size() != 1 || n.outputs[0] < 0 || n.inputs.empty()) return false;
    if (!n.domain.empty()) return false;
    const std::string& op = n.op_type;
    if (op == "Relu" || op == "Sigmoid" || op == "Tanh" || op == "LeakyRelu" || op == "HardSigmoid" ||
        op == "HardSwish" || op == "Clip") {
      const Twin* t = twin(n.inputs[0]);
      if (!t) return false;
      for (size_t i = 1; i < n.inputs.size(); ++i)  // Clip's bounds: constants or nothing
        if (n.inputs[i] >= 0 && !constant_of(g_, n.inputs[i])) return false;
      return emit(n, {t->value}, t->channels);
    }
    if (op == "Add" || op == "Sub" || op == "Mul") {
      const Twin* a = twin(n.inputs[0]);
      const Twin* b = n.inputs.size() == 2 ? twin(n.inputs[1]) : nullptr;
      if (!a || !b || a->channels != b->channels) return false;
      return emit(n, {a->value, b->value}, a->channels);
    }
    if (op == "MaxPool" || op == "AveragePool") {
      const Twin* t = twin(n.inputs[0]);
      if (!t || n.get_ints("kernel_shape").size() != 2) return false;
      Node p = n;
      p.domain = "ai.ortlite", p.op_type = "Nchwc" + op, p.opset = 1;
      p.attrs.erase("storage_order");
      return emit(std::move(p), {t->value}, t->channels);
    }
    if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
      const Twin* t = twin(n.inputs[0]);
      if (!t) return false;
      Node p = n;
      p.domain = "ai.ortlite", p.op_type = "Nchwc" + op, p.opset = 1;
      return emit(std::move(p), {t->value}, t->channels);
    }
    if (op == "Concat") return convert_concat(n);
    return false;
  }

  // Channel sizes of a Split on a twin of `channels` channels: the constant `split` input (opset
  // 13+) or attribute, else equal parts (num_outputs, opset 18, or one per output); empty when
  // they are not known here or do not add up.
  std::vector<int64_t> split_sizes(const Node& n, int64_t channels) const {
    std::vector<int64_t> sizes;
    if (n.inputs.size() > 1 && n.inputs[1] >= 0) {
      const Tensor* t = constant_of(g_, n.inputs[1]);
      if (!t || t->dtype() != DType::kInt64 || t->rank() != 1) return {};
      sizes.assign(t->data_as<int64_t>(), t->data_as<int64_t>() + t->numel());
    } else if (n.has("split")) {
      sizes = n.get_ints("split");
    } else {
      const auto parts = static_cast<int64_t>(n.outputs.size());
      if (parts == 0 || channels % parts != 0) return {};
      sizes.assign(static_cast<size_t>(parts), channels / parts);
    }
    int64_t sum = 0;
    for (int64_t v : sizes) sum += v;
    if (sizes.size() != n.outputs.size() || sum != channels) return {};
    return sizes;
  }

  bool convert_split(const Node& n) {
    if (n.get_int("axis", 0) != 1 && n.get_int("axis", 0) != -3) return false;
    const Twin* t = n.inputs.empty() ? nullptr : twin(n.inputs[0]);
    if (!t) return false;
    const std::vector<int64_t> sizes = split_sizes(n, t->channels);
    if (sizes.empty()) return false;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (n.outputs[i] < 0 || sizes[i] <= 0 || (i + 1 < sizes.size() && sizes[i] % kBlock != 0)) return false;
    }
    // The same Split on the blocked axis, by whole blocks (the last part takes the pad lanes).
    Tensor blocks(DType::kInt64, {static_cast<int64_t>(sizes.size())});
    for (size_t i = 0; i < sizes.size(); ++i) blocks.data_as<int64_t>()[i] = (sizes[i] + kBlock - 1) / kBlock;
    const int bv = g_.add_value(unique_name(g_, n.name + "_blocks"));
    g_.values[bv].type = TypeInfo::of(DType::kInt64, from_concrete(blocks.shape()));
    g_.values[bv].initializer = std::move(blocks);
    Node c = n;
    c.opset = std::max(c.opset, 13);  // the sizes as an input
    c.attrs.erase("split");
    c.attrs.erase("num_outputs");
    c.attrs["axis"] = int_attr(1);
    c.inputs = {t->value, bv};
    for (size_t i = 0; i < sizes.size(); ++i) {
      const int orig = c.outputs[i];
      c.outputs[i] = new_twin_value(orig);
      twins_[orig] = {c.outputs[i], sizes[i]};
    }
    out_.push_back(std::move(c));
    ++converted_;
    return true;
  }

  bool convert_conv(const Node& n) {
    if (n.outputs.size() != 1 || n.outputs[0] < 0 || n.inputs.size() < 2 || n.inputs.size() > 4) return false;
    const Tensor* w = constant_of(g_, n.inputs[1]);
    if (!w || w->dtype() != DType::kFloat || w->rank() != 4) return false;
    if (n.inputs.size() > 2 && n.inputs[2] >= 0) {
      const Tensor* b = constant_of(g_, n.inputs[2]);
      if (!b || b->dtype() != DType::kFloat) return false;
    }
    const int64_t group = n.get_int("group", 1), c_out = w->dim(0), c_in = w->dim(1) * group;
    const bool depthwise = group > 1 && group == c_out && w->dim(1) == 1;
    if (group != 1 && !depthwise) return false;
    // Few output channels would pad most of each block with zeros (SRCNN's last conv: 16x the
    // work); those stay NCHW.
    if (c_out < kBlock) return false;
    const int x = n.inputs[0];
    int xin = -1;
    bool nchw_input = false;
    if (const Twin* t = twin(x)) {
      xin = t->value;
    } else if (c_in < kBlock && !depthwise) {
      xin = x, nchw_input = true;
    } else {
      xin = to_blocked(x, c_in);
    }
    int z = -1;
    if (n.inputs.size() > 3 && n.inputs[3] >= 0) {
      const int zv = n.inputs[3];
      if (const Twin* t = twin(zv)) {
        if (t->channels != c_out) return false;
        z = t->value;
      } else {
        const TypeInfo& zt = g_.values[zv].type;
        if (zt.rank() != 4 || !zt.shape[1].known() || zt.shape[1].value != c_out) return false;
        z = to_blocked(zv, c_out);
      }
    }
    Node c = n;
    c.domain = "ai.ortlite", c.op_type = "NchwcConv", c.opset = 1;
    c.inputs = {xin, n.inputs[1], n.inputs.size() > 2 ? n.inputs[2] : -1, z};
    if (z < 0) c.inputs.pop_back();
    if (nchw_input) c.attrs["nchw_input"] = int_attr(1);
    ++stats_.nchwc_convs;
    return emit(std::move(c), {}, c_out);
  }

  bool convert_concat(const Node& n) {
    if (n.get_int("axis", 0) != 1 && n.get_int("axis", 0) != -3) return false;
    std::vector<int> ins;
    int64_t channels = 0;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const Twin* t = twin(n.inputs[i]);
      if (!t || (i + 1 < n.inputs.size() && t->channels % kBlock != 0)) return false;
      ins.push_back(t->value);
      channels += t->channels;
    }
    if (ins.empty()) return false;
    Node c = n;
    c.attrs["axis"] = int_attr(1);
    return emit(std::move(c), ins, channels);
  }

  // c with its first ins.size() inputs replaced, writing a new twin of its output.
  bool emit(Node c, const std::vector<int>& ins, int64_t channels) {
    for (size_t i = 0; i < ins.size(); ++i) c.inputs[i] = ins[i];
    const int orig = c.outputs[0];
    const int tv = new_twin_value(orig);
    c.outputs[0] = tv;
    twins_[orig] = {tv, channels};
    out_.push_back(std::move(c));
    ++converted_;
    return true;
  }

  // A fresh float value to hold the NCHWc twin of value v.
  int new_twin_value(int v) {
    const int tv = g_.add_value(unique_name(g_, g_.values[v].name + "_nchwc"));
    g_.values[tv].type.dtype = DType::kFloat;
    return tv;
  }

  const Twin* twin(int v) const {
    auto it = twins_.find(v);
    return it == twins_.end() ? nullptr : &it->second;
  }

  // The NCHWc twin of plain value v, reordering it when it has none yet.
  int to_blocked(int v, int64_t channels) {
    if (const Twin* t = twin(v)) return t->value;
    Node r;
    r.name = unique_name(g_, g_.values[v].name + "_to_nchwc");
    r.domain = "ai.ortlite", r.op_type = "ReorderToNchwc", r.opset = 1;
    r.inputs = {v};
    const int tv = new_twin_value(v);
    r.outputs = {tv};
    out_.push_back(std::move(r));
    twins_[v] = {tv, channels};
    plain_.insert(v);  // v itself exists already
    ++stats_.nchwc_reorders;
    return tv;
  }

  // v is read as NCHW: when only its twin exists, write v from it.
  void need_plain(int v) {
    if (v < 0 || plain_.count(v)) return;
    const Twin* t = twin(v);
    if (!t) return;
    Node r;
    r.name = unique_name(g_, g_.values[v].name + "_from_nchwc");
    r.domain = "ai.ortlite", r.op_type = "ReorderFromNchwc", r.opset = 1;
    r.inputs = {t->value};
    r.outputs = {v};
    r.attrs["channels"] = int_attr(t->channels);
    out_.push_back(std::move(r));
    plain_.insert(v);
    ++stats_.nchwc_reorders;
  }

  Graph& g_;
  PassStats& stats_;
  const std::unordered_set<std::string> pinned_;
  std::unordered_map<int, Twin> twins_;
  std::unordered_set<int> plain_;  // values with twins that also exist as NCHW
  std::vector<Node> out_;
  int converted_ = 0;
};

}  // namespace

bool convert_to_nchwc(Graph& g, PassStats& stats) { return NchwcRewriter(g, stats).run(); }

}  // namespace ortl::graph::passes
