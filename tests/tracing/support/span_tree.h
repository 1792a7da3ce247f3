// A compact way to say which span tree a request must produce, and to compare it with the
// spans a sink received: ExpectedSpan nodes {service, name, kind, children} are matched against
// received spans through their parent links, children in any order, nothing missing and nothing
// extra. On a mismatch the message shows the expected and the received tree as indented text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "received_span.h"

namespace blogtrace::tracing_test {

using Kind = opentelemetry::proto::trace::v1::Span::SpanKind;
inline constexpr Kind kServer = opentelemetry::proto::trace::v1::Span::SPAN_KIND_SERVER;
inline constexpr Kind kClient = opentelemetry::proto::trace::v1::Span::SPAN_KIND_CLIENT;
inline constexpr Kind kInternal = opentelemetry::proto::trace::v1::Span::SPAN_KIND_INTERNAL;

// One expected span and the spans expected directly under it.
struct ExpectedSpan {
  // The resource's service.name.
  std::string service;
  // The span name, exactly.
  std::string name;
  Kind kind = kInternal;
  // Direct children, in any order.
  std::vector<ExpectedSpan> children;
  // When true this node stands for one or more identical siblings (e.g. repeated queries).
  bool repeated = false;
};

// The outcome of a comparison.
struct TreeMatch {
  bool ok = false;
  // Empty when ok; else what differs, then both trees.
  std::string message;
};

// Compares the spans of ONE trace with `expected`: there must be exactly one root (a span whose
// parent is not among `spans`), it must match `expected`, and every span must be part of the
// match. When `root_parent_span_id` is non-empty the root's parent id must equal it (a trace
// joined from a caller's traceparent); otherwise the root must have no parent.
TreeMatch MatchTree(const ExpectedSpan& expected, const std::vector<ReceivedSpan>& spans,
                    std::string_view root_parent_span_id = {});

// The expected tree as indented text, one span per line.
std::string FormatExpected(const ExpectedSpan& expected);
// The received spans as indented trees (one per root), one span per line with service, kind,
// name, status, ids and attributes; spans whose parent was not received are marked.
std::string FormatReceived(const std::vector<ReceivedSpan>& spans);

// The one span with this service and name (nullptr when none; the first when several).
const ReceivedSpan* FindSpan(const std::vector<ReceivedSpan>& spans, std::string_view service,
                             std::string_view name);
// Every span with this service and name.
std::vector<const ReceivedSpan*> FindSpans(const std::vector<ReceivedSpan>& spans,
                                           std::string_view service, std::string_view name);

}  // namespace blogtrace::tracing_test
