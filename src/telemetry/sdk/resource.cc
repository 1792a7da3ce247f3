#include "telemetry/sdk/resource.h"

#include <unistd.h>

#include "telemetry/api/semconv.h"

namespace blogtrace::telemetry::sdk {
namespace {

void Put(std::vector<Attribute>& attrs, std::string_view key, OwnedValue value) {
  for (auto& a : attrs) {
    if (a.key == key) {
      a.value = std::move(value);
      return;
    }
  }
  attrs.push_back(Attribute{std::string(key), std::move(value)});
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view Resource::GetString(std::string_view key) const noexcept {
  for (const auto& a : attributes_) {
    if (a.key == key) {
      if (auto* s = std::get_if<std::string>(&a.value)) return *s;
    }
  }
  return {};
}

Resource Resource::Merge(const Resource& other) const {
  std::vector<Attribute> attrs = attributes_;
  for (const auto& a : other.attributes_) Put(attrs, a.key, a.value);
  return Resource(std::move(attrs));
}

Resource Resource::Default(std::string_view service_version) {
  std::vector<Attribute> attrs;
  Put(attrs, semconv::kTelemetrySdkName, std::string("blogtrace"));
  Put(attrs, semconv::kTelemetrySdkLanguage, std::string("cpp"));
  Put(attrs, semconv::kTelemetrySdkVersion, std::string("0.1.0"));
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0] != '\0')
    Put(attrs, semconv::kHostName, std::string(host));
  Put(attrs, semconv::kProcessPid, static_cast<std::int64_t>(getpid()));
  if (!service_version.empty()) Put(attrs, semconv::kServiceVersion, std::string(service_version));
  return Resource(std::move(attrs));
}

Resource Resource::FromEnv(std::string_view default_service_name, const GetEnvFunction& getenv) {
  Resource base = Default();
  std::vector<Attribute> from_env;
  if (auto list = env::GetString(getenv, "OTEL_RESOURCE_ATTRIBUTES")) {
    std::string_view rest = *list;
    bool ok = true;
    while (ok && !rest.empty()) {
      auto comma = rest.find(',');
      std::string_view member = Trim(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (member.empty()) continue;
      auto eq = member.find('=');
      if (eq == std::string_view::npos) {
        ok = false;
        break;
      }
      std::string_view key = Trim(member.substr(0, eq));
      auto value = env::PercentDecode(Trim(member.substr(eq + 1)));
      if (key.empty() || !value) {
        ok = false;
        break;
      }
      Put(from_env, key, std::move(*value));
    }
    if (!ok) {
      LogError("OTEL_RESOURCE_ATTRIBUTES: malformed value ignored ('" + *list + "')");
      from_env.clear();
    }
  }
  Resource merged = base.Merge(Resource(std::move(from_env)));
  std::string service_name(default_service_name.empty() ? "unknown_service" : default_service_name);
  if (auto name = env::GetString(getenv, "OTEL_SERVICE_NAME")) {
    service_name = *name;
  } else if (auto from_attrs = merged.GetString(semconv::kServiceName); !from_attrs.empty()) {
    service_name = from_attrs;
  }
  std::vector<Attribute> attrs = merged.attributes();
  Put(attrs, semconv::kServiceName, std::move(service_name));
  return Resource(std::move(attrs));
}

}  // namespace blogtrace::telemetry::sdk
