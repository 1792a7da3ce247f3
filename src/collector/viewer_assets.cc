#include "collector/viewer_assets.h"

#include <algorithm>
#include <functional>

#include "http/response.h"

namespace blogtrace::collector {
namespace {

namespace bhttp = boost::beast::http;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A strong validator: FNV-1a of the bytes (stable across builds with the same content).
std::string ETag(std::string_view data) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof(buf), "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string_view ContentTypeFor(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/markdown; charset=utf-8"}};
  for (auto [ext, type] : kTypes) {
    if (EndsWith(name, ext)) return type;
  }
  return "application/octet-stream";
}

std::optional<http::Response> ServeAsset(std::string_view name, const http::Request& request) {
  const auto& files = EmbeddedFiles();
  auto it = std::find_if(files.begin(), files.end(),
                         [&](const EmbeddedFile& f) { return f.name == name; });
  if (it == files.end()) return std::nullopt;
  std::string etag = ETag(it->data);
  http::Response res{bhttp::status::ok, request.version()};
  res.set(bhttp::field::cache_control, "no-cache");
  res.set(bhttp::field::etag, etag);
  res.set(bhttp::field::content_type, ContentTypeFor(name));
  res.set("X-Content-Type-Options", "nosniff");
  if (request[bhttp::field::if_none_match] == etag) {
    res.result(bhttp::status::not_modified);
  } else if (request.method() != bhttp::verb::head) {
    res.body() = std::string(it->data);
  }
  res.prepare_payload();
  if (request.method() == bhttp::verb::head) res.content_length(it->data.size());
  return res;
}

http::Response ServeIndex(const http::Request& request) {
  if (auto res = ServeAsset("index.html", request)) return std::move(*res);
  return http::ErrorResponse(Error::NotFound("the trace viewer is not built into this binary"));
}

}  // namespace blogtrace::collector
