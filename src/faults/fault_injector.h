// FaultInjector: the fault rules in force in one process, and the decision, at one place where
// faults act (a route, a store operation, an upstream call), of which rules fire this time.
// Starts empty (off) unless given FAULTS; PUT /admin/faults replaces the rules at run time.
//
// Thread safety: every method may be called concurrently; Decide() sees either the old or the
// new rule set, never a mix. Decide() on an empty set takes no lock.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "faults/fault_random.h"
#include "faults/fault_rules.h"

namespace blogtrace::faults {

// A place where faults act, as the hook there describes itself.
struct FaultSite {
  FaultSiteKind kind = FaultSiteKind::kRoute;
  // kRoute: the request's method and matched route template.
  std::string_view method;
  std::string_view route;
  // kStore: the operation ("list", ...); kUpstream: the callee ("user", "author").
  std::string_view target;
};

// What the rules that fired at one site ask for: first every delay (summed), then at most one
// terminal effect (the first error or unreachable that fired).
struct FaultDecision {
  std::chrono::microseconds delay{0};
  int error_status = 0;      // non-zero: answer this 5xx
  bool unreachable = false;  // act as if the connection were refused
  // The text of every rule that fired, in rule order (one fault.injected event each).
  std::vector<std::string> rules;

  bool fired() const noexcept { return !rules.empty(); }
};

class FaultInjector {
 public:
  // `rules` are in force from the start; `random` decides probabilities and delay ranges.
  explicit FaultInjector(std::vector<FaultRule> rules = {},
                         std::shared_ptr<FaultRandom> random = std::make_shared<FaultRandom>());

  // Puts `rules` in force instead of the current ones (empty: off).
  void Replace(std::vector<FaultRule> rules);
  // The rules in force.
  std::vector<FaultRule> Rules() const;

  // Which rules fire for one arrival at `site`. Draws once per matching rule.
  FaultDecision Decide(const FaultSite& site) const;

 private:
  std::shared_ptr<FaultRandom> random_;
  std::atomic<bool> active_{false};
  mutable std::mutex mu_;
  std::shared_ptr<const std::vector<FaultRule>> rules_;  // guarded by mu_; never null
};

}  // namespace blogtrace::faults
