#include "collector/query_api.h"

#include <nlohmann/json.hpp>

#include "collector/hex.h"
#include "collector/jaeger_names.h"
#include "collector/trace_mapping.h"

namespace blogtrace::collector {
namespace {

using nlohmann::json;
using std::chrono::nanoseconds;

constexpr std::int64_t kDefaultLimit = 100;  // Jaeger's defaultQueryLimit
constexpr std::int64_t kMaxLimit = 10000;
constexpr auto kDefaultLookback = std::chrono::hours(48);  // Jaeger's query lookback default
constexpr auto kDefaultDependencyLookback = std::chrono::hours(24);

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

ApiResponse V1Data(json data) {
  std::size_t total = data.is_array() ? data.size() : 0;
  return {200, Dump({{"data", std::move(data)},
                     {"total", total},
                     {"limit", 0},
                     {"offset", 0},
                     {"errors", nullptr}})};
}

// Builds a v1 envelope around traces written straight into the body.
class V1TraceList {
 public:
  V1TraceList() { body_ = "{\"data\":["; }
  void Add(const std::vector<StoredSpan>& spans) {
    if (count_++) body_ += ',';
    AppendJaegerTraceJson(spans, body_);
  }
  ApiResponse Finish() && {
    body_ += "],\"total\":" + std::to_string(count_) + ",\"limit\":0,\"offset\":0,\"errors\":null}";
    return {200, std::move(body_)};
  }

 private:
  std::string body_;
  std::size_t count_ = 0;
};

ApiResponse V1Error(int status, std::string_view message) {
  return {status, Dump({{"data", nullptr},
                        {"total", 0},
                        {"limit", 0},
                        {"offset", 0},
                        {"errors", json::array({{{"code", status}, {"msg", message}}})}})};
}

ApiResponse V3Error(int status, std::string_view message) {
  return {status, Dump({{"error", {{"httpCode", status}, {"message", message}}}})};
}

ApiResponse InternalV1(const Error& e) { return V1Error(500, e.message); }

std::uint64_t NowNs(const Clock& clock) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<nanoseconds>(clock.Now().time_since_epoch()).count());
}

// Parses a JSON object of string values (Jaeger's `tags` and api_v3's `query.attributes`).
Status ParseTagObject(std::string_view text, std::string_view name,
                      std::vector<std::pair<std::string, std::string>>& out) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error::BadRequest("malformed '" + std::string(name) +
                             "' parameter: expecting a JSON object of strings");
  }
  for (const auto& [key, value] : doc.items()) {
    if (value.is_string()) {
      out.emplace_back(key, value.get<std::string>());
    } else if (value.is_boolean() || value.is_number()) {
      out.emplace_back(key, value.dump());
    } else {
      return Error::BadRequest("malformed '" + std::string(name) + "' parameter: value of '" + key +
                               "' is not a string");
    }
  }
  return {};
}

// Parses /api/traces parameters into a store query (Jaeger's query parser rules).
Result<TraceQuery> ParseV1Search(const QueryString& q, std::uint64_t now_ns) {
  TraceQuery query;
  if (auto s = q.Get("service"); s && !s->empty()) query.service = *s;
  if (auto o = q.Get("operation"); o && !o->empty()) {
    if (!query.service) return Error::BadRequest("parameter 'operation' needs 'service'");
    query.operation = *o;
  }
  if (auto tags = q.Get("tags"); tags && !tags->empty()) {
    if (auto s = ParseTagObject(*tags, "tags", query.tags); !s) return s.error();
  }
  for (const auto& tag : q.GetAll("tag")) {
    auto colon = tag.find(':');
    if (colon == std::string::npos || colon == 0) {
      return Error::BadRequest("malformed 'tag' parameter, expecting key:value, got '" + tag + "'");
    }
    query.tags.emplace_back(tag.substr(0, colon), tag.substr(colon + 1));
  }
  std::uint64_t end = now_ns;
  if (auto e = q.Get("end"); e && !e->empty()) {
    auto v = ParseInteger(*e, 0, INT64_MAX / 1000);
    if (!v) return Error::BadRequest("unable to parse param 'end': expecting microseconds");
    end = static_cast<std::uint64_t>(*v) * 1000;
  }
  std::uint64_t lookback = std::chrono::duration_cast<nanoseconds>(kDefaultLookback).count();
  if (auto l = q.Get("lookback"); l && !l->empty() && *l != "custom") {
    auto v = ParseLookback(*l);
    if (!v) return Error::BadRequest("unable to parse param 'lookback': " + v.error().message);
    lookback = static_cast<std::uint64_t>(v->count());
  }
  std::uint64_t start = end > lookback ? end - lookback : 0;
  if (auto s = q.Get("start"); s && !s->empty()) {
    auto v = ParseInteger(*s, 0, INT64_MAX / 1000);
    if (!v) return Error::BadRequest("unable to parse param 'start': expecting microseconds");
    start = static_cast<std::uint64_t>(*v) * 1000;
  }
  if (start > end) return Error::BadRequest("'start' must not be after 'end'");
  query.start_ns = start;
  query.end_ns = end;
  for (auto [name, field] : {std::pair{"minDuration", &query.min_duration_ns},
                             std::pair{"maxDuration", &query.max_duration_ns}}) {
    if (auto d = q.Get(name); d && !d->empty()) {
      auto v = ParseGoDuration(*d);
      if (!v) {
        return Error::BadRequest(std::string("unable to parse param '") + name +
                                 "': expecting a duration such as 1.2s, 100ms, 500us");
      }
      *field = static_cast<std::uint64_t>(v->count());
    }
  }
  if (query.min_duration_ns && query.max_duration_ns &&
      *query.max_duration_ns < *query.min_duration_ns) {
    return Error::BadRequest("'maxDuration' should be greater than 'minDuration'");
  }
  query.limit = kDefaultLimit;
  if (auto l = q.Get("limit"); l && !l->empty()) {
    auto v = ParseInteger(*l, 0, INT64_MAX);
    if (!v) return Error::BadRequest("unable to parse param 'limit': expecting an integer >= 0");
    if (*v > 0) query.limit = static_cast<std::size_t>(std::min(*v, kMaxLimit));
  }
  return query;
}

// Parses api_v3 query.* parameters.
Result<TraceQuery> ParseV3Query(const QueryString& q) {
  TraceQuery query;
  if (auto s = q.Get("query.serviceName"); s && !s->empty()) query.service = *s;
  if (auto o = q.Get("query.operationName"); o && !o->empty()) {
    if (!query.service) {
      return Error::BadRequest("query.operationName requires query.serviceName");
    }
    query.operation = *o;
  }
  auto min = q.Get("query.startTimeMin");
  auto max = q.Get("query.startTimeMax");
  if (!min || min->empty()) return Error::BadRequest("query.startTimeMin is required");
  if (!max || max->empty()) return Error::BadRequest("query.startTimeMax is required");
  auto start = ParseRfc3339(*min);
  if (!start) return Error::BadRequest("query.startTimeMin: " + start.error().message);
  auto end = ParseRfc3339(*max);
  if (!end) return Error::BadRequest("query.startTimeMax: " + end.error().message);
  if (*start > *end) {
    return Error::BadRequest("query.startTimeMin must not be after query.startTimeMax");
  }
  query.start_ns = *start;
  query.end_ns = *end;
  for (auto [name, field] : {std::pair{"query.durationMin", &query.min_duration_ns},
                             std::pair{"query.durationMax", &query.max_duration_ns}}) {
    if (auto d = q.Get(name); d && !d->empty()) {
      auto v = ParseGoDuration(*d);
      if (!v) return Error::BadRequest(std::string(name) + ": " + v.error().message);
      *field = static_cast<std::uint64_t>(v->count());
    }
  }
  if (query.min_duration_ns && query.max_duration_ns &&
      *query.max_duration_ns < *query.min_duration_ns) {
    return Error::BadRequest("query.durationMax must not be less than query.durationMin");
  }
  if (auto a = q.Get("query.attributes"); a && !a->empty()) {
    if (auto s = ParseTagObject(*a, "query.attributes", query.tags); !s) return s.error();
  }
  query.limit = kDefaultLimit;
  if (auto d = q.Get("query.searchDepth"); d && !d->empty()) {
    auto v = ParseInteger(*d, 1, kMaxLimit);
    if (!v) {
      return Error::BadRequest("query.searchDepth must be an integer from 1 to " +
                               std::to_string(kMaxLimit));
    }
    query.limit = static_cast<std::size_t>(*v);
  }
  return query;
}

// The OTLP kind for a spanKind parameter ("" = any); Error for an unknown name.
Result<std::optional<int>> ParseSpanKind(const QueryString& q) {
  auto kind = q.Get("spanKind");
  if (!kind || kind->empty()) return std::optional<int>();
  int k = SpanKindFromName(*kind);
  if (k < 0) {
    return Error::BadRequest("unsupported spanKind '" + *kind +
                             "': expecting server, client, producer, consumer or internal");
  }
  return std::optional<int>(k);
}

std::string KindName(int kind) {
  auto name = SpanKindName(kind);
  return name.empty() ? "internal" : std::string(name);
}

}  // namespace

std::optional<std::string> ParseTraceId(std::string_view hex) {
  if (hex.empty() || hex.size() > 32) return std::nullopt;
  std::string padded(32 - hex.size(), '0');
  padded += hex;
  auto bytes = FromHex(padded);
  if (!bytes || *bytes == std::string(16, '\0')) return std::nullopt;
  return bytes;
}

std::optional<ApiResponse> QueryApi::Dispatch(std::string_view path, const QueryString& query) {
  auto starts = [&](std::string_view p) { return path.substr(0, p.size()) == p; };
  if (path == "/api/services") return Services();
  if (path == "/api/operations") return Operations(query);
  if (path == "/api/traces") return SearchTraces(query);
  if (path == "/api/dependencies") return Dependencies(query);
  if (path == "/api/v3/services") return V3Services();
  if (path == "/api/v3/operations") return V3Operations(query);
  if (path == "/api/v3/trace-summaries") return V3TraceSummaries(query);
  if (path == "/api/v3/traces") return V3FindTraces(query);
  if (starts("/api/v3/traces/")) {
    std::string_view id = path.substr(std::string_view("/api/v3/traces/").size());
    if (id.find('/') == std::string_view::npos) return V3GetTrace(id);
  }
  if (starts("/api/traces/")) {
    std::string_view id = path.substr(std::string_view("/api/traces/").size());
    if (id.find('/') == std::string_view::npos) return GetTrace(id);
  }
  if (starts("/api/services/")) {
    std::string_view rest = path.substr(std::string_view("/api/services/").size());
    constexpr std::string_view kSuffix = "/operations";
    if (rest.size() > kSuffix.size() && rest.substr(rest.size() - kSuffix.size()) == kSuffix) {
      return ServiceOperations(rest.substr(0, rest.size() - kSuffix.size()));
    }
  }
  if (starts("/api/")) return V1Error(404, "no such endpoint");
  return std::nullopt;
}

ApiResponse QueryApi::Services() {
  auto services = store_.Services();
  if (!services) return InternalV1(services.error());
  return V1Data(*services);
}

ApiResponse QueryApi::ServiceOperations(std::string_view service) {
  auto ops = store_.Operations(service);
  if (!ops) return InternalV1(ops.error());
  json names = json::array();
  for (const auto& op : *ops) {
    if (names.empty() || names.back() != op.name) names.push_back(op.name);
  }
  return V1Data(std::move(names));
}

ApiResponse QueryApi::Operations(const QueryString& query) {
  auto service = query.Get("service");
  if (!service || service->empty()) return V1Error(400, "parameter 'service' is required");
  auto kind = ParseSpanKind(query);
  if (!kind) return V1Error(400, kind.error().message);
  auto ops = store_.Operations(*service, *kind);
  if (!ops) return InternalV1(ops.error());
  json data = json::array();
  for (const auto& op : *ops) data.push_back({{"name", op.name}, {"spanKind", KindName(op.kind)}});
  return V1Data(std::move(data));
}

ApiResponse QueryApi::SearchTraces(const QueryString& query) {
  V1TraceList data;
  auto ids = query.GetAll("traceID");
  if (!ids.empty()) {
    // Jaeger: trace ids given → return those traces, ignoring the other criteria.
    for (const auto& id : ids) {
      auto bytes = ParseTraceId(id);
      if (!bytes) return V1Error(400, "malformed 'traceID' parameter '" + id + "'");
      auto spans = store_.GetTrace(*bytes);
      if (!spans) return InternalV1(spans.error());
      if (!spans->empty()) data.Add(*spans);
    }
    return std::move(data).Finish();
  }
  auto parsed = ParseV1Search(query, NowNs(clock_));
  if (!parsed) return V1Error(400, parsed.error().message);
  auto found = store_.FindTraceIds(*parsed);
  if (!found) return InternalV1(found.error());
  for (const auto& id : *found) {
    auto spans = store_.GetTrace(id);
    if (!spans) return InternalV1(spans.error());
    if (!spans->empty()) data.Add(*spans);
  }
  return std::move(data).Finish();
}

ApiResponse QueryApi::GetTrace(std::string_view trace_id) {
  auto bytes = ParseTraceId(trace_id);
  if (!bytes) return V1Error(400, "malformed trace id '" + std::string(trace_id) + "'");
  auto spans = store_.GetTrace(*bytes);
  if (!spans) return InternalV1(spans.error());
  if (spans->empty()) return V1Error(404, "trace not found");
  V1TraceList data;
  data.Add(*spans);
  return std::move(data).Finish();
}

ApiResponse QueryApi::Dependencies(const QueryString& query) {
  std::int64_t end_ms = static_cast<std::int64_t>(NowNs(clock_) / 1000000);
  if (auto e = query.Get("endTs"); e && !e->empty()) {
    auto v = ParseInteger(*e, 0, INT64_MAX / 1000000);
    if (!v) return V1Error(400, "unable to parse param 'endTs': expecting milliseconds");
    end_ms = *v;
  }
  std::int64_t lookback_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(kDefaultDependencyLookback).count();
  if (auto l = query.Get("lookback"); l && !l->empty()) {
    auto v = ParseInteger(*l, 0, INT64_MAX / 1000000);
    if (!v) return V1Error(400, "unable to parse param 'lookback': expecting milliseconds");
    lookback_ms = *v;
  }
  std::int64_t start_ms = std::max<std::int64_t>(0, end_ms - lookback_ms);
  auto links = store_.Dependencies(static_cast<std::uint64_t>(start_ms) * 1000000,
                                   static_cast<std::uint64_t>(end_ms) * 1000000);
  if (!links) return InternalV1(links.error());
  json data = json::array();
  for (const auto& link : *links) {
    data.push_back(
        {{"parent", link.parent}, {"child", link.child}, {"callCount", link.call_count}});
  }
  return V1Data(std::move(data));
}

ApiResponse QueryApi::V3Services() {
  auto services = store_.Services();
  if (!services) return V3Error(500, services.error().message);
  return {200, Dump({{"services", json(*services)}})};
}

ApiResponse QueryApi::V3Operations(const QueryString& query) {
  auto service = query.Get("service");
  if (!service || service->empty()) return V3Error(400, "parameter 'service' is required");
  auto kind = ParseSpanKind(query);
  if (!kind) return V3Error(400, kind.error().message);
  auto ops = store_.Operations(*service, *kind);
  if (!ops) return V3Error(500, ops.error().message);
  json list = json::array();
  for (const auto& op : *ops) list.push_back({{"name", op.name}, {"spanKind", KindName(op.kind)}});
  return {200, Dump({{"operations", std::move(list)}})};
}

ApiResponse QueryApi::V3TraceSummaries(const QueryString& query) {
  auto parsed = ParseV3Query(query);
  if (!parsed) return V3Error(400, parsed.error().message);
  auto found = store_.FindTraceIds(*parsed);
  if (!found) return V3Error(500, found.error().message);
  json summaries = json::array();
  for (const auto& id : *found) {
    auto spans = store_.GetTrace(id);
    if (!spans) return V3Error(500, spans.error().message);
    if (!spans->empty()) summaries.push_back(ToTraceSummary(*spans));
  }
  return {200, Dump({{"summaries", std::move(summaries)}})};
}

ApiResponse QueryApi::V3FindTraces(const QueryString& query) {
  auto parsed = ParseV3Query(query);
  if (!parsed) return V3Error(400, parsed.error().message);
  auto found = store_.FindTraceIds(*parsed);
  if (!found) return V3Error(500, found.error().message);
  std::vector<StoredSpan> all;
  for (const auto& id : *found) {
    auto spans = store_.GetTrace(id);
    if (!spans) return V3Error(500, spans.error().message);
    std::move(spans->begin(), spans->end(), std::back_inserter(all));
  }
  if (all.empty()) return V3Error(404, "No traces found");
  return {200, Dump({{"result", {{"resourceSpans", ToOtlpResourceSpans(all)}}}})};
}

ApiResponse QueryApi::V3GetTrace(std::string_view trace_id) {
  auto bytes = ParseTraceId(trace_id);
  if (!bytes) return V3Error(400, "malformed trace id '" + std::string(trace_id) + "'");
  auto spans = store_.GetTrace(*bytes);
  if (!spans) return V3Error(500, spans.error().message);
  if (spans->empty()) return V3Error(404, "No traces found");
  return {200, Dump({{"result", {{"resourceSpans", ToOtlpResourceSpans(*spans)}}}})};
}

}  // namespace blogtrace::collector
