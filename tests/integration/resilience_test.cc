// Whole-system behaviour under faults: a blog survives kill -9 right after its 201, and a
// dependency that is down or silent yields 503 `unavailable` within UPSTREAM_TIMEOUT_MS, then
// the system recovers when it is back.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>

#include "support/http_client.h"
#include "support/system.h"

namespace blogtrace::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

class ResilienceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(system_.StartAll());
    ASSERT_FALSE(system_.CreateUser("writer", "writer-password", "WRITE").empty());
    token_ = system_.Login("writer", "writer-password");
    ASSERT_FALSE(token_.empty());
  }
  std::vector<std::pair<std::string, std::string>> Bearer() const {
    return {{"Authorization", "Bearer " + token_}};
  }

  System system_;
  std::string token_;
};

TEST_F(ResilienceTest, ABlogSurvivesKill9RightAfterIts201) {
  auto created =
      PostJson(system_.blog(), "/blogs", R"({"title":"durable","content":"yes"})", Bearer());
  ASSERT_EQ(created.status, 201);
  system_.Kill("blog");
  ASSERT_TRUE(system_.Start("blog"));
  auto id = created.Json()["id"].get<std::string>();
  auto got = Get(system_.blog(), "/blogs/" + id, Bearer());
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.Json(), created.Json());
}

TEST_F(ResilienceTest, AuthorDownGives503ThenRecovers) {
  system_.Stop("author");
  auto start = SteadyClock::now();
  auto reply = Get(system_.blog(), "/blogs", Bearer());
  auto elapsed = SteadyClock::now() - start;
  EXPECT_EQ(reply.status, 503) << reply.body;
  EXPECT_EQ(reply.Json().value("error", ""), "unavailable");
  EXPECT_TRUE(reply.Header("traceresponse"));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500)) << "UPSTREAM_TIMEOUT_MS is 1000";

  ASSERT_TRUE(system_.Start("author"));
  EXPECT_EQ(Get(system_.blog(), "/blogs", Bearer()).status, 200);
}

TEST_F(ResilienceTest, SilentAuthorGives503WithinTheTimeout) {
  system_.Stop("author");
  // A listener that accepts connections and never answers.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(system_.author().port);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 16), 0);

  auto start = SteadyClock::now();
  auto reply = Get(system_.blog(), "/blogs", Bearer());
  auto elapsed = SteadyClock::now() - start;
  ::close(fd);
  EXPECT_EQ(reply.status, 503) << reply.body;
  EXPECT_EQ(reply.Json().value("error", ""), "unavailable");
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));

  ASSERT_TRUE(system_.Start("author"));
  EXPECT_EQ(Get(system_.blog(), "/blogs", Bearer()).status, 200);
}

TEST_F(ResilienceTest, UserDownGives503OnLoginThenRecovers) {
  system_.Stop("user");
  auto reply =
      PostJson(system_.authen(), "/login", R"({"username":"writer","password":"writer-password"})");
  EXPECT_EQ(reply.status, 503) << reply.body;
  EXPECT_EQ(reply.Json().value("error", ""), "unavailable");
  // Tokens already issued keep working: the author service needs no user service.
  EXPECT_EQ(Get(system_.blog(), "/blogs", Bearer()).status, 200);

  ASSERT_TRUE(system_.Start("user"));
  EXPECT_FALSE(system_.Login("writer", "writer-password").empty());
}

}  // namespace
}  // namespace blogtrace::testing
