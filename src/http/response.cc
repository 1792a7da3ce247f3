#include "http/response.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

namespace blogtrace::http {

namespace beast_http = boost::beast::http;

namespace {

constexpr int kMaxJsonDepth = 64;

bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The deepest nesting of arrays/objects, ignoring brackets inside strings. Checked before parsing
// so a body of a million '[' cannot exhaust the stack.
int NestingDepth(std::string_view text) noexcept {
  int depth = 0;
  int max_depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

// json::dump(-1, ' ', false, replace) of one value: the reference the fast path must match.
void AppendDump(std::string& out, const nlohmann::json& value) {
  out += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// True when one of the 8 bytes of `w` is below 0x20, above 0x7e, '"' or '\\' (SWAR on the
// low 7 bits of each byte, where adding constants below 0x80 never carries into the next byte).
constexpr bool HasSpecialByte(std::uint64_t w) noexcept {
  constexpr std::uint64_t k01 = 0x0101010101010101ULL;
  constexpr std::uint64_t k80 = 0x8080808080808080ULL;
  const std::uint64_t low7 = w & ~k80;
  const std::uint64_t below_space = ~(low7 + k01 * 0x60) & k80;
  const std::uint64_t del = (low7 + k01) & k80;
  const std::uint64_t quote = ~((low7 ^ (k01 * '"')) + k01 * 0x7f) & k80;
  const std::uint64_t backslash = ~((low7 ^ (k01 * '\\')) + k01 * 0x7f) & k80;
  return ((w & k80) | below_space | del | quote | backslash) != 0;
}

// True when dump writes `s` between quotes unchanged: printable ASCII other than '"' and '\\'
// (nothing to escape, no UTF-8 to check).
bool IsPlainAscii(std::string_view s) noexcept {
  std::size_t i = 0;
  std::uint64_t w;
  for (; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if (HasSpecialByte(w)) return false;
  }
  if (i == s.size()) return true;
  w = 0x6161616161616161ULL;  // the tail, padded with 'a'
  std::memcpy(&w, s.data() + i, s.size() - i);
  return !HasSpecialByte(w);
}

// Appends `lead` (unless '\0'), `s` quoted, then `tail` (unless '\0') when IsPlainAscii(s), with
// one resize instead of a call per character; false (nothing appended) otherwise.
bool AppendPlainString(std::string& out, std::string_view s, char lead = '\0', char tail = '\0') {
  if (!IsPlainAscii(s)) return false;
  const std::size_t extra = (lead != '\0') + (tail != '\0');
  const std::size_t at = out.size();
  out.resize(at + s.size() + 2 + extra);  // still grows geometrically
  char* p = out.data() + at;
  if (lead != '\0') *p++ = lead;
  *p++ = '"';
  std::memcpy(p, s.data(), s.size());
  p += s.size();
  *p++ = '"';
  if (tail != '\0') *p = tail;
  return true;
}

// Appends `value` exactly as json::dump(-1, ' ', false, replace) writes it (tested against it),
// several times faster for the plain ASCII strings and integers responses are made of: dump runs
// every byte of every string through a UTF-8 decoder. Anything else is left to dump.
void AppendJson(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        const char lead = first ? '\0' : ',';
        first = false;
        if (!AppendPlainString(out, it.key(), lead, ':')) {
          if (lead != '\0') out += lead;
          AppendDump(out, nlohmann::json(it.key()));
          out += ':';
        }
        AppendJson(out, it.value());
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        AppendJson(out, element);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::string: {
      if (!AppendPlainString(out, value.get_ref<const nlohmann::json::string_t&>()))
        AppendDump(out, value);
      return;
    }
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: {
      char buf[24];
      auto [end, ec] = value.is_number_unsigned()
                           ? std::to_chars(buf, buf + sizeof buf, value.get<std::uint64_t>())
                           : std::to_chars(buf, buf + sizeof buf, value.get<std::int64_t>());
      out.append(buf, end);
      return;
    }
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case nlohmann::json::value_t::null:
      out += "null";
      return;
    default:  // floats, binary, discarded
      AppendDump(out, value);
      return;
  }
}

}  // namespace

Response JsonResponse(unsigned status, const nlohmann::json& body) {
  Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, "application/json");
  AppendJson(res.body(), body);
  res.prepare_payload();
  return res;
}

Response ErrorResponse(const Error& error, std::string_view allow) {
  Response res = JsonResponse(static_cast<unsigned>(ErrorCodeStatus(error.code)),
                              {{"error", ErrorCodeName(error.code)}, {"message", error.message}});
  if (error.code == ErrorCode::kMethodNotAllowed && !allow.empty()) {
    res.set(beast_http::field::allow, allow);
  }
  return res;
}

bool IsValidUtf8(std::string_view text) noexcept {
  // RFC 3629 section 4 (the UTF8-octets grammar): exactly the well-formed sequences.
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlongs
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlongs
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return false;  // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (end - p < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i < len; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += len;
  }
  return true;
}

Result<nlohmann::json> ParseJsonBody(const Request& request) {
  auto it = request.find(beast_http::field::content_type);
  std::string_view type;
  if (it != request.end()) {
    type = it->value();
    type = Trim(type.substr(0, type.find(';')));
  }
  if (!EqualsIgnoreCase(type, "application/json")) {
    if (type.empty()) {
      return Error{ErrorCode::kUnsupportedMediaType,
                   "the request needs a Content-Type of application/json"};
    }
    return Error{ErrorCode::kUnsupportedMediaType,
                 "Content-Type must be application/json, not " + std::string(type)};
  }
  const std::string& body = request.body();
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error::BadRequest("the request body is empty; a JSON object is expected");
  }
  if (!IsValidUtf8(body)) return Error::BadRequest("the request body is not valid UTF-8");
  if (NestingDepth(body) > kMaxJsonDepth) {
    return Error::BadRequest("the request body nests arrays or objects too deeply");
  }
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    return Error::BadRequest("the request body is not valid JSON (error at byte " +
                             std::to_string(e.byte) + ")");
  }
  if (!value.is_object()) return Error::BadRequest("the request body must be a JSON object");
  return value;
}

}  // namespace blogtrace::http
