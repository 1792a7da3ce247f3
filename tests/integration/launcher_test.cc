// `blogtrace up` as users run it: everything starts and answers on the configured addresses, a
// taken port stops it with a message naming the address, a killed service is restarted, and
// SIGTERM stops every child (no orphans).
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/http_client.h"
#include "support/system.h"

namespace blogtrace::testing {
namespace {

// The direct children of `parent` (from /proc).
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent) {
      children.push_back(std::stoi(name));
    }
  }
  return children;
}

bool Alive(pid_t pid) { return std::filesystem::exists("/proc/" + std::to_string(pid)); }

class LauncherTest : public ::testing::Test {
 protected:
  LauncherTest() {
    for (const char* v :
         {"USER_ADDR", "AUTHEN_ADDR", "AUTHOR_ADDR", "BLOG_ADDR", "COLLECTOR_ADDR", "QUERY_ADDR"}) {
      env_[v] = "127.0.0.1:" + std::to_string(FreePort());
    }
    env_["DATA_DIR"] = dir_.path() + "/data";
    env_["LOG_LEVEL"] = "info";
  }
  HostPort Addr(const std::string& variable) { return *ParseHostPort(env_[variable]); }
  std::unique_ptr<Process> Up() {
    return std::make_unique<Process>(std::vector<std::string>{BlogtraceBinary(), "up"}, env_,
                                     dir_.path() + "/up.log");
  }

  TempDir dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(LauncherTest, StartsEverythingRestartsTheDeadAndStopsAllOnSigterm) {
  auto up = Up();
  ASSERT_TRUE(WaitHealthy(Addr("BLOG_ADDR"), std::chrono::seconds(90))) << up->Output();
  for (const char* v : {"USER_ADDR", "AUTHEN_ADDR", "AUTHOR_ADDR"}) {
    EXPECT_EQ(Get(Addr(v), "/healthz").status, 200) << v;
  }
  EXPECT_NE(Get(Addr("QUERY_ADDR"), "/").status, 0) << "the collector's query address answers";

  // The summary and the walkthrough come after the last service is up.
  for (int i = 0; i < 100 && up->Output().find("Ctrl-C") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::string out = up->Output();
  EXPECT_NE(out.find("Generated the admin key"), std::string::npos) << out;
  EXPECT_NE(out.find(env_["BLOG_ADDR"]), std::string::npos);
  EXPECT_NE(out.find("curl"), std::string::npos);
  EXPECT_NE(out.find("[user] "), std::string::npos) << "child lines are prefixed";

  // The secrets the launcher generated are the ones the services use.
  std::ifstream key_file(env_["DATA_DIR"] + "/admin.key");
  std::string admin_key;
  std::getline(key_file, admin_key);
  auto created =
      PostJson(Addr("USER_ADDR"), "/users",
               R"({"username":"launch","password":"launch-password","permission":"WRITE"})",
               {{"X-Admin-Key", admin_key}});
  EXPECT_EQ(created.status, 201) << created.body;
  auto login = PostJson(Addr("AUTHEN_ADDR"), "/login",
                        R"({"username":"launch","password":"launch-password"})");
  ASSERT_EQ(login.status, 200);
  auto token = login.Json()["token"].get<std::string>();
  EXPECT_EQ(Get(Addr("BLOG_ADDR"), "/blogs", {{"Authorization", "Bearer " + token}}).status, 200);

  auto children = ChildrenOf(up->pid());
  EXPECT_EQ(children.size(), 5u) << "collector and four services";

  // A killed service comes back.
  std::vector<pid_t> before = children;
  pid_t blog_pid = -1;
  for (pid_t pid : children) {
    std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), {});
    if (args.find("blog") != std::string::npos) blog_pid = pid;
  }
  ASSERT_GT(blog_pid, 0);
  ::kill(blog_pid, SIGKILL);
  bool back = false;
  for (int i = 0; i < 200 && !back; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    back = Get(Addr("BLOG_ADDR"), "/healthz").status == 200 && !Alive(blog_pid);
  }
  EXPECT_TRUE(back) << up->Output();
  EXPECT_NE(up->Output().find("restarting blog"), std::string::npos);

  children = ChildrenOf(up->pid());
  up->Signal(SIGTERM);
  auto status = up->WaitExit(std::chrono::seconds(60));
  ASSERT_TRUE(status) << "launcher did not stop";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << up->Output();
  for (pid_t pid : children) EXPECT_FALSE(Alive(pid)) << "orphan " << pid;
  std::string stopped = up->Output();
  // Reverse order: blog first, the collector last.
  auto blog_stop = stopped.find("blog stopped");
  auto collector_stop = stopped.find("collector stopped");
  EXPECT_NE(blog_stop, std::string::npos) << stopped;
  EXPECT_NE(collector_stop, std::string::npos) << stopped;
  EXPECT_LT(blog_stop, collector_stop);
}

TEST_F(LauncherTest, ATakenPortStopsItWithAMessageNamingTheAddress) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(Addr("AUTHOR_ADDR").port);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  auto up = Up();
  auto status = up->WaitExit(std::chrono::seconds(30));
  ::close(fd);
  ASSERT_TRUE(status) << "launcher kept running";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) != 0);
  EXPECT_NE(up->Output().find(env_["AUTHOR_ADDR"]), std::string::npos) << up->Output();
  EXPECT_TRUE(ChildrenOf(up->pid()).empty());
}

TEST_F(LauncherTest, ABadVariableExits2NamingIt) {
  env_["BLOG_ADDR"] = "nonsense";
  auto up = Up();
  auto status = up->WaitExit(std::chrono::seconds(10));
  ASSERT_TRUE(status);
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 2);
  EXPECT_NE(up->Output().find("BLOG_ADDR"), std::string::npos) << up->Output();
}

}  // namespace
}  // namespace blogtrace::testing
