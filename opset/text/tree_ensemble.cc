// ai.onnx.ml TreeEnsemble (v5): X [N, F] -> Y [N, n_targets]. Each tree is walked from its root
// (nodes_* describe interior nodes, leaf_* the leaves), the reached leaves' weights are
// aggregated per target (SUM, AVERAGE over all trees, MIN, MAX; a target no leaf reaches is 0,
// as in onnxruntime), then post_transform is applied per row.
//
// Comparisons happen in double: thresholds are widened from their tensor dtype and features
// from X's, which is exact, so float models compare exactly as in float. A NaN feature takes
// the false branch unless nodes_missing_value_tracks_true says otherwise (NEQ is true for NaN).
// The model is validated when built (sizes, index ranges, set members, no cycles), so running
// never reads out of bounds or loops.
#include <algorithm>
#include <cmath>
#include <limits>

#include "opset/text/text.h"
#include "opset/text/text_util.h"

namespace ortl::opset {
namespace {

constexpr const char* kOp = "TreeEnsemble: ";

enum Mode : uint8_t { kLeq, kLt, kGte, kGt, kEq, kNeq, kMember };
enum class Aggregate { kAverage, kSum, kMin, kMax };
enum class Post { kNone, kSoftmax, kLogistic, kSoftmaxZero, kProbit };

struct TreeNode {
  double split = 0;
  int64_t feature = 0;
  uint8_t mode = kLeq;
  bool missing_true = false;
  bool true_leaf = false, false_leaf = false;
  int64_t true_id = 0, false_id = 0;
  int64_t set_begin = 0, set_end = 0;  // sorted members in TreeModel::members (kMember)
};

struct TreeModel {
  std::vector<TreeNode> nodes;
  std::vector<double> members;
  std::vector<double> leaf_weights;
  std::vector<int64_t> leaf_targets;
  std::vector<int64_t> roots;
  int64_t n_targets = 1;
  Aggregate aggregate = Aggregate::kSum;
  Post post = Post::kNone;
};

std::vector<double> doubles_of(const Tensor& t, const char* name) {
  std::vector<double> v(static_cast<size_t>(t.numel()));
  switch (t.dtype()) {
    case DType::kFloat: std::copy(t.data_as<float>(), t.data_as<float>() + t.numel(), v.begin()); break;
    case DType::kDouble: std::copy(t.data_as<double>(), t.data_as<double>() + t.numel(), v.begin()); break;
    case DType::kFloat16: {
      const Tensor f = half_to_float(t);
      std::copy(f.data_as<float>(), f.data_as<float>() + t.numel(), v.begin());
      break;
    }
    default:
      fail(ErrorCode::kInvalidArgument, kOp, name, " must be float, double or float16, got ", dtype_name(t.dtype()));
  }
  return v;
}

// sqrt(2) * erfinv(2p - 1): Giles' single-precision erfinv refined by two Newton steps on erf.
double probit(double p) {
  const double y = 2 * p - 1;
  if (y <= -1) return -std::numeric_limits<double>::infinity();
  if (y >= 1) return std::numeric_limits<double>::infinity();
  double w = -std::log((1 - y) * (1 + y)), q;
  if (w < 5) {
    w -= 2.5;
    q = 2.81022636e-08;
    for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503, -0.00417768164,
                     0.246640727, 1.50140941})
      q = c + q * w;
  } else {
    w = std::sqrt(w) - 3;
    q = -0.000200214257;
    for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
                     1.00167406, 2.83297682})
      q = c + q * w;
  }
  double x = q * y;
  for (int k = 0; k < 2; ++k) x -= (std::erf(x) - y) / (1.1283791670955126 * std::exp(-x * x));
  return 1.4142135623730951 * x;
}

void post_transform(Post post, double* v, int64_t n) {
  switch (post) {
    case Post::kNone: return;
    case Post::kLogistic:
      for (int64_t i = 0; i < n; ++i) v[i] = 1.0 / (1.0 + std::exp(-v[i]));
      return;
    case Post::kProbit:
      for (int64_t i = 0; i < n; ++i) v[i] = probit(v[i]);
      return;
    case Post::kSoftmax:
    case Post::kSoftmaxZero: {
      // SOFTMAX_ZERO leaves exact zeros at zero and normalises the others among themselves.
      const bool zero = post == Post::kSoftmaxZero;
      double m = -std::numeric_limits<double>::infinity(), sum = 0;
      for (int64_t i = 0; i < n; ++i) m = std::max(m, v[i]);
      for (int64_t i = 0; i < n; ++i) {
        v[i] = zero && v[i] == 0 ? 0 : std::exp(v[i] - m);
        sum += v[i];
      }
      for (int64_t i = 0; i < n; ++i) v[i] = sum > 0 ? v[i] / sum : 0;
      return;
    }
  }
}

class TreeEnsemble final : public OpKernel {
 public:
  explicit TreeEnsemble(TreeModel m) : m_(std::move(m)) {}

  void infer(InferContext& ctx) const override {
    text::check_dtype(ctx, 0, {DType::kFloat, DType::kDouble, DType::kFloat16}, "TreeEnsemble", "X");
    const TypeInfo& x = ctx.input_type(0);
    if (x.has_shape && x.rank() != 2)
      fail(ErrorCode::kInvalidArgument, kOp, "X must be 2-D [N, F], got rank ", x.rank());
    ctx.set_output(0, TypeInfo::of(x.dtype, {x.has_shape ? x.shape[0] : ctx.fresh_dim(), m_.n_targets}));
  }

  void run(RunContext& ctx) const override {
    const Tensor& x_in = *ctx.input(0);
    text::check_dtype(x_in, {DType::kFloat, DType::kDouble, DType::kFloat16}, "TreeEnsemble", "X");
    if (x_in.rank() != 2) fail(ErrorCode::kInvalidArgument, kOp, "X must be 2-D [N, F], got rank ", x_in.rank());
    const int64_t rows = x_in.dim(0), features = x_in.dim(1);
    for (const TreeNode& nd : m_.nodes)
      if (nd.feature >= features)
        fail(ErrorCode::kInvalidArgument, kOp, "a node reads feature ", nd.feature, " but X has ", features);
    const Tensor x = x_in.dtype() == DType::kFloat16 ? half_to_float(x_in) : x_in;
    Tensor& y = ctx.output(0, {rows, m_.n_targets});
    Tensor yf = y.dtype() == DType::kFloat16 ? Tensor(DType::kFloat, y.shape()) : y;
    const double cost = 20.0 * static_cast<double>(m_.roots.size()) + 5.0 * static_cast<double>(m_.n_targets);
    ctx.par().for_range(rows, cost, [&](int64_t b, int64_t e) {
      std::vector<double> feat(static_cast<size_t>(features)), score(static_cast<size_t>(m_.n_targets));
      std::vector<uint8_t> hit(static_cast<size_t>(m_.n_targets));
      for (int64_t r = b; r < e; ++r) {
        for (int64_t f = 0; f < features; ++f)
          feat[f] = x.dtype() == DType::kDouble ? x.data_as<double>()[r * features + f]
                                                : x.data_as<float>()[r * features + f];
        predict(feat.data(), score.data(), hit.data());
        for (int64_t t = 0; t < m_.n_targets; ++t) {
          if (yf.dtype() == DType::kDouble) {
            yf.data_as<double>()[r * m_.n_targets + t] = score[t];
          } else {
            yf.data_as<float>()[r * m_.n_targets + t] = static_cast<float>(score[t]);
          }
        }
      }
    });
    if (y.dtype() == DType::kFloat16) float_to_half(yf.data_as<float>(), y);
  }

  std::string kernel_name() const override { return "tree_ensemble_ref"; }

 private:
  bool goes_true(const TreeNode& nd, double v) const {
    if (std::isnan(v) && nd.missing_true) return true;
    switch (nd.mode) {
      case kLeq: return v <= nd.split;
      case kLt: return v < nd.split;
      case kGte: return v >= nd.split;
      case kGt: return v > nd.split;
      case kEq: return v == nd.split;
      case kNeq: return v != nd.split;
      default:  // binary_search would call NaN equal to everything
        return !std::isnan(v) &&
               std::binary_search(m_.members.begin() + nd.set_begin, m_.members.begin() + nd.set_end, v);
    }
  }

  void predict(const double* feat, double* score, uint8_t* hit) const {
    std::fill(score, score + m_.n_targets, 0.0);
    std::fill(hit, hit + m_.n_targets, 0);
    for (int64_t root : m_.roots) {
      int64_t id = root;
      int64_t leaf;
      while (true) {
        const TreeNode& nd = m_.nodes[id];
        const bool t = goes_true(nd, feat[nd.feature]);
        if (t ? nd.true_leaf : nd.false_leaf) {
          leaf = t ? nd.true_id : nd.false_id;
          break;
        }
        id = t ? nd.true_id : nd.false_id;
      }
      const int64_t target = m_.leaf_targets[leaf];
      const double w = m_.leaf_weights[leaf];
      double& s = score[target];
      switch (m_.aggregate) {
        case Aggregate::kSum:
        case Aggregate::kAverage: s += w; break;
        case Aggregate::kMin: s = hit[target] ? std::min(s, w) : w; break;
        case Aggregate::kMax: s = hit[target] ? std::max(s, w) : w; break;
      }
      hit[target] = 1;
    }
    if (m_.aggregate == Aggregate::kAverage && !m_.roots.empty())
      for (int64_t t = 0; t < m_.n_targets; ++t) score[t] /= static_cast<double>(m_.roots.size());
    post_transform(m_.post, score, m_.n_targets);
  }

  TreeModel m_;
};

// Every node reachable from a root is visited once per path; a node met again while still on
// the current path is a cycle.
void check_acyclic(const TreeModel& m) {
  std::vector<uint8_t> state(m.nodes.size(), 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::pair<int64_t, int>> stack;     // node, next branch to visit (0 true, 1 false, 2 done)
  for (int64_t root : m.roots) {
    if (state[root]) continue;
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [id, branch] = stack.back();
      if (branch == 2) {
        state[id] = 2;
        stack.pop_back();
        continue;
      }
      const TreeNode& nd = m.nodes[id];
      const bool leaf = branch == 0 ? nd.true_leaf : nd.false_leaf;
      const int64_t next = branch == 0 ? nd.true_id : nd.false_id;
      ++branch;
      if (leaf || state[next] == 2) continue;
      if (state[next] == 1) fail(ErrorCode::kInvalidArgument, kOp, "the trees contain a cycle through node ", next);
      state[next] = 1;
      stack.push_back({next, 0});
    }
  }
}

}  // namespace

std::unique_ptr<OpKernel> build_tree_ensemble(const BuildContext& ctx) {
  const graph::Node& n = ctx.node;
  for (const char* req : {"nodes_splits", "nodes_featureids", "nodes_modes", "nodes_truenodeids", "nodes_falsenodeids",
                          "nodes_trueleafs", "nodes_falseleafs", "leaf_targetids", "leaf_weights", "tree_roots"}) {
    if (!n.has(req)) fail(ErrorCode::kInvalidArgument, kOp, "the '", req, "' attribute is required");
  }
  TreeModel m;
  const std::vector<double> splits = doubles_of(*n.get_tensor("nodes_splits"), "nodes_splits");
  const std::vector<int64_t> features = n.get_ints("nodes_featureids");
  const std::vector<int64_t> modes = read_ints(*n.get_tensor("nodes_modes"));
  const std::vector<int64_t> true_ids = n.get_ints("nodes_truenodeids"), false_ids = n.get_ints("nodes_falsenodeids");
  const std::vector<int64_t> true_leaf = n.get_ints("nodes_trueleafs"), false_leaf = n.get_ints("nodes_falseleafs");
  const std::vector<int64_t> missing = n.get_ints("nodes_missing_value_tracks_true");
  const size_t count = features.size();
  for (size_t s : {splits.size(), modes.size(), true_ids.size(), false_ids.size(), true_leaf.size(), false_leaf.size(),
                   missing.empty() ? count : missing.size()}) {
    if (s != count) fail(ErrorCode::kInvalidArgument, kOp, "the nodes_* attributes differ in length");
  }
  if (count == 0) fail(ErrorCode::kInvalidArgument, kOp, "the ensemble has no nodes");
  m.leaf_weights = doubles_of(*n.get_tensor("leaf_weights"), "leaf_weights");
  m.leaf_targets = n.get_ints("leaf_targetids");
  if (m.leaf_weights.size() != m.leaf_targets.size() || m.leaf_targets.empty())
    fail(ErrorCode::kInvalidArgument, kOp, "leaf_weights and leaf_targetids must be non-empty and of equal length");
  int64_t max_target = 0;
  for (int64_t t : m.leaf_targets) {
    if (t < 0) fail(ErrorCode::kInvalidArgument, kOp, "leaf_targetids must be >= 0, got ", t);
    max_target = std::max(max_target, t);
  }
  m.n_targets = n.get_int("n_targets", max_target + 1);
  if (m.n_targets <= max_target)
    fail(ErrorCode::kInvalidArgument, kOp, "leaf target ", max_target,
         " is out of range for n_targets = ", m.n_targets);

  std::vector<double> members;
  if (const Tensor* mv = n.get_tensor("membership_values")) members = doubles_of(*mv, "membership_values");
  size_t next_member = 0;
  const auto num_nodes = static_cast<int64_t>(count), num_leaves = static_cast<int64_t>(m.leaf_targets.size());
  for (size_t i = 0; i < count; ++i) {
    TreeNode nd;
    if (modes[i] < kLeq || modes[i] > kMember)
      fail(ErrorCode::kInvalidArgument, kOp, "nodes_modes[", i, "] = ", modes[i], " is not a mode (0..6)");
    nd.mode = static_cast<uint8_t>(modes[i]);
    nd.split = splits[i];
    nd.feature = features[i];
    if (nd.feature < 0) fail(ErrorCode::kInvalidArgument, kOp, "nodes_featureids[", i, "] is negative");
    nd.missing_true = !missing.empty() && missing[i] != 0;
    nd.true_leaf = true_leaf[i] != 0, nd.false_leaf = false_leaf[i] != 0;
    nd.true_id = true_ids[i], nd.false_id = false_ids[i];
    for (auto [leaf, id] : {std::pair{nd.true_leaf, nd.true_id}, std::pair{nd.false_leaf, nd.false_id}}) {
      if (id < 0 || id >= (leaf ? num_leaves : num_nodes))
        fail(ErrorCode::kInvalidArgument, kOp, "node ", i, " points to ", leaf ? "leaf " : "node ", id,
             ", which does not exist");
    }
    if (nd.mode == kMember) {  // the next NaN-terminated run of membership_values
      nd.set_begin = static_cast<int64_t>(m.members.size());
      while (next_member < members.size() && !std::isnan(members[next_member]))
        m.members.push_back(members[next_member++]);
      if (next_member >= members.size())
        fail(ErrorCode::kInvalidArgument, kOp, "membership_values needs one NaN-terminated set per BRANCH_MEMBER node");
      ++next_member;
      nd.set_end = static_cast<int64_t>(m.members.size());
      std::sort(m.members.begin() + nd.set_begin, m.members.end());
    }
    m.nodes.push_back(nd);
  }
  if (next_member != members.size())
    fail(ErrorCode::kInvalidArgument, kOp, "membership_values holds more sets than there are BRANCH_MEMBER nodes");
  m.roots = n.get_ints("tree_roots");
  for (int64_t r : m.roots)
    if (r < 0 || r >= num_nodes) fail(ErrorCode::kInvalidArgument, kOp, "tree root ", r, " does not exist");
  check_acyclic(m);

  const int64_t agg = n.get_int("aggregate_function", 1), post = n.get_int("post_transform", 0);
  if (agg < 0 || agg > 3) fail(ErrorCode::kInvalidArgument, kOp, "aggregate_function must be 0..3, got ", agg);
  if (post < 0 || post > 4) fail(ErrorCode::kInvalidArgument, kOp, "post_transform must be 0..4, got ", post);
  m.aggregate = static_cast<Aggregate>(agg);
  m.post = static_cast<Post>(post);
  return std::make_unique<TreeEnsemble>(std::move(m));
}

}  // namespace ortl::opset
