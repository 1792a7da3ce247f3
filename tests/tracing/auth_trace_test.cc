// Span trees of authentication and authorisation: login (authen → user), user creation, and
// the refusals (anonymous, bad token, not enough permission) with their decision events.
#include "system_fixture.h"

namespace blogtrace::tracing_test {
namespace {

using AuthTraceTest = TracingSystemTest;

// POST /login:
//   authen SERVER "POST /login"
//   ├─ authen CLIENT "POST /users/verify"
//   │  └─ user SERVER "POST /users/verify"
//   │     ├─ user CLIENT "SELECT users"
//   │     └─ user INTERNAL "password.verify"
//   └─ authen INTERNAL "jwt.sign"
TEST_F(AuthTraceTest, LoginTree) {
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

// POST /blogs by a READ user (403): the decision is visible on the author SERVER span.
//   blog SERVER "POST /blogs"                 http.response.status_code=403, status UNSET
//   └─ blog CLIENT "POST /authorize"
//      └─ author SERVER "POST /authorize"     event permission.denied {required=WRITE,
//      granted=READ}
//         └─ author INTERNAL "jwt.verify"
TEST_F(AuthTraceTest, CreateBlogByReaderIsDeniedTree) {
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
TEST_F(AuthTraceTest, AnonymousRequestTree) {
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

// A token with a broken signature (401): the refusal is recorded where it is decided, on the
// jwt.verify span, and 4xx leaves every SERVER span and jwt.verify with status unset.
//   blog SERVER "GET /blogs"                401
//   └─ blog CLIENT "POST /authorize"        401
//      └─ author SERVER "POST /authorize"   401, auth.failure.reason=bad_signature
//         └─ author INTERNAL "jwt.verify"   auth.failure.reason=bad_signature,
//                                           event token.rejected {reason=bad_signature}
TEST_F(AuthTraceTest, RejectedTokenTree) {
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

// Creating a user (admin key):
//   user SERVER "POST /users"
//   ├─ user INTERNAL "password.hash"
//   └─ user CLIENT "INSERT users"
TEST_F(AuthTraceTest, CreateUserTree) {
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

}  // namespace
}  // namespace blogtrace::tracing_test
