#include "common/config.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace blogtrace {
namespace {

Result<std::int64_t> ParseInteger(std::string_view name, std::string_view text, std::int64_t min,
                                  std::int64_t max) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) {
    return Error::BadRequest(std::string(name) + " must be an integer from " + std::to_string(min) +
                             " to " + std::to_string(max) + ", got '" + std::string(text) + "'");
  }
  return value;
}

Status ReadAddress(const Environment& env, std::string_view name, HostPort& out) {
  auto value = env.Get(name);
  if (!value) return {};
  auto parsed = ParseHostPort(*value);
  if (!parsed) return Error::BadRequest(std::string(name) + ": " + parsed.error().message);
  out = *parsed;
  return {};
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return Error::BadRequest("expected [ipv6]:port, got '" + std::string(text) + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return Error::BadRequest("expected host:port, got '" + std::string(text) + "'");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) return Error::BadRequest("empty host in '" + std::string(text) + "'");
  auto number = ParseInteger("port", port, 1, 65535);
  if (!number) return number.error();
  return HostPort{std::string(host), static_cast<std::uint16_t>(*number)};
}

Result<SystemConfig> LoadSystemConfig(const Environment& env) {
  SystemConfig config;
  for (auto [name, field] :
       {std::pair{"USER_ADDR", &config.user_addr}, std::pair{"AUTHEN_ADDR", &config.authen_addr},
        std::pair{"AUTHOR_ADDR", &config.author_addr}, std::pair{"BLOG_ADDR", &config.blog_addr},
        std::pair{"COLLECTOR_ADDR", &config.collector_addr},
        std::pair{"QUERY_ADDR", &config.query_addr}}) {
    if (auto status = ReadAddress(env, name, *field); !status) return status.error();
  }
  if (auto v = env.Get("DATA_DIR")) {
    if (v->empty()) return Error::BadRequest("DATA_DIR must not be empty");
    config.data_dir = *v;
  }
  if (auto v = env.Get("STORE")) {
    if (*v == "sqlite") {
      config.store = StoreKind::kSqlite;
    } else if (*v == "mongodb") {
      config.store = StoreKind::kMongoDb;
    } else {
      return Error::BadRequest("STORE must be 'sqlite' or 'mongodb', got '" + *v + "'");
    }
  }
  if (auto v = env.Get("MONGODB_URI")) {
    if (v->rfind("mongodb://", 0) != 0 && v->rfind("mongodb+srv://", 0) != 0) {
      return Error::BadRequest("MONGODB_URI must start with mongodb:// or mongodb+srv://");
    }
    config.mongodb_uri = *v;
  }
  if (auto v = env.Get("JWT_PRIVATE_KEY")) config.jwt_private_key_path = *v;
  if (auto v = env.Get("JWT_PUBLIC_KEY")) config.jwt_public_key_path = *v;
  if (auto v = env.Get("JWT_TTL_SECONDS")) {
    auto ttl = ParseInteger("JWT_TTL_SECONDS", *v, 1, 31 * 24 * 3600);
    if (!ttl) return ttl.error();
    config.jwt_ttl = std::chrono::seconds(*ttl);
  }
  if (auto v = env.Get("ADMIN_KEY")) {
    if (v->size() < 16) return Error::BadRequest("ADMIN_KEY must be at least 16 characters");
    config.admin_key = *v;
  }
  if (auto v = env.Get("INTERNAL_KEY")) {
    if (v->size() < 16) return Error::BadRequest("INTERNAL_KEY must be at least 16 characters");
    config.internal_key = *v;
  }
  if (auto v = env.Get("UPSTREAM_TIMEOUT_MS")) {
    auto ms = ParseInteger("UPSTREAM_TIMEOUT_MS", *v, 1, 600000);
    if (!ms) return ms.error();
    config.upstream_timeout = std::chrono::milliseconds(*ms);
  }
  if (auto v = env.Get("LOG_FORMAT")) {
    if (*v == "text") {
      config.log_format = LogFormat::kText;
    } else if (*v == "json") {
      config.log_format = LogFormat::kJson;
    } else {
      return Error::BadRequest("LOG_FORMAT must be 'text' or 'json', got '" + *v + "'");
    }
  }
  if (auto v = env.Get("LOG_LEVEL")) {
    static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
    bool known = false;
    for (auto level : kLevels) known = known || *v == level;
    if (!known) {
      return Error::BadRequest("LOG_LEVEL must be trace, debug, info, warn or error, got '" + *v +
                               "'");
    }
    config.log_level = *v;
  }
  if (auto v = env.Get("FAULTS")) {
    auto rules = faults::ParseFaultRules(*v);
    if (!rules) return Error::BadRequest("FAULTS: " + rules.error().message);
    config.faults = std::move(*rules);
  }
  return config;
}

Result<std::string> LoadOrCreateSecret(const std::string& data_dir, const std::string& file_name) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Error::Internal("cannot create data directory " + data_dir + ": " + ec.message());
  const std::string path = data_dir + "/" + file_name;

  // Exclusive create: of several processes starting at once, exactly one writes the secret.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    unsigned char bytes[32];
    if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
      ::close(fd);
      ::unlink(path.c_str());
      return Error::Internal("no randomness for " + path);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string secret;
    for (unsigned char b : bytes) {
      secret += kHex[b >> 4];
      secret += kHex[b & 15];
    }
    std::string line = secret + "\n";
    bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) {
      ::unlink(path.c_str());
      return Error::Internal("cannot write " + path);
    }
    return secret;
  }
  if (errno != EEXIST) return Error::Internal("cannot create " + path);

  // Another process may have created it a moment ago: wait (bounded) for its content.
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::ifstream in(path);
    std::string secret;
    std::getline(in, secret);
    if (!secret.empty()) return secret;
    ::usleep(10000);
  }
  return Error::Internal(path + " exists but is empty");
}

}  // namespace blogtrace
