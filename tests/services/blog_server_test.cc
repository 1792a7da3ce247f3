#include "services/blog/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes.h"

namespace blogtrace::services::blog {
namespace {

using namespace services::testing;
namespace bhttp = boost::beast::http;

class BlogServerTest : public ::testing::Test {
 protected:
  BlogServerTest() : server_(authors_, blogs_, pool_) {
    authors_.tokens["r"] = {"u1", "reader", Permission::kRead};
    authors_.tokens["w"] = {"u2", "writer", Permission::kWrite};
  }
  ~BlogServerTest() override { pool_.join(); }

  http::Response Call(http::Request request, http::Params query = {}, http::Params path = {}) {
    http::RequestContext ctx;
    ctx.query_params = std::move(query);
    ctx.path_params = std::move(path);
    return RunHandler([&]() -> boost::asio::awaitable<http::Response> {
      if (request.method() == bhttp::verb::post)
        co_return co_await server_.CreateBlog(request, ctx);
      if (!ctx.path_params.empty()) co_return co_await server_.GetBlog(request, ctx);
      co_return co_await server_.ListBlogs(request, ctx);
    });
  }
  static http::Request With(http::Request r, const std::string& token) {
    r.set(bhttp::field::authorization, "Bearer " + token);
    return r;
  }
  static std::string Code(const http::Response& r) {
    return nlohmann::json::parse(r.body()).value("error", "");
  }

  boost::asio::thread_pool pool_{1};
  FakeAuthorClient authors_;
  FakeBlogStore blogs_;
  BlogServer server_;
};

TEST_F(BlogServerTest, CheckOrderAuthenticationPermissionBodyResource) {
  const auto post = [](std::string body, std::string type = "application/json") {
    return JsonRequest(bhttp::verb::post, "/blogs", std::move(body), std::move(type));
  };
  struct Case {
    http::Request request;
    unsigned status;
    const char* why;
  };
  Case cases[] = {
      {post("not json", "text/plain"), 401, "anonymous, bad body"},
      {With(post("not json", "text/plain"), "bogus"), 401, "bad token, bad body"},
      {With(post("not json", "text/plain"), "r"), 403, "READ user, bad body"},
      {With(post("{", ""), "r"), 403, "READ user, no content type"},
      {With(post("x", "text/plain"), "w"), 415, "WRITE user, wrong content type"},
      {With(post("{"), "w"), 400, "WRITE user, broken JSON"},
      {With(post(R"({"title":" ","content":"c"})"), "w"), 400, "blank title"},
      {With(post(R"({"title":"t","content":"c"})"), "w"), 201, "good"},
  };
  for (auto& c : cases) EXPECT_EQ(Call(std::move(c.request)).result_int(), c.status) << c.why;
  EXPECT_EQ(blogs_.blogs.size(), 1u) << "only the good request reached the store";
}

TEST_F(BlogServerTest, AnonymousCallsNeverReachTheAuthorService) {
  EXPECT_EQ(Call(http::Request{bhttp::verb::get, "/blogs", 11}).result_int(), 401u);
  auto malformed = http::Request{bhttp::verb::get, "/blogs", 11};
  malformed.set(bhttp::field::authorization, "Bearer  two-spaces");
  EXPECT_EQ(Call(malformed).result_int(), 401u);
  EXPECT_EQ(authors_.calls, 0);
}

TEST_F(BlogServerTest, AsksForTheRightPermission) {
  Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"));
  EXPECT_EQ(authors_.asked, Permission::kRead);
  Call(With(JsonRequest(bhttp::verb::post, "/blogs", R"({"title":"t","content":"c"})"), "w"));
  EXPECT_EQ(authors_.asked, Permission::kWrite);
}

TEST_F(BlogServerTest, CreatedBlogTakesTheAuthorFromTheTokenNotTheBody) {
  auto r = Call(With(JsonRequest(bhttp::verb::post, "/blogs",
                                 R"({"title":"T","content":"C","author":"mallory",
                                     "author_id":"u9","id":"x"})"),
                     "w"));
  ASSERT_EQ(r.result_int(), 201u);
  auto json = nlohmann::json::parse(r.body());
  EXPECT_EQ(json["author"], "writer");
  EXPECT_EQ(json["author_id"], "u2");
  EXPECT_EQ(json["id"], "b1");
  EXPECT_EQ(json["created_at"], "1970-01-01T00:00:01.000Z");
}

TEST_F(BlogServerTest, AuthorServiceDownIs503) {
  authors_.down = true;
  auto r = Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"));
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_EQ(Code(r), "unavailable");
  EXPECT_EQ(blogs_.calls, 0);
}

TEST_F(BlogServerTest, PagingReachesTheStoreOnlyWhenValid) {
  auto r = Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"), {{"limit", "101"}});
  EXPECT_EQ(r.result_int(), 400u);
  r = Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"),
           {{"limit", "5"}, {"limit", "5"}});
  EXPECT_EQ(r.result_int(), 400u) << "repeated parameter";
  EXPECT_EQ(blogs_.calls, 0);
  r = Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"),
           {{"limit", "7"}, {"offset", "3"}, {"other", "x"}});
  EXPECT_EQ(r.result_int(), 200u);
  EXPECT_EQ(blogs_.last_limit, 7);
  EXPECT_EQ(blogs_.last_offset, 3);
  r = Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"));
  EXPECT_EQ(blogs_.last_limit, 20);
  EXPECT_EQ(blogs_.last_offset, 0);
  EXPECT_EQ(nlohmann::json::parse(r.body()), nlohmann::json::parse(R"({"blogs":[],"total":0})"));
}

TEST_F(BlogServerTest, NextCursorLeadsToTheKeysetPageAndIsAbsentOnTheLast) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(blogs_.Create({}, {"t" + std::to_string(i), "c", "u2", "writer"}).ok());
  }
  const auto list = [&](http::Params query) {
    return Call(With(http::Request{bhttp::verb::get, "/blogs", 11}, "r"), std::move(query));
  };
  auto r = list({{"limit", "2"}});
  ASSERT_EQ(r.result_int(), 200u);
  auto body = nlohmann::json::parse(r.body());
  ASSERT_TRUE(body.contains("next_cursor")) << r.body();
  EXPECT_EQ(body["blogs"].size(), 2u);
  EXPECT_EQ(body["total"], 5);
  std::vector<std::string> titles;
  for (const auto& b : body["blogs"]) titles.push_back(b["title"]);
  int pages = 1;
  while (body.contains("next_cursor") && pages < 5) {
    r = list({{"limit", "2"}, {"cursor", body["next_cursor"].get<std::string>()}});
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    body = nlohmann::json::parse(r.body());
    for (const auto& b : body["blogs"]) titles.push_back(b["title"]);
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(titles, (std::vector<std::string>{"t4", "t3", "t2", "t1", "t0"}));
  ASSERT_TRUE(blogs_.last_after.has_value());

  const int calls = blogs_.calls;
  EXPECT_EQ(list({{"cursor", "garbage"}}).result_int(), 400u);
  EXPECT_EQ(list({{"cursor", "1.a"}, {"offset", "0"}}).result_int(), 400u);
  EXPECT_EQ(list({{"cursor", "1.a"}, {"cursor", "1.a"}}).result_int(), 400u);
  EXPECT_EQ(
      Call(http::Request{bhttp::verb::get, "/blogs", 11}, {{"cursor", "garbage"}}).result_int(),
      401u)
      << "authentication comes before the query";
  EXPECT_EQ(blogs_.calls, calls);
}

TEST_F(BlogServerTest, GetBlogFoundAndNotFound) {
  Call(With(JsonRequest(bhttp::verb::post, "/blogs", R"({"title":"t","content":"c"})"), "w"));
  auto found =
      Call(With(http::Request{bhttp::verb::get, "/blogs/b1", 11}, "r"), {}, {{"id", "b1"}});
  EXPECT_EQ(found.result_int(), 200u);
  auto missing =
      Call(With(http::Request{bhttp::verb::get, "/blogs/b9", 11}, "r"), {}, {{"id", "b9"}});
  EXPECT_EQ(missing.result_int(), 404u);
  EXPECT_EQ(Code(missing), "not_found");
}

}  // namespace
}  // namespace blogtrace::services::blog
