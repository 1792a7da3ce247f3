#include "system_fixture.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <regex>

namespace blogtrace::tracing_test {

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
                 std::vector<std::pair<std::string, std::string>> headers) {
  return HttpRequest{std::move(method), std::move(target), std::move(headers), body.dump()};
}

ExpectedSpan AuthorizeCall() {
  return {kBlog,
          "POST /authorize",
          kClient,
          {{kAuthor, "POST /authorize", kServer, {{kAuthor, "jwt.verify", kInternal, {}}}}}};
}

void TracingSystemTest::SetUp() {
  if (!std::filesystem::exists(BlogSystem::BinaryPath())) {
    GTEST_SKIP() << "the program under test is not built: " << BlogSystem::BinaryPath()
                 << " does not exist (build the `blogtrace` target or set BLOGTRACE_BIN)";
  }
}

void TracingSystemTest::TearDown() {
  if (system_ && HasFailure()) std::cerr << "service logs:\n" << system_->Logs();
}

void TracingSystemTest::StartSystem(SystemOptions options) {
  options.otlp_endpoint = sink_.endpoint();
  system_ = std::make_unique<BlogSystem>(std::move(options));
  std::string problem = system_->Start();
  ASSERT_EQ(problem, "") << "the system did not start";
}

std::string TracingSystemTest::CreateUser(const std::string& username,
                                          const std::string& permission) {
  HttpResponse response = system_->Call(
      Service::kUser,
      Json("POST", "/users",
           {{"username", username}, {"password", kPassword}, {"permission", permission}},
           {{"X-Admin-Key", system_->admin_key()}}));
  EXPECT_EQ(response.status, 201) << response.error << response.body;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  return body.is_object() ? body.value("id", "") : "";
}

std::string TracingSystemTest::Login(const std::string& username, HttpResponse* out) {
  HttpResponse response = system_->Call(
      Service::kAuthen, Json("POST", "/login", {{"username", username}, {"password", kPassword}}));
  EXPECT_EQ(response.status, 200) << response.error << response.body;
  if (out != nullptr) *out = response;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  return body.is_object() ? body.value("token", "") : "";
}

std::pair<std::string, std::string> Bearer(const std::string& token) {
  return {"Authorization", "Bearer " + token};
}

TraceResponse TracingSystemTest::MustTraceResponse(const HttpResponse& response) {
  std::optional<TraceResponse> parsed = ParseTraceResponse(response);
  EXPECT_TRUE(parsed.has_value()) << "traceresponse missing or malformed: "
                                  << response.Header("traceresponse").value_or("(absent)");
  return parsed.value_or(TraceResponse{});
}

std::vector<ReceivedSpan> TracingSystemTest::ExpectTree(const std::string& trace_id,
                                                        const ExpectedSpan& expected,
                                                        const std::string& root_parent) {
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

void TracingSystemTest::ExpectNoSecrets(const std::vector<ReceivedSpan>& spans,
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

void TracingSystemTest::ExpectOnlyInTrace(
    const std::set<std::pair<std::string, std::string>>& service_names,
    const std::string& trace_id) {
  for (const ReceivedSpan& span : sink_.Spans()) {
    if (service_names.count({span.service, span.name()}) != 0) {
      EXPECT_EQ(span.trace_id, trace_id)
          << span.service << " \"" << span.name() << "\" is in another trace:\n"
          << FormatReceived(sink_.SpansOfTrace(span.trace_id));
    }
  }
}

void TracingSystemTest::ExpectAllUnset(const std::vector<ReceivedSpan>& spans) {
  for (const ReceivedSpan& span : spans) {
    EXPECT_EQ(span.status_code(), Status::STATUS_CODE_UNSET)
        << span.service << " \"" << span.name() << "\" status " << StatusName(span.status_code())
        << " " << span.proto.status().message();
  }
}

void TracingSystemTest::ExpectServerAttributes(const ReceivedSpan* span, Service service,
                                               const std::string& method, const std::string& route,
                                               const std::string& path, int status) {
  ASSERT_NE(span, nullptr);
  SCOPED_TRACE(span->service + " SERVER \"" + span->name() + "\"");
  EXPECT_EQ(span->StringAttribute("http.request.method"), method);
  EXPECT_EQ(span->StringAttribute("http.route"), route);
  EXPECT_EQ(span->StringAttribute("url.path"), path);
  EXPECT_EQ(span->IntAttribute("http.response.status_code"), status);
  EXPECT_EQ(span->IntAttribute("server.port"), system_->port(service));
}

void TracingSystemTest::ExpectClientAttributes(const ReceivedSpan* span, Service callee,
                                               const std::string& method,
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

void TracingSystemTest::ExpectDbAttributes(const ReceivedSpan* span, const std::string& operation,
                                           const std::string& collection) {
  ASSERT_NE(span, nullptr);
  SCOPED_TRACE(span->service + " CLIENT \"" + span->name() + "\"");
  EXPECT_EQ(span->StringAttribute("db.system"), "sqlite");
  EXPECT_EQ(span->StringAttribute("db.operation.name"), operation);
  EXPECT_EQ(span->StringAttribute("db.collection.name"), collection);
}

}  // namespace blogtrace::tracing_test
