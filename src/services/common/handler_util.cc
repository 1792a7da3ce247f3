#include "services/common/handler_util.h"

#include <nlohmann/json.hpp>

#include "auth/secure_compare.h"
#include "http/response.h"
#include "telemetry/api/semconv.h"

namespace blogtrace::services {

boost::asio::awaitable<http::Response> Healthz(const http::Request&, http::RequestContext&) {
  co_return http::JsonResponse(200, {{"status", "ok"}});
}

std::optional<std::string_view> SingleHeader(const http::Request& request,
                                             std::string_view name) noexcept {
  auto range = request.equal_range(name);
  if (range.first == range.second || std::next(range.first) != range.second) return std::nullopt;
  return std::string_view(range.first->value().data(), range.first->value().size());
}

bool HeaderSecretMatches(const http::Request& request, std::string_view name,
                         std::string_view expected) noexcept {
  auto value = SingleHeader(request, name);
  // Always compare (also with an empty value) so a missing header costs the same as a wrong one.
  bool equal = auth::ConstantTimeEquals(value.value_or(std::string_view{}), expected);
  return value.has_value() && equal;
}

http::Response RefuseInvalid(http::RequestContext& ctx, const FieldError& failure) {
  if (ctx.span != nullptr) {
    ctx.span->AddEvent("validation.failed", {{"field", std::string_view(failure.field)},
                                             {"reason", std::string_view(failure.reason)}});
  }
  return http::ErrorResponse(failure.ToError());
}

http::Response Refuse(http::RequestContext& ctx, const Error& error) {
  if (ctx.span != nullptr && ErrorCodeStatus(error.code) >= 500) {
    ctx.span->SetAttribute("error.message", std::string_view(error.message));
  }
  return http::ErrorResponse(error);
}

void SetEndUser(http::RequestContext& ctx, std::string_view user_id, std::string_view username) {
  if (ctx.span == nullptr) return;
  ctx.span->SetAttribute(telemetry::semconv::kUserId, user_id);
  ctx.span->SetAttribute(telemetry::semconv::kUserName, username);
}

}  // namespace blogtrace::services
