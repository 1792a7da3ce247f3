// Resource: who produces the spans (service.name, host, process, SDK). Immutable once built;
// shared by every span of a provider.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "telemetry/sdk/attribute.h"
#include "telemetry/sdk/env.h"

namespace blogtrace::telemetry::sdk {

class Resource {
 public:
  Resource() = default;
  explicit Resource(std::vector<Attribute> attributes) : attributes_(std::move(attributes)) {}

  const std::vector<Attribute>& attributes() const noexcept { return attributes_; }
  // The value of `key` when it is a string.
  std::string_view GetString(std::string_view key) const noexcept;
  // `other`'s attributes override this one's.
  Resource Merge(const Resource& other) const;

  // telemetry.sdk.{name,language,version}, host.name, process.pid, service.version.
  static Resource Default(std::string_view service_version = "0.1.0");
  // Default() + OTEL_RESOURCE_ATTRIBUTES (key=value,...; values percent-decoded; an undecodable
  // value discards the whole variable, reported once) + service.name from OTEL_SERVICE_NAME, else
  // from OTEL_RESOURCE_ATTRIBUTES, else `default_service_name`.
  static Resource FromEnv(std::string_view default_service_name, const GetEnvFunction& getenv);

 private:
  std::vector<Attribute> attributes_;
};

}  // namespace blogtrace::telemetry::sdk
