#include "collector/collector_options.h"

#include <gtest/gtest.h>

namespace blogtrace::collector {
namespace {

TEST(CollectorOptionsTest, DefaultsComeFromTheSystemConfig) {
  SystemConfig config;
  config.data_dir = "/tmp/x";
  config.collector_addr = {"127.0.0.1", 5000};
  MapEnvironment env;
  auto options = LoadCollectorOptions(config, env);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->store.path, "/tmp/x/traces.db");
  EXPECT_EQ(options->collector_addr.port, 5000);
  EXPECT_EQ(options->store.retention, std::chrono::hours(168));
  EXPECT_EQ(options->store.max_bytes, 1073741824);
}

TEST(CollectorOptionsTest, ReadsAndValidatesItsVariables) {
  MapEnvironment env{{"COLLECTOR_RETENTION", "2d"},
                     {"COLLECTOR_MAX_BYTES", "2097152"},
                     {"COLLECTOR_QUEUE_SPANS", "4096"}};
  auto options = LoadCollectorOptions({}, env);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->store.retention, std::chrono::hours(48));
  EXPECT_EQ(options->store.max_bytes, 2097152);
  EXPECT_EQ(options->store.max_queued_spans, 4096u);
  EXPECT_EQ(
      LoadCollectorOptions({}, MapEnvironment{{"COLLECTOR_RETENTION", "90m"}})->store.retention,
      std::chrono::minutes(90));
  for (auto [name, value] :
       {std::pair{"COLLECTOR_RETENTION", "forever"}, std::pair{"COLLECTOR_RETENTION", "0"},
        std::pair{"COLLECTOR_MAX_BYTES", "10"}, std::pair{"COLLECTOR_MAX_BYTES", "1GB"},
        std::pair{"COLLECTOR_QUEUE_SPANS", "0"}}) {
    auto bad = LoadCollectorOptions({}, MapEnvironment{{name, value}});
    ASSERT_FALSE(bad.ok()) << name << "=" << value;
    EXPECT_NE(bad.error().message.find(name), std::string::npos);
  }
}

}  // namespace
}  // namespace blogtrace::collector
