#include "telemetry/otlp/span_encoder.h"

#include <vector>

#include "telemetry/otlp/proto_writer.h"

namespace blogtrace::telemetry::otlp {
namespace {

using sdk::Attribute;
using sdk::OwnedValue;

constexpr std::uint32_t kHasIsRemote = 0x100;
constexpr std::uint32_t kIsRemote = 0x200;

// One AnyValue oneof field for a scalar.
void WriteScalar(ProtoWriter& w, const std::string& v) { w.StringField(1, v); }
void WriteScalar(ProtoWriter& w, bool v) { w.VarintField(2, v ? 1 : 0); }
void WriteScalar(ProtoWriter& w, std::int64_t v) {
  w.VarintField(3, static_cast<std::uint64_t>(v));
}
void WriteScalar(ProtoWriter& w, double v) { w.DoubleField(4, v); }

template <typename Vector>
void WriteArray(ProtoWriter& w, const Vector& values) {
  std::size_t array = w.BeginMessage(5);  // array_value
  for (const auto& v : values) {
    std::size_t any = w.BeginMessage(1);  // ArrayValue.values
    if constexpr (std::is_same_v<Vector, std::vector<bool>>) {
      WriteScalar(w, static_cast<bool>(v));  // vector<bool> yields proxies
    } else {
      WriteScalar(w, v);
    }
    w.EndMessage(any);
  }
  w.EndMessage(array);
}

void WriteAnyValue(ProtoWriter& w, const OwnedValue& value) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, sdk::OwnedBytes>) {
          w.BytesField(7, v.data.data(), v.data.size());
        } else if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, bool> ||
                             std::is_same_v<V, std::int64_t> || std::is_same_v<V, double>) {
          WriteScalar(w, v);
        } else {
          WriteArray(w, v);
        }
      },
      value);
}

template <typename Range>
void WriteAttributes(ProtoWriter& w, std::uint32_t field, const Range& attrs) {
  for (const Attribute& a : attrs) {
    std::size_t kv = w.BeginMessage(field);
    w.StringField(1, a.key);
    std::size_t any = w.BeginMessage(2);
    WriteAnyValue(w, a.value);
    w.EndMessage(any);
    w.EndMessage(kv);
  }
}

std::uint32_t Flags(const SpanContext& context, bool is_remote) {
  return (context.flags().value & 0xffu) | kHasIsRemote | (is_remote ? kIsRemote : 0u);
}

void WriteSpan(ProtoWriter& w, const sdk::SpanData& s) {
  std::size_t span = w.BeginMessage(2);  // ScopeSpans.spans
  w.BytesField(1, s.context.trace_id().bytes().data(), 16);
  w.BytesField(2, s.context.span_id().bytes().data(), 8);
  if (!s.context.trace_state().empty()) w.StringField(3, s.context.trace_state().ToHeader());
  if (s.parent_span_id.IsValid()) w.BytesField(4, s.parent_span_id.bytes().data(), 8);
  w.StringField(5, s.name);
  w.VarintField(6, static_cast<std::uint64_t>(s.kind) + 1);  // SPAN_KIND_INTERNAL = 1, ...
  w.Fixed64Field(7, static_cast<std::uint64_t>(s.start_unix_nanos));
  w.Fixed64Field(8, static_cast<std::uint64_t>(s.end_unix_nanos));
  WriteAttributes(w, 9, s.attributes);
  if (s.dropped_attributes_count) w.VarintField(10, s.dropped_attributes_count);
  for (const auto& e : s.events) {
    std::size_t ev = w.BeginMessage(11);
    w.Fixed64Field(1, static_cast<std::uint64_t>(e.time_unix_nanos));
    w.StringField(2, e.name);
    WriteAttributes(w, 3, e.attributes);
    if (e.dropped_attributes_count) w.VarintField(4, e.dropped_attributes_count);
    w.EndMessage(ev);
  }
  if (s.dropped_events_count) w.VarintField(12, s.dropped_events_count);
  for (const auto& l : s.links) {
    std::size_t link = w.BeginMessage(13);
    w.BytesField(1, l.context.trace_id().bytes().data(), 16);
    w.BytesField(2, l.context.span_id().bytes().data(), 8);
    if (!l.context.trace_state().empty()) w.StringField(3, l.context.trace_state().ToHeader());
    WriteAttributes(w, 4, l.attributes);
    if (l.dropped_attributes_count) w.VarintField(5, l.dropped_attributes_count);
    w.Fixed32Field(6, Flags(l.context, l.context.is_remote()));
    w.EndMessage(link);
  }
  if (s.dropped_links_count) w.VarintField(14, s.dropped_links_count);
  if (s.status_code != StatusCode::kUnset) {
    std::size_t status = w.BeginMessage(15);
    if (!s.status_message.empty()) w.StringField(2, s.status_message);
    w.VarintField(3, s.status_code == StatusCode::kOk ? 1 : 2);
    w.EndMessage(status);
  }
  w.Fixed32Field(16, Flags(s.context, s.parent_is_remote));
  w.EndMessage(span);
}

}  // namespace

void EncodeExportRequest(std::span<const sdk::SpanData* const> spans, std::string& out) {
  out.clear();
  ProtoWriter w(out);
  // Group by resource, then scope, keeping first-appearance order (groups are few).
  std::vector<const sdk::Resource*> resources;
  for (const auto* s : spans) {
    bool seen = false;
    for (const auto* r : resources) seen |= r == s->resource;
    if (!seen) resources.push_back(s->resource);
  }
  std::vector<const sdk::InstrumentationScope*> scopes;
  for (const sdk::Resource* resource : resources) {
    std::size_t rs = w.BeginMessage(1);  // resource_spans
    if (resource != nullptr) {
      std::size_t r = w.BeginMessage(1);
      WriteAttributes(w, 1, resource->attributes());
      w.EndMessage(r);
    }
    scopes.clear();
    for (const auto* s : spans) {
      if (s->resource != resource) continue;
      bool seen = false;
      for (const auto* sc : scopes) seen |= sc == s->scope;
      if (!seen) scopes.push_back(s->scope);
    }
    for (const sdk::InstrumentationScope* scope : scopes) {
      std::size_t ss = w.BeginMessage(2);  // scope_spans
      if (scope != nullptr) {
        std::size_t sc = w.BeginMessage(1);
        w.StringField(1, scope->name);
        if (!scope->version.empty()) w.StringField(2, scope->version);
        w.EndMessage(sc);
      }
      for (const auto* s : spans) {
        if (s->resource == resource && s->scope == scope) WriteSpan(w, *s);
      }
      w.EndMessage(ss);
    }
    w.EndMessage(rs);
  }
}

namespace {
bool ReadVarint(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto b = static_cast<std::uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

// Calls on_field(field, wire type, varint value, bytes) for each field; false when malformed.
template <typename F>
bool ForEachField(std::string_view in, F&& on_field) {
  while (!in.empty()) {
    std::uint64_t tag, v = 0;
    if (!ReadVarint(in, tag)) return false;
    std::string_view bytes;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(in, v)) return false;
        break;
      case 1:
        if (in.size() < 8) return false;
        in.remove_prefix(8);
        break;
      case 2:
        if (!ReadVarint(in, v) || v > in.size()) return false;
        bytes = in.substr(0, v);
        in.remove_prefix(v);
        break;
      case 5:
        if (in.size() < 4) return false;
        in.remove_prefix(4);
        break;
      default:
        return false;
    }
    on_field(static_cast<std::uint32_t>(tag >> 3), v, bytes);
  }
  return true;
}
}  // namespace

bool DecodePartialSuccess(std::string_view body, std::int64_t& rejected_spans,
                          std::string& error_message) {
  rejected_spans = 0;
  error_message.clear();
  bool inner_ok = true;
  bool ok = ForEachField(body, [&](std::uint32_t field, std::uint64_t, std::string_view bytes) {
    if (field != 1) return;
    inner_ok &= ForEachField(bytes, [&](std::uint32_t f, std::uint64_t v, std::string_view b) {
      if (f == 1) rejected_spans = static_cast<std::int64_t>(v);
      if (f == 2) error_message.assign(b);
    });
  });
  return ok && inner_ok;
}

}  // namespace blogtrace::telemetry::otlp
