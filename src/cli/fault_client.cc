#include "cli/fault_client.h"

#include <fstream>

#include <nlohmann/json.hpp>

#include "collector/blocking_client.h"

namespace blogtrace::cli {

namespace bhttp = boost::beast::http;

const HostPort& ServiceAddress(const SystemConfig& config, std::string_view name) {
  if (name == "user") return config.user_addr;
  if (name == "authen") return config.authen_addr;
  if (name == "author") return config.author_addr;
  return config.blog_addr;
}

Result<std::string> ReadAdminKey(const SystemConfig& config) {
  if (config.admin_key) return *config.admin_key;
  std::string path = config.data_dir + "/admin.key";
  std::ifstream in(path);
  std::string key;
  std::getline(in, key);
  if (key.empty()) {
    return Error::Unauthorized("no admin key: set ADMIN_KEY, or run this where the system's " +
                               path + " is (DATA_DIR)");
  }
  return key;
}

FaultAdminClient::FaultAdminClient(const SystemConfig& config, std::string admin_key)
    : config_(config), admin_key_(std::move(admin_key)) {}

Result<std::string> FaultAdminClient::Set(std::string_view service, std::string_view rules) const {
  return Call(service, static_cast<int>(bhttp::verb::put),
              nlohmann::json{{"faults", rules}}.dump());
}

Result<std::string> FaultAdminClient::Clear(std::string_view service) const {
  return Call(service, static_cast<int>(bhttp::verb::delete_), "");
}

Result<std::string> FaultAdminClient::Show(std::string_view service) const {
  return Call(service, static_cast<int>(bhttp::verb::get), "");
}

Result<std::string> FaultAdminClient::Call(std::string_view service, int method,
                                           std::string body) const {
  http::Request request{static_cast<bhttp::verb>(method), "/admin/faults", 11};
  request.set("X-Admin-Key", admin_key_);
  if (!body.empty()) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = std::move(body);
  }
  auto response = collector::SendBlocking(ServiceAddress(config_, service), std::move(request),
                                          std::chrono::seconds(5));
  if (!response) return response.error();
  auto json = nlohmann::json::parse(response->body(), nullptr, /*allow_exceptions=*/false);
  std::string message = json.is_object() && json.contains("message") && json["message"].is_string()
                            ? json["message"].get<std::string>()
                            : response->body();
  switch (response->result_int()) {
    case 200:
      if (json.is_object() && json.contains("faults") && json["faults"].is_string()) {
        return json["faults"].get<std::string>();
      }
      return Error::Internal(std::string(service) + " sent an unreadable answer");
    case 400:
      return Error::BadRequest(message);
    case 401:
      return Error::Unauthorized(std::string(service) + " refused the admin key");
    case 404:
      return Error::NotFound(std::string(service) + " has no /admin/faults (an older build?)");
    default:
      return Error::Internal(std::string(service) + " answered " +
                             std::to_string(response->result_int()) + ": " + message);
  }
}

}  // namespace blogtrace::cli
