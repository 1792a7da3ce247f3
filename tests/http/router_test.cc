#include "http/router.h"

#include <gtest/gtest.h>

#include "http/url.h"

namespace blogtrace::http {
namespace {

using boost::beast::http::verb;

Handler Named(std::string name) {
  return [name](const Request&, RequestContext&) -> boost::asio::awaitable<Response> {
    Response r;
    r.body() = name;
    co_return r;
  };
}

Router TestRouter() {
  Router r;
  r.Add(verb::get, "/healthz", Named("health"));
  r.Add(verb::post, "/users", Named("create-user"));
  r.Add(verb::get, "/users/{id}", Named("get-user"));
  r.Add(verb::post, "/users/verify", Named("verify"));
  r.Add(verb::get, "/blogs", Named("list-blogs"));
  r.Add(verb::post, "/blogs", Named("create-blog"));
  r.Add(verb::get, "/blogs/{id}", Named("get-blog"));
  r.Add(verb::get, "/api/services/{service}/operations", Named("operations"));
  r.Add(verb::get, "/", Named("root"));
  return r;
}

struct Case {
  verb method;
  std::string path;
  RouteMatch::Kind kind;
  std::string route;
  std::string param_name;
  std::string param_value;
  std::string allow;
};

TEST(RouterTest, MatchesTable) {
  using K = RouteMatch::Kind;
  const std::vector<Case> cases = {
      {verb::get, "/healthz", K::kFound, "/healthz", "", "", ""},
      {verb::head, "/healthz", K::kFound, "/healthz", "", "", ""},
      {verb::get, "/users/42", K::kFound, "/users/{id}", "id", "42", ""},
      {verb::get, "/users/a%20b", K::kFound, "/users/{id}", "id", "a b", ""},
      {verb::post, "/users/verify", K::kFound, "/users/verify", "", "", ""},
      // A parameter route still serves GET for a literal-looking segment.
      {verb::get, "/users/verify", K::kFound, "/users/{id}", "id", "verify", ""},
      {verb::delete_, "/users/42", K::kMethodNotAllowed, "/users/{id}", "", "", "GET, HEAD"},
      {verb::put, "/blogs", K::kMethodNotAllowed, "/blogs", "", "", "GET, HEAD, POST"},
      {verb::get, "/api/services/user/operations", K::kFound, "/api/services/{service}/operations",
       "service", "user", ""},
      {verb::get, "/", K::kFound, "/", "", "", ""},
      {verb::get, "/nope", K::kNotFound, "", "", "", ""},
      {verb::get, "/users/42/extra", K::kNotFound, "", "", "", ""},
      {verb::get, "/users/", K::kNotFound, "", "", "", ""},
      {verb::get, "/healthz/", K::kNotFound, "", "", "", ""},
      {verb::get, "", K::kNotFound, "", "", "", ""},
      {verb::get, "users", K::kNotFound, "", "", "", ""},
      {verb::get, "/users/%zz", K::kNotFound, "", "", "", ""},
  };
  Router router = TestRouter();
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(boost::beast::http::to_string(c.method)) + " " + c.path);
    RouteMatch m = router.Find(c.method, c.path);
    EXPECT_EQ(m.kind, c.kind);
    if (c.kind != K::kNotFound) {
      EXPECT_EQ(m.route, c.route);
    }
    if (!c.param_name.empty()) {
      ASSERT_EQ(m.params.size(), 1u);
      EXPECT_EQ(m.params[0].first, c.param_name);
      EXPECT_EQ(m.params[0].second, c.param_value);
    }
    if (c.kind == K::kFound) {
      EXPECT_NE(m.handler, nullptr);
    }
    EXPECT_EQ(m.allow, c.allow);
  }
}

TEST(RouterTest, RejectsMalformedAndDuplicatePatterns) {
  Router r;
  EXPECT_THROW(r.Add(verb::get, "users", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add(verb::get, "/users/{id", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add(verb::get, "/users/{}", Named("x")), std::invalid_argument);
  r.Add(verb::get, "/users/{id}", Named("x"));
  EXPECT_THROW(r.Add(verb::get, "/users/{id}", Named("y")), std::invalid_argument);
}

TEST(UrlTest, ParsesQueries) {
  Params q = ParseQuery("limit=20&offset=&q=a+b%2Fc&flag&bad=%zz&&x=%E2%82%AC");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"limit", "20"}));
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"offset", ""}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"q", "a b/c"}));
  EXPECT_EQ(q[3], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(q[4], (std::pair<std::string, std::string>{"x", "\xE2\x82\xAC"}));
  EXPECT_EQ(SplitTarget("/a/b?c=d").first, "/a/b");
  EXPECT_EQ(SplitTarget("/a/b?c=d").second, "c=d");
  EXPECT_EQ(PercentDecode("a%2", false), std::nullopt);
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentEncode("a b/é"), "a%20b%2F%C3%A9");
}

}  // namespace
}  // namespace blogtrace::http
