// blogtrace: the command line of the system (../shared/API.md "Command line").
//   blogtrace up                      the whole system in the foreground
//   blogtrace serve <name>            one process alone
//   blogtrace traces [filters]        recent traces from the collector, in the terminal
//   blogtrace trace <id|traceresponse> one trace as a tree
//   blogtrace keys                    where the secrets and keys live
//   blogtrace fault set|clear|show    fault rules on the running services
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/fault_command.h"
#include "cli/launcher.h"
#include "cli/serve.h"
#include "cli/trace_commands.h"
#include "common/config.h"
#include "common/environment.h"

namespace {

using blogtrace::SystemConfig;

// Reads the configuration once; exits 2 naming the bad variable.
SystemConfig LoadConfigOrExit() {
  auto config = blogtrace::LoadSystemConfig(blogtrace::ProcessEnvironment());
  if (!config) {
    std::cerr << "blogtrace: configuration: " << config.error().message << "\n";
    std::exit(2);
  }
  return *config;
}

int PrintKeys(const SystemConfig& config) {
  auto describe = [](const std::string& path) {
    return path + (std::filesystem::exists(path) ? "" : "  (not generated yet)");
  };
  std::cout << "data directory   " << config.data_dir << "\n";
  std::cout << "admin key        "
            << (config.admin_key ? "from ADMIN_KEY" : describe(config.data_dir + "/admin.key"))
            << "\n";
  std::cout << "internal key     "
            << (config.internal_key ? "from INTERNAL_KEY"
                                    : describe(config.data_dir + "/internal.key"))
            << "\n";
  std::string priv = config.jwt_private_key_path.empty() ? config.data_dir + "/jwt-private.pem"
                                                         : config.jwt_private_key_path;
  std::string pub = config.jwt_public_key_path.empty() ? config.data_dir + "/jwt-public.pem"
                                                       : config.jwt_public_key_path;
  std::cout << "JWT private key  " << describe(priv) << "\n";
  std::cout << "JWT public key   " << describe(pub) << "\n";
  std::cout << "JWKS             http://" << config.authen_addr.ToString()
            << "/.well-known/jwks.json\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"blogtrace: a traced microservices blog"};
  app.require_subcommand(1);

  auto* up = app.add_subcommand("up", "run the whole system in the foreground");
  bool no_collector = false;
  up->add_flag("--no-collector", no_collector, "do not start the embedded collector");

  auto* serve = app.add_subcommand("serve", "run one process alone");
  std::string name;
  serve->add_option("name", name, "user, authen, author, blog or collector")
      ->required()
      ->check(CLI::IsMember({"user", "authen", "author", "blog", "collector"}));

  blogtrace::collector::TraceSearch query;
  auto* traces = app.add_subcommand("traces", "list recent traces from the collector");
  traces->add_option("--service", query.service, "service name");
  traces->add_option("--operation", query.operation, "span name");
  traces->add_option("--tags", query.tags, "key:value (repeatable)");
  traces->add_option("--lookback", query.lookback, "how far back, e.g. 1h, 30m")->default_val("1h");
  traces->add_option("--limit", query.limit, "most traces shown")->default_val(20);
  traces->add_option("--min-duration", query.min_duration, "e.g. 10ms");
  traces->add_option("--max-duration", query.max_duration, "e.g. 1s");

  auto* trace = app.add_subcommand("trace", "show one trace as a tree");
  std::string trace_id;
  trace->add_option("id", trace_id, "trace id, or a traceresponse/traceparent value")->required();

  auto* keys = app.add_subcommand("keys", "show where the secrets and keys are");

  auto* fault = app.add_subcommand("fault", "inject faults into the running services");
  fault->require_subcommand(1);
  std::string fault_target;
  std::string fault_rules;
  auto* fault_set = fault->add_subcommand("set", "put fault rules in force");
  fault_set->add_option("service", fault_target, "user, authen, author, blog or all")->required();
  fault_set->add_option("rules", fault_rules, "e.g. 'route=GET /blogs:error=503@0.5'")->required();
  auto* fault_clear = fault->add_subcommand("clear", "remove fault rules");
  fault_clear->add_option("service", fault_target, "user, authen, author, blog or all (default)");
  auto* fault_show = fault->add_subcommand("show", "print the fault rules in force");

  CLI11_PARSE(app, argc, argv);
  SystemConfig config = LoadConfigOrExit();

  if (*up) {
    blogtrace::cli::LauncherOptions options;
    options.with_collector = !no_collector;
    options.colour = ::isatty(STDOUT_FILENO) == 1;
    return blogtrace::cli::RunUp(config, options);
  }
  if (*serve) return blogtrace::cli::Serve(name, config);
  if (*traces) return blogtrace::cli::ListTraces(config, query);
  if (*trace) return blogtrace::cli::ShowTrace(config, trace_id);
  if (*keys) return PrintKeys(config);
  if (*fault_set) {
    return blogtrace::cli::FaultSetCommand(config, fault_target, fault_rules, std::cout, std::cerr);
  }
  if (*fault_clear) {
    return blogtrace::cli::FaultClearCommand(config, fault_target, std::cout, std::cerr);
  }
  if (*fault_show) return blogtrace::cli::FaultShowCommand(config, std::cout, std::cerr);
  return 2;
}
