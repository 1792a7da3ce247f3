// Semantic-convention attribute names (OpenTelemetry semconv 1.26+ stable HTTP/DB names) and
// helpers that set the usual attributes of HTTP and DB spans, so names are typed once.
#pragma once

#include <cstdint>
#include <string_view>

#include "telemetry/api/span.h"

namespace blogtrace::telemetry::semconv {

// HTTP (https://opentelemetry.io/docs/specs/semconv/http/http-spans/)
inline constexpr std::string_view kHttpRequestMethod = "http.request.method";
inline constexpr std::string_view kHttpRoute = "http.route";
inline constexpr std::string_view kHttpResponseStatusCode = "http.response.status_code";
inline constexpr std::string_view kHttpRequestBodySize = "http.request.body.size";
inline constexpr std::string_view kHttpResponseBodySize = "http.response.body.size";
inline constexpr std::string_view kUrlPath = "url.path";
inline constexpr std::string_view kUrlQuery = "url.query";
inline constexpr std::string_view kUrlScheme = "url.scheme";
inline constexpr std::string_view kUrlFull = "url.full";
inline constexpr std::string_view kServerAddress = "server.address";
inline constexpr std::string_view kServerPort = "server.port";
inline constexpr std::string_view kClientAddress = "client.address";
inline constexpr std::string_view kNetworkPeerAddress = "network.peer.address";
inline constexpr std::string_view kNetworkPeerPort = "network.peer.port";
inline constexpr std::string_view kNetworkProtocolVersion = "network.protocol.version";
inline constexpr std::string_view kUserAgentOriginal = "user_agent.original";
inline constexpr std::string_view kErrorType = "error.type";
// Database (https://opentelemetry.io/docs/specs/semconv/database/database-spans/)
inline constexpr std::string_view kDbSystem = "db.system";
inline constexpr std::string_view kDbOperationName = "db.operation.name";
inline constexpr std::string_view kDbCollectionName = "db.collection.name";
inline constexpr std::string_view kDbQueryText = "db.query.text";
inline constexpr std::string_view kDbNamespace = "db.namespace";
inline constexpr std::string_view kDbResponseReturnedRows = "db.response.returned_rows";
// Identity and exceptions
inline constexpr std::string_view kUserId = "enduser.id";
inline constexpr std::string_view kUserName = "user.name";
inline constexpr std::string_view kExceptionType = "exception.type";
inline constexpr std::string_view kExceptionMessage = "exception.message";
inline constexpr std::string_view kExceptionEventName = "exception";
// Resource
inline constexpr std::string_view kServiceName = "service.name";
inline constexpr std::string_view kServiceVersion = "service.version";
inline constexpr std::string_view kServiceInstanceId = "service.instance.id";
inline constexpr std::string_view kTelemetrySdkName = "telemetry.sdk.name";
inline constexpr std::string_view kTelemetrySdkLanguage = "telemetry.sdk.language";
inline constexpr std::string_view kTelemetrySdkVersion = "telemetry.sdk.version";
inline constexpr std::string_view kHostName = "host.name";
inline constexpr std::string_view kProcessPid = "process.pid";

// The span name of an HTTP server or client span: "<METHOD> <route>", or "<METHOD>" without one.
std::string HttpSpanName(std::string_view method, std::string_view route);

// Request attributes of a SERVER span: method, route (if known), path, server address/port.
void SetHttpServerRequest(Span& span, std::string_view method, std::string_view route,
                          std::string_view path, std::string_view server_address,
                          std::uint16_t server_port) noexcept;
// Request attributes of a CLIENT span: method, full URL, server address/port.
void SetHttpClientRequest(Span& span, std::string_view method, std::string_view url_full,
                          std::string_view server_address, std::uint16_t server_port) noexcept;
// The response status; >= 500 (server) or >= 400 (client) marks the span as an error with
// error.type = the status code, as the HTTP conventions say.
void SetHttpResponse(Span& span, int status_code, bool is_server) noexcept;
// DB CLIENT span attributes: system, operation, collection, query text (may be empty).
void SetDbAttributes(Span& span, std::string_view system, std::string_view operation,
                     std::string_view collection, std::string_view query_text) noexcept;

}  // namespace blogtrace::telemetry::semconv
