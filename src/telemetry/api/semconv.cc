#include "telemetry/api/semconv.h"

#include <cstdio>
#include <string>

namespace blogtrace::telemetry::semconv {

std::string HttpSpanName(std::string_view method, std::string_view route) {
  std::string name(method);
  if (!route.empty()) name.append(" ").append(route);
  return name;
}

void SetHttpServerRequest(Span& span, std::string_view method, std::string_view route,
                          std::string_view path, std::string_view server_address,
                          std::uint16_t server_port) noexcept {
  if (!span.IsRecording()) return;
  span.SetAttribute(kHttpRequestMethod, method);
  if (!route.empty()) span.SetAttribute(kHttpRoute, route);
  span.SetAttribute(kUrlPath, path);
  if (!server_address.empty()) span.SetAttribute(kServerAddress, server_address);
  if (server_port != 0) span.SetAttribute(kServerPort, server_port);
}

void SetHttpClientRequest(Span& span, std::string_view method, std::string_view url_full,
                          std::string_view server_address, std::uint16_t server_port) noexcept {
  if (!span.IsRecording()) return;
  span.SetAttribute(kHttpRequestMethod, method);
  span.SetAttribute(kUrlFull, url_full);
  span.SetAttribute(kServerAddress, server_address);
  span.SetAttribute(kServerPort, server_port);
}

void SetHttpResponse(Span& span, int status_code, bool is_server) noexcept {
  if (!span.IsRecording()) return;
  span.SetAttribute(kHttpResponseStatusCode, status_code);
  if (status_code >= (is_server ? 500 : 400)) {
    char code[12];
    int n = std::snprintf(code, sizeof code, "%d", status_code);
    span.SetAttribute(kErrorType, std::string_view(code, static_cast<std::size_t>(n)));
    span.SetStatus(StatusCode::kError);
  }
}

void SetDbAttributes(Span& span, std::string_view system, std::string_view operation,
                     std::string_view collection, std::string_view query_text) noexcept {
  if (!span.IsRecording()) return;
  span.SetAttribute(kDbSystem, system);
  span.SetAttribute(kDbOperationName, operation);
  span.SetAttribute(kDbCollectionName, collection);
  if (!query_text.empty()) span.SetAttribute(kDbQueryText, query_text);
}

}  // namespace blogtrace::telemetry::semconv
