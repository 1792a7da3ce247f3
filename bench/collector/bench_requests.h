// Synthetic OTLP export requests for the collector benchmarks: spans shaped like the blog's
// (HTTP server/client and DB spans, 8 attributes each, an error event on 1 span in 50) from
// five services, as serialized ExportTraceServiceRequest bodies.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "collector/otlp_decode.h"

namespace blogtrace::collector::bench {

namespace trace_pb = opentelemetry::proto::trace::v1;

inline constexpr int kBatch = 512;
inline constexpr std::uint64_t kBaseNs = 1767225600ull * 1000000000ull;
inline const char* kServices[] = {"frontend", "blog", "author", "authen", "user"};
inline const char* kOperations[] = {
    "GET /blogs",   "GET /blogs/{id}", "POST /blogs",  "POST /authorize",    "POST /login",
    "SELECT blogs", "INSERT blogs",    "SELECT users", "POST /users/verify", "jwt.verify"};

inline void SetString(opentelemetry::proto::common::v1::KeyValue* kv, const char* key,
                      std::string v) {
  kv->set_key(key);
  kv->mutable_value()->set_string_value(std::move(v));
}

// One serialized request of `kBatch` spans: traces of `spans_per_trace` spans, ids from `rng`,
// trace start times spread over `spread_ns` after `from_ns`; realistic attributes (8 per span).
inline std::string MakeBatch(std::mt19937_64& rng, int spans_per_trace, std::uint64_t from_ns,
                             std::uint64_t spread_ns) {
  otlp_collector::ExportTraceServiceRequest req;
  std::vector<trace_pb::ScopeSpans*> scopes;
  for (const char* service : kServices) {
    auto* rs = req.add_resource_spans();
    SetString(rs->mutable_resource()->add_attributes(), "service.name", service);
    SetString(rs->mutable_resource()->add_attributes(), "host.name", "bench-host");
    SetString(rs->mutable_resource()->add_attributes(), "telemetry.sdk.name", "blogtrace");
    auto* ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("blogtrace");
    ss->mutable_scope()->set_version("0.1.0");
    scopes.push_back(ss);
  }
  std::string trace_id(16, '\0');
  std::string parent;
  std::uint64_t start = 0;
  for (int i = 0; i < kBatch; ++i) {
    if (i % spans_per_trace == 0) {
      for (auto& c : trace_id) c = static_cast<char>(rng());
      parent.clear();
      start = from_ns + rng() % spread_ns;
    }
    auto* span = scopes[rng() % scopes.size()]->add_spans();
    span->set_trace_id(trace_id);
    std::string span_id(8, '\0');
    for (auto& c : span_id) c = static_cast<char>(rng() | 1);
    span->set_span_id(span_id);
    if (!parent.empty()) span->set_parent_span_id(parent);
    if (parent.empty() || rng() % 2) parent = span_id;
    span->set_name(kOperations[rng() % std::size(kOperations)]);
    span->set_kind(static_cast<trace_pb::Span::SpanKind>(1 + rng() % 3));
    std::uint64_t s = start + (i % spans_per_trace) * 100'000;
    span->set_start_time_unix_nano(s);
    span->set_end_time_unix_nano(s + 50'000 + rng() % 50'000'000);
    SetString(span->add_attributes(), "http.request.method", "GET");
    SetString(span->add_attributes(), "url.path", "/blogs/" + std::to_string(rng() % 1000));
    SetString(span->add_attributes(), "http.route", "/blogs/{id}");
    SetString(span->add_attributes(), "server.address", "127.0.0.1");
    auto* code = span->add_attributes();
    code->set_key("http.response.status_code");
    code->mutable_value()->set_int_value(rng() % 50 == 0 ? 500 : 200);
    auto* port = span->add_attributes();
    port->set_key("server.port");
    port->mutable_value()->set_int_value(3004);
    SetString(span->add_attributes(), "enduser.id", "user-" + std::to_string(rng() % 500));
    SetString(span->add_attributes(), "network.protocol.version", "1.1");
    if (rng() % 50 == 0) {
      span->mutable_status()->set_code(trace_pb::Status::STATUS_CODE_ERROR);
      span->mutable_status()->set_message("boom");
      auto* ev = span->add_events();
      ev->set_name("exception");
      ev->set_time_unix_nano(s + 1000);
      SetString(ev->add_attributes(), "exception.type", "std::runtime_error");
    }
  }
  return req.SerializeAsString();
}

}  // namespace blogtrace::collector::bench
