#include "collector/trace_mapping.h"

#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "collector/attribute_value.h"
#include "collector/hex.h"
#include "collector/jaeger_names.h"

namespace blogtrace::collector {
namespace {

using nlohmann::json;
namespace trace_pb = opentelemetry::proto::trace::v1;

std::int64_t Micros(std::uint64_t ns) { return static_cast<std::int64_t>(ns / 1000); }

json StringTag(std::string_view key, std::string_view value) {
  return {{"key", key}, {"type", "string"}, {"value", value}};
}

json OtlpValue(const otlp_common::AnyValue& value);

json OtlpAttributes(const google::protobuf::RepeatedPtrField<otlp_common::KeyValue>& attrs) {
  json out = json::array();
  for (const auto& kv : attrs) out.push_back({{"key", kv.key()}, {"value", OtlpValue(kv.value())}});
  return out;
}

json OtlpValue(const otlp_common::AnyValue& value) {
  using V = otlp_common::AnyValue;
  switch (value.value_case()) {
    case V::kStringValue:
      return {{"stringValue", value.string_value()}};
    case V::kBoolValue:
      return {{"boolValue", value.bool_value()}};
    case V::kIntValue:
      return {{"intValue", std::to_string(value.int_value())}};
    case V::kDoubleValue:
      if (!std::isfinite(value.double_value())) {
        return {{"doubleValue", AnyValueToString(value)}};
      }
      return {{"doubleValue", value.double_value()}};
    case V::kBytesValue:
      return {{"bytesValue", Base64Encode(value.bytes_value())}};
    case V::kArrayValue: {
      json values = json::array();
      for (const auto& v : value.array_value().values()) values.push_back(OtlpValue(v));
      return {{"arrayValue", {{"values", values}}}};
    }
    case V::kKvlistValue:
      return {{"kvlistValue", {{"values", OtlpAttributes(value.kvlist_value().values())}}}};
    default:
      return json::object();
  }
}

json OtlpSpan(const trace_pb::Span& s) {
  json span = {{"traceId", ToHex(s.trace_id())},
               {"spanId", ToHex(s.span_id())},
               {"name", s.name()},
               {"kind", static_cast<int>(s.kind())},
               {"startTimeUnixNano", std::to_string(s.start_time_unix_nano())},
               {"endTimeUnixNano", std::to_string(s.end_time_unix_nano())},
               {"attributes", OtlpAttributes(s.attributes())}};
  if (!s.parent_span_id().empty()) span["parentSpanId"] = ToHex(s.parent_span_id());
  if (!s.trace_state().empty()) span["traceState"] = s.trace_state();
  if (s.flags() != 0) span["flags"] = s.flags();
  if (s.dropped_attributes_count()) span["droppedAttributesCount"] = s.dropped_attributes_count();
  json events = json::array();
  for (const auto& e : s.events()) {
    json event = {{"timeUnixNano", std::to_string(e.time_unix_nano())},
                  {"name", e.name()},
                  {"attributes", OtlpAttributes(e.attributes())}};
    if (e.dropped_attributes_count()) {
      event["droppedAttributesCount"] = e.dropped_attributes_count();
    }
    events.push_back(std::move(event));
  }
  span["events"] = std::move(events);
  if (s.dropped_events_count()) span["droppedEventsCount"] = s.dropped_events_count();
  json links = json::array();
  for (const auto& l : s.links()) {
    json link = {{"traceId", ToHex(l.trace_id())},
                 {"spanId", ToHex(l.span_id())},
                 {"attributes", OtlpAttributes(l.attributes())}};
    if (!l.trace_state().empty()) link["traceState"] = l.trace_state();
    if (l.flags() != 0) link["flags"] = l.flags();
    links.push_back(std::move(link));
  }
  span["links"] = std::move(links);
  if (s.dropped_links_count()) span["droppedLinksCount"] = s.dropped_links_count();
  json status = json::object();
  if (s.status().code() != 0) status["code"] = static_cast<int>(s.status().code());
  if (!s.status().message().empty()) status["message"] = s.status().message();
  span["status"] = std::move(status);
  return span;
}

}  // namespace

json ToJaegerTag(const otlp_common::KeyValue& attribute) {
  using V = otlp_common::AnyValue;
  const auto& v = attribute.value();
  switch (v.value_case()) {
    case V::kBoolValue:
      return {{"key", attribute.key()}, {"type", "bool"}, {"value", v.bool_value()}};
    case V::kIntValue:
      return {{"key", attribute.key()}, {"type", "int64"}, {"value", v.int_value()}};
    case V::kDoubleValue:
      if (std::isfinite(v.double_value())) {
        return {{"key", attribute.key()}, {"type", "float64"}, {"value", v.double_value()}};
      }
      break;
    case V::kBytesValue:
      return {
          {"key", attribute.key()}, {"type", "binary"}, {"value", Base64Encode(v.bytes_value())}};
    default:
      break;
  }
  return StringTag(attribute.key(), AnyValueToString(v));
}

json ToJaegerTrace(const std::vector<StoredSpan>& spans) {
  const std::string trace_id = ToHex(spans.front().span.trace_id());
  json processes = json::object();
  std::unordered_map<std::string_view, std::string> process_ids;  // resource bytes → pN
  json out_spans = json::array();
  for (const StoredSpan& stored : spans) {
    const trace_pb::Span& s = stored.span;
    const StoredOrigin& origin = *stored.origin;
    auto [it, inserted] = process_ids.try_emplace(origin.resource_bytes);
    if (inserted) {
      it->second = std::string("p").append(std::to_string(process_ids.size()));
      json tags = json::array();
      for (const auto& kv : origin.resource.attributes()) {
        if (kv.key() != "service.name") tags.push_back(ToJaegerTag(kv));
      }
      processes[it->second] = {{"serviceName", origin.service}, {"tags", std::move(tags)}};
    }
    json references = json::array();
    if (!s.parent_span_id().empty()) {
      references.push_back(
          {{"refType", "CHILD_OF"}, {"traceID", trace_id}, {"spanID", ToHex(s.parent_span_id())}});
    }
    for (const auto& link : s.links()) {
      references.push_back({{"refType", "FOLLOWS_FROM"},
                            {"traceID", ToHex(link.trace_id())},
                            {"spanID", ToHex(link.span_id())}});
    }
    json tags = json::array();
    for (const auto& kv : s.attributes()) tags.push_back(ToJaegerTag(kv));
    if (!origin.scope.name().empty()) tags.push_back(StringTag(kScopeNameTag, origin.scope.name()));
    if (!origin.scope.version().empty()) {
      tags.push_back(StringTag(kScopeVersionTag, origin.scope.version()));
    }
    if (auto kind = SpanKindName(s.kind()); !kind.empty()) {
      tags.push_back(StringTag(kSpanKindTag, kind));
    }
    if (auto code = StatusCodeName(s.status().code()); !code.empty()) {
      tags.push_back(StringTag(kStatusCodeTag, code));
      if (s.status().code() == trace_pb::Status::STATUS_CODE_ERROR) {
        if (!s.status().message().empty()) {
          tags.push_back(StringTag(kStatusDescriptionTag, s.status().message()));
        }
        tags.push_back({{"key", kErrorTag}, {"type", "bool"}, {"value", true}});
      }
    }
    json logs = json::array();
    for (const auto& event : s.events()) {
      json fields = json::array({StringTag(kEventField, event.name())});
      for (const auto& kv : event.attributes()) fields.push_back(ToJaegerTag(kv));
      logs.push_back(
          {{"timestamp", Micros(event.time_unix_nano())}, {"fields", std::move(fields)}});
    }
    std::uint64_t end = std::max(s.end_time_unix_nano(), s.start_time_unix_nano());
    out_spans.push_back({{"traceID", trace_id},
                         {"spanID", ToHex(s.span_id())},
                         {"operationName", s.name()},
                         {"references", std::move(references)},
                         {"startTime", Micros(s.start_time_unix_nano())},
                         {"duration", Micros(end) - Micros(s.start_time_unix_nano())},
                         {"tags", std::move(tags)},
                         {"logs", std::move(logs)},
                         {"processID", it->second},
                         {"flags", s.flags() & 0xff},
                         {"warnings", nullptr}});
  }
  return {{"traceID", trace_id},
          {"spans", std::move(out_spans)},
          {"processes", std::move(processes)},
          {"warnings", nullptr}};
}

json ToOtlpResourceSpans(const std::vector<StoredSpan>& spans) {
  // resource bytes → index in `out`; (resource index, origin id) → scope index.
  json out = json::array();
  std::unordered_map<std::string_view, std::size_t> resources;
  std::map<std::pair<std::size_t, std::int64_t>, std::size_t> scopes;
  for (const StoredSpan& stored : spans) {
    const StoredOrigin& origin = *stored.origin;
    auto [rit, new_resource] = resources.try_emplace(origin.resource_bytes, out.size());
    if (new_resource) {
      json resource = {{"attributes", OtlpAttributes(origin.resource.attributes())}};
      if (origin.resource.dropped_attributes_count()) {
        resource["droppedAttributesCount"] = origin.resource.dropped_attributes_count();
      }
      out.push_back({{"resource", std::move(resource)}, {"scopeSpans", json::array()}});
    }
    json& scope_spans = out[rit->second]["scopeSpans"];
    auto [sit, new_scope] = scopes.try_emplace({rit->second, origin.id}, scope_spans.size());
    if (new_scope) {
      json scope = {{"name", origin.scope.name()},
                    {"version", origin.scope.version()},
                    {"attributes", OtlpAttributes(origin.scope.attributes())}};
      scope_spans.push_back({{"scope", std::move(scope)}, {"spans", json::array()}});
    }
    scope_spans[sit->second]["spans"].push_back(OtlpSpan(stored.span));
  }
  return out;
}

json ToTraceSummary(const std::vector<StoredSpan>& spans) {
  std::unordered_set<std::string_view> ids;
  for (const auto& s : spans) ids.insert(s.span.span_id());
  const StoredSpan* root = nullptr;
  std::uint64_t min_start = UINT64_MAX, max_end = 0;
  std::int64_t errors = 0, orphans = 0;
  struct ServiceCounts {
    std::int64_t spans = 0, errors = 0;
  };
  std::map<std::string, ServiceCounts> services;
  for (const auto& stored : spans) {
    const auto& s = stored.span;
    bool error = s.status().code() == trace_pb::Status::STATUS_CODE_ERROR;
    bool has_parent = !s.parent_span_id().empty();
    if (has_parent && !ids.count(s.parent_span_id())) ++orphans;
    if (!has_parent && !root) root = &stored;
    min_start = std::min(min_start, s.start_time_unix_nano());
    max_end = std::max({max_end, s.end_time_unix_nano(), s.start_time_unix_nano()});
    errors += error;
    auto& counts = services[stored.origin->service];
    counts.spans++;
    counts.errors += error;
  }
  if (!root) root = &spans.front();  // no root received (yet): the earliest span stands in
  json service_list = json::array();
  for (const auto& [name, counts] : services) {
    service_list.push_back(
        {{"name", name}, {"spanCount", counts.spans}, {"errorSpanCount", counts.errors}});
  }
  return {{"traceId", ToHex(spans.front().span.trace_id())},
          {"rootServiceName", root->origin->service},
          {"rootOperationName", root->span.name()},
          {"minStartTimeUnixNano", std::to_string(min_start)},
          {"maxEndTimeUnixNano", std::to_string(max_end)},
          {"spanCount", static_cast<std::int64_t>(spans.size())},
          {"errorSpanCount", errors},
          {"orphanSpanCount", orphans},
          {"services", std::move(service_list)}};
}

}  // namespace blogtrace::collector
