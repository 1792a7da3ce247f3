#include "auth/jwt_verifier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/base64url.h"
#include "auth/jws.h"

namespace blogtrace::auth {
namespace {

using nlohmann::json;

// SAX pass that refuses duplicate member names anywhere in a document. JSON leaves duplicates
// undefined and parsers disagree on them (first wins, last wins), which an attacker could use
// to make two components read different claims; RFC 7515 4 allows refusing them.
class DuplicateKeyDetector final : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    stack_.emplace_back(true, std::set<std::string>{});
    return true;
  }
  bool key(string_t& name) override {
    return stack_.back().second.insert(name).second;  // false aborts the parse
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    stack_.emplace_back(false, std::set<std::string>{});
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  std::vector<std::pair<bool, std::set<std::string>>> stack_;
};

// A JSON object from a base64url segment, or nullopt (bad base64url, bad JSON or UTF-8,
// duplicate names, not an object).
std::optional<json> DecodeObject(std::string_view segment) {
  auto text = Base64UrlDecode(segment);
  if (!text) return std::nullopt;
  DuplicateKeyDetector detector;
  if (!json::sax_parse(*text, &detector, nlohmann::detail::input_format_t::json, true, false)) {
    return std::nullopt;
  }
  json value = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return std::nullopt;
  return value;
}

enum class Lookup { kAbsent, kBad, kOk };

// A NumericDate claim (RFC 7519 2: seconds, possibly fractional, floored here).
Lookup NumericDate(const json& payload, const char* name, std::int64_t* out) {
  const auto it = payload.find(name);
  if (it == payload.end()) return Lookup::kAbsent;
  if (it->is_number_integer() && !it->is_number_unsigned()) {
    *out = it->get<std::int64_t>();
    return Lookup::kOk;
  }
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return Lookup::kBad;
    *out = static_cast<std::int64_t>(v);
    return Lookup::kOk;
  }
  if (it->is_number_float()) {
    const double v = std::floor(it->get<double>());
    // 2^62 is far beyond any date and keeps the conversion exact and in range.
    if (!std::isfinite(v) || std::fabs(v) > 4.6e18) return Lookup::kBad;
    *out = static_cast<std::int64_t>(v);
    return Lookup::kOk;
  }
  return Lookup::kBad;
}

// A string claim; kBad when present but not a string.
Lookup StringClaim(const json& payload, const char* name, std::string* out) {
  const auto it = payload.find(name);
  if (it == payload.end()) return Lookup::kAbsent;
  if (!it->is_string()) return Lookup::kBad;
  *out = it->get<std::string>();
  return Lookup::kOk;
}

// The header's failure, or nullopt when it is acceptable.
std::optional<JwtFailure> CheckHeader(const json& header, const std::string& kid) {
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get_ref<const std::string&>() != "RS256") {
    return JwtFailure::kBadAlgorithm;
  }
  // We implement no extensions, so any crit list names one we do not understand (RFC 7515 4.1.11).
  if (header.contains("crit")) return JwtFailure::kCritHeader;
  const auto typ = header.find("typ");
  if (typ != header.end() && !(typ->is_string() && typ->get_ref<const std::string&>() == "JWT")) {
    return JwtFailure::kMalformed;
  }
  const auto key_id = header.find("kid");
  if (key_id == header.end() || !key_id->is_string() ||
      key_id->get_ref<const std::string&>() != kid) {
    return JwtFailure::kUnknownKid;
  }
  // jku, x5u, x5c and jwk are deliberately never read: the only key is the configured one.
  return std::nullopt;
}

}  // namespace

JwtVerifier::JwtVerifier(const KeyPair& keys, const Clock& clock, JwtVerifierOptions options)
    : keys_(keys), clock_(clock), options_(std::move(options)) {
  options_.leeway = std::clamp(options_.leeway, std::chrono::seconds(0), kMaxLeeway);
}

JwtVerifyResult JwtVerifier::Verify(std::string_view token) const noexcept try {
  if (token.empty() || token.size() > kMaxTokenBytes) return JwtFailure::kMalformed;
  // The whole token's syntax first, so a broken payload reads as malformed, not as a bad
  // signature. Exact decoding of each segment follows.
  if (!std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
      })) {
    return JwtFailure::kMalformed;
  }
  const std::size_t dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return JwtFailure::kMalformed;
  const std::size_t dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return JwtFailure::kMalformed;
  }
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);
  if (header_b64.empty() || payload_b64.empty()) return JwtFailure::kMalformed;

  const auto header = DecodeObject(header_b64);
  if (!header) return JwtFailure::kMalformed;
  if (auto failure = CheckHeader(*header, keys_.kid())) return *failure;

  // The signature before the payload: nothing unauthenticated is interpreted further.
  const auto signature = Base64UrlDecode(signature_b64);
  if (!signature) return JwtFailure::kMalformed;
  if (!VerifyRs256(keys_.public_key(), token.substr(0, dot2), *signature)) {
    return JwtFailure::kBadSignature;
  }

  const auto payload = DecodeObject(payload_b64);
  if (!payload) return JwtFailure::kMalformed;

  Claims claims;
  switch (NumericDate(*payload, "exp", &claims.exp)) {
    case Lookup::kAbsent:
      return JwtFailure::kMissingExp;
    case Lookup::kBad:
      return JwtFailure::kBadClaims;
    case Lookup::kOk:
      break;
  }
  if (NumericDate(*payload, "iat", &claims.iat) != Lookup::kOk) return JwtFailure::kBadClaims;
  std::int64_t nbf = 0;
  switch (NumericDate(*payload, "nbf", &nbf)) {
    case Lookup::kAbsent:
      break;
    case Lookup::kBad:
      return JwtFailure::kBadClaims;
    case Lookup::kOk:
      claims.nbf = nbf;
      break;
  }

  switch (StringClaim(*payload, "iss", &claims.iss)) {
    case Lookup::kAbsent:
      return JwtFailure::kWrongIssuer;
    case Lookup::kBad:
      return JwtFailure::kBadClaims;
    case Lookup::kOk:
      if (claims.iss != options_.issuer) return JwtFailure::kWrongIssuer;
      break;
  }

  const auto aud = payload->find("aud");
  if (aud == payload->end()) return JwtFailure::kWrongAudience;
  if (aud->is_string()) {
    if (aud->get_ref<const std::string&>() != options_.audience) return JwtFailure::kWrongAudience;
  } else if (aud->is_array()) {
    bool found = false;
    for (const auto& a : *aud) {
      if (!a.is_string()) return JwtFailure::kBadClaims;
      found = found || a.get_ref<const std::string&>() == options_.audience;
    }
    if (!found) return JwtFailure::kWrongAudience;
  } else {
    return JwtFailure::kBadClaims;
  }
  claims.aud = options_.audience;

  // RFC 7519 4.1.4: valid only before exp; the leeway absorbs clock skew between hosts.
  const std::int64_t now =
      std::chrono::floor<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  const std::int64_t leeway = options_.leeway.count();
  if (now - leeway >= claims.exp) return JwtFailure::kExpired;
  if (claims.nbf && *claims.nbf > now + leeway) return JwtFailure::kNotYetValid;
  if (claims.iat > now + leeway) return JwtFailure::kIssuedInFuture;

  if (StringClaim(*payload, "sub", &claims.sub) != Lookup::kOk || claims.sub.empty()) {
    return JwtFailure::kBadClaims;
  }
  if (StringClaim(*payload, "name", &claims.name) != Lookup::kOk) return JwtFailure::kBadClaims;
  if (StringClaim(*payload, "permission", &claims.permission) != Lookup::kOk ||
      (claims.permission != "READ" && claims.permission != "WRITE")) {
    return JwtFailure::kBadClaims;
  }
  if (StringClaim(*payload, "jti", &claims.jti) == Lookup::kBad) return JwtFailure::kBadClaims;
  return claims;
} catch (...) {
  // Allocation failure or a JSON surprise: refuse, never crash the caller.
  return JwtFailure::kMalformed;
}

}  // namespace blogtrace::auth
