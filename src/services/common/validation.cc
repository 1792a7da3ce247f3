#include "services/common/validation.h"

namespace blogtrace::services {
namespace {

// Decodes one UTF-8 sequence at text[i] (RFC 3629 section 4), advancing i; nullopt when invalid.
std::optional<char32_t> NextCodePoint(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int length = 0;
  char32_t c = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2;
    c = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3;
    c = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4;
    c = b0 & 0x07;
    min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (i + length > text.size()) return std::nullopt;
  for (int k = 1; k < length; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return std::nullopt;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
  i += length;
  return c;
}

}  // namespace

Error FieldError::ToError() const { return Error::BadRequest(field + ": " + reason); }

std::optional<std::size_t> CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    if (!NextCodePoint(text, i)) return std::nullopt;
  }
  return count;
}

bool IsBlankCodePoint(char32_t c) noexcept {
  switch (c) {
    case 0x0009:
    case 0x000A:
    case 0x000B:
    case 0x000C:
    case 0x000D:
    case 0x0020:
    case 0x0085:
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool IsForbiddenControl(char32_t c) noexcept {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

std::optional<FieldError> CheckText(std::string_view field, std::string_view text,
                                    std::size_t max_code_points) {
  std::size_t count = 0;
  bool blank = true;
  for (std::size_t i = 0; i < text.size(); ++count) {
    auto c = NextCodePoint(text, i);
    if (!c) return FieldError{std::string(field), "must be valid UTF-8"};
    if (IsForbiddenControl(*c)) {
      return FieldError{std::string(field),
                        "must not contain control characters other than tab, LF and CR"};
    }
    blank = blank && IsBlankCodePoint(*c);
  }
  if (blank) return FieldError{std::string(field), "must not be blank"};
  if (count > max_code_points) {
    return FieldError{std::string(field),
                      "must be at most " + std::to_string(max_code_points) + " characters"};
  }
  return std::nullopt;
}

std::optional<FieldError> RequireObject(const nlohmann::json& body) {
  if (!body.is_object()) return FieldError{"body", "must be a JSON object"};
  return std::nullopt;
}

Validated<std::string> RequireString(const nlohmann::json& body, std::string_view field) {
  if (!body.is_object()) return FieldError{"body", "must be a JSON object"};
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return FieldError{std::string(field), "is required"};
  if (!it->is_string()) return FieldError{std::string(field), "must be a string"};
  return it->get<std::string>();
}

Validated<std::int64_t> ParseQueryInteger(std::string_view name,
                                          std::optional<std::string_view> value, std::int64_t min,
                                          std::int64_t max, std::int64_t fallback) {
  if (!value) return fallback;
  auto refuse = [&] {
    return FieldError{std::string(name), "must be an integer from " + std::to_string(min) + " to " +
                                             std::to_string(max)};
  };
  if (value->empty() || value->size() > 18) return refuse();
  std::int64_t number = 0;
  for (char ch : *value) {
    if (ch < '0' || ch > '9') return refuse();
    number = number * 10 + (ch - '0');
  }
  if (number < min || number > max) return refuse();
  return number;
}

}  // namespace blogtrace::services
