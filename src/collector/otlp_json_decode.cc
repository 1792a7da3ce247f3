// OTLP/JSON → protobuf messages. Spec:
// https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "collector/hex.h"
#include "collector/otlp_decode.h"

namespace blogtrace::collector {
namespace {

using nlohmann::json;
namespace common = opentelemetry::proto::common::v1;
namespace trace = opentelemetry::proto::trace::v1;

// Thrown inside this file only; DecodeJsonRequest turns it into an Error.
struct DecodeError {
  std::string message;
};

[[noreturn]] void Fail(std::string message) { throw DecodeError{std::move(message)}; }

// The member named `camel` or `snake`, or nullptr when absent or null.
const json* Field(const json& obj, const char* camel, const char* snake = nullptr) {
  auto it = obj.find(camel);
  if (it == obj.end() && snake) it = obj.find(snake);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& ExpectObject(const json& v, const char* what) {
  if (!v.is_object()) Fail(std::string(what) + " must be an object");
  return v;
}

const json* Array(const json& obj, const char* camel, const char* snake) {
  const json* v = Field(obj, camel, snake);
  if (v && !v->is_array()) Fail(std::string(camel) + " must be an array");
  return v;
}

std::string String(const json& obj, const char* camel, const char* snake = nullptr) {
  const json* v = Field(obj, camel, snake);
  if (!v) return {};
  if (!v->is_string()) Fail(std::string(camel) + " must be a string");
  return v->get<std::string>();
}

// Hex-encoded id (OTLP/JSON deviates from proto JSON here: ids are hex, not base64).
std::string Id(const json& obj, const char* camel, const char* snake) {
  std::string hex = String(obj, camel, snake);
  auto bytes = FromHex(hex);
  if (!bytes) Fail(std::string(camel) + " must be a hex string");
  return *bytes;
}

template <typename T>
T Integer(const json& v, const char* name) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned()) {
      auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        Fail(std::string(name) + " is out of range");
      }
      return static_cast<T>(u);
    }
    auto i = v.get<std::int64_t>();
    if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        (i > 0 && static_cast<std::uint64_t>(i) >
                      static_cast<std::uint64_t>(std::numeric_limits<T>::max()))) {
      Fail(std::string(name) + " is out of range");
    }
    return static_cast<T>(i);
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d != std::floor(d) || d < static_cast<double>(std::numeric_limits<T>::min()) ||
        d > static_cast<double>(std::numeric_limits<T>::max())) {
      Fail(std::string(name) + " must be an integer");
    }
    return static_cast<T>(d);
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    T out{};
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
      Fail(std::string(name) + " must be an integer");
    }
    return out;
  }
  Fail(std::string(name) + " must be an integer");
}

template <typename T>
T IntegerField(const json& obj, const char* camel, const char* snake = nullptr) {
  const json* v = Field(obj, camel, snake);
  return v ? Integer<T>(*v, camel) : T{};
}

// An enum given as its integer or its name (e.g. "SPAN_KIND_SERVER").
int Enum(const json& obj, const char* camel, const char* snake,
         const std::vector<std::string_view>& names) {
  const json* v = Field(obj, camel, snake);
  if (!v) return 0;
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    for (size_t i = 0; i < names.size(); ++i) {
      if (s == names[i]) return static_cast<int>(i);
    }
  }
  return Integer<std::int32_t>(*v, camel);
}

double Double(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    double d = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return d;
  }
  Fail("doubleValue must be a number");
}

void DecodeKeyValues(const json* arr, google::protobuf::RepeatedPtrField<common::KeyValue>& out);

void DecodeAnyValue(const json& v, common::AnyValue& out) {
  ExpectObject(v, "value");
  if (const json* s = Field(v, "stringValue", "string_value")) {
    if (!s->is_string()) Fail("stringValue must be a string");
    out.set_string_value(s->get<std::string>());
  } else if (const json* b = Field(v, "boolValue", "bool_value")) {
    if (!b->is_boolean()) Fail("boolValue must be a boolean");
    out.set_bool_value(b->get<bool>());
  } else if (const json* i = Field(v, "intValue", "int_value")) {
    out.set_int_value(Integer<std::int64_t>(*i, "intValue"));
  } else if (const json* d = Field(v, "doubleValue", "double_value")) {
    out.set_double_value(Double(*d));
  } else if (const json* a = Field(v, "arrayValue", "array_value")) {
    ExpectObject(*a, "arrayValue");
    auto* arr = out.mutable_array_value();
    if (const json* values = Array(*a, "values", nullptr)) {
      for (const auto& item : *values) DecodeAnyValue(item, *arr->add_values());
    }
  } else if (const json* kv = Field(v, "kvlistValue", "kvlist_value")) {
    ExpectObject(*kv, "kvlistValue");
    DecodeKeyValues(Array(*kv, "values", nullptr), *out.mutable_kvlist_value()->mutable_values());
  } else if (const json* by = Field(v, "bytesValue", "bytes_value")) {
    if (!by->is_string()) Fail("bytesValue must be a base64 string");
    auto bytes = Base64Decode(by->get_ref<const std::string&>());
    if (!bytes) Fail("bytesValue must be a base64 string");
    out.set_bytes_value(*bytes);
  }
}

void DecodeKeyValues(const json* arr, google::protobuf::RepeatedPtrField<common::KeyValue>& out) {
  if (!arr) return;
  out.Reserve(static_cast<int>(arr->size()));
  for (const auto& item : *arr) {
    ExpectObject(item, "attribute");
    auto* kv = out.Add();
    kv->set_key(String(item, "key"));
    if (const json* value = Field(item, "value")) DecodeAnyValue(*value, *kv->mutable_value());
  }
}

void DecodeSpan(const json& j, trace::Span& span) {
  ExpectObject(j, "span");
  span.set_trace_id(Id(j, "traceId", "trace_id"));
  span.set_span_id(Id(j, "spanId", "span_id"));
  span.set_trace_state(String(j, "traceState", "trace_state"));
  span.set_parent_span_id(Id(j, "parentSpanId", "parent_span_id"));
  span.set_flags(IntegerField<std::uint32_t>(j, "flags"));
  span.set_name(String(j, "name"));
  span.set_kind(static_cast<trace::Span::SpanKind>(
      Enum(j, "kind", nullptr,
           {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
            "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"})));
  span.set_start_time_unix_nano(
      IntegerField<std::uint64_t>(j, "startTimeUnixNano", "start_time_unix_nano"));
  span.set_end_time_unix_nano(
      IntegerField<std::uint64_t>(j, "endTimeUnixNano", "end_time_unix_nano"));
  DecodeKeyValues(Array(j, "attributes", nullptr), *span.mutable_attributes());
  span.set_dropped_attributes_count(
      IntegerField<std::uint32_t>(j, "droppedAttributesCount", "dropped_attributes_count"));
  if (const json* events = Array(j, "events", nullptr)) {
    for (const auto& e : *events) {
      ExpectObject(e, "event");
      auto* event = span.add_events();
      event->set_time_unix_nano(IntegerField<std::uint64_t>(e, "timeUnixNano", "time_unix_nano"));
      event->set_name(String(e, "name"));
      DecodeKeyValues(Array(e, "attributes", nullptr), *event->mutable_attributes());
      event->set_dropped_attributes_count(
          IntegerField<std::uint32_t>(e, "droppedAttributesCount", "dropped_attributes_count"));
    }
  }
  span.set_dropped_events_count(
      IntegerField<std::uint32_t>(j, "droppedEventsCount", "dropped_events_count"));
  if (const json* links = Array(j, "links", nullptr)) {
    for (const auto& l : *links) {
      ExpectObject(l, "link");
      auto* link = span.add_links();
      link->set_trace_id(Id(l, "traceId", "trace_id"));
      link->set_span_id(Id(l, "spanId", "span_id"));
      link->set_trace_state(String(l, "traceState", "trace_state"));
      DecodeKeyValues(Array(l, "attributes", nullptr), *link->mutable_attributes());
      link->set_dropped_attributes_count(
          IntegerField<std::uint32_t>(l, "droppedAttributesCount", "dropped_attributes_count"));
      link->set_flags(IntegerField<std::uint32_t>(l, "flags"));
    }
  }
  span.set_dropped_links_count(
      IntegerField<std::uint32_t>(j, "droppedLinksCount", "dropped_links_count"));
  if (const json* status = Field(j, "status")) {
    ExpectObject(*status, "status");
    span.mutable_status()->set_message(String(*status, "message"));
    span.mutable_status()->set_code(static_cast<trace::Status::StatusCode>(Enum(
        *status, "code", nullptr, {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"})));
  }
}

void DecodeScope(const json& j, common::InstrumentationScope& scope) {
  ExpectObject(j, "scope");
  scope.set_name(String(j, "name"));
  scope.set_version(String(j, "version"));
  DecodeKeyValues(Array(j, "attributes", nullptr), *scope.mutable_attributes());
  scope.set_dropped_attributes_count(
      IntegerField<std::uint32_t>(j, "droppedAttributesCount", "dropped_attributes_count"));
}

void DecodeResourceSpans(const json& j, trace::ResourceSpans& rs) {
  ExpectObject(j, "resourceSpans item");
  if (const json* resource = Field(j, "resource")) {
    ExpectObject(*resource, "resource");
    DecodeKeyValues(Array(*resource, "attributes", nullptr),
                    *rs.mutable_resource()->mutable_attributes());
    rs.mutable_resource()->set_dropped_attributes_count(IntegerField<std::uint32_t>(
        *resource, "droppedAttributesCount", "dropped_attributes_count"));
  }
  rs.set_schema_url(String(j, "schemaUrl", "schema_url"));
  const json* scopes = Array(j, "scopeSpans", "scope_spans");
  // Pre-1.0 exporters sent instrumentationLibrarySpans; same shape.
  bool legacy = false;
  if (!scopes) {
    scopes = Array(j, "instrumentationLibrarySpans", "instrumentation_library_spans");
    legacy = true;
  }
  if (!scopes) return;
  for (const auto& s : *scopes) {
    ExpectObject(s, "scopeSpans item");
    auto* ss = rs.add_scope_spans();
    const json* scope =
        legacy ? Field(s, "instrumentationLibrary", "instrumentation_library") : Field(s, "scope");
    if (scope) DecodeScope(*scope, *ss->mutable_scope());
    ss->set_schema_url(String(s, "schemaUrl", "schema_url"));
    if (const json* spans = Array(s, "spans", nullptr)) {
      ss->mutable_spans()->Reserve(static_cast<int>(spans->size()));
      for (const auto& span : *spans) DecodeSpan(span, *ss->add_spans());
    }
  }
}

}  // namespace

Status DecodeJsonRequest(std::string_view body, otlp_collector::ExportTraceServiceRequest& out) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error::BadRequest("request body is not valid JSON");
  if (!doc.is_object()) return Error::BadRequest("request body must be a JSON object");
  try {
    if (const json* items = Array(doc, "resourceSpans", "resource_spans")) {
      for (const auto& item : *items) DecodeResourceSpans(item, *out.add_resource_spans());
    }
  } catch (const DecodeError& e) {
    out.Clear();
    return Error::BadRequest("invalid OTLP/JSON: " + e.message);
  } catch (const json::exception& e) {
    out.Clear();
    return Error::BadRequest("invalid OTLP/JSON");
  }
  return {};
}

}  // namespace blogtrace::collector
