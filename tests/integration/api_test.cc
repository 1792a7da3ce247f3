// Every row of ../shared/API.md against the real processes (`blogtrace serve <name>`) over
// loopback: the conventions, each endpoint, each status and error code, the validation limits,
// the check order, and the three kinds of caller (anonymous, READ, WRITE).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "support/http_client.h"
#include "support/system.h"
#include "support/tokens.h"

namespace blogtrace::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    system_ = new System();
    ASSERT_TRUE(system_->StartAll());
    reader_id_ = system_->CreateUser("reader", "reader-password", "READ");
    writer_id_ = system_->CreateUser("Writer", "writer-password", "WRITE");
    ASSERT_FALSE(reader_id_.empty());
    ASSERT_FALSE(writer_id_.empty());
    read_token_ = system_->Login("reader", "reader-password");
    write_token_ = system_->Login("writer", "writer-password");
    ASSERT_FALSE(read_token_.empty());
    ASSERT_FALSE(write_token_.empty());
  }
  static void TearDownTestSuite() {
    delete system_;
    system_ = nullptr;
  }

  static Headers Admin() { return {{"X-Admin-Key", system_->AdminKey()}}; }
  static Headers Internal() { return {{"X-Internal-Key", system_->InternalKey()}}; }
  static Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

  // Asserts the contract's error shape and code.
  static void ExpectError(const HttpReply& reply, int status, const std::string& code) {
    EXPECT_EQ(reply.status, status) << reply.body << reply.transport_error;
    auto json = reply.Json();
    ASSERT_TRUE(json.is_object()) << reply.body;
    EXPECT_EQ(json.value("error", ""), code) << reply.body;
    EXPECT_TRUE(json.contains("message") && json["message"].is_string()) << reply.body;
    EXPECT_TRUE(reply.Header("traceresponse").has_value()) << "status " << reply.status;
  }

  // The status POST /authorize {"permission":"READ"} answers for `token`.
  static int Authorize(const std::string& token) {
    return PostJson(system_->author(), "/authorize", R"({"permission":"READ"})", Bearer(token))
        .status;
  }

  static std::string NewBlog(const std::string& title, const std::string& content = "content") {
    auto reply = PostJson(system_->blog(), "/blogs",
                          nlohmann::json{{"title", title}, {"content", content}}.dump(),
                          Bearer(write_token_));
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.Json().value("id", "");
  }

  static inline System* system_ = nullptr;
  static inline std::string reader_id_, writer_id_, read_token_, write_token_;
};

const std::regex kTraceResponse("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
const std::regex kRfc3339Utc(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z)");

// --- Conventions -------------------------------------------------------------------------------

TEST_F(ApiTest, HealthzOnEveryServiceNeedsNoCredentials) {
  for (const char* name : System::kNames) {
    auto reply = Get(system_->Address(name), "/healthz");
    EXPECT_EQ(reply.status, 200) << name;
    EXPECT_EQ(reply.Json(), nlohmann::json({{"status", "ok"}})) << name;
    auto tr = reply.Header("traceresponse");
    ASSERT_TRUE(tr) << name;
    EXPECT_TRUE(std::regex_match(*tr, kTraceResponse)) << *tr;
  }
}

TEST_F(ApiTest, UnknownPathIs404WithTraceresponse) {
  for (const char* name : System::kNames) {
    ExpectError(Get(system_->Address(name), "/nope"), 404, "not_found");
  }
}

TEST_F(ApiTest, WrongMethodIs405WithAllow) {
  struct Case {
    HostPort address;
    std::string method, target, allow_has;
  };
  const Case cases[] = {
      {system_->user(), "DELETE", "/users", "POST"},
      {system_->user(), "PUT", "/users/x", "GET"},
      {system_->authen(), "GET", "/login", "POST"},
      {system_->authen(), "POST", "/.well-known/jwks.json", "GET"},
      {system_->author(), "GET", "/authorize", "POST"},
      {system_->blog(), "DELETE", "/blogs", "GET"},
      {system_->blog(), "POST", "/blogs/x", "GET"},
  };
  for (const auto& c : cases) {
    auto reply = Send(c.address, {c.method, c.target, {}, ""});
    ExpectError(reply, 405, "method_not_allowed");
    auto allow = reply.Header("Allow");
    ASSERT_TRUE(allow) << c.target;
    EXPECT_NE(allow->find(c.allow_has), std::string::npos) << *allow;
  }
}

TEST_F(ApiTest, BodyOver1MiBIs413BeforeAuthentication) {
  std::string big(2 * 1024 * 1024, 'x');
  // No admin key: the limit still answers first.
  auto reply =
      Send(system_->user(), {"POST", "/users", {{"Content-Type", "application/json"}}, big});
  ExpectError(reply, 413, "payload_too_large");
  reply = Send(system_->blog(), {"POST", "/blogs", {{"Content-Type", "application/json"}}, big});
  ExpectError(reply, 413, "payload_too_large");
}

TEST_F(ApiTest, HugeHeadersAre431BeforeAuthentication) {
  auto reply =
      Send(system_->blog(), {"GET", "/blogs", {{"X-Big", std::string(20 * 1024, 'a')}}, ""});
  ExpectError(reply, 431, "headers_too_large");
  Headers many;
  for (int i = 0; i < 120; ++i) many.emplace_back("X-H" + std::to_string(i), "v");
  ExpectError(Send(system_->author(), {"GET", "/healthz", many, ""}), 431, "headers_too_large");
}

TEST_F(ApiTest, TraceparentIsJoinedAndInvalidOnesIgnored) {
  const std::string trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  auto reply =
      Get(system_->blog(), "/healthz", {{"traceparent", "00-" + trace + "-00f067aa0ba902b7-01"}});
  auto tr = reply.Header("traceresponse");
  ASSERT_TRUE(tr);
  EXPECT_EQ(tr->substr(3, 32), trace);
  EXPECT_NE(tr->substr(36, 16), "00f067aa0ba902b7") << "the span id must be the server's own";

  for (std::string bad : {"00-" + std::string(32, '0') + "-00f067aa0ba902b7-01",
                          std::string("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"),
                          "ff-" + trace + "-00f067aa0ba902b7-01", "00-" + trace + "-01"}) {
    auto r = Get(system_->blog(), "/healthz", {{"traceparent", bad}});
    ASSERT_TRUE(r.Header("traceresponse")) << bad;
    EXPECT_NE(r.Header("traceresponse")->substr(3, 32), trace) << bad;
  }
}

// --- User service ------------------------------------------------------------------------------

TEST_F(ApiTest, CreateUserReturnsTheUserWithoutTheHash) {
  auto reply = PostJson(system_->user(), "/users",
                        R"({"username":"Carol.x-1","password":"carol-password","permission":"READ",
          "id":"mine","created_at":"1999-01-01T00:00:00Z","password_hash":"x","extra":1})",
                        Admin());
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto json = reply.Json();
  EXPECT_EQ(json.size(), 4u) << reply.body;
  EXPECT_EQ(json["username"], "Carol.x-1");
  EXPECT_EQ(json["permission"], "READ");
  EXPECT_NE(json["id"], "mine");
  EXPECT_TRUE(std::regex_match(json["created_at"].get<std::string>(), kRfc3339Utc));
  EXPECT_NE(json["created_at"], "1999-01-01T00:00:00Z");
  EXPECT_EQ(reply.body.find("argon2"), std::string::npos);
  EXPECT_TRUE(reply.Header("traceresponse"));

  auto fetched = Get(system_->user(), "/users/" + json["id"].get<std::string>(), Admin());
  EXPECT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.Json(), json);
}

TEST_F(ApiTest, CreateUserRefusesWithoutTheAdminKeyBeforeLookingAtTheBody) {
  const std::string good = R"({"username":"dave1","password":"dave-password","permission":"READ"})";
  ExpectError(PostJson(system_->user(), "/users", good), 401, "unauthorized");
  ExpectError(PostJson(system_->user(), "/users", good, {{"X-Admin-Key", "wrong-wrong-wrong"}}),
              401, "unauthorized");
  ExpectError(
      PostJson(system_->user(), "/users", good, {{"X-Admin-Key", system_->AdminKey() + "x"}}), 401,
      "unauthorized");
  // Wrong key and a bad body: 401, not 400/415.
  ExpectError(PostJson(system_->user(), "/users", "{not json", {{"X-Admin-Key", "nope-nope-nope"}}),
              401, "unauthorized");
  ExpectError(Send(system_->user(), {"POST", "/users", {}, "plain"}), 401, "unauthorized");
}

TEST_F(ApiTest, CreateUserBodyChecks) {
  auto admin = Admin();
  // 415: no or another content type.
  ExpectError(Send(system_->user(), {"POST", "/users", admin, R"({"username":"eve12"})"}), 415,
              "unsupported_media_type");
  auto text = admin;
  text.emplace_back("Content-Type", "text/plain");
  ExpectError(Send(system_->user(), {"POST", "/users", text, "{}"}), 415, "unsupported_media_type");
  // 400: not JSON, not UTF-8, not an object.
  ExpectError(PostJson(system_->user(), "/users", "{", admin), 400, "bad_request");
  ExpectError(
      PostJson(system_->user(), "/users",
               "{\"username\":\"ab\xff\xfe\",\"password\":\"password1\",\"permission\":\"READ\"}",
               admin),
      400, "bad_request");
  ExpectError(PostJson(system_->user(), "/users", "[]", admin), 400, "bad_request");

  struct Case {
    nlohmann::json username, password, permission;
    int status;
  };
  const std::string p8 = "12345678", p128(128, 'p');
  const Case cases[] = {
      {"ab", p8, "READ", 400},
      {"abc", p8, "READ", 201},
      {std::string(64, 'a'), p8, "READ", 201},
      {std::string(65, 'b'), p8, "READ", 400},
      {"with space", p8, "READ", 400},
      {"semi;colon", p8, "READ", 400},
      {"caf\xc3\xa9", p8, "READ", 400},
      {42, p8, "READ", 400},
      {nullptr, p8, "READ", 400},
      {"pw7bytes", "1234567", "READ", 400},
      {"pw8bytes", p8, "WRITE", 201},
      {"pw128bytes", p128, "READ", 201},
      {"pw129bytes", p128 + "p", "READ", 400},
      // 4 two-byte characters: 8 bytes, accepted although only 4 characters.
      {"pwutf8", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", "READ", 201},
      {"pwnumber", 12345678, "READ", 400},
      {"permnone", p8, nullptr, 400},
      {"permlower", p8, "read", 400},
      {"permadmin", p8, "ADMIN", 400},
  };
  for (const auto& c : cases) {
    nlohmann::json body = nlohmann::json::object();
    if (!c.username.is_null()) body["username"] = c.username;
    body["password"] = c.password;
    if (!c.permission.is_null()) body["permission"] = c.permission;
    auto reply = PostJson(system_->user(), "/users", body.dump(), admin);
    EXPECT_EQ(reply.status, c.status) << body.dump() << " -> " << reply.body;
    if (c.status == 400) {
      EXPECT_EQ(reply.Json().value("error", ""), "bad_request");
    }
  }
}

TEST_F(ApiTest, UsernamesConflictWithoutRegardToCase) {
  ASSERT_FALSE(system_->CreateUser("Frank", "frank-password", "READ").empty());
  for (const char* name : {"Frank", "frank", "FRANK"}) {
    auto reply = PostJson(
        system_->user(), "/users",
        nlohmann::json{{"username", name}, {"password", "other-password"}, {"permission", "WRITE"}}
            .dump(),
        Admin());
    ExpectError(reply, 409, "conflict");
  }
  // The name is kept as given, and login ignores case.
  EXPECT_FALSE(system_->Login("fRANK", "frank-password").empty());
}

TEST_F(ApiTest, GetUser) {
  auto reply = Get(system_->user(), "/users/" + reader_id_, Admin());
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Json()["username"], "reader");
  EXPECT_EQ(reply.Json()["permission"], "READ");
  EXPECT_FALSE(reply.Json().contains("password_hash"));
  ExpectError(Get(system_->user(), "/users/no-such-id", Admin()), 404, "not_found");
  ExpectError(Get(system_->user(), "/users/" + reader_id_), 401, "unauthorized");
  ExpectError(Get(system_->user(), "/users/no-such-id", {{"X-Admin-Key", "bad-bad-bad-bad"}}), 401,
              "unauthorized");
}

TEST_F(ApiTest, VerifyNeedsTheInternalKeyAndAnswersTheSameForUnknownUsers) {
  const std::string good = R"({"username":"READER","password":"reader-password"})";
  auto ok = PostJson(system_->user(), "/users/verify", good, Internal());
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["id"], reader_id_);
  EXPECT_FALSE(ok.Json().contains("password_hash"));

  ExpectError(PostJson(system_->user(), "/users/verify", good), 401, "unauthorized");
  ExpectError(PostJson(system_->user(), "/users/verify", good, Admin()), 401, "unauthorized");
  auto wrong = PostJson(system_->user(), "/users/verify",
                        R"({"username":"reader","password":"wrong-password"})", Internal());
  auto unknown = PostJson(system_->user(), "/users/verify",
                          R"({"username":"nobody-here","password":"wrong-password"})", Internal());
  ExpectError(wrong, 401, "unauthorized");
  ExpectError(unknown, 401, "unauthorized");
  EXPECT_EQ(wrong.body, unknown.body);
  ExpectError(PostJson(system_->user(), "/users/verify", R"({"username":"reader"})", Internal()),
              400, "bad_request");
  ExpectError(PostJson(system_->user(), "/users/verify", "nope", Internal()), 400, "bad_request");
}

// --- Authen service ----------------------------------------------------------------------------

TEST_F(ApiTest, LoginIssuesAnRs256TokenWithTheContractsClaims) {
  auto reply = PostJson(system_->authen(), "/login",
                        R"({"username":"WRITER","password":"writer-password","extra":true})");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto json = reply.Json();
  EXPECT_EQ(json["token_type"], "Bearer");
  EXPECT_EQ(json["expires_in"], 3600);
  std::string token = json["token"];
  auto header = DecodeSegment(token, 0);
  auto claims = DecodeSegment(token, 1);
  EXPECT_EQ(header["alg"], "RS256");
  EXPECT_EQ(header["typ"], "JWT");
  EXPECT_EQ(claims["iss"], "blog-authen");
  EXPECT_EQ(claims["aud"], "blog");
  EXPECT_EQ(claims["sub"], writer_id_);
  EXPECT_EQ(claims["name"], "Writer");
  EXPECT_EQ(claims["permission"], "WRITE");
  EXPECT_EQ(claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>(), 3600);
  EXPECT_TRUE(claims["jti"].is_string());

  auto again = PostJson(system_->authen(), "/login",
                        R"({"username":"writer","password":"writer-password"})");
  EXPECT_NE(DecodeSegment(again.Json()["token"], 1)["jti"], claims["jti"]);

  auto jwks = Get(system_->authen(), "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  ASSERT_EQ(jwks.Json()["keys"].size(), 1u);
  auto key = jwks.Json()["keys"][0];
  EXPECT_EQ(key["kty"], "RSA");
  EXPECT_EQ(key["use"], "sig");
  EXPECT_EQ(key["alg"], "RS256");
  EXPECT_EQ(key["kid"], header["kid"]);
  EXPECT_TRUE(key["n"].is_string() && key["e"].is_string());
  EXPECT_FALSE(key.contains("d")) << "no private parts";
}

TEST_F(ApiTest, LoginRefusals) {
  auto wrong = PostJson(system_->authen(), "/login",
                        R"({"username":"reader","password":"not-the-password"})");
  auto unknown = PostJson(system_->authen(), "/login",
                          R"({"username":"ghost","password":"not-the-password"})");
  ExpectError(wrong, 401, "unauthorized");
  ExpectError(unknown, 401, "unauthorized");
  EXPECT_EQ(wrong.body, unknown.body);
  ExpectError(PostJson(system_->authen(), "/login", R"({"username":"reader"})"), 400,
              "bad_request");
  ExpectError(PostJson(system_->authen(), "/login", R"({"username":1,"password":"x"})"), 400,
              "bad_request");
  ExpectError(PostJson(system_->authen(), "/login", "{]"), 400, "bad_request");
  ExpectError(Send(system_->authen(), {"POST", "/login", {}, R"({"username":"a","password":"b"})"}),
              415, "unsupported_media_type");
}

// --- Author service ----------------------------------------------------------------------------

TEST_F(ApiTest, AuthorizeGrantsWhatTheTokenHolds) {
  auto read =
      PostJson(system_->author(), "/authorize", R"({"permission":"READ"})", Bearer(read_token_));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json(),
            nlohmann::json(
                {{"allowed", true},
                 {"user", {{"id", reader_id_}, {"username", "reader"}, {"permission", "READ"}}}}));
  EXPECT_EQ(
      PostJson(system_->author(), "/authorize", R"({"permission":"READ"})", Bearer(write_token_))
          .status,
      200);
  EXPECT_EQ(
      PostJson(system_->author(), "/authorize", R"({"permission":"WRITE"})", Bearer(write_token_))
          .status,
      200);
  ExpectError(
      PostJson(system_->author(), "/authorize", R"({"permission":"WRITE"})", Bearer(read_token_)),
      403, "forbidden");
}

TEST_F(ApiTest, AuthorizeChecksTheTokenBeforeTheBody) {
  ExpectError(PostJson(system_->author(), "/authorize", R"({"permission":"READ"})"), 401,
              "unauthorized");
  ExpectError(PostJson(system_->author(), "/authorize", "garbage", Bearer("x.y.z")), 401,
              "unauthorized");
  ExpectError(PostJson(system_->author(), "/authorize", "{}", Bearer(write_token_)), 400,
              "bad_request");
  ExpectError(
      PostJson(system_->author(), "/authorize", R"({"permission":"ADMIN"})", Bearer(write_token_)),
      400, "bad_request");
  ExpectError(
      PostJson(system_->author(), "/authorize", R"({"permission":"write"})", Bearer(write_token_)),
      400, "bad_request");
  ExpectError(Send(system_->author(), {"POST", "/authorize", Bearer(write_token_), "{}"}), 415,
              "unsupported_media_type");
}

// Whitespace before or after a header value is optional whitespace in HTTP (RFC 9110 5.5): it is
// not part of the value, so "Bearer <t> " arrives as "Bearer <t>" and is not tested here.
TEST_F(ApiTest, BearerHeaderMustBeExact) {
  struct Case {
    std::string header;
    int status;
  };
  const Case cases[] = {
      {"Bearer " + read_token_, 200},
      {"bearer " + read_token_, 200},
      {"BEARER " + read_token_, 200},
      {"Bearer  " + read_token_, 401},
      {"Bearer\t" + read_token_, 401},
      {"Bearer " + read_token_ + " " + read_token_, 401},
      {"Bearer", 401},
      {"Bearer ", 401},
      {"Basic " + read_token_, 401},
      {read_token_, 401},
  };
  for (const auto& c : cases) {
    auto reply = PostJson(system_->author(), "/authorize", R"({"permission":"READ"})",
                          {{"Authorization", c.header}});
    EXPECT_EQ(reply.status, c.status) << "'" << c.header.substr(0, 12) << "...'";
    auto blog = Get(system_->blog(), "/blogs", {{"Authorization", c.header}});
    EXPECT_EQ(blog.status, c.status) << "blog: '" << c.header.substr(0, 12) << "...'";
  }
}

TEST_F(ApiTest, ForgedTokensAreRefused) {
  TokenForge forge(system_->data_dir());
  ASSERT_TRUE(forge.ok());
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  nlohmann::json claims = {{"iss", "blog-authen"}, {"aud", "blog"},         {"sub", writer_id_},
                           {"name", "Writer"},     {"permission", "WRITE"}, {"iat", now},
                           {"exp", now + 600},     {"jti", "forged"}};
  nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", forge.kid()}};
  // The forge itself must be right, or the refusals below prove nothing.
  ASSERT_EQ(Authorize(forge.Sign(header, claims)), 200);

  auto with = [](nlohmann::json j, const std::string& key, nlohmann::json value) {
    j[key] = std::move(value);
    return j;
  };
  auto without = [](nlohmann::json j, const std::string& key) {
    j.erase(key);
    return j;
  };
  struct Case {
    std::string why;
    std::string token;
  };
  const Case cases[] = {
      {"alg none", forge.Unsigned(with(header, "alg", "none"), claims)},
      {"HS256 keyed with the public key",
       forge.Hs256WithPublicKey(with(header, "alg", "HS256"), claims)},
      {"RS512 label", forge.Sign(with(header, "alg", "RS512"), claims)},
      {"expired", forge.Sign(header, with(with(claims, "exp", now - 120), "iat", now - 700))},
      {"no exp", forge.Sign(header, without(claims, "exp"))},
      {"exp as string", forge.Sign(header, with(claims, "exp", std::to_string(now + 600)))},
      {"not yet valid", forge.Sign(header, with(claims, "nbf", now + 300))},
      {"issued in the future", forge.Sign(header, with(claims, "iat", now + 300))},
      {"other issuer", forge.Sign(header, with(claims, "iss", "evil"))},
      {"no issuer", forge.Sign(header, without(claims, "iss"))},
      {"other audience", forge.Sign(header, with(claims, "aud", "other"))},
      {"no audience", forge.Sign(header, without(claims, "aud"))},
      {"other kid", forge.Sign(with(header, "kid", "another-key"), claims)},
      {"crit header", forge.Sign(with(header, "crit", nlohmann::json::array({"exp"})), claims)},
      {"signed by another key, our kid", forge.SignWithStrangerKey(header, claims)},
      {"stranger key announced in jwk",
       forge.SignWithStrangerKey(with(header, "jwk", forge.StrangerJwk()), claims)},
      {"jku pointing elsewhere",
       forge.SignWithStrangerKey(with(header, "jku", "http://127.0.0.1:1/jwks.json"), claims)},
      {"payload tampered after signing", forge.Tampered(header, claims)},
      {"signature stripped",
       forge.Sign(header, claims).substr(0, forge.Sign(header, claims).rfind('.') + 1)},
      {"garbage", "not-a-token"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Authorize(c.token), 401) << c.why;
    EXPECT_EQ(Get(system_->blog(), "/blogs", Bearer(c.token)).status, 401) << "blog: " << c.why;
  }
  // Within the 60 s leeway a just-expired token still passes.
  EXPECT_EQ(Authorize(forge.Sign(header, with(claims, "exp", now - 20))), 200);
}

// --- Blog service ------------------------------------------------------------------------------

TEST_F(ApiTest, AnonymousAndBadTokensGet401OnEveryBlogCall) {
  for (const Headers& headers : {Headers{}, Bearer("bad.token.here"), Bearer(write_token_ + "x")}) {
    ExpectError(Get(system_->blog(), "/blogs", headers), 401, "unauthorized");
    ExpectError(Get(system_->blog(), "/blogs/some-id", headers), 401, "unauthorized");
    ExpectError(PostJson(system_->blog(), "/blogs", R"({"title":"t","content":"c"})", headers), 401,
                "unauthorized");
    // Check order: authentication before the body and the query.
    ExpectError(Send(system_->blog(), {"POST", "/blogs", headers, "not json"}), 401,
                "unauthorized");
    ExpectError(Get(system_->blog(), "/blogs?limit=abc", headers), 401, "unauthorized");
  }
}

TEST_F(ApiTest, ReadUserMayReadButNotWrite) {
  auto id = NewBlog("For readers");
  auto got = Get(system_->blog(), "/blogs/" + id, Bearer(read_token_));
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Get(system_->blog(), "/blogs", Bearer(read_token_)).status, 200);
  ExpectError(
      PostJson(system_->blog(), "/blogs", R"({"title":"t","content":"c"})", Bearer(read_token_)),
      403, "forbidden");
  // Check order: permission before the body (403, not 415 or 400).
  ExpectError(Send(system_->blog(), {"POST", "/blogs", Bearer(read_token_), "not json"}), 403,
              "forbidden");
  ExpectError(PostJson(system_->blog(), "/blogs", "{", Bearer(read_token_)), 403, "forbidden");
}

TEST_F(ApiTest, WriteUserCreatesABlogAndReadsItBack) {
  auto reply = PostJson(system_->blog(), "/blogs",
                        R"({"title":"Hello \u00e9t\u00e9","content":"Line one\nLine two\tend",
                            "id":"mine","author":"mallory","author_id":"x",
                            "created_at":"1999-01-01T00:00:00Z","tags":["ignored"]})",
                        Bearer(write_token_));
  ASSERT_EQ(reply.status, 201) << reply.body;
  auto blog = reply.Json();
  EXPECT_EQ(blog.size(), 6u);
  EXPECT_EQ(blog["title"], "Hello \xc3\xa9t\xc3\xa9");
  EXPECT_EQ(blog["content"], "Line one\nLine two\tend");
  EXPECT_NE(blog["id"], "mine");
  EXPECT_EQ(blog["author"], "Writer");
  EXPECT_EQ(blog["author_id"], writer_id_);
  EXPECT_TRUE(std::regex_match(blog["created_at"].get<std::string>(), kRfc3339Utc));

  auto got = Get(system_->blog(), "/blogs/" + blog["id"].get<std::string>(), Bearer(write_token_));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.Json(), blog);
  auto listed = Get(system_->blog(), "/blogs?limit=1", Bearer(read_token_));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.Json()["blogs"][0], blog) << "newest first";
  ExpectError(Get(system_->blog(), "/blogs/no-such-blog", Bearer(read_token_)), 404, "not_found");
}

TEST_F(ApiTest, BlogValidation) {
  std::string title200, title201;
  for (int i = 0; i < 200; ++i) title200 += "\xe2\x82\xac";  // 200 code points, 600 bytes
  title201 = title200 + "x";
  struct Case {
    nlohmann::json title, content;
    int status;
    std::string why;
  };
  const Case cases[] = {
      {title200, "c", 201, "200-character title"},
      {title201, "c", 400, "201-character title"},
      {"t", std::string(20000, 'c'), 201, "20,000-character content"},
      {"t", std::string(20001, 'c'), 400, "20,001-character content"},
      {"", "c", 400, "empty title"},
      {"   \t\n", "c", 400, "blank title"},
      {"\xe3\x80\x80\xc2\xa0", "c", 400, "Unicode-blank title"},
      {"t", "", 400, "empty content"},
      {"t", " \r\n ", 400, "blank content"},
      {"a\x01", "c", 400, "C0 control in title"},
      {"t", "c\x1b[0m", 400, "escape in content"},
      {"t", "c\x7f", 400, "DEL in content"},
      {"t", "c\xc2\x9b", 400, "C1 control in content"},
      {"t", "tab\tLF\nCR\r", 201, "allowed controls"},
      {42, "c", 400, "number title"},
      {"t", true, 400, "boolean content"},
      {nullptr, "c", 400, "null title"},
  };
  for (const auto& c : cases) {
    nlohmann::json body = {{"title", c.title}, {"content", c.content}};
    auto reply = PostJson(system_->blog(), "/blogs", body.dump(), Bearer(write_token_));
    EXPECT_EQ(reply.status, c.status) << c.why << ": " << reply.body;
  }
  ExpectError(PostJson(system_->blog(), "/blogs", R"({"content":"c"})", Bearer(write_token_)), 400,
              "bad_request");
  ExpectError(PostJson(system_->blog(), "/blogs", "[1]", Bearer(write_token_)), 400, "bad_request");
  ExpectError(PostJson(system_->blog(), "/blogs", "{\"title\":\"\xc3\x28\",\"content\":\"c\"}",
                       Bearer(write_token_)),
              400, "bad_request");
  ExpectError(Send(system_->blog(), {"POST", "/blogs", Bearer(write_token_), R"({"title":"t"})"}),
              415, "unsupported_media_type");
}

TEST_F(ApiTest, PagingIsStrictAndPagesNeverOverlap) {
  for (const char* bad :
       {"limit=0", "limit=101", "limit=abc", "limit=20abc", "limit=-1", "limit=1.5",
        "limit=", "limit=0x10", "offset=-1", "offset=1.5", "offset=x", "limit=5&limit=6"}) {
    ExpectError(Get(system_->blog(), std::string("/blogs?") + bad, Bearer(read_token_)), 400,
                "bad_request");
  }
  for (int i = 0; i < 7; ++i) NewBlog("page " + std::to_string(i));
  auto all = Get(system_->blog(), "/blogs?limit=100", Bearer(read_token_)).Json();
  const auto total = all["total"].get<std::int64_t>();
  ASSERT_GE(total, 7);
  ASSERT_EQ(static_cast<std::int64_t>(all["blogs"].size()), std::min<std::int64_t>(total, 100));
  auto first = Get(system_->blog(), "/blogs", Bearer(read_token_)).Json();
  EXPECT_EQ(first["blogs"].size(), std::min<std::size_t>(20, all["blogs"].size())) << "default 20";

  std::vector<std::string> seen;
  for (int offset = 0; offset < 6; offset += 2) {
    auto page = Get(system_->blog(), "/blogs?limit=2&offset=" + std::to_string(offset),
                    Bearer(read_token_));
    ASSERT_EQ(page.status, 200);
    auto json = page.Json();
    EXPECT_EQ(json["total"], total);
    for (const auto& b : json["blogs"]) seen.push_back(b["id"]);
  }
  ASSERT_EQ(seen.size(), 6u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], all["blogs"][i]["id"]);
  auto beyond = Get(system_->blog(), "/blogs?offset=100000", Bearer(read_token_));
  EXPECT_EQ(beyond.status, 200);
  EXPECT_TRUE(beyond.Json()["blogs"].empty());
}

}  // namespace
}  // namespace blogtrace::testing
