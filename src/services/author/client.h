// AuthorClient: what other services ask of the author service. The blog service holds this
// interface; HttpAuthorClient is the remote implementation, tests use a fake.
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/result.h"
#include "http/client.h"
#include "http/request_context.h"
#include "services/author/model.h"

namespace blogtrace::services::author {

class AuthorClient {
 public:
  virtual ~AuthorClient() = default;

  // May the bearer of `token` do what needs `permission`? The caller's identity when yes;
  // kUnauthorized for a bad token, kForbidden when the permission is not enough, kUnavailable
  // when the author service did not answer in time, kInternal for anything unexpected.
  virtual boost::asio::awaitable<Result<Authorization>> Authorize(http::RequestContext& ctx,
                                                                  std::string_view token,
                                                                  Permission permission) = 0;
};

// Calls POST /authorize over a pooled http::Client. Thread-safe; the client must outlive it.
class HttpAuthorClient final : public AuthorClient {
 public:
  HttpAuthorClient(http::Client& client, std::string host);

  boost::asio::awaitable<Result<Authorization>> Authorize(http::RequestContext& ctx,
                                                          std::string_view token,
                                                          Permission permission) override;

 private:
  http::Client& client_;
  std::string host_;
};

}  // namespace blogtrace::services::author
