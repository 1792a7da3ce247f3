#include "services/authen/main.h"

#include "auth/jwt_signer.h"
#include "services/authen/server.h"
#include "services/common/keys.h"
#include "services/common/process.h"
#include "services/user/client.h"

namespace blogtrace::services::authen {

int RunAuthenService(const SystemConfig& config) {
  ServiceProcess process("authen", config);
  auto internal_key = ResolveSecret(config.internal_key, config.data_dir, "internal.key");
  if (!internal_key) return process.Fail("internal key", internal_key.error());
  auto keys = LoadSigningKeys(config, process.tracer());
  if (!keys) return process.Fail("JWT keys", keys.error());

  http::Client user_http(process.UpstreamOptions(config.user_addr, "user service", "user"),
                         process.ClientTracing());
  user::HttpUserClient users(user_http, config.user_addr.ToString(), *internal_key);
  auth::JwtSigner signer(*keys, config.jwt_ttl, SystemClock::Instance());
  AuthenServer server(users, signer, *keys, process.tracer());
  http::Router router;
  server.Register(router);
  return process.Serve(config.authen_addr, std::move(router));
}

}  // namespace blogtrace::services::authen
