// W3C Baggage: https://www.w3.org/TR/baggage/#header-content
#include <cctype>
#include <cstring>

#include "telemetry/api/propagator.h"

namespace blogtrace::telemetry {
namespace {

bool IsOws(char c) { return c == ' ' || c == '\t'; }
std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 7230 token.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!(std::isalnum(c) || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr) || c == 0) return false;
  }
  return true;
}

// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool IsBaggageOctet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) ||
         (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a value of baggage-octets; nullopt when malformed.
std::optional<std::string> DecodeValue(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!IsBaggageOctet(c)) return std::nullopt;
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>((hi << 4) | lo));
      i += 2;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

void EncodeValue(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (IsBaggageOctet(c) && c != '%') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

// Validates `property = key OWS "=" OWS value / key` and returns it with OWS removed.
std::optional<std::string> NormalizeProperty(std::string_view p) {
  p = TrimOws(p);
  auto eq = p.find('=');
  if (eq == std::string_view::npos) {
    if (!IsToken(p)) return std::nullopt;
    return std::string(p);
  }
  std::string_view key = TrimOws(p.substr(0, eq));
  std::string_view value = TrimOws(p.substr(eq + 1));
  if (!IsToken(key)) return std::nullopt;
  for (unsigned char c : value) {
    if (!IsBaggageOctet(c)) return std::nullopt;
  }
  return std::string(key) + "=" + std::string(value);
}

}  // namespace

Baggage ParseBaggage(std::string_view header) {
  Baggage baggage;
  std::size_t members = 0, bytes = 0;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view member = TrimOws(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (member.empty()) continue;
    auto semi = member.find(';');
    std::string_view kv = member.substr(0, semi);
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = TrimOws(kv.substr(0, eq));
    auto value = DecodeValue(TrimOws(kv.substr(eq + 1)));
    if (!IsToken(key) || !value) continue;
    std::string properties;
    bool ok = true;
    if (semi != std::string_view::npos) {
      std::string_view rest = member.substr(semi + 1);
      while (ok) {
        auto next = rest.find(';');
        auto prop = NormalizeProperty(rest.substr(0, next));
        if (!prop)
          ok = false;
        else
          properties.append(properties.empty() ? "" : ";").append(*prop);
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + 1);
      }
    }
    if (!ok) continue;
    // Limits: a member beyond them is dropped (section 3.3.1).
    if (members + 1 > Baggage::kMaxMembers || bytes + member.size() > Baggage::kMaxBytes) break;
    ++members;
    bytes += member.size() + 1;
    baggage = baggage.Set(key, *value, properties);
  }
  return baggage;
}

std::string FormatBaggage(const Baggage& baggage) {
  std::string out, member;
  std::size_t members = 0;
  for (const auto& e : baggage.entries()) {
    if (!IsToken(e.key)) continue;
    member.assign(e.key).push_back('=');
    EncodeValue(e.value, member);
    if (!e.properties.empty()) member.append(";").append(e.properties);
    std::size_t size = out.size() + (out.empty() ? 0 : 1) + member.size();
    if (members == Baggage::kMaxMembers) break;
    if (size > Baggage::kMaxBytes) continue;  // too big: skip it, smaller ones may still fit
    if (!out.empty()) out.push_back(',');
    out += member;
    ++members;
  }
  return out;
}

Context W3CBaggagePropagator::Extract(const TextMapCarrier& carrier, Context base) const noexcept {
  try {
    if (auto header = carrier.Get("baggage")) base.baggage = ParseBaggage(*header);
  } catch (...) {
  }
  return base;
}

void W3CBaggagePropagator::Inject(const Context& context, TextMapCarrier& carrier) const noexcept {
  if (context.baggage.empty()) return;
  try {
    std::string header = FormatBaggage(context.baggage);
    if (!header.empty()) carrier.Set("baggage", header);
  } catch (...) {
  }
}

}  // namespace blogtrace::telemetry
