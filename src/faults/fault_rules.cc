#include "faults/fault_rules.h"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace blogtrace::faults {
namespace {

using std::chrono::microseconds;

constexpr microseconds kMaxDelay = std::chrono::seconds(60);
constexpr std::array<std::string_view, 5> kStoreOps = {"list", "get", "insert", "find_user",
                                                       "insert_user"};
constexpr std::array<std::string_view, 2> kUpstreams = {"user", "author"};
constexpr std::array<std::string_view, 7> kMethods = {"GET",   "POST", "PUT",    "DELETE",
                                                      "PATCH", "HEAD", "OPTIONS"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

template <std::size_t N>
bool OneOf(std::string_view s, const std::array<std::string_view, N>& names) {
  for (std::string_view n : names) {
    if (s == n) return true;
  }
  return false;
}

// A non-negative decimal "12", "0.25", "1." or ".5" as a double; nullopt for anything else
// (no sign, exponent, hex, inf or nan). At most 32 characters, so the value stays exact enough.
std::optional<double> ParseDecimal(std::string_view s) {
  if (s.empty() || s.size() > 32) return std::nullopt;
  bool digit = false;
  bool dot = false;
  double value = 0;
  double scale = 1;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digit = true;
      if (dot) {
        scale /= 10;
        value += (c - '0') * scale;
      } else {
        value = value * 10 + (c - '0');
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;
    }
  }
  if (!digit) return std::nullopt;
  return value;
}

// "250ms", "1s", "1.5s" → microseconds; nullopt when malformed or over 60 s.
std::optional<microseconds> ParseDuration(std::string_view s) {
  double scale = 0;
  if (s.ends_with("ms")) {
    scale = 1e3;
    s.remove_suffix(2);
  } else if (s.ends_with("s")) {
    scale = 1e6;
    s.remove_suffix(1);
  } else {
    return std::nullopt;
  }
  auto value = ParseDecimal(s);
  if (!value || *value * scale > static_cast<double>(kMaxDelay.count())) return std::nullopt;
  return microseconds(static_cast<std::int64_t>(*value * scale + 0.5));
}

// Parses one trimmed, non-empty rule; the error says why without naming the rule (the caller
// adds it).
Result<FaultRule> ParseRule(std::string_view text) {
  FaultRule rule;
  rule.text = std::string(text);
  std::string_view rest = text;

  // The probability: after the last '@' (route templates hold none).
  if (std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view p = Trim(rest.substr(at + 1));
    auto value = ParseDecimal(p);
    if (!value || *value > 1.0) {
      return Error::BadRequest("probability '" + std::string(p) + "' is not a number from 0 to 1");
    }
    rule.probability = *value;
    rest = Trim(rest.substr(0, at));
  }

  std::size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return Error::BadRequest("expected <where>:<effect>, e.g. route=GET /blogs:error=500");
  }
  std::string_view where = Trim(rest.substr(0, colon));
  std::string_view effect = Trim(rest.substr(colon + 1));

  if (where.starts_with("route=")) {
    rule.site = FaultSiteKind::kRoute;
    std::string_view value = where.substr(6);
    std::size_t space = value.find(' ');
    if (space == std::string_view::npos) {
      return Error::BadRequest("a route is '<METHOD> <template>', e.g. route=GET /blogs");
    }
    std::string_view method = value.substr(0, space);
    std::string_view route = Trim(value.substr(space + 1));
    if (!OneOf(method, kMethods)) {
      return Error::BadRequest("unknown method '" + std::string(method) +
                               "' (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS)");
    }
    if (route.empty() || route.front() != '/' ||
        route.find_first_of(" \t") != std::string_view::npos) {
      return Error::BadRequest(
          "a route template starts with '/' and has no spaces, e.g. /blogs/{id}");
    }
    rule.method = std::string(method);
    rule.route = std::string(route);
  } else if (where.starts_with("store=")) {
    rule.site = FaultSiteKind::kStore;
    std::string_view op = where.substr(6);
    if (!OneOf(op, kStoreOps)) {
      return Error::BadRequest("unknown store operation '" + std::string(op) +
                               "' (list, get, insert, find_user, insert_user)");
    }
    rule.target = std::string(op);
  } else if (where.starts_with("upstream=")) {
    rule.site = FaultSiteKind::kUpstream;
    std::string_view upstream = where.substr(9);
    if (!OneOf(upstream, kUpstreams)) {
      return Error::BadRequest("unknown upstream '" + std::string(upstream) + "' (user, author)");
    }
    rule.target = std::string(upstream);
  } else {
    return Error::BadRequest(
        "unknown place '" + std::string(where) +
        "' (route=<METHOD> <template>, store=<operation>, upstream=<service>)");
  }

  if (effect.starts_with("delay=")) {
    rule.effect = FaultEffectKind::kDelay;
    std::string_view value = effect.substr(6);
    std::size_t dash = value.find('-');
    auto low = ParseDuration(Trim(value.substr(0, dash)));
    auto high = dash == std::string_view::npos ? low : ParseDuration(Trim(value.substr(dash + 1)));
    if (!low || !high) {
      return Error::BadRequest("delay '" + std::string(value) +
                               "' is not a duration like 250ms or 1s (at most 60s), or a range "
                               "like 100ms-2s");
    }
    if (*low > *high) {
      return Error::BadRequest("delay range '" + std::string(value) + "' ends before it starts");
    }
    rule.delay_min = *low;
    rule.delay_max = *high;
  } else if (effect.starts_with("error=")) {
    rule.effect = FaultEffectKind::kError;
    std::string_view value = effect.substr(6);
    int status = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), status);
    if (ec != std::errc() || end != value.data() + value.size() || value.size() != 3 ||
        status < 500 || status > 599) {
      return Error::BadRequest("error '" + std::string(value) + "' is not a 5xx status");
    }
    if (rule.site == FaultSiteKind::kStore && status != 500 && status != 503) {
      return Error::BadRequest("a store error is 500 (internal) or 503 (unavailable)");
    }
    rule.status = status;
  } else if (effect == "unreachable") {
    if (rule.site != FaultSiteKind::kUpstream) {
      return Error::BadRequest("'unreachable' applies to upstream=<service> only");
    }
    rule.effect = FaultEffectKind::kUnreachable;
  } else {
    return Error::BadRequest("unknown effect '" + std::string(effect) +
                             "' (delay=<duration>, delay=<min>-<max>, error=<5xx>, unreachable)");
  }
  return rule;
}

}  // namespace

Result<std::vector<FaultRule>> ParseFaultRules(std::string_view text) {
  std::vector<FaultRule> rules;
  while (true) {
    std::size_t semicolon = text.find(';');
    std::string_view piece = Trim(text.substr(0, semicolon));
    if (!piece.empty()) {
      if (rules.size() == kMaxFaultRules) {
        return Error::BadRequest("more than " + std::to_string(kMaxFaultRules) + " fault rules");
      }
      auto rule = ParseRule(piece);
      if (!rule) {
        std::string shown(piece.substr(0, 200));
        return Error::BadRequest("fault rule '" + shown + "': " + rule.error().message);
      }
      rules.push_back(std::move(*rule));
    }
    if (semicolon == std::string_view::npos) break;
    text.remove_prefix(semicolon + 1);
  }
  return rules;
}

std::string FormatFaultRules(const std::vector<FaultRule>& rules) {
  std::string out;
  for (const FaultRule& rule : rules) {
    if (!out.empty()) out += "; ";
    out += rule.text;
  }
  return out;
}

}  // namespace blogtrace::faults
