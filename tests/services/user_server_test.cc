#include "services/user/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fakes.h"

namespace blogtrace::services::user {
namespace {

using namespace services::testing;
namespace bhttp = boost::beast::http;

constexpr char kAdmin[] = "admin-key-0123456789";
constexpr char kInternal[] = "internal-key-0123456789";

class UserServerTest : public ::testing::Test {
 protected:
  UserServerTest() : server_(store_, {kAdmin, kInternal}, pool_, tracer_) {}
  ~UserServerTest() override { pool_.join(); }

  http::Response Create(std::string body, std::optional<std::string> key = kAdmin,
                        std::string type = "application/json") {
    auto request = JsonRequest(bhttp::verb::post, "/users", std::move(body), std::move(type));
    if (key) request.set("X-Admin-Key", *key);
    http::RequestContext ctx;
    return RunHandler([&] { return server_.CreateUser(request, ctx); });
  }
  http::Response Verify(std::string body, std::optional<std::string> key = kInternal) {
    auto request = JsonRequest(bhttp::verb::post, "/users/verify", std::move(body));
    if (key) request.set("X-Internal-Key", *key);
    http::RequestContext ctx;
    return RunHandler([&] { return server_.Verify(request, ctx); });
  }
  http::Response Get(std::string id, std::optional<std::string> key = kAdmin) {
    http::Request request{bhttp::verb::get, "/users/" + id, 11};
    if (key) request.set("X-Admin-Key", *key);
    http::RequestContext ctx;
    ctx.path_params = {{"id", id}};
    return RunHandler([&] { return server_.GetUser(request, ctx); });
  }

  boost::asio::thread_pool pool_{2};
  FakeUserStore store_;
  telemetry::NoopTracer tracer_;
  UserServer server_;
};

TEST_F(UserServerTest, AdminKeyIsCheckedFirst) {
  EXPECT_EQ(Create("garbage", std::nullopt, "text/plain").result_int(), 401u);
  EXPECT_EQ(Create("garbage", "wrong", "text/plain").result_int(), 401u);
  EXPECT_EQ(Create("garbage", std::string(kAdmin) + "x", "text/plain").result_int(), 401u);
  EXPECT_EQ(Create("garbage", kAdmin, "text/plain").result_int(), 415u);
  EXPECT_EQ(Create("garbage").result_int(), 400u);
  EXPECT_EQ(Get("u1", std::nullopt).result_int(), 401u);
}

TEST_F(UserServerTest, CreateStoresAHashAndConflictsIgnoreCase) {
  auto r = Create(R"({"username":"Alice","password":"correct horse","permission":"WRITE"})");
  ASSERT_EQ(r.result_int(), 201u) << r.body();
  auto json = nlohmann::json::parse(r.body());
  EXPECT_EQ(json["username"], "Alice");
  EXPECT_FALSE(json.contains("password_hash"));
  auto stored = store_.FindById({}, json["id"].get<std::string>());
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(stored->password_hash.find("correct horse"), std::string::npos);
  auto again = Create(R"({"username":"alice","password":"other pass","permission":"READ"})");
  EXPECT_EQ(again.result_int(), 409u);
  EXPECT_EQ(Get(json["id"]).result_int(), 200u);
  EXPECT_EQ(Get("nope").result_int(), 404u);
}

TEST_F(UserServerTest, VerifyAnswersTheSameForUnknownUsersAndWrongPasswords) {
  ASSERT_EQ(
      Create(R"({"username":"bob","password":"bob-password","permission":"READ"})").result_int(),
      201u);
  EXPECT_EQ(Verify(R"({"username":"BOB","password":"bob-password"})").result_int(), 200u);
  auto wrong = Verify(R"({"username":"bob","password":"not-bobs"})");
  auto unknown = Verify(R"({"username":"carol","password":"not-bobs"})");
  auto impossible = Verify(R"({"username":"x","password":"y"})");
  EXPECT_EQ(wrong.result_int(), 401u);
  EXPECT_EQ(unknown.result_int(), 401u);
  EXPECT_EQ(impossible.result_int(), 401u);
  EXPECT_EQ(wrong.body(), unknown.body());
  EXPECT_EQ(wrong.body(), impossible.body());
  EXPECT_EQ(Verify(R"({"username":"bob","password":"bob-password"})", std::nullopt).result_int(),
            401u);
  EXPECT_EQ(Verify(R"({"username":"bob","password":"bob-password"})", kAdmin).result_int(), 401u);
  EXPECT_EQ(Verify(R"({"username":"bob"})").result_int(), 400u);
}

}  // namespace
}  // namespace blogtrace::services::user

namespace blogtrace::services::user {
namespace {

TEST(UserServerGiveUp, VerificationsQueuedPastTheCallersPatienceAre503) {
  boost::asio::thread_pool pool(1);
  services::testing::FakeUserStore store;
  telemetry::NoopTracer tracer;
  // Any wait at all is too long: the queued verification is dropped.
  UserServer server(store, {kAdmin, kInternal}, pool, tracer, std::chrono::milliseconds(-1));
  auto request = services::testing::JsonRequest(boost::beast::http::verb::post, "/users/verify",
                                                R"({"username":"bob","password":"bob-password"})");
  request.set("X-Internal-Key", kInternal);
  http::RequestContext ctx;
  auto r = services::testing::RunHandler([&] { return server.Verify(request, ctx); });
  EXPECT_EQ(r.result_int(), 503u);
  EXPECT_EQ(nlohmann::json::parse(r.body())["error"], "unavailable");
  pool.join();
}

}  // namespace
}  // namespace blogtrace::services::user
