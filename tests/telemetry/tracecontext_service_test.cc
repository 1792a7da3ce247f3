// The tracecontext-test-service against our own harness: a request with W3C headers goes in,
// the callbacks the service makes to a local receiving server are checked.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <csignal>
#include <cstdio>
#include <set>

#include "telemetry/api/propagator.h"
#include "telemetry/tracecontext/test_service.h"
#include "tests/telemetry/test_http_server.h"

namespace blogtrace::telemetry::tracecontext {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

constexpr char kTrace[] = "12345678901234567890123456789012";
constexpr char kParent[] = "1234567890123456";

struct Reply {
  int status = 0;
  std::string traceresponse;
};

// POSTs /test with the given headers (repeats allowed) and a body asking for `n` callbacks.
Reply PostTest(std::uint16_t port, const std::vector<std::pair<std::string, std::string>>& headers,
               const std::string& callback_url, int n) {
  std::string body = "[";
  for (int i = 0; i < n; ++i)
    body += (i ? "," : "") + std::string(R"({"url":")") + callback_url + R"(","arguments":[]})";
  body += "]";
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{http::verb::post, "/test", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  for (const auto& [k, v] : headers) req.insert(k, v);
  req.body() = body;
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  return Reply{static_cast<int>(res.result_int()), std::string(res["traceresponse"])};
}

class TraceContextServiceTest : public ::testing::Test {
 protected:
  TraceContextServiceTest() { service_.Start(); }

  // Sends one request and returns the single callback it caused.
  TestRequest OneCallback(const std::vector<std::pair<std::string, std::string>>& headers) {
    std::size_t before = receiver_.request_count();
    reply_ = PostTest(service_.port(), headers, receiver_.url("/callback"), 1);
    EXPECT_EQ(reply_.status, 200);
    EXPECT_TRUE(receiver_.WaitForRequests(before + 1, std::chrono::seconds(5)));
    return receiver_.requests().back();
  }
  static SpanContext Parent(const TestRequest& r) {
    EXPECT_EQ(r.headers.count("traceparent"), 1u);
    auto sc = ParseTraceparent(r.Header("traceparent"));
    EXPECT_TRUE(sc) << r.Header("traceparent");
    return sc.value_or(SpanContext());
  }

  TestHttpServer receiver_{[](const TestRequest&) { return TestResponse{}; }};
  TestService service_{"127.0.0.1", 0};
  Reply reply_;
};

TEST_F(TraceContextServiceTest, NoHeadersStartsASampledRandomTrace) {
  auto cb = OneCallback({});
  SpanContext sc = Parent(cb);
  EXPECT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.flags().value, 0x03);
  EXPECT_EQ(cb.Header("tracestate"), "");
  EXPECT_EQ(cb.body, "[]");
  EXPECT_EQ(cb.Header("content-type"), "application/json");
  auto tr = ParseTraceparent(reply_.traceresponse);
  ASSERT_TRUE(tr);
  EXPECT_EQ(tr->trace_id(), sc.trace_id());
  EXPECT_NE(tr->span_id(), sc.span_id()) << "server span and client span differ";
}

TEST_F(TraceContextServiceTest, ValidTraceparentIsContinuedWithNewParentAndTracestateKept) {
  auto cb = OneCallback({{"TraceParent", std::string("00-") + kTrace + "-" + kParent + "-01"},
                         {"TRACESTATE", "foo=1,bar=2"}});
  SpanContext sc = Parent(cb);
  EXPECT_EQ(sc.trace_id().ToHex(), kTrace);
  EXPECT_NE(sc.span_id().ToHex(), kParent);
  EXPECT_EQ(sc.flags().value, 0x01) << "no random flag came in, so none goes out";
  EXPECT_EQ(cb.Header("tracestate"), "foo=1,bar=2");
}

TEST_F(TraceContextServiceTest, RandomFlagIsKeptAndUnsampledStaysUnsampled) {
  auto cb = OneCallback({{"traceparent", std::string("00-") + kTrace + "-" + kParent + "-02"}});
  SpanContext sc = Parent(cb);
  EXPECT_EQ(sc.trace_id().ToHex(), kTrace);
  EXPECT_EQ(sc.flags().value, 0x02);
}

TEST_F(TraceContextServiceTest, InvalidTraceparentStartsANewTraceAndDropsTracestate) {
  for (std::string bad : {std::string("ff-") + kTrace + "-" + kParent + "-01",
                          std::string("00-") + kTrace + "-" + "123456789012345A" + "-01",
                          std::string("00-00000000000000000000000000000000-") + kParent + "-01",
                          std::string("00-") + kTrace + "-" + kParent + "-01."}) {
    auto cb = OneCallback({{"traceparent", bad}, {"tracestate", "foo=1"}});
    SpanContext sc = Parent(cb);
    EXPECT_NE(sc.trace_id().ToHex(), kTrace) << bad;
    EXPECT_TRUE(sc.IsValid());
    EXPECT_EQ(cb.Header("tracestate"), "") << bad;
  }
}

TEST_F(TraceContextServiceTest, DuplicatedTraceparentStartsANewTrace) {
  auto cb = OneCallback({{"traceparent", "00-12345678901234567890123456789011-1234567890123456-01"},
                         {"traceparent", std::string("00-") + kTrace + "-" + kParent + "-01"}});
  SpanContext sc = Parent(cb);
  EXPECT_NE(sc.trace_id().ToHex(), kTrace);
  EXPECT_NE(sc.trace_id().ToHex(), "12345678901234567890123456789011");
}

TEST_F(TraceContextServiceTest, RepeatedTracestateHeadersAreCombined) {
  auto cb = OneCallback({{"traceparent", std::string("00-") + kTrace + "-" + kParent + "-00"},
                         {"tracestate", "foo=1"},
                         {"tracestate", ""},
                         {"tracestate", "bar=2"}});
  EXPECT_EQ(cb.Header("tracestate"), "foo=1,bar=2");
}

TEST_F(TraceContextServiceTest, InvalidTracestateIsDroppedTraceKept) {
  auto cb = OneCallback({{"traceparent", std::string("00-") + kTrace + "-" + kParent + "-00"},
                         {"tracestate", "foo=1,foo=2"}});
  EXPECT_EQ(Parent(cb).trace_id().ToHex(), kTrace);
  EXPECT_EQ(cb.Header("tracestate"), "");
}

TEST_F(TraceContextServiceTest, EachCallbackGetsItsOwnParentId) {
  PostTest(service_.port(), {{"traceparent", std::string("00-") + kTrace + "-" + kParent + "-01"}},
           receiver_.url("/cb"), 3);
  ASSERT_TRUE(receiver_.WaitForRequests(3, std::chrono::seconds(5)));
  std::set<std::string> traces, parents;
  for (const auto& r : receiver_.requests()) {
    SpanContext sc = Parent(r);
    traces.insert(sc.trace_id().ToHex());
    parents.insert(sc.span_id().ToHex());
  }
  EXPECT_EQ(traces, std::set<std::string>{kTrace});
  EXPECT_EQ(parents.size(), 3u);
}

TEST_F(TraceContextServiceTest, MalformedBodyIs400) {
  std::map<std::string, std::string> headers;
  std::string tr;
  EXPECT_EQ(service_.HandleTest(headers, "{not json", tr), 400);
  EXPECT_EQ(service_.HandleTest(headers, R"([{"no_url":1}])", tr), 400);
  EXPECT_EQ(service_.HandleTest(headers, "[]", tr), 200);
}

TEST(TraceContextServiceProgram, ListensWhereToldAndServes) {
  TestHttpServer receiver([](const TestRequest&) { return TestResponse{}; });
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    execl(TRACECONTEXT_SERVICE_PATH, "tracecontext-test-service", "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  FILE* proc = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, proc), nullptr);
  std::string text = line;
  auto colon = text.rfind(':', text.find(" (POST"));
  int port = std::atoi(text.c_str() + colon + 1);
  EXPECT_GT(port, 0) << text;
  if (port > 0) {
    Reply r = PostTest(static_cast<std::uint16_t>(port),
                       {{"traceparent", std::string("00-") + kTrace + "-" + kParent + "-01"}},
                       receiver.url("/cb"), 1);
    EXPECT_EQ(r.status, 200);
    ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(5)));
    EXPECT_EQ(ParseTraceparent(receiver.requests()[0].Header("traceparent"))->trace_id().ToHex(),
              kTrace);
  }
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "stops cleanly on SIGTERM";
  std::fclose(proc);
}

TEST(TraceContextServiceProgram, RefusesABadListenAddress) {
  std::string cmd = std::string(TRACECONTEXT_SERVICE_PATH) + " --listen nonsense 2>/dev/null";
  int status = std::system(cmd.c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

}  // namespace
}  // namespace blogtrace::telemetry::tracecontext
