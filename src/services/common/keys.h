// Loading the JWT keys at start inside a root "keys.load" span, so a slow first start (RSA key
// generation) shows in the traces.
#pragma once

#include "auth/key_pair.h"
#include "common/config.h"
#include "common/result.h"
#include "telemetry/api/tracer.h"

namespace blogtrace::services {

// The signing pair (authen): LoadOrGenerateKeyPair(config).
Result<auth::KeyPair> LoadSigningKeys(const SystemConfig& config, telemetry::Tracer& tracer);

// The public key only (author): the pair LoadOrGenerateKeyPair(config) yields (JWT_PUBLIC_KEY,
// JWT_PRIVATE_KEY, or the pair generated under DATA_DIR, so a service started alone in a fresh
// DATA_DIR agrees with the authen service started later), reduced to its public half.
Result<auth::KeyPair> LoadVerifyingKey(const SystemConfig& config, telemetry::Tracer& tracer);

}  // namespace blogtrace::services
