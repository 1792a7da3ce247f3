#include "services/author/client.h"

#include <nlohmann/json.hpp>

namespace blogtrace::services::author {

HttpAuthorClient::HttpAuthorClient(http::Client& client, std::string host)
    : client_(client), host_(std::move(host)) {}

boost::asio::awaitable<Result<Authorization>> HttpAuthorClient::Authorize(http::RequestContext& ctx,
                                                                          std::string_view token,
                                                                          Permission permission) {
  http::Request request{boost::beast::http::verb::post, "/authorize", 11};
  request.set(boost::beast::http::field::host, host_);
  request.set(boost::beast::http::field::content_type, "application/json");
  request.set(boost::beast::http::field::authorization, "Bearer " + std::string(token));
  request.body() = nlohmann::json{{"permission", PermissionName(permission)}}.dump();
  auto response = co_await client_.Send(ctx, "/authorize", std::move(request));
  if (!response) co_return response.error();
  switch (response->result_int()) {
    case 200: {
      auto json = nlohmann::json::parse(response->body(), nullptr, /*allow_exceptions=*/false);
      auto authorization = AuthorizationFromJson(json);
      if (!authorization) co_return Error::Internal("the author service sent an unreadable answer");
      co_return std::move(authorization.value());
    }
    case 401:
      co_return Error::Unauthorized("missing, malformed, invalid or expired bearer token");
    case 403:
      co_return Error::Forbidden("this needs " + std::string(PermissionName(permission)) +
                                 " permission");
    case 503:
      co_return Error::Unavailable("the author service is unavailable");
    default:
      co_return Error::Internal("the author service answered " +
                                std::to_string(response->result_int()));
  }
}

}  // namespace blogtrace::services::author
