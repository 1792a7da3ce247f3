#include "services/author/main.h"

#include "auth/jwt_verifier.h"
#include "services/author/server.h"
#include "services/common/keys.h"
#include "services/common/process.h"

namespace blogtrace::services::author {

int RunAuthorService(const SystemConfig& config) {
  ServiceProcess process("author", config);
  auto key = LoadVerifyingKey(config, process.tracer());
  if (!key) return process.Fail("JWT public key", key.error());
  auth::JwtVerifier verifier(*key, SystemClock::Instance());
  AuthorServer server(verifier, process.tracer());
  http::Router router;
  server.Register(router);
  return process.Serve(config.author_addr, std::move(router));
}

}  // namespace blogtrace::services::author
