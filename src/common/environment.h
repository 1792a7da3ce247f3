// Environment: where configuration comes from. Configuration is read once, at start, into typed
// structs; code never reads variables at the point of use. Tests pass a MapEnvironment.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace blogtrace {

// Read-only view of configuration variables. Implementations are thread-safe for reads.
class Environment {
 public:
  virtual ~Environment() = default;
  // The value of `name`, or nullopt when unset. An empty value counts as set.
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

// The process environment (getenv).
class ProcessEnvironment final : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
};

// A fixed map, for tests and for the launcher composing a child's environment.
class MapEnvironment final : public Environment {
 public:
  MapEnvironment() = default;
  MapEnvironment(std::initializer_list<std::pair<const std::string, std::string>> values)
      : values_(values) {}
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace blogtrace
