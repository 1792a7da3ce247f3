#include "cli/fault_command.h"

#include <vector>

#include "cli/fault_client.h"
#include "faults/fault_rules.h"

namespace blogtrace::cli {
namespace {

// The services `target` names, or empty when it names none.
std::vector<std::string_view> Targets(const std::string& target) {
  if (target.empty() || target == "all") return {kFaultServices.begin(), kFaultServices.end()};
  for (std::string_view s : kFaultServices) {
    if (s == target) return {s};
  }
  return {};
}

// Runs `call` on each target, printing "<service>  <rules or error>"; the exit code.
template <typename Call>
int ForEach(const std::vector<std::string_view>& targets, std::ostream& out, std::ostream& err,
            Call&& call) {
  int code = 0;
  for (std::string_view service : targets) {
    Result<std::string> result = call(service);
    if (result) {
      out << service << std::string(8 - service.size(), ' ')
          << (result->empty() ? "(no faults)" : *result) << "\n";
    } else {
      err << service << std::string(8 - service.size(), ' ') << "error: " << result.error().message
          << "\n";
      code = 1;
    }
  }
  return code;
}

}  // namespace

int FaultSetCommand(const SystemConfig& config, const std::string& target, const std::string& rules,
                    std::ostream& out, std::ostream& err) {
  auto targets = Targets(target);
  if (targets.empty() || target.empty()) {
    err << "blogtrace fault set: unknown service '" << target
        << "' (user, authen, author, blog or all)\n";
    return 2;
  }
  if (auto parsed = faults::ParseFaultRules(rules); !parsed) {
    err << "blogtrace fault set: " << parsed.error().message << "\n";
    return 2;
  }
  auto key = ReadAdminKey(config);
  if (!key) {
    err << "blogtrace fault set: " << key.error().message << "\n";
    return 1;
  }
  FaultAdminClient client(config, *key);
  return ForEach(targets, out, err, [&](std::string_view s) { return client.Set(s, rules); });
}

int FaultClearCommand(const SystemConfig& config, const std::string& target, std::ostream& out,
                      std::ostream& err) {
  auto targets = Targets(target);
  if (targets.empty()) {
    err << "blogtrace fault clear: unknown service '" << target
        << "' (user, authen, author, blog or all)\n";
    return 2;
  }
  auto key = ReadAdminKey(config);
  if (!key) {
    err << "blogtrace fault clear: " << key.error().message << "\n";
    return 1;
  }
  FaultAdminClient client(config, *key);
  return ForEach(targets, out, err, [&](std::string_view s) { return client.Clear(s); });
}

int FaultShowCommand(const SystemConfig& config, std::ostream& out, std::ostream& err) {
  auto key = ReadAdminKey(config);
  if (!key) {
    err << "blogtrace fault show: " << key.error().message << "\n";
    return 1;
  }
  FaultAdminClient client(config, *key);
  return ForEach(Targets("all"), out, err, [&](std::string_view s) { return client.Show(s); });
}

}  // namespace blogtrace::cli
