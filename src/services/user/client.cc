#include "services/user/client.h"

#include <nlohmann/json.hpp>

namespace blogtrace::services::user {

HttpUserClient::HttpUserClient(http::Client& client, std::string host, std::string internal_key)
    : client_(client), host_(std::move(host)), internal_key_(std::move(internal_key)) {}

boost::asio::awaitable<Result<UserInfo>> HttpUserClient::Verify(http::RequestContext& ctx,
                                                                const Credentials& credentials) {
  http::Request request{boost::beast::http::verb::post, "/users/verify", 11};
  request.set(boost::beast::http::field::host, host_);
  request.set(boost::beast::http::field::content_type, "application/json");
  request.set("X-Internal-Key", internal_key_);
  request.body() =
      nlohmann::json{{"username", credentials.username}, {"password", credentials.password}}.dump();
  auto response = co_await client_.Send(ctx, "/users/verify", std::move(request));
  if (!response) co_return response.error();
  switch (response->result_int()) {
    case 200: {
      auto json = nlohmann::json::parse(response->body(), nullptr, /*allow_exceptions=*/false);
      auto user = UserInfoFromJson(json);
      if (!user) co_return Error::Internal("the user service sent an unreadable user");
      co_return std::move(user.value());
    }
    case 401:
      co_return Error::Unauthorized("wrong username or password");
    case 400:
      co_return Error::BadRequest("username and password must be strings");
    case 503:
      co_return Error::Unavailable("the user service is unavailable");
    default:
      co_return Error::Internal("the user service answered " +
                                std::to_string(response->result_int()));
  }
}

}  // namespace blogtrace::services::user
