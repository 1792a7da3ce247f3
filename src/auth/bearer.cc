#include "auth/bearer.h"

namespace blogtrace::auth {
namespace {

bool IsB64TokenChar(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> ParseBearer(std::string_view header) noexcept {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() < kScheme.size() + 2) return std::nullopt;
  if (!EqualsIgnoringAsciiCase(header.substr(0, kScheme.size()), kScheme)) return std::nullopt;
  if (header[kScheme.size()] != ' ') return std::nullopt;
  const std::string_view token = header.substr(kScheme.size() + 1);
  // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  std::size_t i = 0;
  while (i < token.size() && IsB64TokenChar(token[i])) ++i;
  if (i == 0) return std::nullopt;
  while (i < token.size() && token[i] == '=') ++i;
  if (i != token.size()) return std::nullopt;
  return token;
}

}  // namespace blogtrace::auth
