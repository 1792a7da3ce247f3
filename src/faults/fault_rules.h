// Fault rules: the grammar of FAULTS and PUT /admin/faults (../shared/API.md "Debugging
// (additions)"), parsed into plain values. This target depends on nothing but the standard library
// and common/result.h, so the fuzz target `fuzz_fault_rules` links it alone.
//
//   rules  = rule *( ";" rule )            (blank rules between separators are ignored)
//   rule   = where ":" effect [ "@" probability ]
//   where  = "route=" METHOD " " template  (e.g. "route=GET /blogs/{id}")
//          | "store=" ( "list" | "get" | "insert" | "find_user" | "insert_user" )
//          | "upstream=" ( "user" | "author" )
//   effect = "delay=" duration [ "-" duration ] | "error=" 5xx | "unreachable" (upstream only)
//   duration = decimal ( "ms" | "s" ), at most 60s;  probability = decimal in [0, 1], default 1
//
// A store error is 500 or 503: the store interface speaks the contract's closed set of errors,
// where those are the only 5xx codes (internal, unavailable).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace blogtrace::faults {

// Where a rule acts.
enum class FaultSiteKind { kRoute, kStore, kUpstream };

// What a rule does when it fires.
enum class FaultEffectKind { kDelay, kError, kUnreachable };

// One parsed rule. `text` is the rule as written (trimmed): what events and answers name.
struct FaultRule {
  std::string text;
  FaultSiteKind site = FaultSiteKind::kRoute;
  // kRoute: the method ("GET") and the route template ("/blogs/{id}").
  std::string method;
  std::string route;
  // kStore: "list" | "get" | "insert" | "find_user" | "insert_user"; kUpstream: "user" | "author".
  std::string target;

  FaultEffectKind effect = FaultEffectKind::kDelay;
  // kDelay: the delay is drawn uniformly from [delay_min, delay_max] (equal for a fixed delay).
  std::chrono::microseconds delay_min{0};
  std::chrono::microseconds delay_max{0};
  // kError: the HTTP status, 500-599.
  int status = 0;
  // How often the rule fires when its site is reached, 0..1.
  double probability = 1.0;

  friend bool operator==(const FaultRule&, const FaultRule&) = default;
};

// Most rules one set may hold (a bound for the admin endpoint and the fuzzer).
inline constexpr std::size_t kMaxFaultRules = 64;

// Parses a whole rule set. An error (kBadRequest) names the first bad rule and why:
// "fault rule 'store=lst:error=500': unknown store operation 'lst' (list, get, insert, find_user,
// insert_user)". Never throws (beyond std::bad_alloc).
Result<std::vector<FaultRule>> ParseFaultRules(std::string_view text);

// The rules joined with "; " (what GET /admin/faults shows; it parses back to the same rules).
std::string FormatFaultRules(const std::vector<FaultRule>& rules);

}  // namespace blogtrace::faults
