// The rule grammar of ../shared/API.md "Debugging (additions)": every form it allows parses to
// the rule meant, and every malformed rule is refused with a message naming that rule.
#include "faults/fault_rules.h"

#include <gtest/gtest.h>

namespace blogtrace::faults {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

FaultRule One(std::string_view text) {
  auto rules = ParseFaultRules(text);
  EXPECT_TRUE(rules.ok()) << text << ": " << (rules.ok() ? "" : rules.error().message);
  if (!rules.ok() || rules->size() != 1) {
    ADD_FAILURE() << text << " did not give one rule";
    return {};
  }
  return (*rules)[0];
}

TEST(FaultRulesTest, RouteDelay) {
  FaultRule rule = One("route=GET /blogs:delay=250ms");
  EXPECT_EQ(rule.site, FaultSiteKind::kRoute);
  EXPECT_EQ(rule.method, "GET");
  EXPECT_EQ(rule.route, "/blogs");
  EXPECT_EQ(rule.effect, FaultEffectKind::kDelay);
  EXPECT_EQ(rule.delay_min, milliseconds(250));
  EXPECT_EQ(rule.delay_max, milliseconds(250));
  EXPECT_EQ(rule.probability, 1.0);
  EXPECT_EQ(rule.text, "route=GET /blogs:delay=250ms");
}

TEST(FaultRulesTest, RouteWithParameterErrorAndProbability) {
  FaultRule rule = One("route=GET /blogs/{id}:error=503@0.25");
  EXPECT_EQ(rule.route, "/blogs/{id}");
  EXPECT_EQ(rule.effect, FaultEffectKind::kError);
  EXPECT_EQ(rule.status, 503);
  EXPECT_EQ(rule.probability, 0.25);
}

TEST(FaultRulesTest, DelayRangesAndUnits) {
  FaultRule rule = One("store=list:delay=100ms-1.5s");
  EXPECT_EQ(rule.site, FaultSiteKind::kStore);
  EXPECT_EQ(rule.target, "list");
  EXPECT_EQ(rule.delay_min, milliseconds(100));
  EXPECT_EQ(rule.delay_max, milliseconds(1500));
  EXPECT_EQ(One("store=get:delay=1s").delay_min, milliseconds(1000));
  EXPECT_EQ(One("store=get:delay=0.5ms").delay_min, microseconds(500));
  EXPECT_EQ(One("store=get:delay=60s").delay_max, std::chrono::seconds(60));
  EXPECT_EQ(One("store=get:delay=2s-2s").delay_min, std::chrono::seconds(2));
}

TEST(FaultRulesTest, EveryStoreOperationAndUpstream) {
  for (const char* op : {"list", "get", "insert", "find_user", "insert_user"}) {
    EXPECT_EQ(One(std::string("store=") + op + ":error=500").target, op);
  }
  FaultRule user = One("upstream=user:unreachable");
  EXPECT_EQ(user.site, FaultSiteKind::kUpstream);
  EXPECT_EQ(user.target, "user");
  EXPECT_EQ(user.effect, FaultEffectKind::kUnreachable);
  EXPECT_EQ(One("upstream=author:error=502@1").status, 502);
  EXPECT_EQ(One("upstream=author:delay=10ms@0").probability, 0.0);
}

TEST(FaultRulesTest, SeveralRulesBlanksAndSpaces) {
  auto rules = ParseFaultRules(
      " route=POST /blogs:error=500 ; ;store=insert:delay=1s@.5;upstream=author:unreachable; ");
  ASSERT_TRUE(rules.ok()) << rules.error().message;
  ASSERT_EQ(rules->size(), 3u);
  EXPECT_EQ((*rules)[0].text, "route=POST /blogs:error=500");
  EXPECT_EQ((*rules)[1].probability, 0.5);
  EXPECT_EQ((*rules)[2].effect, FaultEffectKind::kUnreachable);
  EXPECT_EQ(FormatFaultRules(*rules),
            "route=POST /blogs:error=500; store=insert:delay=1s@.5; upstream=author:unreachable");
  // What GET /admin/faults shows parses back to the same rules.
  auto again = ParseFaultRules(FormatFaultRules(*rules));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *rules);
}

TEST(FaultRulesTest, EmptyMeansNoRules) {
  for (const char* text : {"", "  ", ";", " ; ; "}) {
    auto rules = ParseFaultRules(text);
    ASSERT_TRUE(rules.ok()) << text;
    EXPECT_TRUE(rules->empty()) << text;
  }
}

// Each malformed rule is refused; the message names the rule (as written) and says why.
TEST(FaultRulesTest, MalformedRulesAreNamed) {
  struct Case {
    const char* text;
    const char* bad_rule;
    const char* why;
  };
  const Case cases[] = {
      {"route=GET /blogs", "route=GET /blogs", "expected <where>:<effect>"},
      {"route=GET:error=500", "route=GET:error=500", "'<METHOD> <template>'"},
      {"route=get /blogs:error=500", "route=get /blogs:error=500", "unknown method 'get'"},
      {"route=GET blogs:error=500", "route=GET blogs:error=500", "starts with '/'"},
      {"store=lst:error=500", "store=lst:error=500", "unknown store operation 'lst'"},
      {"upstream=blog:unreachable", "upstream=blog:unreachable", "unknown upstream 'blog'"},
      {"db=list:error=500", "db=list:error=500", "unknown place 'db=list'"},
      {"store=list:explode", "store=list:explode", "unknown effect 'explode'"},
      {"store=list:unreachable", "store=list:unreachable", "upstream=<service> only"},
      {"route=GET /blogs:unreachable", "route=GET /blogs:unreachable", "upstream=<service> only"},
      {"store=list:error=404", "store=list:error=404", "not a 5xx status"},
      {"route=GET /blogs:error=5000", "route=GET /blogs:error=5000", "not a 5xx status"},
      {"route=GET /blogs:error=50x", "route=GET /blogs:error=50x", "not a 5xx status"},
      {"store=list:error=502", "store=list:error=502", "500 (internal) or 503"},
      {"store=list:delay=250", "store=list:delay=250", "not a duration"},
      {"store=list:delay=-5ms", "store=list:delay=-5ms", "not a duration"},
      {"store=list:delay=61s", "store=list:delay=61s", "at most 60s"},
      {"store=list:delay=2s-1s", "store=list:delay=2s-1s", "ends before it starts"},
      {"store=list:delay=1e3ms", "store=list:delay=1e3ms", "not a duration"},
      {"store=list:delay=1s@1.5", "store=list:delay=1s@1.5", "probability '1.5'"},
      {"store=list:delay=1s@-0.1", "store=list:delay=1s@-0.1", "probability '-0.1'"},
      {"store=list:delay=1s@half", "store=list:delay=1s@half", "probability 'half'"},
      {"store=list:delay=1s@", "store=list:delay=1s@", "probability ''"},
      // The first bad rule is named, not its good neighbours.
      {"store=list:delay=1s; store=nope:error=500; upstream=x:unreachable", "store=nope:error=500",
       "unknown store operation 'nope'"},
  };
  for (const Case& c : cases) {
    auto rules = ParseFaultRules(c.text);
    ASSERT_FALSE(rules.ok()) << c.text << " was accepted";
    EXPECT_EQ(rules.error().code, ErrorCode::kBadRequest);
    const std::string& message = rules.error().message;
    EXPECT_NE(message.find(std::string("fault rule '") + c.bad_rule + "'"), std::string::npos)
        << c.text << " → " << message;
    EXPECT_NE(message.find(c.why), std::string::npos) << c.text << " → " << message;
  }
}

TEST(FaultRulesTest, AtMostSixtyFourRules) {
  std::string text;
  for (std::size_t i = 0; i < kMaxFaultRules; ++i) text += "store=list:delay=1ms;";
  EXPECT_TRUE(ParseFaultRules(text).ok());
  text += "store=get:delay=1ms";
  auto rules = ParseFaultRules(text);
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.error().message.find("more than 64"), std::string::npos);
}

}  // namespace
}  // namespace blogtrace::faults
