// Receive-path cost of one OTLP/HTTP protobuf request of 512 spans, per span:
//   MessagePath   : libprotobuf parse on an arena + ExtractSpans(message) (the JSON path's shape)
//   WireFormat    : ExtractSpansFromProtobuf(body), the body copied in as the receiver does
//   WireFormatOnly: the same without the copy of the body (copies made outside the timing)
// Requests come from bench_requests.h, as in collector_bench.
// Run: build/bin/extract_bench --benchmark_repetitions=3 (Release); the "span_time" counter is
// the time per span.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench_requests.h"
#include "collector/otlp_decode.h"
#include "collector/span_batch.h"

namespace {

using namespace blogtrace;
using namespace blogtrace::collector;
namespace trace_pb = opentelemetry::proto::trace::v1;

using namespace blogtrace::collector::bench;
constexpr int kRequests = 8;  // distinct bodies, used in turn

const std::vector<std::string>& Requests() {
  static const std::vector<std::string> requests = [] {
    std::mt19937_64 rng(42);
    std::vector<std::string> out;
    for (int i = 0; i < kRequests; ++i)
      out.push_back(MakeBatch(rng, 8, kBaseNs, 60'000'000'000ull));
    return out;
  }();
  return requests;
}

void Report(benchmark::State& state) {
  const auto spans = static_cast<std::int64_t>(state.iterations()) * kBatch;
  state.SetItemsProcessed(spans);
  state.counters["span_time"] = benchmark::Counter(
      static_cast<double>(kBatch),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void MessagePath(benchmark::State& state) {
  const auto& requests = Requests();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& body = requests[i++ % requests.size()];
    google::protobuf::Arena arena;
    auto& req =
        *google::protobuf::Arena::CreateMessage<otlp_collector::ExportTraceServiceRequest>(&arena);
    if (!DecodeProtobufRequest(body, req)) std::abort();
    ExtractResult result = ExtractSpans(req);
    if (result.batch.spans.size() != kBatch) std::abort();
    benchmark::DoNotOptimize(result);
  }
  Report(state);
}
BENCHMARK(MessagePath);

void WireFormat(benchmark::State& state) {
  const auto& requests = Requests();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& body = requests[i++ % requests.size()];
    auto result = ExtractSpansFromProtobuf(std::string(body));
    if (!result.ok() || result->batch.spans.size() != kBatch) std::abort();
    benchmark::DoNotOptimize(result);
  }
  Report(state);
}
BENCHMARK(WireFormat);

void WireFormatOnly(benchmark::State& state) {
  const auto& requests = Requests();
  std::size_t i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::string body = requests[i++ % requests.size()];
    state.ResumeTiming();
    auto result = ExtractSpansFromProtobuf(std::move(body));
    if (!result.ok() || result->batch.spans.size() != kBatch) std::abort();
    benchmark::DoNotOptimize(result);
  }
  Report(state);
}
BENCHMARK(WireFormatOnly);

}  // namespace

BENCHMARK_MAIN();
