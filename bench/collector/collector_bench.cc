// Collector benchmarks (a small program rather than Google Benchmark: each phase needs a large
// store built once). Prints one line per figure; run three times and take the medians.
// Spans arrive in time order as from live services (--shuffled: in random order over the hour).
//   ingest : decode protobuf batches of 512 spans, validate, queue, write; spans/s from the first
//            batch to the commit of the last (stored and queryable), and spans per CPU-second.
//   search : /api/traces and /api/v3/trace-summaries over --spans stored spans (default 1e6).
//   fetch  : /api/traces/{id} of a 2,000-span trace (mapping and JSON included).
//   --http=N: instead, ingest through the real HTTP receiver with N client threads and report
//            the collector's CPU per span (the process's CPU less the clients' threads).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_requests.h"
#include "collector/blocking_client.h"
#include "collector/collector_server.h"
#include "collector/hex.h"
#include "collector/otlp_decode.h"
#include "collector/query_api.h"
#include "collector/span_batch.h"
#include "collector/span_store.h"

namespace {

using namespace blogtrace;
using namespace blogtrace::collector;
namespace trace_pb = opentelemetry::proto::trace::v1;
using Steady = std::chrono::steady_clock;
using namespace blogtrace::collector::bench;

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Decodes, validates and queues one request as the receiver does; returns its sequence.
std::uint64_t Ingest(SpanStore& store, const std::string& body) {
  auto extracted = ExtractSpansFromProtobuf(body);
  if (!extracted) std::abort();
  while (true) {
    if (auto seq = store.Enqueue(std::move(extracted->batch))) return *seq;
    // Back-pressure: a real client retries after Retry-After; here wait for the writer.
    store.Flush();
  }
}

// CPU seconds of the calling thread.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU seconds used so far by this process's threads named `name` (from /proc).
double NamedThreadCpuSeconds(const std::string& name) {
  double total = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string thread_name;
    std::getline(comm, thread_name);
    if (thread_name != name) continue;
    std::ifstream stat_file(task.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14 || i == 15) ticks += std::stod(field);
    }
    total += ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return total;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median wall and CPU milliseconds of `runs` calls (the CPU figure shows the cost without
// the waiting a busy machine adds).
struct Timing {
  double wall_ms;
  double cpu_ms;
};
template <typename F>
Timing MedianMs(int runs, F&& f) {
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Steady::now();
    double c0 = ThreadCpuSeconds();
    f();
    cpu.push_back((ThreadCpuSeconds() - c0) * 1e3);
    wall.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
  }
  return {Median(wall), Median(cpu)};
}

// Ingest through the real receiver: an in-process CollectorServer on 127.0.0.1 and `clients`
// threads POSTing the bodies (one connection per request, as the blocking client does). A 503
// is retried after 2 ms instead of the advertised Retry-After, to measure throughput.
int HttpIngest(const std::vector<std::string>& bodies, const std::filesystem::path& dir,
               int clients) {
  CollectorOptions options;
  options.collector_addr = {"127.0.0.1", 0};
  options.query_addr = {"127.0.0.1", 0};
  options.data_dir = (dir / "http").string();
  options.store.path = options.data_dir + "/traces.db";
  options.store.retention = std::chrono::hours(24 * 3650);  // the spans are dated 2026-01-01
  auto server = CollectorServer::Start(options);
  if (!server) {
    std::fprintf(stderr, "%s\n", server.error().message.c_str());
    return 1;
  }
  std::thread runner([&] { (*server)->Run(); });
  const HostPort address{"127.0.0.1", (*server)->receiver_port()};
  std::atomic<std::size_t> next{0};
  std::atomic<long> retries{0};
  std::vector<double> client_cpu(static_cast<std::size_t>(clients));
  double cpu0 = CpuSeconds();
  auto t0 = Steady::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      double mine0 = ThreadCpuSeconds();
      for (std::size_t i; (i = next++) < bodies.size();) {
        while (true) {
          http::Request req{boost::beast::http::verb::post, "/v1/traces", 11};
          req.set(boost::beast::http::field::content_type, "application/x-protobuf");
          req.body() = bodies[i];
          auto res = SendBlocking(address, std::move(req));
          if (res && res->result_int() == 200) break;
          if (!res || res->result_int() != 503) std::abort();
          ++retries;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
      }
      client_cpu[static_cast<std::size_t>(c)] = ThreadCpuSeconds() - mine0;
    });
  }
  for (auto& t : threads) t.join();
  (*server)->store().Flush();
  double secs = std::chrono::duration<double>(Steady::now() - t0).count();
  double cpu = CpuSeconds() - cpu0;
  double clients_cpu = 0;
  for (double x : client_cpu) clients_cpu += x;
  double spans = static_cast<double>(bodies.size()) * kBatch;
  double collector_cpu = cpu - clients_cpu;
  std::printf(
      "ingest over HTTP: %.0f spans in %.2f s = %.0f spans/s wall with %d clients on the same "
      "cores; collector %.2f CPU-s = %.0f spans per CPU-second (%.2f us/span; clients %.2f "
      "CPU-s; %ld retries after 503)\n",
      spans, secs, spans / secs, clients, collector_cpu, spans / collector_cpu,
      collector_cpu / spans * 1e6, clients_cpu, retries.load());
  (*server)->Stop();
  runner.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  long total_spans = 1'000'000;
  bool ingest_only = false;  // for profiling the ingest path alone
  bool shuffled = false;     // spans arrive in random time order
  int http_clients = 0;      // > 0: ingest through the HTTP receiver only
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--spans=", 8) == 0) total_spans = std::atol(argv[i] + 8);
    if (std::strcmp(argv[i], "--ingest-only") == 0) ingest_only = true;
    if (std::strcmp(argv[i], "--shuffled") == 0) shuffled = true;
    if (std::strncmp(argv[i], "--http=", 7) == 0) http_clients = std::atoi(argv[i] + 7);
  }
  auto dir = std::filesystem::temp_directory_path() /
             ("collector-bench-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(42);
  ManualClock clock(std::chrono::system_clock::time_point(
      std::chrono::nanoseconds(kBaseNs + 3'600'000'000'000ull)));
  {
    StoreOptions options;
    options.path = (dir / "traces.db").string();
    options.clock = &clock;
    auto opened = SpanStore::Open(options);
    if (!opened) {
      std::fprintf(stderr, "%s\n", opened.error().message.c_str());
      return 1;
    }
    SpanStore& store = **opened;

    // Ingest: the first `total_spans` spans, traces of 10 spans over one hour.
    const long batches = std::max<long>(1, total_spans / kBatch);
    std::vector<std::string> bodies;
    bodies.reserve(batches);
    constexpr std::uint64_t kHour = 3'600'000'000'000ull;
    for (long i = 0; i < batches; ++i) {
      // As a collector sees live traffic: batches in time order, each trace a few seconds late
      // at most. --shuffled: every batch spread over the whole hour (the worst case for search).
      if (shuffled) {
        bodies.push_back(MakeBatch(rng, 10, kBaseNs, kHour));
      } else {
        auto from = kBaseNs + kHour * static_cast<std::uint64_t>(i) / batches;
        bodies.push_back(MakeBatch(rng, 10, from, 5'000'000'000ull));
      }
    }
    if (http_clients > 0) {
      int rc = HttpIngest(bodies, dir, http_clients);
      std::filesystem::remove_all(dir);
      return rc;
    }
    double cpu0 = CpuSeconds();
    double writer0 = NamedThreadCpuSeconds("span-writer");
    double receive0 = ThreadCpuSeconds();
    auto t0 = Steady::now();
    for (const auto& body : bodies) Ingest(store, body);
    double receive_cpu = ThreadCpuSeconds() - receive0;
    store.Flush();
    double secs = std::chrono::duration<double>(Steady::now() - t0).count();
    double cpu = CpuSeconds() - cpu0;
    double writer_cpu = NamedThreadCpuSeconds("span-writer") - writer0;
    double spans = static_cast<double>(batches) * kBatch;
    std::printf(
        "ingest: %.0f spans in %.2f s = %.0f spans/s wall, %.0f spans per CPU-second "
        "(%.2f CPU-s: receive path %.2f us/span, writer thread %.2f us/span, other %.2f "
        "us/span)\n",
        spans, secs, spans / secs, spans / cpu, cpu, receive_cpu / spans * 1e6,
        writer_cpu / spans * 1e6, (cpu - receive_cpu - writer_cpu) / spans * 1e6);
    std::printf("database: %.1f MiB\n", static_cast<double>(store.UsedBytes()) / (1 << 20));
    if (ingest_only) {
      std::filesystem::remove_all(dir);
      return 0;
    }

    // Fetch: one trace of exactly 2,000 spans (four requests of 512, 512, 512, 464).
    std::string big;
    {
      std::mt19937_64 big_rng(7);
      std::uint64_t last = 0;
      for (int i = 0; i < 4; ++i) {
        otlp_collector::ExportTraceServiceRequest r;
        if (!DecodeProtobufRequest(MakeBatch(big_rng, kBatch, kBaseNs, 1), r)) std::abort();
        int keep = i < 3 ? kBatch : 2000 - 3 * kBatch;
        for (auto& rs : *r.mutable_resource_spans()) {
          for (auto& ss : *rs.mutable_scope_spans()) {
            for (auto& sp : *ss.mutable_spans()) {
              if (big.empty()) big = sp.trace_id();
              sp.set_trace_id(big);
            }
            while (keep <= 0 && ss.spans_size() > 0) ss.mutable_spans()->RemoveLast();
            while (ss.spans_size() > keep) ss.mutable_spans()->RemoveLast();
            keep -= ss.spans_size();
          }
        }
        last = Ingest(store, r.SerializeAsString());
      }
      store.WaitFor(last, std::chrono::minutes(1));
    }
    QueryApi api(store, clock);
    const std::string big_hex = ToHex(big);
    auto fetched = api.GetTrace(big_hex);
    std::size_t fetched_spans = 0;
    {
      for (auto p = fetched.body.find("\"operationName\""); p != std::string::npos;
           p = fetched.body.find("\"operationName\"", p + 1)) {
        ++fetched_spans;
      }
    }
    Timing fetch = MedianMs(21, [&] {
      if (api.GetTrace(big_hex).status != 200) std::abort();
    });
    std::printf("fetch: %zu-span trace, status %d, %.1f KiB JSON, median %.2f ms (CPU %.2f ms)\n",
                fetched_spans, fetched.status, static_cast<double>(fetched.body.size()) / 1024,
                fetch.wall_ms, fetch.cpu_ms);

    // Search: the store holds `total_spans` spans of 10-span traces over the last hour.
    std::string end_us = std::to_string((kBaseNs + 3'600'000'000'000ull) / 1000);
    std::string start5_us = std::to_string((kBaseNs + 3'300'000'000'000ull) / 1000);
    struct Search {
      const char* name;
      std::string path;
      std::string query;
    };
    const Search searches[] = {
        {"service", "/api/traces", "service=blog&limit=20"},
        {"service+operation", "/api/traces", "service=blog&operation=GET%20%2Fblogs&limit=20"},
        {"service+tag", "/api/traces", "service=blog&tag=http.response.status_code:500&limit=20"},
        {"service+error tag", "/api/traces",
         "service=author&tags=%7B%22error%22%3A%22true%22%7D&limit=20"},
        {"service+minDuration", "/api/traces", "service=blog&minDuration=45ms&limit=20"},
        {"service+last 5 min", "/api/traces",
         "service=blog&limit=20&start=" + start5_us + "&end=" + end_us},
        {"no service, tag", "/api/traces", "tag=enduser.id:user-7&limit=20"},
        {"v3 summaries", "/api/v3/trace-summaries",
         "query.serviceName=blog&query.startTimeMin=2026-01-01T00:00:00Z&"
         "query.startTimeMax=2026-01-01T01:00:00Z&query.searchDepth=20"},
    };
    for (const auto& s : searches) {
      auto q = QueryString::Parse(s.query);
      auto first = api.Dispatch(s.path, q);
      if (!first || first->status != 200) {
        std::printf("search %s: status %d\n", s.name, first ? first->status : 0);
        continue;
      }
      // Count results: one "processes" per v1 trace, one "rootServiceName" per summary.
      const char* marker =
          s.path == std::string("/api/traces") ? "\"processes\"" : "\"rootServiceName\"";
      std::size_t results = 0;
      for (auto p = first->body.find(marker); p != std::string::npos;
           p = first->body.find(marker, p + 1)) {
        ++results;
      }
      Timing t = MedianMs(11, [&] { api.Dispatch(s.path, q); });
      std::printf("search %-20s: %2zu traces, median %.2f ms (CPU %.2f ms)\n", s.name, results,
                  t.wall_ms, t.cpu_ms);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
