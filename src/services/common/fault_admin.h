// /admin/faults on every service (../shared/API.md "Debugging (additions)"): the fault rules in
// force, shown, replaced and cleared at run time. Every method needs X-Admin-Key (401 without).
//   GET    → 200 {"faults": "<rules in force>"}
//   PUT    {"faults": "<rules>"} → 200 {"faults": "<rules now in force>"}; a malformed rule is 400
//          naming it, and the rules in force stay as they were
//   DELETE → 200 {"faults": ""}
#pragma once

#include <string>

#include "faults/fault_injector.h"
#include "http/router.h"

namespace blogtrace::services {

// Adds the three routes to `router`; `injector` must outlive the router.
void RegisterFaultAdmin(http::Router& router, faults::FaultInjector& injector,
                        std::string admin_key);

}  // namespace blogtrace::services
