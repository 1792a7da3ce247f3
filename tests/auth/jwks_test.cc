#include "auth/jwks.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "auth/base64url.h"
#include "auth/jws.h"
#include "auth/jwt.h"
#include "test_keys.h"

namespace blogtrace::auth {
namespace {

struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
  void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
};

// An RSA public key built from nothing but a JWK's base64url n and e.
PkeyPtr RsaPublicKeyFromJwk(const std::string& n_b64, const std::string& e_b64) {
  const auto n_bytes = Base64UrlDecode(n_b64);
  const auto e_bytes = Base64UrlDecode(e_b64);
  if (!n_bytes || !e_bytes) return nullptr;
  BignumPtr n(BN_bin2bn(reinterpret_cast<const unsigned char*>(n_bytes->data()),
                        static_cast<int>(n_bytes->size()), nullptr));
  BignumPtr e(BN_bin2bn(reinterpret_cast<const unsigned char*>(e_bytes->data()),
                        static_cast<int>(e_bytes->size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, ParamBldDeleter> params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return PkeyPtr(raw);
}

TEST(JwksTest, DocumentHoldsExactlyThePublicJwk) {
  const KeyPair& keys = testing::TestKeys();
  const nlohmann::json doc = JwksDocument(keys);
  ASSERT_TRUE(doc["keys"].is_array());
  ASSERT_EQ(doc["keys"].size(), 1u);
  const auto& key = doc["keys"][0];
  std::set<std::string> members;
  for (const auto& [name, value] : key.items()) members.insert(name);
  EXPECT_EQ(members, (std::set<std::string>{"kty", "n", "e", "kid", "use", "alg"}));
  EXPECT_EQ(key["kty"], "RSA");
  EXPECT_EQ(key["use"], "sig");
  EXPECT_EQ(key["alg"], "RS256");
  EXPECT_EQ(key["kid"], keys.kid());
  EXPECT_EQ(key["e"], "AQAB");
  const auto n = Base64UrlDecode(key["n"].get<std::string>());
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->size(), 256u);
  EXPECT_NE((*n)[0], '\0') << "leading zero byte in n";
}

TEST(JwksTest, NAndEReconstructAKeyThatVerifiesTokens) {
  const KeyPair& keys = testing::TestKeys();
  const nlohmann::json doc = JwksDocument(keys);
  const auto& key = doc["keys"][0];
  PkeyPtr rebuilt = RsaPublicKeyFromJwk(key["n"], key["e"]);
  ASSERT_NE(rebuilt, nullptr);
  auto verify_only = KeyPair::FromPublicKey(std::move(rebuilt));
  ASSERT_TRUE(verify_only.ok()) << verify_only.error().message;
  EXPECT_EQ(verify_only->kid(), keys.kid());

  ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1'750'000'000)));
  JwtSigner signer(keys, std::chrono::seconds(60), clock);
  JwtVerifier verifier(*verify_only, clock);
  auto token = signer.Sign("u", "alice", "READ");
  ASSERT_TRUE(token.ok());
  auto result = verifier.Verify(*token);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.reason());
}

TEST(JwksTest, KidIsTheRfc7638Thumbprint) {
  // RFC 7638 section 3.1: this key's SHA-256 thumbprint.
  const std::string n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
      "BJECPeb"
      "WKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
      "FDW2QvzqY368"
      "QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4l"
      "Fd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
  PkeyPtr key = RsaPublicKeyFromJwk(n, "AQAB");
  ASSERT_NE(key, nullptr);
  auto pair = KeyPair::FromPublicKey(std::move(key));
  ASSERT_TRUE(pair.ok()) << pair.error().message;
  EXPECT_EQ(pair->kid(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_EQ(JwksDocument(*pair)["keys"][0]["n"], n);
}

}  // namespace
}  // namespace blogtrace::auth
