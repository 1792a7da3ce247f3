#include "telemetry/sdk/env.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace blogtrace::telemetry::sdk {

std::optional<std::string> ProcessGetEnv(std::string_view name) {
  const char* v = std::getenv(std::string(name).c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

void LogError(std::string_view message) noexcept {
  std::fprintf(stderr, "telemetry: %.*s\n", static_cast<int>(message.size()), message.data());
}

namespace env {
namespace {
std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> GetString(const GetEnvFunction& getenv, std::string_view name) {
  if (!getenv) return std::nullopt;
  auto v = getenv(name);
  if (!v) return std::nullopt;
  std::string_view t = Trim(*v);
  if (t.empty()) return std::nullopt;
  return std::string(t);
}

bool GetBool(const GetEnvFunction& getenv, std::string_view name) {
  auto v = GetString(getenv, name);
  if (!v) return false;
  std::string lower;
  for (char c : *v) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  if (lower == "true") return true;
  if (lower != "false")
    LogError(std::string(name) + ": '" + *v + "' is not true/false; using false");
  return false;
}

std::int64_t GetInt(const GetEnvFunction& getenv, std::string_view name, std::int64_t fallback) {
  auto v = GetString(getenv, name);
  if (!v) return fallback;
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || out < 0) {
    LogError(std::string(name) + ": '" + *v + "' is not a non-negative integer; using " +
             std::to_string(fallback));
    return fallback;
  }
  return out;
}

std::chrono::milliseconds GetMillis(const GetEnvFunction& getenv, std::string_view name,
                                    std::chrono::milliseconds fallback) {
  return std::chrono::milliseconds(GetInt(getenv, name, fallback.count()));
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = Hex(s[i + 1]), lo = Hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return out;
}

}  // namespace env
}  // namespace blogtrace::telemetry::sdk
