// Context propagation across processes: a caller's traceparent/tracestate is joined (and its
// flags kept); an invalid one starts a new trace.
#include "system_fixture.h"

namespace blogtrace::tracing_test {
namespace {

using PropagationTest = TracingSystemTest;

// A caller that sends its own traceparent (and tracestate): the whole tree joins that trace, the
// blog SERVER span's parent is the caller's span, and traceresponse names the server's span.
TEST_F(PropagationTest, CallerTraceparentIsJoined) {
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

// An invalid traceparent (upper-case hex) is ignored: a new trace starts, with no parent.
TEST_F(PropagationTest, InvalidTraceparentStartsNewTrace) {
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

}  // namespace
}  // namespace blogtrace::tracing_test
