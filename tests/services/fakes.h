// Fakes for handler tests: in-memory stores and scripted clients, so handlers (functions from
// request to response) run without sockets or databases.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "http/message.h"
#include "http/request_context.h"
#include "services/author/client.h"
#include "services/user/client.h"
#include "store/blog_store.h"
#include "store/user_store.h"
#include "store/username.h"

namespace blogtrace::services::testing {

// Runs one handler coroutine to completion on a private io_context.
template <typename F>
http::Response RunHandler(F handler) {
  boost::asio::io_context io;
  std::optional<http::Response> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out = co_await handler(); },
      boost::asio::detached);
  io.run();
  return out ? *out : http::Response{};
}

// A request with a JSON body (or another content type when given).
inline http::Request JsonRequest(boost::beast::http::verb verb, std::string target,
                                 std::string body, std::string content_type = "application/json") {
  http::Request r{verb, target, 11};
  if (!content_type.empty()) r.set(boost::beast::http::field::content_type, content_type);
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

// Users in a map; usernames unique without regard to ASCII case.
class FakeUserStore final : public store::UserStore {
 public:
  Result<store::User> Create(const telemetry::Context&, const store::NewUser& user) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, u] : users_) {
      if (store::UsernameKey(u.username) == store::UsernameKey(user.username)) {
        return Error::Conflict("exists");
      }
    }
    store::User u{"u" + std::to_string(users_.size() + 1), user.username, user.password_hash,
                  user.permission, std::chrono::system_clock::time_point(std::chrono::seconds(1))};
    users_[u.id] = u;
    return u;
  }
  Result<store::User> FindById(const telemetry::Context&, std::string_view id) override {
    std::lock_guard lock(mu_);
    auto it = users_.find(std::string(id));
    if (it == users_.end()) return Error::NotFound("none");
    return it->second;
  }
  Result<store::User> FindByUsername(const telemetry::Context&,
                                     std::string_view username) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, u] : users_) {
      if (store::UsernameKey(u.username) == store::UsernameKey(username)) return u;
    }
    return Error::NotFound("none");
  }

 private:
  std::mutex mu_;
  std::map<std::string, store::User> users_;
};

// Blogs in a vector, newest last; counts the calls so tests can see what was (not) reached.
class FakeBlogStore final : public store::BlogStore {
 public:
  Result<store::Blog> Create(const telemetry::Context&, const store::NewBlog& blog) override {
    ++calls;
    store::Blog b{"b" + std::to_string(blogs.size() + 1),
                  blog.title,
                  blog.content,
                  blog.author_id,
                  blog.author,
                  std::chrono::system_clock::time_point(std::chrono::seconds(blogs.size() + 1))};
    blogs.push_back(b);
    return b;
  }
  Result<std::int64_t> CreateMany(const telemetry::Context& ctx,
                                  std::span<const store::NewBlog> many) override {
    for (const auto& blog : many) {
      if (!Create(ctx, blog)) return Error::Internal("create failed");
    }
    return static_cast<std::int64_t>(many.size());
  }
  Result<store::Blog> FindById(const telemetry::Context&, std::string_view id) override {
    ++calls;
    for (const auto& b : blogs) {
      if (b.id == id) return b;
    }
    return Error::NotFound("none");
  }
  Result<store::BlogPage> List(const telemetry::Context&, int limit, int offset) override {
    ++calls;
    last_limit = limit;
    last_offset = offset;
    store::BlogPage page;
    page.total = static_cast<std::int64_t>(blogs.size());
    int i = static_cast<int>(blogs.size()) - 1 - offset;
    for (; i >= 0 && limit > 0; --i, --limit) {
      page.blogs.push_back(blogs[i]);
    }
    if (i >= 0 && !page.blogs.empty()) {
      page.next = store::BlogKey{page.blogs.back().created_at, page.blogs.back().id};
    }
    return page;
  }
  // Blogs are created one second apart, so the key's time alone orders them.
  Result<store::BlogPage> ListAfter(const telemetry::Context&, int limit,
                                    const store::BlogKey& after) override {
    ++calls;
    last_limit = limit;
    last_after = after;
    store::BlogPage page;
    page.total = static_cast<std::int64_t>(blogs.size());
    for (int i = static_cast<int>(blogs.size()) - 1; i >= 0; --i) {
      if (blogs[i].created_at >= after.created_at) continue;
      if (static_cast<int>(page.blogs.size()) == limit) {
        page.next = store::BlogKey{page.blogs.back().created_at, page.blogs.back().id};
        break;
      }
      page.blogs.push_back(blogs[i]);
    }
    return page;
  }

  std::vector<store::Blog> blogs;
  int calls = 0;
  int last_limit = -1;
  int last_offset = -1;
  std::optional<store::BlogKey> last_after;
};

// Answers Authorize from a table of token → identity; records what it was asked.
class FakeAuthorClient final : public author::AuthorClient {
 public:
  boost::asio::awaitable<Result<author::Authorization>> Authorize(http::RequestContext&,
                                                                  std::string_view token,
                                                                  Permission permission) override {
    ++calls;
    asked = permission;
    if (down) co_return Error::Unavailable("author service down");
    auto it = tokens.find(std::string(token));
    if (it == tokens.end()) co_return Error::Unauthorized("bad token");
    if (!Grants(it->second.permission, permission)) co_return Error::Forbidden("not enough");
    co_return it->second;
  }

  std::map<std::string, author::Authorization> tokens;
  bool down = false;
  int calls = 0;
  std::optional<Permission> asked;
};

// Answers Verify from a table of username → (password, user).
class FakeUserClient final : public user::UserClient {
 public:
  boost::asio::awaitable<Result<user::UserInfo>> Verify(
      http::RequestContext&, const user::Credentials& credentials) override {
    ++calls;
    if (down) co_return Error::Unavailable("user service down");
    auto it = users.find(credentials.username);
    if (it == users.end() || it->second.first != credentials.password) {
      co_return Error::Unauthorized("wrong username or password");
    }
    co_return it->second.second;
  }

  std::map<std::string, std::pair<std::string, user::UserInfo>> users;
  bool down = false;
  int calls = 0;
};

}  // namespace blogtrace::services::testing
