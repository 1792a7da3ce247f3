#include "collector/span_batch.h"

#include <algorithm>

#include "collector/attribute_value.h"
#include "collector/jaeger_names.h"

namespace blogtrace::collector {
namespace {

bool AllZero(const std::string& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

void AppendTag(std::string& out, std::string_view key, std::string_view value) {
  if (out.empty()) out += '\x1f';
  out.append(key);
  out += '\x1e';
  out.append(value);
  out += '\x1f';
}

void AppendAttributes(std::string& out,
                      const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& attrs) {
  for (const auto& kv : attrs) AppendTag(out, kv.key(), AnyValueToString(kv.value()));
}

// The reason a span is rejected, or nullptr when it is valid.
const char* Invalid(const opentelemetry::proto::trace::v1::Span& span) {
  if (span.trace_id().size() != 16 || AllZero(span.trace_id())) {
    return "invalid trace id (must be 16 bytes, not all zero)";
  }
  if (span.span_id().size() != 8 || AllZero(span.span_id())) {
    return "invalid span id (must be 8 bytes, not all zero)";
  }
  if (!span.parent_span_id().empty() && span.parent_span_id().size() != 8) {
    return "invalid parent span id (must be empty or 8 bytes)";
  }
  return nullptr;
}

}  // namespace

std::string TagPattern(std::string_view key, std::string_view value) {
  std::string out;
  AppendTag(out, key, value);
  return out;
}

ExtractResult ExtractSpans(const otlp_collector::ExportTraceServiceRequest& request) {
  ExtractResult result;
  std::size_t total = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) total += ss.spans_size();
  }
  result.batch.spans.reserve(total);
  for (const auto& rs : request.resource_spans()) {
    std::string resource_bytes = rs.resource().SerializeAsString();
    std::string service = ServiceName(rs.resource().attributes());
    std::string resource_tags;
    AppendAttributes(resource_tags, rs.resource().attributes());
    for (const auto& ss : rs.scope_spans()) {
      if (ss.spans_size() == 0) continue;
      Origin origin;
      origin.resource = resource_bytes;
      origin.scope = ss.scope().SerializeAsString();
      origin.service = service;
      origin.tags = resource_tags;
      if (!ss.scope().name().empty()) AppendTag(origin.tags, kScopeNameTag, ss.scope().name());
      if (!ss.scope().version().empty()) {
        AppendTag(origin.tags, kScopeVersionTag, ss.scope().version());
      }
      std::size_t origin_index = result.batch.origins.size();
      bool used = false;
      for (const auto& span : ss.spans()) {
        if (const char* reason = Invalid(span)) {
          if (result.rejected++ == 0) result.error_message = reason;
          continue;
        }
        used = true;
        SpanRecord& rec = result.batch.spans.emplace_back();
        rec.trace_id = span.trace_id();
        rec.span_id = span.span_id();
        if (!AllZero(span.parent_span_id())) rec.parent_id = span.parent_span_id();
        rec.name = span.name();
        rec.kind = span.kind();
        rec.start_ns = span.start_time_unix_nano();
        rec.duration_ns = span.end_time_unix_nano() > span.start_time_unix_nano()
                              ? span.end_time_unix_nano() - span.start_time_unix_nano()
                              : 0;
        rec.has_error =
            span.status().code() == opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR;
        rec.origin = origin_index;
        AppendAttributes(rec.tags, span.attributes());
        if (auto kind = SpanKindName(span.kind()); !kind.empty()) {
          AppendTag(rec.tags, kSpanKindTag, kind);
        }
        if (auto code = StatusCodeName(span.status().code()); !code.empty()) {
          AppendTag(rec.tags, kStatusCodeTag, code);
          if (rec.has_error) {
            AppendTag(rec.tags, kErrorTag, "true");
            if (!span.status().message().empty()) {
              AppendTag(rec.tags, kStatusDescriptionTag, span.status().message());
            }
          }
        }
        for (const auto& event : span.events()) {
          AppendTag(rec.tags, kEventField, event.name());
          AppendAttributes(rec.tags, event.attributes());
        }
        span.SerializeToString(&rec.span);
      }
      if (used) result.batch.origins.push_back(std::move(origin));
    }
  }
  if (result.rejected > 0) {
    result.error_message =
        std::to_string(result.rejected) + " span(s) rejected: " + result.error_message;
  }
  return result;
}

}  // namespace blogtrace::collector
