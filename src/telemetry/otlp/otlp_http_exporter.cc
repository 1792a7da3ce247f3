#include "telemetry/otlp/otlp_http_exporter.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <random>

#include "telemetry/otlp/span_encoder.h"

namespace blogtrace::telemetry::otlp {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "k=v,k2=v2" with percent-encoded values; malformed entries are skipped (and reported).
void ParseHeaders(std::string_view name, std::string_view list,
                  std::vector<std::pair<std::string, std::string>>& out) {
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    std::optional<std::string> value;
    std::string_view key;
    if (eq != std::string_view::npos) {
      key = Trim(item.substr(0, eq));
      value = sdk::env::PercentDecode(Trim(item.substr(eq + 1)));
    }
    if (key.empty() || !value) {
      sdk::LogError(std::string(name) + ": malformed header '" + std::string(item) + "' ignored");
      continue;
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& h) { return h.first == key; });
    if (it != out.end())
      it->second = *value;
    else
      out.emplace_back(std::string(key), std::move(*value));
  }
}

bool IsRetryable(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

// Retry-After as delta-seconds; nullopt for an HTTP-date or garbage (then our backoff applies).
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view v) {
  v = Trim(v);
  long long secs = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || secs < 0) return std::nullopt;
  return std::chrono::seconds(secs);
}

}  // namespace

OtlpHttpExporterOptions OtlpHttpExporterOptions::FromEnv(const sdk::GetEnvFunction& getenv,
                                                         std::string_view default_endpoint) {
  namespace env = sdk::env;
  OtlpHttpExporterOptions o;
  if (auto e = env::GetString(getenv, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
    o.endpoint = *e;
  } else if (auto base = env::GetString(getenv, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
    std::string b = *base;
    while (!b.empty() && b.back() == '/') b.pop_back();
    o.endpoint = b + "/v1/traces";
  } else {
    o.endpoint = std::string(default_endpoint);
  }
  if (auto h = env::GetString(getenv, "OTEL_EXPORTER_OTLP_HEADERS"))
    ParseHeaders("OTEL_EXPORTER_OTLP_HEADERS", *h, o.headers);
  if (auto h = env::GetString(getenv, "OTEL_EXPORTER_OTLP_TRACES_HEADERS"))
    ParseHeaders("OTEL_EXPORTER_OTLP_TRACES_HEADERS", *h, o.headers);
  o.timeout = env::GetMillis(getenv, "OTEL_EXPORTER_OTLP_TIMEOUT", o.timeout);
  o.timeout = env::GetMillis(getenv, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", o.timeout);
  auto compression = env::GetString(getenv, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION");
  if (!compression) compression = env::GetString(getenv, "OTEL_EXPORTER_OTLP_COMPRESSION");
  if (compression) {
    if (*compression == "gzip")
      o.gzip = true;
    else if (*compression != "none")
      sdk::LogError("OTEL_EXPORTER_OTLP_COMPRESSION: unsupported '" + *compression +
                    "'; using none");
  }
  auto protocol = env::GetString(getenv, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL");
  if (!protocol) protocol = env::GetString(getenv, "OTEL_EXPORTER_OTLP_PROTOCOL");
  if (protocol && *protocol != "http/protobuf")
    sdk::LogError("OTEL_EXPORTER_OTLP_PROTOCOL: only http/protobuf is supported; '" + *protocol +
                  "' ignored");
  return o;
}

bool GzipCompress(std::string_view in, std::string& out) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return false;
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END;
}

OtlpHttpExporter::OtlpHttpExporter(OtlpHttpExporterOptions options) : options_(std::move(options)) {
  url_ = ParseHttpUrl(options_.endpoint);
  if (!url_) {
    sdk::LogError("OTLP exporter: malformed endpoint '" + options_.endpoint +
                  "'; spans will not be exported");
  } else if (url_->scheme == "https") {
    sdk::LogError("OTLP exporter: https endpoints are not supported (no TLS in this build): '" +
                  options_.endpoint + "'; spans will not be exported");
    url_.reset();
  }
  request_headers_ = options_.headers;
  request_headers_.emplace_back("Content-Type", "application/x-protobuf");
  if (options_.gzip) request_headers_.emplace_back("Content-Encoding", "gzip");
}

OtlpHttpExporter::~OtlpHttpExporter() = default;

void OtlpHttpExporter::LogFailureOnce(const std::string& message) noexcept {
  if (!logged_failure_.exchange(true))
    sdk::LogError("OTLP export failed (further failures are counted, not logged): " + message);
}

bool OtlpHttpExporter::Backoff(std::chrono::steady_clock::duration d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [&] { return shut_down_; });
}

sdk::ExportResult OtlpHttpExporter::Export(
    std::span<const sdk::SpanData* const> spans,
    std::chrono::steady_clock::time_point deadline) noexcept {
  if (spans.empty()) return sdk::ExportResult::kSuccess;
  const auto n = static_cast<std::uint64_t>(spans.size());
  auto fail = [&](const std::string& why) {
    failed_ += n;
    LogFailureOnce(why);
    return sdk::ExportResult::kFailure;
  };
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return fail("exporter is shut down");
  }
  if (!url_) return fail("no usable endpoint ('" + options_.endpoint + "')");
  try {
    deadline = std::min(deadline, std::chrono::steady_clock::now() + options_.timeout);
    EncodeExportRequest(spans, body_);
    std::string_view payload = body_;
    if (options_.gzip) {
      if (!GzipCompress(body_, compressed_)) return fail("gzip compression failed");
      payload = compressed_;
    }
    static thread_local std::minstd_rand jitter_rng{std::random_device{}()};
    auto backoff = std::chrono::duration<double, std::milli>(options_.initial_backoff);
    for (int attempt = 1;; ++attempt) {
      std::string error;
      ++requests_;
      auto res = client_.Post(*url_, request_headers_, payload, deadline, error);
      if (!res) return fail(error);
      if (res->status >= 200 && res->status < 300) {
        std::int64_t rejected = 0;
        std::string message;
        if (!res->body.empty() && DecodePartialSuccess(res->body, rejected, message) &&
            (rejected > 0 || !message.empty())) {
          failed_ += static_cast<std::uint64_t>(std::max<std::int64_t>(rejected, 0));
          if (!logged_partial_.exchange(true))
            sdk::LogError("OTLP partial success: " + std::to_string(rejected) +
                          " spans rejected: " + message);
          exported_ += n - std::min<std::uint64_t>(
                               n, static_cast<std::uint64_t>(std::max<std::int64_t>(rejected, 0)));
        } else {
          exported_ += n;
        }
        return sdk::ExportResult::kSuccess;
      }
      std::string why = "HTTP " + std::to_string(res->status) + " from " + options_.endpoint;
      if (!IsRetryable(res->status) || attempt >= options_.max_attempts) return fail(why);
      std::chrono::steady_clock::duration wait;
      if (auto ra = ParseRetryAfter(res->retry_after)) {
        wait = *ra;
      } else {
        double factor = 0.5 + 0.5 * std::uniform_real_distribution<double>(0, 1)(jitter_rng);
        wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(backoff * factor);
        backoff = std::min(backoff * options_.backoff_multiplier,
                           std::chrono::duration<double, std::milli>(options_.max_backoff));
      }
      if (std::chrono::steady_clock::now() + wait >= deadline)
        return fail(why + " (no time left to retry)");
      if (!Backoff(wait)) return fail("exporter shut down while retrying");
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  } catch (...) {
    return fail("unknown error");
  }
}

bool OtlpHttpExporter::Shutdown(std::chrono::milliseconds) noexcept {
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
  }
  cv_.notify_all();
  return true;
}

}  // namespace blogtrace::telemetry::otlp
