// Whole-system tracing tests: the real `blogtrace serve <service>` processes export to an OTLP
// receiver inside this test, and each test asserts the exact span tree of one real request —
// names, kinds, parent links, services, key attributes, status — as agreed in the span-name
// agreement (notes/requests.md) and the contract (shared/API.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>

#include "blog_system.h"
#include "otlp_sink.h"
#include "span_tree.h"

namespace blogtrace::tracing_test {
namespace {

using opentelemetry::proto::trace::v1::Status;

// The resource service.name each service reports by default ("the service's own name").
constexpr char kUser[] = "user";
constexpr char kAuthen[] = "authen";
constexpr char kAuthor[] = "author";
constexpr char kBlog[] = "blog";

// How long spans may take to arrive (the services export every 100 ms).
constexpr auto kSpanWait = std::chrono::seconds(15);
// After a tree matched: how long extra spans of the same trace get to show up (several export
// periods), so "nothing extra" is checked too.
constexpr auto kQuietWait = std::chrono::milliseconds(500);

constexpr char kPassword[] = "correct horse battery staple";

// A parsed `traceresponse: 00-<trace-id>-<span-id>-<flags>`.
struct TraceResponse {
  std::string trace_id;
  std::string span_id;
  std::string flags;
};

std::optional<TraceResponse> ParseTraceResponse(const HttpResponse& response) {
  std::optional<std::string> header = response.Header("traceresponse");
  if (!header) return std::nullopt;
  static const std::regex kFormat("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
  std::smatch match;
  if (!std::regex_match(*header, match, kFormat)) return std::nullopt;
  return TraceResponse{match[1], match[2], match[3]};
}

std::string RandomHex(std::size_t bytes) {
  std::random_device random;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < bytes * 2; ++i) hex.push_back(kDigits[random() & 0xf]);
  return hex;
}

// The claims of a JWS compact token (no signature check: the services do that).
nlohmann::json JwtClaims(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  std::string payload = token.substr(first + 1, second - first - 1);
  std::string decoded;
  int value = 0, bits = -8;
  for (char c : payload) {
    int d = std::isupper(static_cast<unsigned char>(c))   ? c - 'A'
            : std::islower(static_cast<unsigned char>(c)) ? c - 'a' + 26
            : std::isdigit(static_cast<unsigned char>(c)) ? c - '0' + 52
            : c == '-'                                    ? 62
            : c == '_'                                    ? 63
                                                          : -1;
    if (d < 0) break;
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 0) {
      decoded.push_back(static_cast<char>((value >> bits) & 0xff));
      bits -= 8;
    }
  }
  return nlohmann::json::parse(decoded, nullptr, false);
}

HttpRequest Json(std::string method, std::string target, const nlohmann::json& body,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  return HttpRequest{std::move(method), std::move(target), std::move(headers), body.dump()};
}

// The expected subtree of a blog → author authorisation call.
ExpectedSpan AuthorizeCall() {
  return {kBlog,
          "POST /authorize",
          kClient,
          {{kAuthor, "POST /authorize", kServer, {{kAuthor, "jwt.verify", kInternal, {}}}}}};
}

class SpanTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(BlogSystem::BinaryPath())) {
      GTEST_SKIP() << "the program under test is not built: " << BlogSystem::BinaryPath()
                   << " does not exist (build the `blogtrace` target or set BLOGTRACE_BIN)";
    }
  }

  void TearDown() override {
    if (system_ && HasFailure()) std::cerr << "service logs:\n" << system_->Logs();
  }

  // Starts the services exporting to this test's sink; fails the test when one does not start.
  void StartSystem(SystemOptions options = {}) {
    options.otlp_endpoint = sink_.endpoint();
    system_ = std::make_unique<BlogSystem>(std::move(options));
    std::string problem = system_->Start();
    ASSERT_EQ(problem, "") << "the system did not start";
  }

  // Creates a user through the user service (admin key).
  std::string CreateUser(const std::string& username, const std::string& permission) {
    HttpResponse response = system_->Call(
        Service::kUser,
        Json("POST", "/users",
             {{"username", username}, {"password", kPassword}, {"permission", permission}},
             {{"X-Admin-Key", system_->admin_key()}}));
    EXPECT_EQ(response.status, 201) << response.error << response.body;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    return body.is_object() ? body.value("id", "") : "";
  }

  // Logs in through the authen service; returns the token ("" on failure, with a test failure).
  std::string Login(const std::string& username, HttpResponse* out = nullptr) {
    HttpResponse response =
        system_->Call(Service::kAuthen,
                      Json("POST", "/login", {{"username", username}, {"password", kPassword}}));
    EXPECT_EQ(response.status, 200) << response.error << response.body;
    if (out != nullptr) *out = response;
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    return body.is_object() ? body.value("token", "") : "";
  }

  static std::pair<std::string, std::string> Bearer(const std::string& token) {
    return {"Authorization", "Bearer " + token};
  }

  // The response's traceresponse; fails the test when absent or malformed.
  static TraceResponse MustTraceResponse(const HttpResponse& response) {
    std::optional<TraceResponse> parsed = ParseTraceResponse(response);
    EXPECT_TRUE(parsed.has_value()) << "traceresponse missing or malformed: "
                                    << response.Header("traceresponse").value_or("(absent)");
    return parsed.value_or(TraceResponse{});
  }

  // Waits until the trace's spans form `expected`, then a little longer for stragglers, and
  // asserts the final tree. Returns the trace's spans.
  std::vector<ReceivedSpan> ExpectTree(const std::string& trace_id, const ExpectedSpan& expected,
                                       const std::string& root_parent = "") {
    auto trace_matches = [&](const std::vector<ReceivedSpan>& all) {
      std::vector<ReceivedSpan> trace;
      for (const ReceivedSpan& span : all) {
        if (span.trace_id == trace_id) trace.push_back(span);
      }
      return MatchTree(expected, trace, root_parent).ok;
    };
    if (sink_.WaitForSpans(trace_matches, kSpanWait)) {
      std::size_t matched = sink_.SpansOfTrace(trace_id).size();
      sink_.WaitForTraceSpans(trace_id, matched + 1, kQuietWait);
    }
    std::vector<ReceivedSpan> spans = sink_.SpansOfTrace(trace_id);
    TreeMatch match = MatchTree(expected, spans, root_parent);
    EXPECT_TRUE(match.ok) << "trace " << trace_id << ": " << match.message;
    // TRACING_TEST_PRINT_TREES=1 shows what arrived even when it matched (for documentation).
    if (const char* print = std::getenv("TRACING_TEST_PRINT_TREES"); print && *print == '1') {
      std::cout << "received trace " << trace_id << ":\n" << FormatReceived(spans);
    }
    return spans;
  }

  // No span text (names, attributes, events, statuses) contains any of `secrets`.
  static void ExpectNoSecrets(const std::vector<ReceivedSpan>& spans,
                              const std::vector<std::string>& secrets) {
    for (const ReceivedSpan& span : spans) {
      for (const std::string& text : span.AllTexts()) {
        for (const std::string& secret : secrets) {
          if (secret.empty()) continue;
          EXPECT_EQ(text.find(secret), std::string::npos)
              << span.service << " span \"" << span.name() << "\" carries a secret ("
              << secret.substr(0, 12) << "...) in: " << text;
        }
      }
    }
  }

  // Every received span named one of `names` (by `service`) belongs to `trace_id`: the request
  // did not start a second trace anywhere.
  void ExpectOnlyInTrace(const std::set<std::pair<std::string, std::string>>& service_names,
                         const std::string& trace_id) {
    for (const ReceivedSpan& span : sink_.Spans()) {
      if (service_names.count({span.service, span.name()}) != 0) {
        EXPECT_EQ(span.trace_id, trace_id)
            << span.service << " \"" << span.name() << "\" is in another trace:\n"
            << FormatReceived(sink_.SpansOfTrace(span.trace_id));
      }
    }
  }

  static void ExpectAllUnset(const std::vector<ReceivedSpan>& spans) {
    for (const ReceivedSpan& span : spans) {
      EXPECT_EQ(span.status_code(), Status::STATUS_CODE_UNSET)
          << span.service << " \"" << span.name() << "\" status " << StatusName(span.status_code())
          << " " << span.proto.status().message();
    }
  }

  // The HTTP server-span semantic-convention attributes.
  void ExpectServerAttributes(const ReceivedSpan* span, Service service, const std::string& method,
                              const std::string& route, const std::string& path, int status) {
    ASSERT_NE(span, nullptr);
    SCOPED_TRACE(span->service + " SERVER \"" + span->name() + "\"");
    EXPECT_EQ(span->StringAttribute("http.request.method"), method);
    EXPECT_EQ(span->StringAttribute("http.route"), route);
    EXPECT_EQ(span->StringAttribute("url.path"), path);
    EXPECT_EQ(span->IntAttribute("http.response.status_code"), status);
    EXPECT_EQ(span->IntAttribute("server.port"), system_->port(service));
  }

  // The HTTP client-span semantic-convention attributes.
  void ExpectClientAttributes(const ReceivedSpan* span, Service callee, const std::string& method,
                              std::optional<int> status) {
    ASSERT_NE(span, nullptr);
    SCOPED_TRACE(span->service + " CLIENT \"" + span->name() + "\"");
    EXPECT_EQ(span->StringAttribute("http.request.method"), method);
    EXPECT_EQ(span->StringAttribute("server.address"), "127.0.0.1");
    EXPECT_EQ(span->IntAttribute("server.port"), system_->port(callee));
    if (status) {
      EXPECT_EQ(span->IntAttribute("http.response.status_code"), *status);
    }
  }

  static void ExpectDbAttributes(const ReceivedSpan* span, const std::string& operation,
                                 const std::string& collection) {
    ASSERT_NE(span, nullptr);
    SCOPED_TRACE(span->service + " CLIENT \"" + span->name() + "\"");
    EXPECT_EQ(span->StringAttribute("db.system"), "sqlite");
    EXPECT_EQ(span->StringAttribute("db.operation.name"), operation);
    EXPECT_EQ(span->StringAttribute("db.collection.name"), collection);
  }

  OtlpSink sink_;
  std::unique_ptr<BlogSystem> system_;
};

// POST /login:
//   authen SERVER "POST /login"
//   ├─ authen CLIENT "POST /users/verify"
//   │  └─ user SERVER "POST /users/verify"
//   │     ├─ user CLIENT "SELECT users"
//   │     └─ user INTERNAL "password.verify"
//   └─ authen INTERNAL "jwt.sign"
TEST_F(SpanTreeTest, LoginTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  std::string alice_id = CreateUser("alice", "WRITE");
  HttpResponse response;
  std::string token = Login("alice", &response);
  TraceResponse trace = MustTraceResponse(response);
  EXPECT_EQ(trace.flags, "03") << "a new trace is sampled and has the random flag";

  std::vector<ReceivedSpan> spans = ExpectTree(
      trace.trace_id,
      {kAuthen,
       "POST /login",
       kServer,
       {{kAuthen,
         "POST /users/verify",
         kClient,
         {{kUser,
           "POST /users/verify",
           kServer,
           {{kUser, "SELECT users", kClient, {}}, {kUser, "password.verify", kInternal, {}}}}}},
        {kAuthen, "jwt.sign", kInternal, {}}}});

  const ReceivedSpan* server = FindSpan(spans, kAuthen, "POST /login");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->span_id, trace.span_id) << "traceresponse names the server's own span";
  ExpectServerAttributes(server, Service::kAuthen, "POST", "/login", "/login", 200);
  ExpectClientAttributes(FindSpan(spans, kAuthen, "POST /users/verify"), Service::kUser, "POST",
                         200);
  ExpectServerAttributes(FindSpan(spans, kUser, "POST /users/verify"), Service::kUser, "POST",
                         "/users/verify", "/users/verify", 200);
  ExpectDbAttributes(FindSpan(spans, kUser, "SELECT users"), "SELECT", "users");
  // The identity, once known, on the SERVER spans.
  EXPECT_EQ(JwtClaims(token).value("sub", ""), alice_id);
  EXPECT_EQ(server->StringAttribute("enduser.id"), alice_id);
  EXPECT_EQ(server->StringAttribute("user.name"), "alice");
  EXPECT_EQ(FindSpan(spans, kUser, "POST /users/verify")->StringAttribute("enduser.id"), alice_id);
  // The new trace's flags (sampled + random) travel downstream; SERVER spans of a called service
  // mark their parent as remote (OTLP span flags: bit 8 "known", bit 9 "remote").
  for (const ReceivedSpan& span : spans) {
    EXPECT_EQ(span.proto.flags() & 0xff, 0x03u) << span.service << " \"" << span.name() << "\"";
  }
  EXPECT_EQ(FindSpan(spans, kUser, "POST /users/verify")->proto.flags() & 0x300, 0x300u);
  EXPECT_EQ(FindSpan(spans, kUser, "password.verify")->proto.flags() & 0x300, 0x100u);
  ExpectAllUnset(spans);
  ExpectNoSecrets(spans, {kPassword, token, system_->internal_key(), system_->admin_key()});
  ExpectOnlyInTrace({{kAuthen, "POST /login"},
                     {kAuthen, "jwt.sign"},
                     {kUser, "POST /users/verify"},
                     {kUser, "password.verify"}},
                    trace.trace_id);
}

// GET /blogs with a READ token:
//   blog SERVER "GET /blogs"
//   ├─ blog CLIENT "POST /authorize"
//   │  └─ author SERVER "POST /authorize"
//   │     └─ author INTERNAL "jwt.verify"
//   └─ blog CLIENT "SELECT blogs"   (one query: the page and the total together)
TEST_F(SpanTreeTest, ListBlogsWithReadTokenTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  std::string reader_id = CreateUser("reader", "READ");
  std::string token = Login("reader");
  HttpResponse response =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""});
  ASSERT_EQ(response.status, 200) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans = ExpectTree(
      trace.trace_id,
      {kBlog, "GET /blogs", kServer, {AuthorizeCall(), {kBlog, "SELECT blogs", kClient, {}}}});

  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET /blogs");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->span_id, trace.span_id);
  ExpectServerAttributes(server, Service::kBlog, "GET", "/blogs", "/blogs", 200);
  ExpectClientAttributes(FindSpan(spans, kBlog, "POST /authorize"), Service::kAuthor, "POST", 200);
  ExpectServerAttributes(FindSpan(spans, kAuthor, "POST /authorize"), Service::kAuthor, "POST",
                         "/authorize", "/authorize", 200);
  for (const ReceivedSpan* db : FindSpans(spans, kBlog, "SELECT blogs")) {
    ExpectDbAttributes(db, "SELECT", "blogs");
  }
  EXPECT_EQ(server->StringAttribute("enduser.id"), reader_id);
  EXPECT_EQ(FindSpan(spans, kAuthor, "POST /authorize")->StringAttribute("enduser.id"), reader_id);
  ExpectAllUnset(spans);
  ExpectNoSecrets(spans, {kPassword, token, system_->internal_key(), system_->admin_key()});
  ExpectOnlyInTrace({{kBlog, "GET /blogs"},
                     {kBlog, "POST /authorize"},
                     {kAuthor, "POST /authorize"},
                     {kAuthor, "jwt.verify"},
                     {kBlog, "SELECT blogs"}},
                    trace.trace_id);
}

// POST /blogs by a WRITE user:
//   blog SERVER "POST /blogs"
//   ├─ blog CLIENT "POST /authorize"
//   │  └─ author SERVER "POST /authorize"
//   │     └─ author INTERNAL "jwt.verify"
//   └─ blog CLIENT "INSERT blogs"
TEST_F(SpanTreeTest, CreateBlogByWriterTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  std::string writer_id = CreateUser("writer", "WRITE");
  std::string token = Login("writer");
  HttpResponse response = system_->Call(
      Service::kBlog,
      Json("POST", "/blogs", {{"title", "Hello"}, {"content", "Tracing works."}}, {Bearer(token)}));
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans = ExpectTree(
      trace.trace_id,
      {kBlog, "POST /blogs", kServer, {AuthorizeCall(), {kBlog, "INSERT blogs", kClient, {}}}});

  const ReceivedSpan* server = FindSpan(spans, kBlog, "POST /blogs");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->span_id, trace.span_id);
  ExpectServerAttributes(server, Service::kBlog, "POST", "/blogs", "/blogs", 201);
  ExpectClientAttributes(FindSpan(spans, kBlog, "POST /authorize"), Service::kAuthor, "POST", 200);
  ExpectDbAttributes(FindSpan(spans, kBlog, "INSERT blogs"), "INSERT", "blogs");
  EXPECT_EQ(server->StringAttribute("enduser.id"), writer_id);
  EXPECT_EQ(server->StringAttribute("user.name"), "writer");
  ExpectAllUnset(spans);
  ExpectNoSecrets(spans, {kPassword, token, system_->internal_key(), system_->admin_key()});
}

// POST /blogs by a READ user (403): the decision is visible on the author SERVER span.
//   blog SERVER "POST /blogs"                 http.response.status_code=403, status UNSET
//   └─ blog CLIENT "POST /authorize"
//      └─ author SERVER "POST /authorize"     event permission.denied {required=WRITE,
//      granted=READ}
//         └─ author INTERNAL "jwt.verify"
TEST_F(SpanTreeTest, CreateBlogByReaderIsDeniedTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  CreateUser("reader", "READ");
  std::string token = Login("reader");
  HttpResponse response = system_->Call(
      Service::kBlog,
      Json("POST", "/blogs", {{"title", "Nope"}, {"content", "Not allowed."}}, {Bearer(token)}));
  ASSERT_EQ(response.status, 403) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans =
      ExpectTree(trace.trace_id, {kBlog, "POST /blogs", kServer, {AuthorizeCall()}});

  const ReceivedSpan* author = FindSpan(spans, kAuthor, "POST /authorize");
  ASSERT_NE(author, nullptr);
  const auto* denied = author->Event("permission.denied");
  ASSERT_NE(denied, nullptr) << "author SERVER span lacks the permission.denied event:\n"
                             << FormatReceived(spans);
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*denied, "required"), "WRITE");
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*denied, "granted"), "READ");
  EXPECT_EQ(author->IntAttribute("http.response.status_code"), 403);
  EXPECT_EQ(author->status_code(), Status::STATUS_CODE_UNSET) << "4xx is not a server error";

  const ReceivedSpan* server = FindSpan(spans, kBlog, "POST /blogs");
  ASSERT_NE(server, nullptr);
  ExpectServerAttributes(server, Service::kBlog, "POST", "/blogs", "/blogs", 403);
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_UNSET) << "4xx is not a server error";
  ExpectNoSecrets(spans, {kPassword, token, system_->internal_key(), system_->admin_key()});
}

// An anonymous GET /blogs (401): blog refuses it itself (asking the author service would change
// nothing), so the trace is the blog SERVER span alone, status UNSET, with the reason:
//   blog SERVER "GET /blogs"   401, auth.failure.reason=missing, event token.rejected
//   {reason=missing}
TEST_F(SpanTreeTest, AnonymousRequestTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  HttpResponse response = system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {}, ""});
  ASSERT_EQ(response.status, 401) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans = ExpectTree(trace.trace_id, {kBlog, "GET /blogs", kServer, {}});
  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET /blogs");
  ExpectServerAttributes(server, Service::kBlog, "GET", "/blogs", "/blogs", 401);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_UNSET) << "4xx is not a server error";
  EXPECT_EQ(server->span_id, trace.span_id);
  // The reason is on the span: no token at all.
  EXPECT_EQ(server->StringAttribute("auth.failure.reason"), "missing");
  const auto* rejected = server->Event("token.rejected");
  ASSERT_NE(rejected, nullptr) << FormatReceived(spans);
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*rejected, "reason"), "missing");
}

// A caller that sends its own traceparent (and tracestate): the whole tree joins that trace, the
// blog SERVER span's parent is the caller's span, and traceresponse names the server's span.
TEST_F(SpanTreeTest, CallerTraceparentIsJoined) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  CreateUser("reader", "READ");
  std::string token = Login("reader");
  const std::string caller_trace = RandomHex(16);
  const std::string caller_span = RandomHex(8);
  HttpResponse response =
      system_->Call(Service::kBlog,
                    HttpRequest{"GET",
                                "/blogs",
                                {Bearer(token),
                                 {"traceparent", "00-" + caller_trace + "-" + caller_span + "-01"},
                                 {"tracestate", "caller=abc"}},
                                ""});
  ASSERT_EQ(response.status, 200) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);
  EXPECT_EQ(trace.trace_id, caller_trace);
  EXPECT_NE(trace.span_id, caller_span) << "the span id is the server's own, never the caller's";
  EXPECT_EQ(trace.flags, "01") << "the caller's flags (sampled, no random bit) are kept";

  std::vector<ReceivedSpan> spans = ExpectTree(
      caller_trace,
      {kBlog, "GET /blogs", kServer, {AuthorizeCall(), {kBlog, "SELECT blogs", kClient, {}}}},
      caller_span);
  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET /blogs");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->parent_span_id, caller_span);
  EXPECT_EQ(server->span_id, trace.span_id);
  EXPECT_EQ(server->proto.flags() & 0x300, 0x300u) << "the caller's span is a remote parent";
  for (const ReceivedSpan& span : spans) {
    EXPECT_EQ(span.trace_id, caller_trace);
    EXPECT_EQ(span.proto.flags() & 0xff, 0x01u) << span.service << " \"" << span.name() << "\"";
    EXPECT_EQ(span.proto.trace_state(), "caller=abc")
        << span.service << " \"" << span.name() << "\" lost the caller's tracestate";
  }
  ExpectOnlyInTrace({{kBlog, "GET /blogs"}, {kAuthor, "POST /authorize"}, {kAuthor, "jwt.verify"}},
                    caller_trace);
}

// A token with a broken signature (401): the refusal is recorded where it is decided, on the
// jwt.verify span, and 4xx leaves every SERVER span and jwt.verify with status unset.
//   blog SERVER "GET /blogs"                401
//   └─ blog CLIENT "POST /authorize"        401
//      └─ author SERVER "POST /authorize"   401, auth.failure.reason=bad_signature
//         └─ author INTERNAL "jwt.verify"   auth.failure.reason=bad_signature,
//                                           event token.rejected {reason=bad_signature}
TEST_F(SpanTreeTest, RejectedTokenTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  CreateUser("reader", "READ");
  std::string token = Login("reader");
  ASSERT_FALSE(token.empty());
  std::string tampered = token;
  char& c = tampered[tampered.rfind('.') + 10];
  c = c == 'A' ? 'B' : 'A';
  HttpResponse response =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(tampered)}, ""});
  ASSERT_EQ(response.status, 401) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans =
      ExpectTree(trace.trace_id, {kBlog, "GET /blogs", kServer, {AuthorizeCall()}});
  const ReceivedSpan* verify = FindSpan(spans, kAuthor, "jwt.verify");
  ASSERT_NE(verify, nullptr);
  const auto* rejected = verify->Event("token.rejected");
  ASSERT_NE(rejected, nullptr) << FormatReceived(spans);
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*rejected, "reason"), "bad_signature");
  EXPECT_EQ(verify->StringAttribute("auth.failure.reason"), "bad_signature");
  EXPECT_EQ(verify->status_code(), Status::STATUS_CODE_UNSET) << "a refused token is not an error";
  const ReceivedSpan* author = FindSpan(spans, kAuthor, "POST /authorize");
  ASSERT_NE(author, nullptr);
  EXPECT_EQ(author->IntAttribute("http.response.status_code"), 401);
  EXPECT_EQ(author->status_code(), Status::STATUS_CODE_UNSET);
  EXPECT_FALSE(author->Attribute("enduser.id")) << "no identity from a refused token";
  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET /blogs");
  ExpectServerAttributes(server, Service::kBlog, "GET", "/blogs", "/blogs", 401);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_UNSET);
  ExpectNoSecrets(spans, {kPassword, token, tampered, tampered.substr(tampered.rfind('.') + 1)});
}

// A body that fails validation (400): event validation.failed {field, reason} on the SERVER span,
// and no INSERT.
TEST_F(SpanTreeTest, ValidationFailureTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  CreateUser("writer", "WRITE");
  std::string token = Login("writer");
  HttpResponse response = system_->Call(
      Service::kBlog,
      Json("POST", "/blogs", {{"title", "   "}, {"content", "blank title"}}, {Bearer(token)}));
  ASSERT_EQ(response.status, 400) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans =
      ExpectTree(trace.trace_id, {kBlog, "POST /blogs", kServer, {AuthorizeCall()}});
  const ReceivedSpan* server = FindSpan(spans, kBlog, "POST /blogs");
  ASSERT_NE(server, nullptr);
  const auto* failed = server->Event("validation.failed");
  ASSERT_NE(failed, nullptr) << FormatReceived(spans);
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*failed, "field"), "title");
  EXPECT_TRUE(ReceivedSpan::EventStringAttribute(*failed, "reason").has_value());
  EXPECT_EQ(server->IntAttribute("http.response.status_code"), 400);
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_UNSET);
}

// Creating a user (admin key):
//   user SERVER "POST /users"
//   ├─ user INTERNAL "password.hash"
//   └─ user CLIENT "INSERT users"
TEST_F(SpanTreeTest, CreateUserTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  HttpResponse response = system_->Call(
      Service::kUser, Json("POST", "/users",
                           {{"username", "carol"}, {"password", kPassword}, {"permission", "READ"}},
                           {{"X-Admin-Key", system_->admin_key()}}));
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);
  std::vector<ReceivedSpan> spans =
      ExpectTree(trace.trace_id,
                 {kUser,
                  "POST /users",
                  kServer,
                  {{kUser, "password.hash", kInternal, {}}, {kUser, "INSERT users", kClient, {}}}});
  ExpectServerAttributes(FindSpan(spans, kUser, "POST /users"), Service::kUser, "POST", "/users",
                         "/users", 201);
  ExpectDbAttributes(FindSpan(spans, kUser, "INSERT users"), "INSERT", "users");
  ExpectAllUnset(spans);
  ExpectNoSecrets(spans, {kPassword, system_->admin_key(), system_->internal_key()});
}

// A path no route matches (404): the SERVER span is named after the method alone, without
// http.route.
TEST_F(SpanTreeTest, UnknownRouteTree) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  HttpResponse response =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/no/such/path", {}, ""});
  ASSERT_EQ(response.status, 404) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);
  std::vector<ReceivedSpan> spans = ExpectTree(trace.trace_id, {kBlog, "GET", kServer, {}});
  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET");
  ASSERT_NE(server, nullptr);
  EXPECT_FALSE(server->Attribute("http.route")) << "no route matched";
  EXPECT_EQ(server->StringAttribute("url.path"), "/no/such/path");
  EXPECT_EQ(server->IntAttribute("http.response.status_code"), 404);
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_UNSET);
}

// An invalid traceparent (upper-case hex) is ignored: a new trace starts, with no parent.
TEST_F(SpanTreeTest, InvalidTraceparentStartsNewTrace) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  const std::string bad_trace = "0AF7651916CD43DD8448EB211C80319C";
  HttpResponse response = system_->Call(
      Service::kBlog,
      HttpRequest{
          "GET", "/blogs", {{"traceparent", "00-" + bad_trace + "-B7AD6B7169203331-01"}}, ""});
  ASSERT_EQ(response.status, 401) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);
  EXPECT_NE(trace.trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(trace.flags, "03") << "a new trace: sampled, random";
  ExpectTree(trace.trace_id, {kBlog, "GET /blogs", kServer, {}});
}

// SIGTERM flushes: with an export delay far longer than the test, the spans of a request arrive
// only because stopping the services flushes them.
TEST_F(SpanTreeTest, SigtermFlushesPendingSpans) {
  SystemOptions options;
  options.env["OTEL_BSP_SCHEDULE_DELAY"] = "600000";
  ASSERT_NO_FATAL_FAILURE(StartSystem(options));
  CreateUser("writer", "WRITE");
  std::string token = Login("writer");
  HttpResponse response = system_->Call(
      Service::kBlog,
      Json("POST", "/blogs", {{"title", "Flushed"}, {"content", "on stop"}}, {Bearer(token)}));
  ASSERT_EQ(response.status, 201) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);
  EXPECT_TRUE(sink_.SpansOfTrace(trace.trace_id).empty())
      << "nothing should be exported before the 10-minute schedule delay";
  EXPECT_EQ(system_->StopAll(), "") << "SIGTERM should stop every service cleanly";
  std::vector<ReceivedSpan> spans = sink_.SpansOfTrace(trace.trace_id);
  TreeMatch match = MatchTree(
      {kBlog, "POST /blogs", kServer, {AuthorizeCall(), {kBlog, "INSERT blogs", kClient, {}}}},
      spans);
  EXPECT_TRUE(match.ok) << match.message;
}

// The author service is down: blog answers 503 unavailable, with traceresponse, and its CLIENT
// span says why.
//   blog SERVER "GET /blogs"              503, status ERROR
//   └─ blog CLIENT "POST /authorize"      status ERROR, error.type set
TEST_F(SpanTreeTest, AuthorDownTree) {
  SystemOptions options;
  options.services = {Service::kUser, Service::kAuthen, Service::kBlog};
  ASSERT_NO_FATAL_FAILURE(StartSystem(options));
  CreateUser("reader", "READ");
  std::string token = Login("reader");
  HttpResponse response =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""});
  ASSERT_EQ(response.status, 503) << response.error << response.body;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(body.value("error", ""), "unavailable");
  TraceResponse trace = MustTraceResponse(response);

  std::vector<ReceivedSpan> spans = ExpectTree(
      trace.trace_id, {kBlog, "GET /blogs", kServer, {{kBlog, "POST /authorize", kClient, {}}}});
  const ReceivedSpan* client = FindSpan(spans, kBlog, "POST /authorize");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->status_code(), Status::STATUS_CODE_ERROR);
  EXPECT_TRUE(client->StringAttribute("error.type").has_value())
      << "the failed CLIENT span names the error.type:\n"
      << FormatReceived(spans);
  ExpectClientAttributes(client, Service::kAuthor, "POST", std::nullopt);
  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET /blogs");
  ExpectServerAttributes(server, Service::kBlog, "GET", "/blogs", "/blogs", 503);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_ERROR) << "5xx is a server error";
  EXPECT_EQ(server->span_id, trace.span_id);
}

// Across a whole session — user creation, a failed and a good login, reads and writes — no span
// carries a password, a token or a key. Checked after SIGTERM flushed everything.
TEST_F(SpanTreeTest, NoSpanCarriesASecret) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  CreateUser("writer", "WRITE");
  const std::string wrong_password = "not the password " + RandomHex(4);
  HttpResponse failed =
      system_->Call(Service::kAuthen,
                    Json("POST", "/login", {{"username", "writer"}, {"password", wrong_password}}));
  EXPECT_EQ(failed.status, 401);
  std::string token = Login("writer");
  EXPECT_EQ(system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""}).status,
            200);
  EXPECT_EQ(system_
                ->Call(Service::kBlog,
                       Json("POST", "/blogs", {{"title", "t"}, {"content", "c"}}, {Bearer(token)}))
                .status,
            201);
  // A tampered token must not show up either (the verifier sees it, the spans must not).
  std::string tampered = token.substr(0, token.size() - 4) + "AAAA";
  EXPECT_EQ(
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(tampered)}, ""}).status,
      401);
  EXPECT_EQ(system_->StopAll(), "") << "SIGTERM should stop every service cleanly";
  std::vector<ReceivedSpan> spans = sink_.Spans();
  EXPECT_GE(spans.size(), 10u) << "the session's spans should all have been flushed:\n"
                               << FormatReceived(spans);
  std::string signature = token.substr(token.rfind('.') + 1);
  ExpectNoSecrets(spans, {kPassword, wrong_password, token, tampered, signature,
                          system_->internal_key(), system_->admin_key()});
}

// OTEL_SDK_DISABLED=true everywhere: every response still carries traceresponse, with flags 00,
// and not one span is exported (checked after SIGTERM, when anything pending would be flushed).
TEST_F(SpanTreeTest, SdkDisabledExportsNothing) {
  SystemOptions options;
  options.env["OTEL_SDK_DISABLED"] = "true";
  ASSERT_NO_FATAL_FAILURE(StartSystem(options));
  CreateUser("writer", "WRITE");
  HttpResponse login;
  std::string token = Login("writer", &login);
  HttpResponse list =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""});
  EXPECT_EQ(list.status, 200);
  HttpResponse anonymous = system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {}, ""});
  EXPECT_EQ(anonymous.status, 401);
  for (const HttpResponse* response : {&login, &list, &anonymous}) {
    EXPECT_EQ(MustTraceResponse(*response).flags, "00");
  }
  EXPECT_EQ(system_->StopAll(), "");
  EXPECT_EQ(sink_.accepted_requests(), 0);
  EXPECT_TRUE(sink_.Spans().empty()) << FormatReceived(sink_.Spans());
}

// OTEL_TRACES_SAMPLER=always_off on blog, parentbased_always_on downstream: the author service
// follows blog's "not sampled" decision, so the request leaves no span anywhere — while the
// same system's login (sampled at authen) is exported, proving spans do flow.
TEST_F(SpanTreeTest, UnsampledCallerKeepsDownstreamUnsampled) {
  SystemOptions options;
  options.service_env[Service::kBlog]["OTEL_TRACES_SAMPLER"] = "always_off";
  ASSERT_NO_FATAL_FAILURE(StartSystem(options));
  CreateUser("reader", "READ");
  HttpResponse login;
  std::string token = Login("reader", &login);
  HttpResponse response =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""});
  ASSERT_EQ(response.status, 200) << response.error << response.body;
  TraceResponse trace = MustTraceResponse(response);
  EXPECT_EQ(std::stoi(trace.flags, nullptr, 16) & 1, 0) << "not sampled: " << trace.flags;

  EXPECT_EQ(system_->StopAll(), "");
  EXPECT_FALSE(sink_.SpansOfTrace(MustTraceResponse(login).trace_id).empty())
      << "the login trace should have been exported";
  EXPECT_TRUE(sink_.SpansOfTrace(trace.trace_id).empty())
      << FormatReceived(sink_.SpansOfTrace(trace.trace_id));
  for (const ReceivedSpan& span : sink_.Spans()) {
    EXPECT_NE(span.service, kBlog) << "blog samples nothing:\n" << FormatReceived({span});
    // Author's own roots (its start-up "keys.load", the harness's GET /healthz probes) are its
    // own decisions; the authorisation work exists only inside blog's unsampled request.
    EXPECT_FALSE(span.service == kAuthor &&
                 (span.name() == "POST /authorize" || span.name() == "jwt.verify"))
        << "author follows blog's decision:\n"
        << FormatReceived({span});
  }
}

}  // namespace
}  // namespace blogtrace::tracing_test
