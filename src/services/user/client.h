// UserClient: what other services ask of the user service. The authen service holds this
// interface; HttpUserClient is the remote implementation, tests use a fake.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/client.h"
#include "http/request_context.h"
#include "services/user/model.h"

namespace blogtrace::services::user {

class UserClient {
 public:
  virtual ~UserClient() = default;

  // Checks a username and password. kUnauthorized for a wrong pair (unknown user and wrong
  // password alike), kUnavailable when the user service did not answer in time, kInternal for
  // anything unexpected. Runs as part of the request `ctx` serves.
  virtual boost::asio::awaitable<Result<UserInfo>> Verify(http::RequestContext& ctx,
                                                          const Credentials& credentials) = 0;
};

// Calls POST /users/verify with X-Internal-Key over a pooled http::Client.
// Thread-safe. The client must outlive this object.
class HttpUserClient final : public UserClient {
 public:
  HttpUserClient(http::Client& client, std::string host, std::string internal_key);

  boost::asio::awaitable<Result<UserInfo>> Verify(http::RequestContext& ctx,
                                                  const Credentials& credentials) override;

 private:
  http::Client& client_;
  std::string host_;
  std::string internal_key_;
};

}  // namespace blogtrace::services::user
