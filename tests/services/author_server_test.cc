#include "services/author/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/jwt_signer.h"
#include "fakes.h"

namespace blogtrace::services::author {
namespace {

using namespace services::testing;
namespace bhttp = boost::beast::http;

class AuthorServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new auth::KeyPair(std::move(auth::GenerateKeyPair().value()));
  }
  static void TearDownTestSuite() { delete keys_; }

  AuthorServerTest()
      : clock_(std::chrono::system_clock::now()),
        signer_(*keys_, std::chrono::seconds(3600), clock_),
        verifier_(*keys_, clock_),
        server_(verifier_, noop_tracer_) {}

  http::Response Authorize(std::optional<std::string> authorization, std::string body,
                           std::string type = "application/json") {
    auto request = JsonRequest(bhttp::verb::post, "/authorize", std::move(body), std::move(type));
    if (authorization) request.set(bhttp::field::authorization, *authorization);
    http::RequestContext ctx;
    return RunHandler([&] { return server_.Authorize(request, ctx); });
  }
  std::string Token(const char* permission) { return *signer_.Sign("u1", "alice", permission); }

  static inline auth::KeyPair* keys_ = nullptr;
  ManualClock clock_;
  auth::JwtSigner signer_;
  auth::JwtVerifier verifier_;
  telemetry::NoopTracer noop_tracer_;
  AuthorServer server_;
};

TEST_F(AuthorServerTest, Table) {
  const std::string read = "Bearer " + Token("READ");
  const std::string write = "Bearer " + Token("WRITE");
  struct Case {
    std::optional<std::string> authorization;
    std::string body;
    std::string type;
    unsigned status;
    const char* why;
  };
  const Case cases[] = {
      {read, R"({"permission":"READ"})", "application/json", 200, "READ asks READ"},
      {write, R"({"permission":"READ"})", "application/json", 200, "WRITE includes READ"},
      {write, R"({"permission":"WRITE"})", "application/json", 200, "WRITE asks WRITE"},
      {read, R"({"permission":"WRITE"})", "application/json", 403, "READ asks WRITE"},
      {std::nullopt, R"({"permission":"READ"})", "application/json", 401, "no header"},
      {std::nullopt, "junk", "text/plain", 401, "no header, bad body"},
      {"Bearer abc.def.ghi", "junk", "text/plain", 401, "bad token, bad body"},
      {"Token " + Token("READ"), R"({"permission":"READ"})", "application/json", 401, "scheme"},
      {read, R"({})", "application/json", 400, "missing permission"},
      {read, R"({"permission":"OWNER"})", "application/json", 400, "unknown permission"},
      {read, R"({"permission":"READ"})", "text/plain", 415, "content type"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Authorize(c.authorization, c.body, c.type).result_int(), c.status) << c.why;
  }
}

TEST_F(AuthorServerTest, ExpiredTokensAfterTheLeeway) {
  const std::string token = "Bearer " + Token("READ");
  clock_.Advance(std::chrono::seconds(3600 + 30));
  EXPECT_EQ(Authorize(token, R"({"permission":"READ"})").result_int(), 200u) << "within leeway";
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_EQ(Authorize(token, R"({"permission":"READ"})").result_int(), 401u);
}

TEST_F(AuthorServerTest, AnswerNamesTheUser) {
  auto r = Authorize("Bearer " + Token("WRITE"), R"({"permission":"READ"})");
  EXPECT_EQ(nlohmann::json::parse(r.body()),
            nlohmann::json::parse(
                R"({"allowed":true,"user":{"id":"u1","username":"alice","permission":"WRITE"}})"));
}

}  // namespace
}  // namespace blogtrace::services::author
