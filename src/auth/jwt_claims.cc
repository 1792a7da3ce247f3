#include "auth/jwt_claims.h"

namespace blogtrace::auth {

std::string_view JwtFailureName(JwtFailure failure) noexcept {
  switch (failure) {
    case JwtFailure::kMalformed:
      return "malformed";
    case JwtFailure::kBadAlgorithm:
      return "bad_algorithm";
    case JwtFailure::kBadSignature:
      return "bad_signature";
    case JwtFailure::kExpired:
      return "expired";
    case JwtFailure::kNotYetValid:
      return "not_yet_valid";
    case JwtFailure::kIssuedInFuture:
      return "issued_in_future";
    case JwtFailure::kMissingExp:
      return "missing_exp";
    case JwtFailure::kWrongIssuer:
      return "wrong_issuer";
    case JwtFailure::kWrongAudience:
      return "wrong_audience";
    case JwtFailure::kUnknownKid:
      return "unknown_kid";
    case JwtFailure::kCritHeader:
      return "crit_header";
    case JwtFailure::kBadClaims:
      return "bad_claims";
  }
  return "unknown";
}

}  // namespace blogtrace::auth
