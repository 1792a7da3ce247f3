#include "collector/span_batch.h"

#include <algorithm>

#include "collector/attribute_value.h"
#include "collector/extract_util.h"
#include "collector/jaeger_names.h"

namespace blogtrace::collector {
namespace {

using extract::AppendTag;

void AppendAttributes(std::string& out, std::size_t text_start,
                      const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& attrs) {
  for (const auto& kv : attrs) {
    // Strings (most attributes) are appended in place; other values need rendering.
    if (kv.value().value_case() == otlp_common::AnyValue::kStringValue) {
      AppendTag(out, text_start, kv.key(), kv.value().string_value());
    } else {
      AppendTag(out, text_start, kv.key(), AnyValueToString(kv.value()));
    }
  }
}

bool AllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

ByteRange Append(std::string& buffer, std::string_view data) {
  ByteRange r{static_cast<std::uint32_t>(buffer.size()), static_cast<std::uint32_t>(data.size())};
  buffer.append(data);
  return r;
}

}  // namespace

namespace extract {

const char* InvalidIds(std::string_view trace_id, std::string_view span_id,
                       std::string_view parent_span_id) {
  if (trace_id.size() != 16 || AllZero(trace_id)) {
    return "invalid trace id (must be 16 bytes, not all zero)";
  }
  if (span_id.size() != 8 || AllZero(span_id)) {
    return "invalid span id (must be 8 bytes, not all zero)";
  }
  if (!parent_span_id.empty() && parent_span_id.size() != 8) {
    return "invalid parent span id (must be empty or 8 bytes)";
  }
  return nullptr;
}

std::string RejectedMessage(std::int64_t rejected, std::string_view first_reason) {
  return std::to_string(rejected) + " span(s) rejected: " + std::string(first_reason);
}

}  // namespace extract

std::string TagPattern(std::string_view key, std::string_view value) {
  std::string out;
  AppendTag(out, 0, key, value);
  return out;
}

ExtractResult ExtractSpans(const otlp_collector::ExportTraceServiceRequest& request) {
  ExtractResult result;
  SpanBatch& batch = result.batch;
  std::size_t total = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) total += ss.spans_size();
  }
  batch.spans.reserve(total);
  for (const auto& rs : request.resource_spans()) {
    std::string resource_bytes = rs.resource().SerializeAsString();
    std::string service = ServiceName(rs.resource().attributes());
    std::string resource_tags;
    AppendAttributes(resource_tags, 0, rs.resource().attributes());
    for (const auto& ss : rs.scope_spans()) {
      if (ss.spans_size() == 0) continue;
      Origin origin;
      origin.resource = resource_bytes;
      origin.scope = ss.scope().SerializeAsString();
      origin.service = service;
      origin.tags = resource_tags;
      if (!ss.scope().name().empty()) AppendTag(origin.tags, 0, kScopeNameTag, ss.scope().name());
      if (!ss.scope().version().empty()) {
        AppendTag(origin.tags, 0, kScopeVersionTag, ss.scope().version());
      }
      auto origin_index = static_cast<std::uint32_t>(batch.origins.size());
      bool used = false;
      for (const auto& span : ss.spans()) {
        if (const char* reason =
                extract::InvalidIds(span.trace_id(), span.span_id(), span.parent_span_id())) {
          if (result.rejected++ == 0) result.error_message = reason;
          continue;
        }
        used = true;
        SpanRecord& rec = batch.spans.emplace_back();
        std::copy_n(span.trace_id().data(), 16, rec.trace_id.data());
        std::copy_n(span.span_id().data(), 8, rec.span_id.data());
        if (!span.parent_span_id().empty()) {
          std::copy_n(span.parent_span_id().data(), 8, rec.parent_id.data());
        }
        rec.name = Append(batch.bytes, span.name());
        rec.span = Append(batch.bytes, span.SerializeAsString());
        rec.kind = static_cast<std::uint8_t>(span.kind());
        rec.start_ns = span.start_time_unix_nano();
        rec.duration_ns = span.end_time_unix_nano() > span.start_time_unix_nano()
                              ? span.end_time_unix_nano() - span.start_time_unix_nano()
                              : 0;
        rec.has_error =
            span.status().code() == opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR;
        rec.origin = origin_index;
        std::string& text = batch.tags;
        const std::size_t text_start = text.size();
        AppendAttributes(text, text_start, span.attributes());
        if (auto kind = SpanKindName(span.kind()); !kind.empty()) {
          AppendTag(text, text_start, kSpanKindTag, kind);
        }
        if (auto code = StatusCodeName(span.status().code()); !code.empty()) {
          AppendTag(text, text_start, kStatusCodeTag, code);
          if (rec.has_error) {
            AppendTag(text, text_start, kErrorTag, "true");
            if (!span.status().message().empty()) {
              AppendTag(text, text_start, kStatusDescriptionTag, span.status().message());
            }
          }
        }
        for (const auto& event : span.events()) {
          AppendTag(text, text_start, kEventField, event.name());
          AppendAttributes(text, text_start, event.attributes());
        }
        rec.tags = {static_cast<std::uint32_t>(text_start),
                    static_cast<std::uint32_t>(text.size() - text_start)};
      }
      if (used) batch.origins.push_back(std::move(origin));
    }
  }
  if (result.rejected > 0) {
    result.error_message = extract::RejectedMessage(result.rejected, result.error_message);
  }
  return result;
}

}  // namespace blogtrace::collector
