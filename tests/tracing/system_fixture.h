// TracingSystemTest: the fixture of the whole-system tracing tests. Each test starts the real
// `blogtrace serve <service>` processes (BlogSystem) exporting to an OTLP receiver inside the
// test process (OtlpSink), sends real requests and checks the spans that arrive, mostly as
// exact trees (span_tree.h). Span names follow the agreement in notes/requests.md; behaviour
// follows shared/API.md.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "blog_system.h"
#include "otlp_sink.h"
#include "span_tree.h"

namespace blogtrace::tracing_test {

using opentelemetry::proto::trace::v1::Status;

// The resource service.name each service reports by default ("the service's own name").
inline constexpr char kUser[] = "user";
inline constexpr char kAuthen[] = "authen";
inline constexpr char kAuthor[] = "author";
inline constexpr char kBlog[] = "blog";

// How long spans may take to arrive (the services export every 100 ms).
inline constexpr auto kSpanWait = std::chrono::seconds(15);
// After a tree matched: how long extra spans of the same trace get to show up (several export
// periods), so "nothing extra" is checked too.
inline constexpr auto kQuietWait = std::chrono::milliseconds(500);

// Every test user's password (scanned for in every span).
inline constexpr char kPassword[] = "correct horse battery staple";

// A parsed `traceresponse: 00-<trace-id>-<span-id>-<flags>`.
struct TraceResponse {
  std::string trace_id;
  std::string span_id;
  std::string flags;
};

// The response's traceresponse when present and well-formed (lower-case hex, version 00).
std::optional<TraceResponse> ParseTraceResponse(const HttpResponse& response);
// `bytes` random bytes as lower-case hex.
std::string RandomHex(std::size_t bytes);
// The claims of a JWS compact token (no signature check: the services do that).
nlohmann::json JwtClaims(const std::string& token);
// A request with a JSON body.
HttpRequest Json(std::string method, std::string target, const nlohmann::json& body,
                 std::vector<std::pair<std::string, std::string>> headers = {});
// The expected subtree of a blog → author authorisation call:
//   blog CLIENT "POST /authorize" → author SERVER "POST /authorize" → author INTERNAL "jwt.verify"
ExpectedSpan AuthorizeCall();
// The Authorization header for `token`.
std::pair<std::string, std::string> Bearer(const std::string& token);

// The fixture: an OTLP sink per test and, once StartSystem ran, the services.
class TracingSystemTest : public ::testing::Test {
 protected:
  // Skips (loudly) when the program under test is not built.
  void SetUp() override;
  // Prints the services' logs when the test failed.
  void TearDown() override;

  // Starts the services exporting to this test's sink; fails the test when one does not start.
  void StartSystem(SystemOptions options = {});
  // Creates a user through the user service (admin key); returns its id.
  std::string CreateUser(const std::string& username, const std::string& permission);
  // Logs in through the authen service; returns the token ("" on failure, with a test failure).
  std::string Login(const std::string& username, HttpResponse* out = nullptr);

  // The response's traceresponse; fails the test when absent or malformed.
  static TraceResponse MustTraceResponse(const HttpResponse& response);
  // Waits until the trace's spans form `expected` (bounded), then briefly for stragglers, and
  // asserts the final tree (root parent `root_parent`, "" = a new trace). Returns the spans.
  // TRACING_TEST_PRINT_TREES=1 prints every received tree.
  std::vector<ReceivedSpan> ExpectTree(const std::string& trace_id, const ExpectedSpan& expected,
                                       const std::string& root_parent = "");
  // No span text (names, attributes, events, statuses) contains any of `secrets`.
  static void ExpectNoSecrets(const std::vector<ReceivedSpan>& spans,
                              const std::vector<std::string>& secrets);
  // Every received span with one of these (service, name) pairs belongs to `trace_id`: the
  // request did not start a second trace anywhere.
  void ExpectOnlyInTrace(const std::set<std::pair<std::string, std::string>>& service_names,
                         const std::string& trace_id);
  // Every span's status is UNSET.
  static void ExpectAllUnset(const std::vector<ReceivedSpan>& spans);
  // The HTTP server-span semantic-convention attributes.
  void ExpectServerAttributes(const ReceivedSpan* span, Service service, const std::string& method,
                              const std::string& route, const std::string& path, int status);
  // The HTTP client-span semantic-convention attributes (status: when a response came back).
  void ExpectClientAttributes(const ReceivedSpan* span, Service callee, const std::string& method,
                              std::optional<int> status);
  // The database semantic-convention attributes (SQLite).
  static void ExpectDbAttributes(const ReceivedSpan* span, const std::string& operation,
                                 const std::string& collection);

  OtlpSink sink_;
  std::unique_ptr<BlogSystem> system_;
};

}  // namespace blogtrace::tracing_test
