// A SpanStore in a fresh temporary directory, with a manual clock.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "collector/span_store.h"
#include "test_spans.h"

namespace blogtrace::collector::testing {

// Creates a unique directory and removes it with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("collector-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// 2026-01-01T00:00:00Z in nanoseconds: the fixture clock's start.
inline constexpr std::uint64_t kT0 = 1767225600ull * 1000000000ull;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen({}); }

  // (Re)opens the store with `options` (path and clock filled in).
  void Reopen(StoreOptions options) {
    store_.reset();
    options.path = (dir_.path() / "traces.db").string();
    options.clock = &clock_;
    auto store = SpanStore::Open(std::move(options));
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }

  // Extracts, stores and waits until the request's spans are queryable.
  void Store(const otlp_collector::ExportTraceServiceRequest& req) {
    auto extracted = ExtractSpans(req);
    auto seq = store_->Enqueue(std::move(extracted.batch));
    ASSERT_TRUE(seq.has_value());
    ASSERT_TRUE(store_->WaitFor(*seq, std::chrono::seconds(10)));
  }

  TempDir dir_;
  ManualClock clock_{std::chrono::system_clock::time_point(std::chrono::nanoseconds(kT0))};
  std::unique_ptr<SpanStore> store_;
};

// A three-service trace: frontend GET /blogs → blog (server) → author POST /authorize, with
// a DB span and an error in the author service. Trace n, spans n*10+1..n*10+5, starting at
// `start`.
inline void AddBlogTrace(otlp_collector::ExportTraceServiceRequest& req, int n, std::uint64_t start,
                         bool error = false) {
  const int b = n * 10;
  auto* fe = AddScope(req, "frontend");
  AddSpan(fe, n, b + 1, 0, "GET /blogs", start, 10'000'000, trace_pb::Span::SPAN_KIND_CLIENT);
  auto* blog = AddScope(req, "blog");
  auto* server = AddSpan(blog, n, b + 2, b + 1, "GET /blogs", start + 1'000'000, 8'000'000);
  SetString(server->add_attributes(), "http.request.method", "GET");
  server->add_attributes()->set_key("http.response.status_code");
  server->mutable_attributes(1)->mutable_value()->set_int_value(error ? 500 : 200);
  AddSpan(blog, n, b + 3, b + 2, "SELECT blogs", start + 2'000'000, 1'000'000,
          trace_pb::Span::SPAN_KIND_CLIENT);
  AddSpan(blog, n, b + 4, b + 2, "POST /authorize", start + 3'000'000, 3'000'000,
          trace_pb::Span::SPAN_KIND_CLIENT);
  auto* author = AddScope(req, "author");
  auto* auth = AddSpan(author, n, b + 5, b + 4, "POST /authorize", start + 3'500'000, 2'000'000);
  if (error) {
    auth->mutable_status()->set_code(trace_pb::Status::STATUS_CODE_ERROR);
    auth->mutable_status()->set_message("token expired");
    auto* ev = auth->add_events();
    ev->set_name("token.rejected");
    ev->set_time_unix_nano(start + 4'000'000);
    SetString(ev->add_attributes(), "reason", "expired");
  }
}

}  // namespace blogtrace::collector::testing
