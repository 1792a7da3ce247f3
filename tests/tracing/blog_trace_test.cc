// Span trees of the blog service's requests: reads and writes with the author call and the
// database spans, validation failures, unknown routes, and the author service being down.
#include "system_fixture.h"

namespace blogtrace::tracing_test {
namespace {

using BlogTraceTest = TracingSystemTest;

// GET /blogs with a READ token:
//   blog SERVER "GET /blogs"
//   ├─ blog CLIENT "POST /authorize"
//   │  └─ author SERVER "POST /authorize"
//   │     └─ author INTERNAL "jwt.verify"
//   └─ blog CLIENT "SELECT blogs"   (one query: the page and the total together)
TEST_F(BlogTraceTest, ListBlogsWithReadTokenTree) {
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
TEST_F(BlogTraceTest, CreateBlogByWriterTree) {
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

// A body that fails validation (400): event validation.failed {field, reason} on the SERVER span,
// and no INSERT.
TEST_F(BlogTraceTest, ValidationFailureTree) {
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

// A path no route matches (404): the SERVER span is named after the method alone, without
// http.route.
TEST_F(BlogTraceTest, UnknownRouteTree) {
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

// The author service is down: blog answers 503 unavailable, with traceresponse, and its CLIENT
// span says why.
//   blog SERVER "GET /blogs"              503, status ERROR
//   └─ blog CLIENT "POST /authorize"      status ERROR, error.type set
TEST_F(BlogTraceTest, AuthorDownTree) {
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

}  // namespace
}  // namespace blogtrace::tracing_test
