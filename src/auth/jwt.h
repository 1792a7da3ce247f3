// The RS256 JWT API in one include: claims and failure reasons, signer, verifier.
#pragma once

#include "auth/jwt_claims.h"    // IWYU pragma: export
#include "auth/jwt_signer.h"    // IWYU pragma: export
#include "auth/jwt_verifier.h"  // IWYU pragma: export
