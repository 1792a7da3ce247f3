#include "collector/trace_mapping.h"

#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "collector/attribute_value.h"
#include "collector/hex.h"
#include "collector/jaeger_names.h"
#include "collector/json_writer.h"

namespace blogtrace::collector {
namespace {

using nlohmann::json;
namespace trace_pb = opentelemetry::proto::trace::v1;

std::int64_t Micros(std::uint64_t ns) { return static_cast<std::int64_t>(ns / 1000); }

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

namespace {

void WriteStringTag(JsonWriter& w, std::string_view key, std::string_view value) {
  w.Raw("{\"key\":");
  w.String(key);
  w.Raw(",\"type\":\"string\",\"value\":");
  w.String(value);
  w.Raw("}");
}

// The writer form of ToJaegerTag.
void WriteTag(JsonWriter& w, const otlp_common::KeyValue& attribute) {
  using V = otlp_common::AnyValue;
  const auto& v = attribute.value();
  auto typed = [&](const char* type) {
    w.Raw("{\"key\":");
    w.String(attribute.key());
    w.Raw(",\"type\":\"");
    w.Raw(type);
    w.Raw("\",\"value\":");
  };
  switch (v.value_case()) {
    case V::kBoolValue:
      typed("bool");
      w.Raw(v.bool_value() ? "true}" : "false}");
      return;
    case V::kIntValue:
      typed("int64");
      w.Int(v.int_value());
      w.Raw("}");
      return;
    case V::kDoubleValue:
      if (std::isfinite(v.double_value())) {
        typed("float64");
        w.Double(v.double_value());
        w.Raw("}");
        return;
      }
      break;
    case V::kBytesValue:
      typed("binary");
      w.String(Base64Encode(v.bytes_value()));
      w.Raw("}");
      return;
    case V::kStringValue:
      WriteStringTag(w, attribute.key(), v.string_value());
      return;
    default:
      break;
  }
  WriteStringTag(w, attribute.key(), AnyValueToString(v));
}

}  // namespace

void AppendJaegerTraceJson(const std::vector<StoredSpan>& spans, std::string& out) {
  out.reserve(out.size() + spans.size() * 1024);
  JsonWriter w(out);
  const std::string trace_id = ToHex(spans.front().span.trace_id());
  // Processes are numbered by first appearance of each distinct resource.
  std::unordered_map<std::string_view, std::string> process_ids;
  std::vector<const StoredOrigin*> processes;
  w.Raw("{\"traceID\":");
  w.String(trace_id);
  w.Raw(",\"spans\":[");
  bool first_span = true;
  for (const StoredSpan& stored : spans) {
    const trace_pb::Span& s = stored.span;
    const StoredOrigin& origin = *stored.origin;
    auto [it, inserted] = process_ids.try_emplace(origin.resource_bytes);
    if (inserted) {
      it->second = std::string("p").append(std::to_string(process_ids.size()));
      processes.push_back(&origin);
    }
    if (!first_span) w.Raw(",");
    first_span = false;
    w.Raw("{\"traceID\":");
    w.String(trace_id);
    w.Raw(",\"spanID\":");
    w.String(ToHex(s.span_id()));
    w.Raw(",\"operationName\":");
    w.String(s.name());
    w.Raw(",\"references\":[");
    bool first_ref = true;
    if (!s.parent_span_id().empty()) {
      w.Raw("{\"refType\":\"CHILD_OF\",\"traceID\":");
      w.String(trace_id);
      w.Raw(",\"spanID\":");
      w.String(ToHex(s.parent_span_id()));
      w.Raw("}");
      first_ref = false;
    }
    for (const auto& link : s.links()) {
      if (!first_ref) w.Raw(",");
      first_ref = false;
      w.Raw("{\"refType\":\"FOLLOWS_FROM\",\"traceID\":");
      w.String(ToHex(link.trace_id()));
      w.Raw(",\"spanID\":");
      w.String(ToHex(link.span_id()));
      w.Raw("}");
    }
    std::uint64_t end = std::max(s.end_time_unix_nano(), s.start_time_unix_nano());
    w.Raw("],\"startTime\":");
    w.Int(Micros(s.start_time_unix_nano()));
    w.Raw(",\"duration\":");
    w.Int(Micros(end) - Micros(s.start_time_unix_nano()));
    w.Raw(",\"tags\":[");
    bool first_tag = true;
    auto sep = [&] {
      if (!first_tag) w.Raw(",");
      first_tag = false;
    };
    for (const auto& kv : s.attributes()) {
      sep();
      WriteTag(w, kv);
    }
    if (!origin.scope.name().empty()) {
      sep();
      WriteStringTag(w, kScopeNameTag, origin.scope.name());
    }
    if (!origin.scope.version().empty()) {
      sep();
      WriteStringTag(w, kScopeVersionTag, origin.scope.version());
    }
    if (auto kind = SpanKindName(s.kind()); !kind.empty()) {
      sep();
      WriteStringTag(w, kSpanKindTag, kind);
    }
    if (auto code = StatusCodeName(s.status().code()); !code.empty()) {
      sep();
      WriteStringTag(w, kStatusCodeTag, code);
      if (s.status().code() == trace_pb::Status::STATUS_CODE_ERROR) {
        if (!s.status().message().empty()) {
          sep();
          WriteStringTag(w, kStatusDescriptionTag, s.status().message());
        }
        sep();
        w.Raw("{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
      }
    }
    w.Raw("],\"logs\":[");
    bool first_log = true;
    for (const auto& event : s.events()) {
      if (!first_log) w.Raw(",");
      first_log = false;
      w.Raw("{\"timestamp\":");
      w.Int(Micros(event.time_unix_nano()));
      w.Raw(",\"fields\":[");
      WriteStringTag(w, kEventField, event.name());
      for (const auto& kv : event.attributes()) {
        w.Raw(",");
        WriteTag(w, kv);
      }
      w.Raw("]}");
    }
    w.Raw("],\"processID\":");
    w.String(it->second);
    w.Raw(",\"flags\":");
    w.Int(s.flags() & 0xff);
    w.Raw(",\"warnings\":null}");
  }
  w.Raw("],\"processes\":{");
  for (std::size_t i = 0; i < processes.size(); ++i) {
    if (i) w.Raw(",");
    w.Key(std::string("p").append(std::to_string(i + 1)));
    w.Raw("{\"serviceName\":");
    w.String(processes[i]->service);
    w.Raw(",\"tags\":[");
    bool first = true;
    for (const auto& kv : processes[i]->resource.attributes()) {
      if (kv.key() == "service.name") continue;
      if (!first) w.Raw(",");
      first = false;
      WriteTag(w, kv);
    }
    w.Raw("]}");
  }
  w.Raw("},\"warnings\":null}");
}

json ToJaegerTrace(const std::vector<StoredSpan>& spans) {
  std::string out;
  AppendJaegerTraceJson(spans, out);
  return json::parse(out);
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
