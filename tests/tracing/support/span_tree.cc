#include "span_tree.h"

#include <functional>
#include <map>
#include <set>

namespace blogtrace::tracing_test {
namespace {

// Received spans indexed by parent for the walk.
class TraceIndex {
 public:
  explicit TraceIndex(const std::vector<ReceivedSpan>& spans) : spans_(spans) {
    std::set<std::string> ids;
    for (const ReceivedSpan& span : spans) ids.insert(span.span_id);
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (ids.count(spans[i].parent_span_id) != 0) {
        children_[spans[i].parent_span_id].push_back(i);
      } else {
        roots_.push_back(i);
      }
    }
  }
  const std::vector<std::size_t>& roots() const { return roots_; }
  const std::vector<std::size_t>& ChildrenOf(std::size_t i) const {
    static const std::vector<std::size_t> kNone;
    auto it = children_.find(spans_[i].span_id);
    return it == children_.end() ? kNone : it->second;
  }
  const ReceivedSpan& at(std::size_t i) const { return spans_[i]; }

 private:
  const std::vector<ReceivedSpan>& spans_;
  std::vector<std::size_t> roots_;
  std::map<std::string, std::vector<std::size_t>> children_;
};

bool MatchNode(const ExpectedSpan& expected, const TraceIndex& index, std::size_t at);

// Assigns every received child to one expected child: non-repeated expected children exactly
// once, repeated ones at least once. Backtracking; trees here are small.
bool MatchChildren(const std::vector<ExpectedSpan>& expected, const TraceIndex& index,
                   const std::vector<std::size_t>& received) {
  // Every expected child needs at least one received span.
  if (received.size() < expected.size()) return false;
  bool any_repeated = false;
  for (const ExpectedSpan& e : expected) any_repeated = any_repeated || e.repeated;
  if (!any_repeated && received.size() != expected.size()) return false;

  std::vector<std::vector<bool>> fits(received.size(), std::vector<bool>(expected.size()));
  for (std::size_t r = 0; r < received.size(); ++r) {
    for (std::size_t e = 0; e < expected.size(); ++e) {
      fits[r][e] = MatchNode(expected[e], index, received[r]);
    }
  }
  std::vector<int> uses(expected.size(), 0);
  std::function<bool(std::size_t)> assign = [&](std::size_t r) -> bool {
    if (r == received.size()) {
      for (int n : uses) {
        if (n == 0) return false;
      }
      return true;
    }
    for (std::size_t e = 0; e < expected.size(); ++e) {
      if (!fits[r][e] || (uses[e] > 0 && !expected[e].repeated)) continue;
      ++uses[e];
      if (assign(r + 1)) return true;
      --uses[e];
    }
    return false;
  };
  return assign(0);
}

bool MatchNode(const ExpectedSpan& expected, const TraceIndex& index, std::size_t at) {
  const ReceivedSpan& span = index.at(at);
  if (span.service != expected.service || span.name() != expected.name ||
      span.kind() != expected.kind) {
    return false;
  }
  return MatchChildren(expected.children, index, index.ChildrenOf(at));
}

std::size_t CountExpected(const ExpectedSpan& expected) {
  std::size_t n = 1;
  for (const ExpectedSpan& child : expected.children) n += CountExpected(child);
  return n;
}

void FormatExpectedInto(const ExpectedSpan& expected, int depth, std::string& out) {
  out += std::string(depth * 2 + 2, ' ') + expected.service + " " +
         std::string(KindName(expected.kind)) + " \"" + expected.name + "\"" +
         (expected.repeated ? " (one or more)" : "") + "\n";
  for (const ExpectedSpan& child : expected.children) FormatExpectedInto(child, depth + 1, out);
}

std::string DescribeSpan(const ReceivedSpan& span) {
  std::string text = span.service + " " + std::string(KindName(span.kind())) + " \"" + span.name() +
                     "\" status=" + std::string(StatusName(span.status_code()));
  if (!span.proto.status().message().empty()) text += "(" + span.proto.status().message() + ")";
  text += " span=" + span.span_id;
  std::string attributes;
  for (const auto& kv : span.proto.attributes()) {
    if (!attributes.empty()) attributes += ", ";
    attributes += kv.key() + "=" + ValueToString(kv.value());
  }
  if (!attributes.empty()) text += " {" + attributes + "}";
  for (const auto& event : span.proto.events()) {
    text += " event:" + event.name();
    for (const auto& kv : event.attributes()) {
      text += " " + kv.key() + "=" + ValueToString(kv.value());
    }
  }
  return text;
}

void FormatReceivedInto(const TraceIndex& index, std::size_t at, int depth, std::string& out) {
  out += std::string(depth * 2 + 2, ' ') + DescribeSpan(index.at(at)) + "\n";
  for (std::size_t child : index.ChildrenOf(at)) FormatReceivedInto(index, child, depth + 1, out);
}

}  // namespace

std::string FormatExpected(const ExpectedSpan& expected) {
  std::string out;
  FormatExpectedInto(expected, 0, out);
  return out;
}

std::string FormatReceived(const std::vector<ReceivedSpan>& spans) {
  if (spans.empty()) return "  (no spans)\n";
  TraceIndex index(spans);
  std::string out;
  for (std::size_t root : index.roots()) {
    const ReceivedSpan& span = index.at(root);
    if (!span.parent_span_id.empty()) {
      out += "  (parent " + span.parent_span_id + " not received; trace " + span.trace_id + ")\n";
    } else {
      out += "  (root; trace " + span.trace_id + ")\n";
    }
    FormatReceivedInto(index, root, 0, out);
  }
  return out;
}

TreeMatch MatchTree(const ExpectedSpan& expected, const std::vector<ReceivedSpan>& spans,
                    std::string_view root_parent_span_id) {
  TraceIndex index(spans);
  std::string problem;
  if (index.roots().size() != 1) {
    problem = "expected one root span, received " + std::to_string(index.roots().size());
  } else if (index.at(index.roots()[0]).parent_span_id != root_parent_span_id) {
    problem = "the root's parent is \"" + index.at(index.roots()[0]).parent_span_id +
              "\", expected \"" + std::string(root_parent_span_id) + "\"";
  } else if (!MatchNode(expected, index, index.roots()[0])) {
    problem = "the received tree differs from the expected one";
  } else {
    bool has_repeated = false;
    std::function<void(const ExpectedSpan&)> scan = [&](const ExpectedSpan& e) {
      has_repeated = has_repeated || e.repeated;
      for (const ExpectedSpan& c : e.children) scan(c);
    };
    scan(expected);
    // Exact children at every level and a single root already imply nothing extra; the count
    // is a cheap cross-check when no node may repeat.
    if (!has_repeated && spans.size() != CountExpected(expected)) {
      problem = "expected " + std::to_string(CountExpected(expected)) + " spans, received " +
                std::to_string(spans.size());
    }
  }
  if (problem.empty()) return {true, ""};
  return {false, problem + "\nexpected:\n" + FormatExpected(expected) + "received:\n" +
                     FormatReceived(spans)};
}

const ReceivedSpan* FindSpan(const std::vector<ReceivedSpan>& spans, std::string_view service,
                             std::string_view name) {
  for (const ReceivedSpan& span : spans) {
    if (span.service == service && span.name() == name) return &span;
  }
  return nullptr;
}

std::vector<const ReceivedSpan*> FindSpans(const std::vector<ReceivedSpan>& spans,
                                           std::string_view service, std::string_view name) {
  std::vector<const ReceivedSpan*> out;
  for (const ReceivedSpan& span : spans) {
    if (span.service == service && span.name() == name) out.push_back(&span);
  }
  return out;
}

}  // namespace blogtrace::tracing_test
