#include "telemetry/sdk/console_exporter.h"

#include <string>

namespace blogtrace::telemetry::sdk {
namespace {

const char* KindName(SpanKind kind) {
  switch (kind) {
    case SpanKind::kServer:
      return "SERVER";
    case SpanKind::kClient:
      return "CLIENT";
    case SpanKind::kProducer:
      return "PRODUCER";
    case SpanKind::kConsumer:
      return "CONSUMER";
    default:
      return "INTERNAL";
  }
}

void AppendAttributes(std::string& out, const Attributes& attrs, const char* indent) {
  for (const auto& a : attrs)
    out.append(indent).append(a.key).append("=").append(ToString(a.value)).append("\n");
}

}  // namespace

std::string FormatSpan(const SpanData& s) {
  std::string out;
  char buf[160];
  std::snprintf(buf, sizeof buf, "span %s %.3f ms\n", KindName(s.kind),
                static_cast<double>(s.end_unix_nanos - s.start_unix_nanos) / 1e6);
  out.append(buf).append("  name: ").append(s.name).append("\n");
  out.append("  trace_id: ").append(s.context.trace_id().ToHex()).append("\n");
  out.append("  span_id: ").append(s.context.span_id().ToHex()).append("\n");
  if (s.parent_span_id.IsValid())
    out.append("  parent_id: ")
        .append(s.parent_span_id.ToHex())
        .append(s.parent_is_remote ? " (remote)\n" : "\n");
  if (s.scope != nullptr) out.append("  scope: ").append(s.scope->name).append("\n");
  if (s.resource != nullptr)
    out.append("  service: ").append(s.resource->GetString("service.name")).append("\n");
  if (s.status_code != StatusCode::kUnset)
    out.append("  status: ")
        .append(s.status_code == StatusCode::kOk ? "OK" : "ERROR ")
        .append(s.status_message)
        .append("\n");
  if (!s.attributes.empty()) {
    out.append("  attributes:\n");
    AppendAttributes(out, s.attributes, "    ");
  }
  for (const auto& e : s.events) {
    out.append("  event: ").append(e.name).append("\n");
    AppendAttributes(out, e.attributes, "    ");
  }
  for (const auto& l : s.links) {
    out.append("  link: ")
        .append(l.context.trace_id().ToHex())
        .append("-")
        .append(l.context.span_id().ToHex())
        .append("\n");
  }
  return out;
}

ExportResult ConsoleSpanExporter::Export(std::span<const SpanData* const> spans,
                                         std::chrono::steady_clock::time_point) noexcept {
  try {
    for (const SpanData* s : spans) {
      std::string text = FormatSpan(*s);
      std::fwrite(text.data(), 1, text.size(), out_);
    }
    std::fflush(out_);
    return ExportResult::kSuccess;
  } catch (...) {
    return ExportResult::kFailure;
  }
}

}  // namespace blogtrace::telemetry::sdk
