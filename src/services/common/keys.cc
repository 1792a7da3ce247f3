#include "services/common/keys.h"

#include <functional>

namespace blogtrace::services {
namespace {

Result<auth::KeyPair> Traced(telemetry::Tracer& tracer, std::string_view kind,
                             const std::function<Result<auth::KeyPair>()>& load) {
  auto span = tracer.StartSpan("keys.load");
  span.SetAttribute("keys.kind", kind);
  auto keys = load();
  if (keys) {
    span.SetAttribute("jwt.kid", std::string_view(keys->kid()));
    span.SetAttribute("rsa.bits", keys->bits());
  } else {
    span.SetStatus(telemetry::StatusCode::kError, keys.error().message);
  }
  return keys;
}

}  // namespace

Result<auth::KeyPair> LoadSigningKeys(const SystemConfig& config, telemetry::Tracer& tracer) {
  return Traced(tracer, "signing", [&] { return auth::LoadOrGenerateKeyPair(config); });
}

Result<auth::KeyPair> LoadVerifyingKey(const SystemConfig& config, telemetry::Tracer& tracer) {
  return Traced(tracer, "verifying", [&]() -> Result<auth::KeyPair> {
    // The configured (or generated) pair, reduced to its public half: the author service never
    // holds the private key.
    auto keys = auth::LoadOrGenerateKeyPair(config);
    if (!keys) return keys.error();
    return keys->PublicOnly();
  });
}

}  // namespace blogtrace::services
