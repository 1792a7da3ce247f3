#include "received_span.h"

namespace blogtrace::tracing_test {
namespace {

using opentelemetry::proto::common::v1::AnyValue;
using opentelemetry::proto::common::v1::KeyValue;
using opentelemetry::proto::trace::v1::Span;
using opentelemetry::proto::trace::v1::Status;

const AnyValue* FindIn(const google::protobuf::RepeatedPtrField<KeyValue>& attributes,
                       std::string_view key) {
  for (const KeyValue& kv : attributes) {
    if (kv.key() == key) return &kv.value();
  }
  return nullptr;
}

void AppendTexts(const google::protobuf::RepeatedPtrField<KeyValue>& attributes,
                 std::vector<std::string>& out) {
  for (const KeyValue& kv : attributes) {
    out.push_back(kv.key());
    out.push_back(ValueToString(kv.value()));
  }
}

}  // namespace

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 0xf]);
  }
  return hex;
}

std::string_view KindName(Span::SpanKind kind) {
  switch (kind) {
    case Span::SPAN_KIND_INTERNAL:
      return "INTERNAL";
    case Span::SPAN_KIND_SERVER:
      return "SERVER";
    case Span::SPAN_KIND_CLIENT:
      return "CLIENT";
    case Span::SPAN_KIND_PRODUCER:
      return "PRODUCER";
    case Span::SPAN_KIND_CONSUMER:
      return "CONSUMER";
    default:
      return "UNSPECIFIED";
  }
}

std::string_view StatusName(Status::StatusCode code) {
  switch (code) {
    case Status::STATUS_CODE_OK:
      return "OK";
    case Status::STATUS_CODE_ERROR:
      return "ERROR";
    default:
      return "UNSET";
  }
}

std::string ValueToString(const AnyValue& value) {
  switch (value.value_case()) {
    case AnyValue::kStringValue:
      return value.string_value();
    case AnyValue::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case AnyValue::kIntValue:
      return std::to_string(value.int_value());
    case AnyValue::kDoubleValue:
      return std::to_string(value.double_value());
    case AnyValue::kBytesValue:
      // Raw bytes as given: a secret smuggled in as bytes still matches a substring scan.
      return value.bytes_value();
    case AnyValue::kArrayValue: {
      std::string text = "[";
      for (int i = 0; i < value.array_value().values_size(); ++i) {
        if (i > 0) text += ", ";
        text += ValueToString(value.array_value().values(i));
      }
      return text + "]";
    }
    case AnyValue::kKvlistValue: {
      std::string text = "{";
      for (int i = 0; i < value.kvlist_value().values_size(); ++i) {
        if (i > 0) text += ", ";
        const KeyValue& kv = value.kvlist_value().values(i);
        text += kv.key() + "=" + ValueToString(kv.value());
      }
      return text + "}";
    }
    default:
      return "";
  }
}

const AnyValue* ReceivedSpan::Attribute(std::string_view key) const {
  return FindIn(proto.attributes(), key);
}

std::optional<std::string> ReceivedSpan::StringAttribute(std::string_view key) const {
  const AnyValue* value = Attribute(key);
  if (value == nullptr || value->value_case() != AnyValue::kStringValue) return std::nullopt;
  return value->string_value();
}

std::optional<std::int64_t> ReceivedSpan::IntAttribute(std::string_view key) const {
  const AnyValue* value = Attribute(key);
  if (value == nullptr || value->value_case() != AnyValue::kIntValue) return std::nullopt;
  return value->int_value();
}

const Span::Event* ReceivedSpan::Event(std::string_view name) const {
  for (const Span::Event& event : proto.events()) {
    if (event.name() == name) return &event;
  }
  return nullptr;
}

std::optional<std::string> ReceivedSpan::EventStringAttribute(const Span::Event& event,
                                                              std::string_view key) {
  const AnyValue* value = FindIn(event.attributes(), key);
  if (value == nullptr || value->value_case() != AnyValue::kStringValue) return std::nullopt;
  return value->string_value();
}

std::vector<std::string> ReceivedSpan::AllTexts() const {
  std::vector<std::string> out{proto.name(), proto.status().message(), proto.trace_state()};
  AppendTexts(proto.attributes(), out);
  for (const Span::Event& event : proto.events()) {
    out.push_back(event.name());
    AppendTexts(event.attributes(), out);
  }
  for (const Span::Link& link : proto.links()) {
    out.push_back(link.trace_state());
    AppendTexts(link.attributes(), out);
  }
  return out;
}

}  // namespace blogtrace::tracing_test
