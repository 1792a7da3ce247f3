#include "http/request_context.h"

namespace blogtrace::http {

std::string_view RequestContext::Param(std::string_view name) const noexcept {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string_view> RequestContext::Query(std::string_view name) const noexcept {
  for (const auto& [key, value] : query_params) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace blogtrace::http
