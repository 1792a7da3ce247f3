#include "common/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace blogtrace {
namespace {

TEST(ConfigTest, DefaultsMatchTheContract) {
  MapEnvironment env;
  auto config = LoadSystemConfig(env);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->user_addr.ToString(), "127.0.0.1:3001");
  EXPECT_EQ(config->authen_addr.ToString(), "127.0.0.1:3002");
  EXPECT_EQ(config->author_addr.ToString(), "127.0.0.1:3003");
  EXPECT_EQ(config->blog_addr.ToString(), "127.0.0.1:3004");
  EXPECT_EQ(config->collector_addr.ToString(), "127.0.0.1:4318");
  EXPECT_EQ(config->query_addr.ToString(), "127.0.0.1:16686");
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->store, StoreKind::kSqlite);
  EXPECT_EQ(config->jwt_ttl.count(), 3600);
}

TEST(ConfigTest, ReadsEveryVariable) {
  MapEnvironment env({{"USER_ADDR", "127.0.0.1:4001"},
                      {"BLOG_ADDR", "[::1]:4004"},
                      {"DATA_DIR", "/tmp/x"},
                      {"STORE", "mongodb"},
                      {"MONGODB_URI", "mongodb://db:27017/b"},
                      {"JWT_TTL_SECONDS", "60"},
                      {"ADMIN_KEY", "0123456789abcdef"},
                      {"UPSTREAM_TIMEOUT_MS", "250"},
                      {"LOG_FORMAT", "json"}});
  auto config = LoadSystemConfig(env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->user_addr.port, 4001);
  EXPECT_EQ(config->blog_addr.host, "::1");
  EXPECT_EQ(config->data_dir, "/tmp/x");
  EXPECT_EQ(config->store, StoreKind::kMongoDb);
  EXPECT_EQ(config->jwt_ttl.count(), 60);
  EXPECT_EQ(*config->admin_key, "0123456789abcdef");
  EXPECT_EQ(config->upstream_timeout.count(), 250);
  EXPECT_EQ(config->log_format, LogFormat::kJson);
}

TEST(ConfigTest, ErrorsNameTheBadVariable) {
  struct Case {
    const char* name;
    const char* value;
  };
  for (auto c :
       {Case{"USER_ADDR", "nope"}, Case{"AUTHOR_ADDR", "127.0.0.1:0"},
        Case{"QUERY_ADDR", "127.0.0.1:70000"}, Case{"STORE", "postgres"},
        Case{"JWT_TTL_SECONDS", "ten"}, Case{"JWT_TTL_SECONDS", "0"}, Case{"ADMIN_KEY", "short"},
        Case{"LOG_FORMAT", "xml"}, Case{"MONGODB_URI", "http://x"}, Case{"DATA_DIR", ""}}) {
    MapEnvironment env({{c.name, c.value}});
    auto config = LoadSystemConfig(env);
    ASSERT_FALSE(config.ok()) << c.name << "=" << c.value;
    EXPECT_NE(config.error().message.find(c.name), std::string::npos) << config.error().message;
  }
}

TEST(ConfigTest, KeyPathsMayComeAlone) {
  MapEnvironment env({{"JWT_PUBLIC_KEY", "/k.pem"}});
  auto config = LoadSystemConfig(env);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->jwt_public_key_path, "/k.pem");
  EXPECT_TRUE(config->jwt_private_key_path.empty());
}

TEST(ConfigTest, SecretIsCreatedOnceWithMode0600) {
  auto dir = std::filesystem::temp_directory_path() / ("secret-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto first = LoadOrCreateSecret(dir.string(), "admin.key");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "admin.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto second = LoadOrCreateSecret(dir.string(), "admin.key");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace blogtrace

namespace blogtrace {
namespace {

TEST(ConfigTest, FaultsAreParsedAtStartAndABadRuleIsNamed) {
  auto none = LoadSystemConfig(MapEnvironment());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->faults.empty());

  auto some = LoadSystemConfig(
      MapEnvironment({{"FAULTS", "route=GET /blogs:error=503@0.5; store=list:delay=1s"}}));
  ASSERT_TRUE(some.ok()) << some.error().message;
  ASSERT_EQ(some->faults.size(), 2u);
  EXPECT_EQ(some->faults[0].status, 503);

  auto bad =
      LoadSystemConfig(MapEnvironment({{"FAULTS", "store=list:delay=1s; store=lst:delay=1s"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind("FAULTS: fault rule 'store=lst:delay=1s'", 0), 0u)
      << bad.error().message;
}

}  // namespace
}  // namespace blogtrace
