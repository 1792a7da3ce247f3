// FaultAdminClient: the client side of /admin/faults on the four services, for `blogtrace fault`
// and `blogtrace demo --chaos`. Blocking; one request per call; sends no trace context.
// Thread safety: none needed (no mutable state); use from one thread.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/result.h"

namespace blogtrace::cli {

// The services that take fault rules, in start order.
inline constexpr std::array<std::string_view, 4> kFaultServices = {"user", "authen", "author",
                                                                   "blog"};

// The address of service `name` (one of kFaultServices) in `config`.
const HostPort& ServiceAddress(const SystemConfig& config, std::string_view name);

// ADMIN_KEY when set, else the content of DATA_DIR/admin.key (never created here: a missing file
// means the system has not run with this DATA_DIR).
Result<std::string> ReadAdminKey(const SystemConfig& config);

class FaultAdminClient {
 public:
  FaultAdminClient(const SystemConfig& config, std::string admin_key);

  // PUT /admin/faults on `service`: the rules now in force, or the service's refusal (a
  // malformed rule: kBadRequest with its message) or kUnavailable when it did not answer.
  Result<std::string> Set(std::string_view service, std::string_view rules) const;
  // DELETE /admin/faults: the rules now in force ("").
  Result<std::string> Clear(std::string_view service) const;
  // GET /admin/faults: the rules in force.
  Result<std::string> Show(std::string_view service) const;

 private:
  Result<std::string> Call(std::string_view service, int method, std::string body) const;

  const SystemConfig& config_;
  std::string admin_key_;
};

}  // namespace blogtrace::cli
