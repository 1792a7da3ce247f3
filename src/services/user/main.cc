#include "services/user/main.h"

#include <boost/asio/thread_pool.hpp>

#include "services/common/process.h"
#include "services/user/server.h"
#include "store/open_store.h"

namespace blogtrace::services::user {

int RunUserService(const SystemConfig& config) {
  ServiceProcess process("user", config);
  auto admin_key = ResolveSecret(config.admin_key, config.data_dir, "admin.key");
  if (!admin_key) return process.Fail("admin key", admin_key.error());
  auto internal_key = ResolveSecret(config.internal_key, config.data_dir, "internal.key");
  if (!internal_key) return process.Fail("internal key", internal_key.error());
  auto store = store::OpenStore({config.store, config.data_dir + "/users.db", config.mongodb_uri},
                                process.tracer());
  if (!store) return process.Fail("cannot open the user store", store.error());
  auto users = process.WithFaults(std::move(*store));

  // Argon2id takes 64 MiB and ~50-100 ms per call: two at a time on a 2-core machine.
  boost::asio::thread_pool blocking(2);
  UserServer server(users->users(), {*admin_key, *internal_key}, blocking, process.tracer(),
                    config.upstream_timeout);
  http::Router router;
  server.Register(router);
  int code = process.Serve(config.user_addr, std::move(router));
  blocking.join();
  return code;
}

}  // namespace blogtrace::services::user
