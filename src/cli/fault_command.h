// `blogtrace fault set <service|all> '<rules>'`, `blogtrace fault clear [service]`,
// `blogtrace fault show`: the fault rules in force on the running services, through their
// /admin/faults endpoints (../shared/API.md "Debugging (additions)").
#pragma once

#include <ostream>
#include <string>

#include "common/config.h"

namespace blogtrace::cli {

// Puts `rules` in force on `target` ("all" or a service). The rules are checked here first, so
// a malformed one changes nothing anywhere. Exit code: 0, 1 when a service refused or did not
// answer, 2 on a malformed rule or unknown service (the message names it).
int FaultSetCommand(const SystemConfig& config, const std::string& target, const std::string& rules,
                    std::ostream& out, std::ostream& err);

// Clears the rules on `target` ("" or "all": every service).
int FaultClearCommand(const SystemConfig& config, const std::string& target, std::ostream& out,
                      std::ostream& err);

// Prints each service's rules in force.
int FaultShowCommand(const SystemConfig& config, std::ostream& out, std::ostream& err);

}  // namespace blogtrace::cli
