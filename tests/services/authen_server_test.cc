#include "services/authen/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/base64url.h"
#include "auth/jwt_verifier.h"
#include "fakes.h"

namespace blogtrace::services::authen {
namespace {

using namespace services::testing;
namespace bhttp = boost::beast::http;

class AuthenServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new auth::KeyPair(std::move(auth::GenerateKeyPair().value()));
  }
  static void TearDownTestSuite() { delete keys_; }

  AuthenServerTest()
      : signer_(*keys_, std::chrono::seconds(900), SystemClock::Instance()),
        server_(users_, signer_, *keys_, tracer_) {
    users_.users["alice"] = {"alice-password", {"u1", "alice", Permission::kWrite, ""}};
  }

  http::Response Login(std::string body, std::string type = "application/json") {
    auto request = JsonRequest(bhttp::verb::post, "/login", std::move(body), std::move(type));
    http::RequestContext ctx;
    return RunHandler([&] { return server_.Login(request, ctx); });
  }

  static inline auth::KeyPair* keys_ = nullptr;
  FakeUserClient users_;
  auth::JwtSigner signer_;
  telemetry::NoopTracer tracer_;
  AuthenServer server_;
};

TEST_F(AuthenServerTest, LoginIssuesATokenTheVerifierAccepts) {
  auto r = Login(R"({"username":"alice","password":"alice-password"})");
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  auto json = nlohmann::json::parse(r.body());
  EXPECT_EQ(json["token_type"], "Bearer");
  EXPECT_EQ(json["expires_in"], 900);
  auth::JwtVerifier verifier(*keys_, SystemClock::Instance());
  auto verified = verifier.Verify(json["token"].get<std::string>());
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified.claims().sub, "u1");
  EXPECT_EQ(verified.claims().name, "alice");
  EXPECT_EQ(verified.claims().permission, "WRITE");
}

TEST_F(AuthenServerTest, Refusals) {
  EXPECT_EQ(Login(R"({"username":"alice","password":"nope-nope"})").result_int(), 401u);
  EXPECT_EQ(Login(R"({"username":"alice"})").result_int(), 400u);
  EXPECT_EQ(Login("{", "application/json").result_int(), 400u);
  EXPECT_EQ(Login("x", "text/plain").result_int(), 415u);
  EXPECT_EQ(users_.calls, 1) << "malformed requests never reach the user service";
  users_.down = true;
  auto down = Login(R"({"username":"alice","password":"alice-password"})");
  EXPECT_EQ(down.result_int(), 503u);
  EXPECT_EQ(nlohmann::json::parse(down.body())["error"], "unavailable");
}

TEST_F(AuthenServerTest, JwksHasTheTokensKid) {
  http::Request request{bhttp::verb::get, "/.well-known/jwks.json", 11};
  http::RequestContext ctx;
  auto r = RunHandler([&] { return server_.Jwks(request, ctx); });
  auto json = nlohmann::json::parse(r.body());
  EXPECT_EQ(json["keys"][0]["kid"], keys_->kid());
  EXPECT_EQ(json["keys"][0]["alg"], "RS256");
}

}  // namespace
}  // namespace blogtrace::services::authen
