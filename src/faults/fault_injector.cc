#include "faults/fault_injector.h"

namespace blogtrace::faults {
namespace {

bool Matches(const FaultRule& rule, const FaultSite& site) {
  if (rule.site != site.kind) return false;
  if (site.kind == FaultSiteKind::kRoute)
    return rule.method == site.method && rule.route == site.route;
  return rule.target == site.target;
}

}  // namespace

FaultInjector::FaultInjector(std::vector<FaultRule> rules, std::shared_ptr<FaultRandom> random)
    : random_(std::move(random)) {
  Replace(std::move(rules));
}

void FaultInjector::Replace(std::vector<FaultRule> rules) {
  bool any = !rules.empty();
  auto next = std::make_shared<const std::vector<FaultRule>>(std::move(rules));
  std::lock_guard lock(mu_);
  rules_ = std::move(next);
  active_.store(any, std::memory_order_release);
}

std::vector<FaultRule> FaultInjector::Rules() const {
  std::lock_guard lock(mu_);
  return *rules_;
}

FaultDecision FaultInjector::Decide(const FaultSite& site) const {
  FaultDecision decision;
  if (!active_.load(std::memory_order_acquire)) return decision;
  std::shared_ptr<const std::vector<FaultRule>> rules;
  {
    std::lock_guard lock(mu_);
    rules = rules_;
  }
  bool terminal = false;
  for (const FaultRule& rule : *rules) {
    if (!Matches(rule, site)) continue;
    bool is_terminal = rule.effect != FaultEffectKind::kDelay;
    if (is_terminal && terminal) continue;  // only the first terminal effect can act
    // p = 1 always fires and p = 0 never does: Uniform() is in [0, 1).
    if (random_->Uniform() >= rule.probability) continue;
    switch (rule.effect) {
      case FaultEffectKind::kDelay: {
        auto span = (rule.delay_max - rule.delay_min).count();
        auto extra = static_cast<std::int64_t>(random_->Uniform() * static_cast<double>(span));
        decision.delay += rule.delay_min + std::chrono::microseconds(extra);
        break;
      }
      case FaultEffectKind::kError:
        decision.error_status = rule.status;
        terminal = true;
        break;
      case FaultEffectKind::kUnreachable:
        decision.unreachable = true;
        terminal = true;
        break;
    }
    decision.rules.push_back(rule.text);
  }
  return decision;
}

}  // namespace blogtrace::faults
