// Fault injection in the real service processes (../shared/API.md "Debugging (additions)"): each
// kind of fault answers as it should and shows in the trace where it acts — the SERVER span for
// a route, the database span for a store operation, the CLIENT span for an upstream call — with
// the event `fault.injected {rule}` and the attribute `fault.injected=true`; /admin/faults needs
// the admin key and refuses a malformed rule without changing the rules in force; a malformed
// FAULTS stops the service at start, naming the rule.
#include "system_fixture.h"

namespace blogtrace::tracing_test {
namespace {

using FaultTraceTest = TracingSystemTest;

constexpr std::int64_t kMillis = 1'000'000;  // nanoseconds

std::int64_t DurationNanos(const ReceivedSpan& span) {
  return static_cast<std::int64_t>(span.proto.end_time_unix_nano() -
                                   span.proto.start_time_unix_nano());
}

bool BoolAttribute(const ReceivedSpan& span, std::string_view key) {
  const auto* value = span.Attribute(key);
  return value != nullptr && value->has_bool_value() && value->bool_value();
}

// The span carries the fault: attribute fault.injected=true and the event naming `rule`.
void ExpectFault(const ReceivedSpan* span, const std::string& rule) {
  ASSERT_NE(span, nullptr);
  EXPECT_TRUE(BoolAttribute(*span, "fault.injected")) << span->name();
  const auto* event = span->Event("fault.injected");
  ASSERT_NE(event, nullptr) << span->name() << " has no fault.injected event";
  EXPECT_EQ(ReceivedSpan::EventStringAttribute(*event, "rule"), rule);
}

// Nothing about the fault on the span.
void ExpectNoFault(const ReceivedSpan* span) {
  ASSERT_NE(span, nullptr);
  EXPECT_EQ(span->Attribute("fault.injected"), nullptr) << span->name();
  EXPECT_EQ(span->Event("fault.injected"), nullptr) << span->name();
}

class FaultAdmin {
 public:
  FaultAdmin(BlogSystem& system, Service service) : system_(system), service_(service) {}
  HttpResponse Put(const std::string& rules, const std::string& key) const {
    return system_.Call(service_,
                        Json("PUT", "/admin/faults", {{"faults", rules}}, {{"X-Admin-Key", key}}));
  }
  HttpResponse Put(const std::string& rules) const { return Put(rules, system_.admin_key()); }
  std::string Shown() const {
    HttpResponse r = system_.Call(
        service_, HttpRequest{"GET", "/admin/faults", {{"X-Admin-Key", system_.admin_key()}}, ""});
    EXPECT_EQ(r.status, 200) << r.body;
    auto json = nlohmann::json::parse(r.body, nullptr, false);
    return json.is_object() ? json.value("faults", "?") : "?";
  }

 private:
  BlogSystem& system_;
  Service service_;
};

// Route faults act on the SERVER span before the handler runs: an error answers the status with
// the usual error body (so an anonymous caller sees the 503, not a 401), a delay is the span's
// own time; other routes are untouched.
TEST_F(FaultTraceTest, RouteErrorAndDelayOnTheServerSpan) {
  ASSERT_NO_FATAL_FAILURE(StartSystem(
      {.services = {Service::kBlog}, .env = {{"FAULTS", "route=GET /blogs:error=503"}}}));
  HttpResponse failed = system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {}, ""});
  EXPECT_EQ(failed.status, 503) << failed.body;
  auto body = nlohmann::json::parse(failed.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << failed.body;
  EXPECT_EQ(body.value("error", ""), "unavailable");
  EXPECT_EQ(body.value("message", ""), "fault injected: route=GET /blogs:error=503");
  TraceResponse trace = MustTraceResponse(failed);
  auto spans = ExpectTree(trace.trace_id, {kBlog, "GET /blogs", kServer, {}});
  const ReceivedSpan* server = FindSpan(spans, kBlog, "GET /blogs");
  ExpectFault(server, "route=GET /blogs:error=503");
  EXPECT_EQ(server->status_code(), Status::STATUS_CODE_ERROR);
  EXPECT_EQ(server->IntAttribute("http.response.status_code"), 503);

  // Another route: no fault.
  HttpResponse other = system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs/abc", {}, ""});
  EXPECT_EQ(other.status, 401);
  ExpectNoFault(FindSpan(
      ExpectTree(MustTraceResponse(other).trace_id, {kBlog, "GET /blogs/{id}", kServer, {}}), kBlog,
      "GET /blogs/{id}"));

  FaultAdmin admin(*system_, Service::kBlog);
  ASSERT_EQ(admin.Put("route=GET /blogs/{id}:delay=300ms").status, 200);
  HttpResponse slow = system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs/abc", {}, ""});
  EXPECT_EQ(slow.status, 401) << "a delay changes the timing, not the answer";
  auto slow_spans =
      ExpectTree(MustTraceResponse(slow).trace_id, {kBlog, "GET /blogs/{id}", kServer, {}});
  const ReceivedSpan* slow_server = FindSpan(slow_spans, kBlog, "GET /blogs/{id}");
  ExpectFault(slow_server, "route=GET /blogs/{id}:delay=300ms");
  EXPECT_GE(DurationNanos(*slow_server), 300 * kMillis);
  // The earlier rule is gone: PUT replaces the rules in force.
  EXPECT_EQ(system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {}, ""}).status, 401);
  // The health check and the admin endpoint are never in the way.
  EXPECT_EQ(system_->Call(Service::kBlog, HttpRequest{"GET", "/healthz", {}, ""}).status, 200);
}

// Store faults act on a database span of their own, named as the backend names its spans: an
// error fails it (and the real query never runs), a delay is its own time with the real query
// as its child.
TEST_F(FaultTraceTest, StoreErrorAndDelayOnTheDatabaseSpan) {
  ASSERT_NO_FATAL_FAILURE(StartSystem({.services = {Service::kUser}}));
  FaultAdmin admin(*system_, Service::kUser);
  ASSERT_EQ(admin.Put("store=insert_user:error=503").status, 200);
  HttpResponse failed = system_->Call(
      Service::kUser, Json("POST", "/users",
                           {{"username", "alice"}, {"password", kPassword}, {"permission", "READ"}},
                           {{"X-Admin-Key", system_->admin_key()}}));
  EXPECT_EQ(failed.status, 503) << failed.body;
  EXPECT_NE(failed.body.find("fault injected: store=insert_user:error=503"), std::string::npos)
      << failed.body;
  auto spans =
      ExpectTree(MustTraceResponse(failed).trace_id,
                 {kUser,
                  "POST /users",
                  kServer,
                  {{kUser, "password.hash", kInternal, {}}, {kUser, "INSERT users", kClient, {}}}});
  const ReceivedSpan* insert = FindSpan(spans, kUser, "INSERT users");
  ExpectFault(insert, "store=insert_user:error=503");
  EXPECT_EQ(insert->status_code(), Status::STATUS_CODE_ERROR);
  EXPECT_EQ(insert->StringAttribute("db.system"), "sqlite");
  EXPECT_EQ(insert->StringAttribute("db.operation.name"), "INSERT");
  ExpectNoFault(FindSpan(spans, kUser, "POST /users"));

  // Nothing was stored: with the fault cleared the same user is created (no 409).
  ASSERT_EQ(system_
                ->Call(Service::kUser,
                       HttpRequest{
                           "DELETE", "/admin/faults", {{"X-Admin-Key", system_->admin_key()}}, ""})
                .status,
            200);
  std::string id = CreateUser("alice", "READ");
  ASSERT_FALSE(id.empty());

  ASSERT_EQ(admin.Put("store=find_user:delay=200ms").status, 200);
  HttpResponse slow = system_->Call(
      Service::kUser,
      HttpRequest{"GET", "/users/" + id, {{"X-Admin-Key", system_->admin_key()}}, ""});
  EXPECT_EQ(slow.status, 200) << slow.body;
  auto slow_spans =
      ExpectTree(MustTraceResponse(slow).trace_id,
                 {kUser,
                  "GET /users/{id}",
                  kServer,
                  {{kUser, "SELECT users", kClient, {{kUser, "SELECT users", kClient, {}}}}}});
  const ReceivedSpan* outer = nullptr;
  const ReceivedSpan* inner = nullptr;
  for (const ReceivedSpan* s : FindSpans(slow_spans, kUser, "SELECT users")) {
    (s->Attribute("fault.injected") != nullptr ? outer : inner) = s;
  }
  ExpectFault(outer, "store=find_user:delay=200ms");
  ASSERT_NE(inner, nullptr);
  ExpectNoFault(inner);
  EXPECT_EQ(inner->parent_span_id, outer->span_id);
  EXPECT_GE(DurationNanos(*outer) - DurationNanos(*inner), 200 * kMillis);
  EXPECT_EQ(outer->status_code(), Status::STATUS_CODE_UNSET);
}

// Upstream faults act on the CLIENT span: `unreachable` fails the call as a refused connection
// does (the caller answers 503 unavailable, and nothing reaches the upstream), an error is the
// upstream's answer as the caller sees it.
TEST_F(FaultTraceTest, UpstreamUnreachableAndErrorOnTheClientSpan) {
  // The author service does not even run: the faulted calls never leave the blog service.
  ASSERT_NO_FATAL_FAILURE(StartSystem(
      {.services = {Service::kBlog}, .env = {{"FAULTS", "upstream=author:unreachable"}}}));
  HttpResponse refused = system_->Call(
      Service::kBlog, HttpRequest{"GET", "/blogs", {{"Authorization", "Bearer abc.def.ghi"}}, ""});
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("\"unavailable\""), std::string::npos) << refused.body;
  auto spans =
      ExpectTree(MustTraceResponse(refused).trace_id,
                 {kBlog, "GET /blogs", kServer, {{kBlog, "POST /authorize", kClient, {}}}});
  const ReceivedSpan* call = FindSpan(spans, kBlog, "POST /authorize");
  ExpectFault(call, "upstream=author:unreachable");
  EXPECT_EQ(call->StringAttribute("error.type"), "connection_refused");
  EXPECT_EQ(call->status_code(), Status::STATUS_CODE_ERROR);
  ExpectNoFault(FindSpan(spans, kBlog, "GET /blogs"));

  ASSERT_EQ(FaultAdmin(*system_, Service::kBlog).Put("upstream=author:error=502").status, 200);
  HttpResponse bad = system_->Call(
      Service::kBlog, HttpRequest{"GET", "/blogs", {{"Authorization", "Bearer abc.def.ghi"}}, ""});
  EXPECT_EQ(bad.status, 500) << "the blog service answers an author 502 as it always does";
  auto bad_spans =
      ExpectTree(MustTraceResponse(bad).trace_id,
                 {kBlog, "GET /blogs", kServer, {{kBlog, "POST /authorize", kClient, {}}}});
  const ReceivedSpan* bad_call = FindSpan(bad_spans, kBlog, "POST /authorize");
  ExpectFault(bad_call, "upstream=author:error=502");
  EXPECT_EQ(bad_call->IntAttribute("http.response.status_code"), 502);
  EXPECT_EQ(bad_call->status_code(), Status::STATUS_CODE_ERROR);
}

// With the whole system: an upstream delay is the CLIENT span's own time and the request still
// succeeds; a list fault fails GET /blogs at the database span after a good authorisation.
TEST_F(FaultTraceTest, UpstreamDelayAndBlogStoreErrorInTheWholeSystem) {
  ASSERT_NO_FATAL_FAILURE(StartSystem());
  CreateUser("reader", "READ");
  std::string token = Login("reader");
  FaultAdmin admin(*system_, Service::kBlog);
  ASSERT_EQ(admin.Put("upstream=author:delay=250ms").status, 200);
  HttpResponse slow =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""});
  EXPECT_EQ(slow.status, 200) << slow.body;
  auto spans = ExpectTree(
      MustTraceResponse(slow).trace_id,
      {kBlog, "GET /blogs", kServer, {AuthorizeCall(), {kBlog, "SELECT blogs", kClient, {}}}});
  const ReceivedSpan* call = FindSpan(spans, kBlog, "POST /authorize");
  ExpectFault(call, "upstream=author:delay=250ms");
  EXPECT_GE(DurationNanos(*call) - DurationNanos(*FindSpan(spans, kAuthor, "POST /authorize")),
            250 * kMillis);
  EXPECT_EQ(call->status_code(), Status::STATUS_CODE_UNSET);

  ASSERT_EQ(admin.Put("store=list:error=500").status, 200);
  HttpResponse failed =
      system_->Call(Service::kBlog, HttpRequest{"GET", "/blogs", {Bearer(token)}, ""});
  EXPECT_EQ(failed.status, 500) << failed.body;
  EXPECT_NE(failed.body.find("\"internal\""), std::string::npos) << failed.body;
  auto failed_spans = ExpectTree(
      MustTraceResponse(failed).trace_id,
      {kBlog, "GET /blogs", kServer, {AuthorizeCall(), {kBlog, "SELECT blogs", kClient, {}}}});
  const ReceivedSpan* list = FindSpan(failed_spans, kBlog, "SELECT blogs");
  ExpectFault(list, "store=list:error=500");
  EXPECT_EQ(list->status_code(), Status::STATUS_CODE_ERROR);
  ExpectNoFault(FindSpan(failed_spans, kBlog, "POST /authorize"));
}

// /admin/faults: the admin key on every method; a malformed rule is 400 naming it and changes
// nothing; DELETE clears.
TEST_F(FaultTraceTest, AdminEndpointNeedsTheKeyAndKeepsRulesOnABadRule) {
  ASSERT_NO_FATAL_FAILURE(StartSystem({.services = {Service::kUser, Service::kAuthen}}));
  FaultAdmin admin(*system_, Service::kAuthen);
  for (const char* method : {"GET", "PUT", "DELETE"}) {
    HttpResponse none =
        system_->Call(Service::kAuthen, HttpRequest{method, "/admin/faults", {}, ""});
    EXPECT_EQ(none.status, 401) << method;
    HttpResponse wrong = system_->Call(
        Service::kAuthen,
        HttpRequest{method, "/admin/faults", {{"X-Admin-Key", "wrong-key-wrong-key"}}, ""});
    EXPECT_EQ(wrong.status, 401) << method;
  }
  EXPECT_EQ(admin.Put("upstream=user:error=500", "wrong-key-wrong-key").status, 401);
  EXPECT_EQ(admin.Shown(), "");

  HttpResponse set = admin.Put("upstream=user:delay=10ms@0.5;route=POST /login:error=500@0");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(nlohmann::json::parse(set.body).value("faults", ""),
            "upstream=user:delay=10ms@0.5; route=POST /login:error=500@0");

  HttpResponse bad = admin.Put("upstream=user:delay=10ms; upstream=blog:unreachable");
  EXPECT_EQ(bad.status, 400);
  auto bad_body = nlohmann::json::parse(bad.body, nullptr, false);
  ASSERT_TRUE(bad_body.is_object()) << bad.body;
  EXPECT_EQ(bad_body.value("error", ""), "bad_request");
  EXPECT_NE(bad_body.value("message", "").find("'upstream=blog:unreachable'"), std::string::npos)
      << bad.body;
  EXPECT_EQ(admin.Shown(), "upstream=user:delay=10ms@0.5; route=POST /login:error=500@0");

  HttpResponse not_json = system_->Call(
      Service::kAuthen,
      HttpRequest{"PUT",
                  "/admin/faults",
                  {{"X-Admin-Key", system_->admin_key()}, {"Content-Type", "text/plain"}},
                  "store=list:error=500"});
  EXPECT_EQ(not_json.status, 415);
  HttpResponse no_field = system_->Call(
      Service::kAuthen,
      Json("PUT", "/admin/faults", {{"rules", "x"}}, {{"X-Admin-Key", system_->admin_key()}}));
  EXPECT_EQ(no_field.status, 400);

  HttpResponse cleared = system_->Call(
      Service::kAuthen,
      HttpRequest{"DELETE", "/admin/faults", {{"X-Admin-Key", system_->admin_key()}}, ""});
  EXPECT_EQ(cleared.status, 200);
  EXPECT_EQ(nlohmann::json::parse(cleared.body).value("faults", "?"), "");
  EXPECT_EQ(admin.Shown(), "");
}

// A malformed FAULTS stops the service at start with a non-zero exit, naming the variable and
// the rule.
TEST_F(FaultTraceTest, MalformedFaultsStopTheServiceAtStart) {
  SystemOptions options{.services = {Service::kUser},
                        .env = {{"FAULTS", "store=find_user:delay=1s; store=find_usr:error=500"}}};
  options.otlp_endpoint = sink_.endpoint();
  system_ = std::make_unique<BlogSystem>(std::move(options));
  std::string problem = system_->Start();
  EXPECT_NE(problem.find("exited (status"), std::string::npos) << problem;
  EXPECT_EQ(problem.find("exited (status 0)"), std::string::npos) << problem;
  EXPECT_NE(problem.find("FAULTS: fault rule 'store=find_usr:error=500'"), std::string::npos)
      << problem;
}

}  // namespace
}  // namespace blogtrace::tracing_test
