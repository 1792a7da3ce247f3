// What leaves the processes: flushed on SIGTERM, never a secret, nothing with
// OTEL_SDK_DISABLED=true, nothing downstream of an unsampled caller.
#include "system_fixture.h"

namespace blogtrace::tracing_test {
namespace {

using ExportTest = TracingSystemTest;

// SIGTERM flushes: with an export delay far longer than the test, the spans of a request arrive
// only because stopping the services flushes them.
TEST_F(ExportTest, SigtermFlushesPendingSpans) {
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

// Across a whole session — user creation, a failed and a good login, reads and writes — no span
// carries a password, a token or a key. Checked after SIGTERM flushed everything.
TEST_F(ExportTest, NoSpanCarriesASecret) {
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
TEST_F(ExportTest, SdkDisabledExportsNothing) {
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
TEST_F(ExportTest, UnsampledCallerKeepsDownstreamUnsampled) {
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
