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
  for (const auto& kv : attrs) {
    // Strings (most attributes) are appended in place; other values need rendering.
    if (kv.value().value_case() == otlp_common::AnyValue::kStringValue) {
      AppendTag(out, kv.key(), kv.value().string_value());
    } else {
      AppendTag(out, kv.key(), AnyValueToString(kv.value()));
    }
  }
}

// Reads a varint at `p`; false at the end of the data or on an overlong varint.
bool ReadVarint(const char*& p, const char* end, std::uint64_t& out) {
  out = 0;
  for (int shift = 0; shift < 64 && p < end; shift += 7) {
    auto byte = static_cast<unsigned char>(*p++);
    out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

// Calls `f(field, bytes)` for every length-delimited field of the message in `data`, in wire
// order; other wire types are skipped. False when the data is not a well-formed message.
template <typename F>
bool ForEachLengthDelimited(std::string_view data, F&& f) {
  const char* p = data.data();
  const char* end = p + data.size();
  while (p < end) {
    std::uint64_t tag, v;
    if (!ReadVarint(p, end, tag)) return false;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(p, end, v)) return false;
        break;
      case 1:
        if (end - p < 8) return false;
        p += 8;
        break;
      case 5:
        if (end - p < 4) return false;
        p += 4;
        break;
      case 2:
        if (!ReadVarint(p, end, v) || v > static_cast<std::uint64_t>(end - p)) return false;
        if (!f(tag >> 3, std::string_view(p, v))) return false;
        p += v;
        break;
      default:  // groups: not used by OTLP
        return false;
    }
  }
  return true;
}

// The serialized spans of an ExportTraceServiceRequest in the order the parsed message holds
// them (resource_spans = 1 > scope_spans = 2 > spans = 2; repeated message fields keep wire
// order). Empty when the body cannot be walked.
std::vector<std::string_view> SpanSlices(std::string_view body) {
  std::vector<std::string_view> out;
  bool ok = ForEachLengthDelimited(body, [&](std::uint64_t f1, std::string_view rs) {
    if (f1 != 1) return true;
    return ForEachLengthDelimited(rs, [&](std::uint64_t f2, std::string_view ss) {
      if (f2 != 2) return true;
      return ForEachLengthDelimited(ss, [&](std::uint64_t f3, std::string_view span) {
        if (f3 == 2) out.push_back(span);
        return true;
      });
    });
  });
  if (!ok) out.clear();
  return out;
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

ExtractResult ExtractSpans(const otlp_collector::ExportTraceServiceRequest& request,
                           std::string_view wire) {
  ExtractResult result;
  std::size_t total = 0;
  for (const auto& rs : request.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) total += ss.spans_size();
  }
  result.batch.spans.reserve(total);
  // The spans' own bytes from the request, when given and consistent with the parsed message,
  // so they need not be serialized again.
  std::vector<std::string_view> slices;
  if (!wire.empty()) slices = SpanSlices(wire);
  if (slices.size() != total) slices.clear();
  std::size_t span_index = 0;
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
        std::size_t this_index = span_index++;
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
        rec.tags.reserve(256);
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
        if (slices.empty()) {
          span.SerializeToString(&rec.span);
        } else {
          rec.span.assign(slices[this_index]);
        }
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
