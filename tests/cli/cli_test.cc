#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "cli/line_prefixer.h"
#include "cli/net_probe.h"
#include "cli/trace_commands.h"
#include "cli/walkthrough.h"

namespace blogtrace::cli {
namespace {

TEST(LinePrefixer, PrefixesWholeLinesAcrossChunks) {
  LinePrefixer p("[blog] ");
  EXPECT_EQ(p.Feed("hel"), "");
  EXPECT_EQ(p.Feed("lo\nwor"), "[blog] hello\n");
  EXPECT_EQ(p.Feed("ld\n\nx"), "[blog] world\n[blog] \n");
  EXPECT_EQ(p.Flush(), "[blog] x\n");
  EXPECT_EQ(p.Flush(), "");
}

TEST(LinePrefixer, CutsOverlongLines) {
  LinePrefixer p("> ");
  EXPECT_EQ(p.Feed("abcdefg", 3), "> abc\n> def\n");
  EXPECT_EQ(p.Flush(), "> g\n");
}

TEST(MakePrefix, PlainOrColoured) {
  EXPECT_EQ(MakePrefix("user", false), "[user] ");
  auto coloured = MakePrefix("user", true);
  EXPECT_NE(coloured.find("[user] "), std::string::npos);
  EXPECT_EQ(coloured.rfind("\x1b[", 0), 0u);
  EXPECT_EQ(MakePrefix("user", true), coloured) << "stable per name";
}

TEST(TraceIdFrom, AcceptsTraceresponseAndIds) {
  EXPECT_EQ(TraceIdFrom("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03"),
            "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(TraceIdFrom("4BF92F3577B34DA6A3CE929D0E0E4736"), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Walkthrough, UsesTheConfiguredAddressesAndKeyFile) {
  SystemConfig config;
  config.blog_addr = {"127.0.0.1", 4004};
  config.data_dir = "/srv/blog";
  auto text = CurlWalkthrough(config);
  EXPECT_NE(text.find("http://127.0.0.1:4004/blogs"), std::string::npos);
  EXPECT_NE(text.find("/srv/blog/admin.key"), std::string::npos);
  EXPECT_NE(text.find("\"permission\":\"READ\""), std::string::npos);
  EXPECT_NE(text.find("\"permission\":\"WRITE\""), std::string::npos);
  config.admin_key = "from-the-environment-0123";
  text = CurlWalkthrough(config);
  EXPECT_EQ(text.find("admin.key"), std::string::npos);
  EXPECT_EQ(text.find("from-the-environment"), std::string::npos) << "never print the key itself";
  EXPECT_NE(SystemSummary(config).find("http://127.0.0.1:4004"), std::string::npos);
}

TEST(NetProbe, TakenAddressIsNamed) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  HostPort taken{"127.0.0.1", ntohs(addr.sin_port)};
  auto status = CheckBindable(taken);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find(taken.ToString()), std::string::npos)
      << status.error().message;
  // Listening but never answering HTTP: no status within the timeout.
  EXPECT_FALSE(ProbeHttp(taken, "/healthz", std::chrono::milliseconds(200)));
  ::close(fd);
  EXPECT_TRUE(CheckBindable(taken).ok());
}

}  // namespace
}  // namespace blogtrace::cli
