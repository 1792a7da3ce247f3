// SystemConfig: the contract's configuration variables (../shared/API.md "Processes and
// addresses"), read once at start into a typed struct and validated there. An invalid variable is
// an error naming it. OTEL_* variables belong to the tracing library and are read there.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/environment.h"
#include "common/result.h"
#include "faults/fault_rules.h"

namespace blogtrace {

// A listening or connecting address.
struct HostPort {
  std::string host;
  std::uint16_t port = 0;

  std::string ToString() const { return host + ":" + std::to_string(port); }
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// Parses "host:port" (a port 1-65535; host non-empty; "[::1]:80" for IPv6).
Result<HostPort> ParseHostPort(std::string_view text);

enum class StoreKind { kSqlite, kMongoDb };
enum class LogFormat { kText, kJson };

struct SystemConfig {
  HostPort user_addr{"127.0.0.1", 3001};
  HostPort authen_addr{"127.0.0.1", 3002};
  HostPort author_addr{"127.0.0.1", 3003};
  HostPort blog_addr{"127.0.0.1", 3004};
  HostPort collector_addr{"127.0.0.1", 4318};
  HostPort query_addr{"127.0.0.1", 16686};

  std::string data_dir = "./data";
  StoreKind store = StoreKind::kSqlite;
  std::string mongodb_uri = "mongodb://127.0.0.1:27017/blog";

  // PEM files of the RSA key pair; both empty means DATA_DIR/jwt-*.pem, generated when absent.
  // A verifying service may be given only the public key; the public key may be derived from a
  // given private key.
  std::string jwt_private_key_path;
  std::string jwt_public_key_path;
  std::chrono::seconds jwt_ttl{3600};

  // Secrets given in the environment; absent means read or generated under data_dir.
  std::optional<std::string> admin_key;
  std::optional<std::string> internal_key;

  // Extensions (README): how long a service waits for another (UPSTREAM_TIMEOUT_MS) and how
  // logs are written (LOG_FORMAT text|json, LOG_LEVEL trace|debug|info|warn|error).
  std::chrono::milliseconds upstream_timeout{5000};
  LogFormat log_format = LogFormat::kText;
  std::string log_level = "info";

  // Fault rules in force from the start (FAULTS, ../shared/API.md "Debugging (additions)");
  // empty: no faults. Every service applies the rules that name its own sites.
  std::vector<faults::FaultRule> faults;
};

// Reads and validates every variable; the error names the first bad variable and why.
Result<SystemConfig> LoadSystemConfig(const Environment& env);

// Reads DATA_DIR/<file_name>, or creates it with a fresh random secret (mode 0600, created
// exclusively so concurrent processes agree on one value). Returns the secret.
Result<std::string> LoadOrCreateSecret(const std::string& data_dir, const std::string& file_name);

}  // namespace blogtrace
