// `blogtrace fault set|clear|show` against the real services, as a person runs it: the admin key
// comes from DATA_DIR/admin.key, rules take effect at once, a malformed rule changes nothing and
// is named, and a wrong key is refused.
#include <sys/wait.h>

#include <gtest/gtest.h>

#include "support/http_client.h"
#include "support/system.h"

namespace blogtrace::testing {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

CommandResult RunBlogtrace(const System& system, std::vector<std::string> args,
                           std::map<std::string, std::string> extra_env = {}) {
  args.insert(args.begin(), BlogtraceBinary());
  std::map<std::string, std::string> env = system.env();
  for (auto& [k, v] : extra_env) env[k] = v;
  Process process(args, env, system.data_dir() + "/command.log");
  auto status = process.WaitExit(std::chrono::seconds(30));
  if (!status) process.Kill();
  return {status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1, process.Output()};
}

TEST(FaultCommandTest, SetShowClearAgainstTheRunningServices) {
  System system;
  ASSERT_TRUE(system.StartAll());

  CommandResult set = RunBlogtrace(system, {"fault", "set", "blog", "route=GET /blogs:error=503"});
  EXPECT_EQ(set.exit_code, 0) << set.output;
  EXPECT_NE(set.output.find("blog    route=GET /blogs:error=503"), std::string::npos) << set.output;
  EXPECT_EQ(Get(system.blog(), "/blogs").status, 503);
  EXPECT_EQ(Get(system.author(), "/healthz").status, 200);

  CommandResult all = RunBlogtrace(system, {"fault", "set", "all", "route=GET /healthz:delay=1ms"});
  EXPECT_EQ(all.exit_code, 0) << all.output;
  CommandResult shown = RunBlogtrace(system, {"fault", "show"});
  EXPECT_EQ(shown.exit_code, 0) << shown.output;
  for (const char* name : {"user    ", "authen  ", "author  ", "blog    "}) {
    EXPECT_NE(shown.output.find(std::string(name) + "route=GET /healthz:delay=1ms"),
              std::string::npos)
        << shown.output;
  }

  // A malformed rule: exit 2 naming it, and nothing changes anywhere.
  CommandResult bad =
      RunBlogtrace(system, {"fault", "set", "all", "store=list:delay=1s;store=lists:error=500"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("fault rule 'store=lists:error=500'"), std::string::npos) << bad.output;
  EXPECT_NE(RunBlogtrace(system, {"fault", "show"}).output.find("blog    route=GET /healthz"),
            std::string::npos);

  CommandResult unknown = RunBlogtrace(system, {"fault", "set", "mail", "store=list:delay=1s"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;

  CommandResult wrong_key =
      RunBlogtrace(system, {"fault", "clear", "blog"}, {{"ADMIN_KEY", "not-the-admin-key-at-all"}});
  EXPECT_EQ(wrong_key.exit_code, 1) << wrong_key.output;
  EXPECT_NE(wrong_key.output.find("refused the admin key"), std::string::npos) << wrong_key.output;

  CommandResult cleared = RunBlogtrace(system, {"fault", "clear"});
  EXPECT_EQ(cleared.exit_code, 0) << cleared.output;
  EXPECT_NE(cleared.output.find("blog    (no faults)"), std::string::npos) << cleared.output;
  EXPECT_EQ(Get(system.blog(), "/blogs").status, 401);
}

}  // namespace
}  // namespace blogtrace::testing
