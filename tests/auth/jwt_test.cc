#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "auth/base64url.h"
#include "auth/jwks.h"
#include "auth/jws.h"
#include "auth/jwt.h"
#include "test_keys.h"

namespace blogtrace::auth {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr std::int64_t kNow = 1'750'000'000;

std::vector<std::string> Segments(const std::string& token) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = token.find('.', start);
    out.push_back(token.substr(start, dot - start));
    if (dot == std::string::npos) return out;
    start = dot + 1;
  }
}

json DecodeSegment(const std::string& segment) {
  return json::parse(Base64UrlDecode(segment).value());
}

class JwtTest : public ::testing::Test {
 protected:
  ManualClock clock_{std::chrono::system_clock::time_point(seconds(kNow))};
  const KeyPair& keys_ = testing::TestKeys();
  JwtSigner signer_{keys_, seconds(3600), clock_};
  JwtVerifier verifier_{keys_, clock_};

  json Header() const { return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", keys_.kid()}}; }
  static json Payload() {
    return {{"iss", "blog-authen"},  {"aud", "blog"}, {"sub", "user-1"},    {"name", "alice"},
            {"permission", "WRITE"}, {"iat", kNow},   {"exp", kNow + 3600}, {"jti", "id-1"}};
  }
  // A token with exactly these header and payload texts, RS256-signed by `keys`.
  static std::string Craft(const std::string& header, const std::string& payload,
                           const KeyPair& keys = testing::TestKeys()) {
    auto token = SignRs256Compact(keys, header, payload);
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : std::string();
  }
  static std::string Craft(const json& header, const json& payload,
                           const KeyPair& keys = testing::TestKeys()) {
    return Craft(header.dump(), payload.dump(), keys);
  }
  // A token with the given header and payload and an HS256 signature keyed with `secret`.
  static std::string CraftHs256(const json& header, const json& payload,
                                const std::string& secret) {
    std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_len);
    return input + "." +
           Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
  }

  void ExpectRefused(std::string_view token, JwtFailure expected, const std::string& what) {
    auto result = verifier_.Verify(token);
    ASSERT_FALSE(result.ok()) << what << " was accepted";
    EXPECT_EQ(result.reason(), JwtFailureName(expected)) << what;
    EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized) << what;
  }
  void ExpectAccepted(std::string_view token, const std::string& what) {
    auto result = verifier_.Verify(token);
    EXPECT_TRUE(result.ok()) << what << " refused: " << (result.ok() ? "" : result.reason());
  }
};

TEST_F(JwtTest, SignedTokenRoundTrips) {
  auto token = signer_.Sign("user-42", "alice", "READ");
  ASSERT_TRUE(token.ok()) << token.error().message;
  const auto parts = Segments(*token);
  ASSERT_EQ(parts.size(), 3u);

  const json header = DecodeSegment(parts[0]);
  EXPECT_EQ(header, (json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", keys_.kid()}}));
  const json payload = DecodeSegment(parts[1]);
  EXPECT_EQ(payload["iss"], "blog-authen");
  EXPECT_TRUE(payload["aud"].is_string());
  EXPECT_EQ(payload["aud"], "blog");
  EXPECT_EQ(payload["iat"], kNow);
  EXPECT_EQ(payload["exp"], kNow + 3600);
  EXPECT_EQ(Base64UrlDecode(parts[2]).value().size(), 256u);

  auto result = verifier_.Verify(*token);
  ASSERT_TRUE(result.ok()) << result.reason();
  const Claims& claims = result.claims();
  EXPECT_EQ(claims.sub, "user-42");
  EXPECT_EQ(claims.name, "alice");
  EXPECT_EQ(claims.permission, "READ");
  EXPECT_EQ(claims.iss, "blog-authen");
  EXPECT_EQ(claims.aud, "blog");
  EXPECT_EQ(claims.iat, kNow);
  EXPECT_EQ(claims.exp, kNow + 3600);
  EXPECT_FALSE(claims.nbf.has_value());
  EXPECT_EQ(claims.jti, payload["jti"].get<std::string>());
  EXPECT_TRUE(result.ToResult().ok());
}

TEST_F(JwtTest, JtiIsRandomAndNewForEverySign) {
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) {
    auto token = signer_.Sign("u", "alice", "WRITE");
    ASSERT_TRUE(token.ok());
    const std::string jti = DecodeSegment(Segments(*token)[1])["jti"];
    EXPECT_EQ(Base64UrlDecode(jti).value().size(), 16u);
    ids.insert(jti);
  }
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(JwtTest, SignerWithoutPrivateKeyFails) {
  auto pem = keys_.PublicKeyPem();
  auto verify_only = KeyPair::FromPublicKey([&] {
    BioPtr b(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    return PkeyPtr(PEM_read_bio_PUBKEY(b.get(), nullptr, nullptr, nullptr));
  }());
  ASSERT_TRUE(verify_only.ok());
  EXPECT_FALSE(verify_only->has_private_key());
  EXPECT_EQ(verify_only->kid(), keys_.kid());
  JwtSigner signer(*verify_only, seconds(60), clock_);
  auto token = signer.Sign("u", "alice", "READ");
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().code, ErrorCode::kInternal);
  // A verify-only pair verifies what the full pair signed.
  JwtVerifier verifier(*verify_only, clock_);
  EXPECT_TRUE(verifier.Verify(signer_.Sign("u", "alice", "READ").value()).ok());
}

TEST_F(JwtTest, SignerRefusesClaimsTheVerifierWouldRefuse) {
  EXPECT_FALSE(signer_.Sign("", "alice", "READ").ok());
  EXPECT_FALSE(signer_.Sign("u", "alice", "ADMIN").ok());
  EXPECT_FALSE(signer_.Sign("u", "alice", "read").ok());
  EXPECT_FALSE(signer_.Sign("u", "bad \xff utf-8", "READ").ok());
  auto unicode = signer_.Sign("u", "Zoë", "READ");
  ASSERT_TRUE(unicode.ok());
  EXPECT_EQ(verifier_.Verify(*unicode).claims().name, "Zoë");
}

TEST_F(JwtTest, SignAndVerifyFromManyThreadsAtOnce) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string sub = "user-" + std::to_string(t) + "-" + std::to_string(i);
        auto token = signer_.Sign(sub, "alice", "READ");
        if (!token.ok()) {
          ++failures;
          continue;
        }
        auto result = verifier_.Verify(*token);
        if (!result.ok() || result.claims().sub != sub) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(JwtTest, TamperedPayloadIsRefused) {
  auto token = signer_.Sign("user-1", "bob", "READ").value();
  auto parts = Segments(token);
  json payload = DecodeSegment(parts[1]);
  payload["permission"] = "WRITE";
  const std::string forged = parts[0] + "." + Base64UrlEncode(payload.dump()) + "." + parts[2];
  ExpectRefused(forged, JwtFailure::kBadSignature, "payload with WRITE swapped in");
}

TEST_F(JwtTest, TamperedSignatureIsRefused) {
  const auto token = signer_.Sign("user-1", "bob", "READ").value();
  const auto parts = Segments(token);
  const std::string signature = Base64UrlDecode(parts[2]).value();
  const std::string prefix = parts[0] + "." + parts[1] + ".";

  std::string flipped = signature;
  flipped[100] = static_cast<char>(flipped[100] ^ 0x01);
  ExpectRefused(prefix + Base64UrlEncode(flipped), JwtFailure::kBadSignature, "a flipped bit");
  ExpectRefused(prefix + Base64UrlEncode(signature.substr(0, 255)), JwtFailure::kBadSignature,
                "a 255-byte signature");
  ExpectRefused(prefix + Base64UrlEncode(std::string(1, '\0') + signature),
                JwtFailure::kBadSignature, "a 257-byte signature with a leading zero");
  ExpectRefused(prefix + Base64UrlEncode(std::string(256, '\0')), JwtFailure::kBadSignature,
                "all zero");
  ExpectRefused(prefix, JwtFailure::kBadSignature, "an empty signature");
  // A good signature under another header is no signature for this one.
  json header = Header();
  header["x"] = 1;
  ExpectRefused(Base64UrlEncode(header.dump()) + "." + parts[1] + "." + parts[2],
                JwtFailure::kBadSignature, "a changed header");
}

TEST_F(JwtTest, AlgNoneIsRefusedWithAndWithoutSignature) {
  const auto good_signature = Segments(Craft(Header(), Payload()))[2];
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    json header = Header();
    header["alg"] = alg;
    const std::string unsigned_token =
        Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(Payload().dump()) + ".";
    ExpectRefused(unsigned_token, JwtFailure::kBadAlgorithm, std::string("alg ") + alg);
    ExpectRefused(unsigned_token + good_signature, JwtFailure::kBadAlgorithm,
                  std::string("signed alg ") + alg);
    ExpectRefused(Craft(header, Payload()), JwtFailure::kBadAlgorithm,
                  std::string("RS256-signed alg ") + alg);
  }
}

TEST_F(JwtTest, Hs256WithThePublicKeyAsSecretIsRefused) {
  json header = Header();
  header["alg"] = "HS256";
  const std::string pem = keys_.PublicKeyPem();
  for (const auto& [what, secret] : std::vector<std::pair<std::string, std::string>>{
           {"public key PEM", pem},
           {"PEM without the final newline", pem.substr(0, pem.size() - 1)},
           {"public key DER", testing::PublicDer(keys_)},
           {"modulus", keys_.modulus()},
           {"empty secret", ""}}) {
    ExpectRefused(CraftHs256(header, Payload(), secret), JwtFailure::kBadAlgorithm,
                  "HS256 keyed with the " + what);
  }
}

TEST_F(JwtTest, EveryOtherAlgorithmIsRefused) {
  for (const json& alg :
       {json("RS384"), json("RS512"), json("PS256"), json("PS384"), json("ES256"), json("ES384"),
        json("EdDSA"), json("HS256"), json("HS512"), json("rs256"), json("RS256 "), json(""),
        json(256), json(nullptr), json::array({"RS256"})}) {
    json header = Header();
    header["alg"] = alg;
    ExpectRefused(Craft(header, Payload()), JwtFailure::kBadAlgorithm, "alg " + alg.dump());
  }
  json header = Header();
  header.erase("alg");
  ExpectRefused(Craft(header, Payload()), JwtFailure::kBadAlgorithm, "no alg");
}

TEST_F(JwtTest, ExpiryHonoursAtMostSixtySecondsOfLeeway) {
  struct Case {
    std::int64_t exp_offset;  // exp relative to now
    bool accepted;
  };
  for (const auto& c : {Case{3600, true}, Case{1, true}, Case{0, true}, Case{-30, true},
                        Case{-59, true}, Case{-60, false}, Case{-61, false}, Case{-3600, false}}) {
    json payload = Payload();
    payload["iat"] = kNow - 7200;
    payload["exp"] = kNow + c.exp_offset;
    const auto token = Craft(Header(), payload);
    const std::string what = "exp now" + std::to_string(c.exp_offset);
    if (c.accepted) {
      ExpectAccepted(token, what);
    } else {
      ExpectRefused(token, JwtFailure::kExpired, what);
    }
  }
}

TEST_F(JwtTest, LeewayIsClampedToSixtySecondsAndCanBeZero) {
  json payload = Payload();
  payload["iat"] = kNow - 7200;
  payload["exp"] = kNow - 120;
  JwtVerifier generous(keys_, clock_, {.leeway = seconds(600)});
  EXPECT_EQ(generous.Verify(Craft(Header(), payload)).reason(), "expired");

  JwtVerifier strict(keys_, clock_, {.leeway = seconds(0)});
  payload["exp"] = kNow;  // RFC 7519 4.1.4: now must be before exp
  EXPECT_EQ(strict.Verify(Craft(Header(), payload)).reason(), "expired");
  payload["exp"] = kNow + 1;
  EXPECT_TRUE(strict.Verify(Craft(Header(), payload)).ok());
}

TEST_F(JwtTest, IssuedTokenExpiresWithTheClock) {
  const auto token = signer_.Sign("u", "alice", "READ").value();
  clock_.Advance(seconds(3600 + 59));
  ExpectAccepted(token, "a token 59 s past exp");
  clock_.Advance(seconds(2));
  ExpectRefused(token, JwtFailure::kExpired, "a token 61 s past exp");
}

TEST_F(JwtTest, TimeClaimsAreChecked) {
  struct Case {
    const char* what;
    json nbf;  // null: absent
    json iat;
    std::optional<JwtFailure> failure;
  };
  const std::vector<Case> cases = {
      {"nbf now", kNow, kNow, std::nullopt},
      {"nbf 59 s ahead", kNow + 59, kNow, std::nullopt},
      {"nbf 61 s ahead", kNow + 61, kNow, JwtFailure::kNotYetValid},
      {"nbf an hour ahead", kNow + 3000, kNow, JwtFailure::kNotYetValid},
      {"nbf as string", std::to_string(kNow), kNow, JwtFailure::kBadClaims},
      {"iat 30 s ahead", nullptr, kNow + 30, std::nullopt},
      {"iat 61 s ahead", nullptr, kNow + 61, JwtFailure::kIssuedInFuture},
      {"iat as string", nullptr, std::to_string(kNow), JwtFailure::kBadClaims},
      {"iat as bool", nullptr, true, JwtFailure::kBadClaims},
      {"iat fractional", nullptr, kNow + 0.5, std::nullopt},
  };
  for (const auto& c : cases) {
    json payload = Payload();
    if (!c.nbf.is_null()) payload["nbf"] = c.nbf;
    payload["iat"] = c.iat;
    const auto token = Craft(Header(), payload);
    if (c.failure) {
      ExpectRefused(token, *c.failure, c.what);
    } else {
      ExpectAccepted(token, c.what);
    }
  }
  json payload = Payload();
  payload.erase("iat");
  ExpectRefused(Craft(Header(), payload), JwtFailure::kBadClaims, "no iat");
  payload = Payload();
  payload["nbf"] = kNow - 10;
  auto accepted = verifier_.Verify(Craft(Header(), payload));
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted.claims().nbf, kNow - 10);
}

TEST_F(JwtTest, ExpMustBePresentAndNumeric) {
  json payload = Payload();
  payload.erase("exp");
  ExpectRefused(Craft(Header(), payload), JwtFailure::kMissingExp, "no exp");
  for (const json& exp :
       {json(std::to_string(kNow + 3600)), json(true), json(nullptr), json::array({kNow + 3600}),
        json::object(), json(1e300), json(-1e300), json(std::uint64_t{1} << 63)}) {
    payload["exp"] = exp;
    ExpectRefused(Craft(Header(), payload), JwtFailure::kBadClaims, "exp " + exp.dump());
  }
  payload["exp"] = kNow + 100.75;  // NumericDate may be fractional
  auto result = verifier_.Verify(Craft(Header(), payload));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.claims().exp, kNow + 100);
}

TEST_F(JwtTest, IssuerAndAudienceMustBeOurs) {
  struct Case {
    const char* what;
    const char* claim;
    json value;  // null: erase the claim
    std::optional<JwtFailure> failure;
  };
  const std::vector<Case> cases = {
      {"wrong iss", "iss", "evil-authen", JwtFailure::kWrongIssuer},
      {"iss in another case", "iss", "Blog-Authen", JwtFailure::kWrongIssuer},
      {"no iss", "iss", nullptr, JwtFailure::kWrongIssuer},
      {"iss as array", "iss", json::array({"blog-authen"}), JwtFailure::kBadClaims},
      {"wrong aud", "aud", "shop", JwtFailure::kWrongAudience},
      {"aud in another case", "aud", "Blog", JwtFailure::kWrongAudience},
      {"no aud", "aud", nullptr, JwtFailure::kWrongAudience},
      {"aud array with blog", "aud", json::array({"other", "blog"}), std::nullopt},
      {"aud array of blog only", "aud", json::array({"blog"}), std::nullopt},
      {"aud array without blog", "aud", json::array({"other", "shop"}), JwtFailure::kWrongAudience},
      {"empty aud array", "aud", json::array(), JwtFailure::kWrongAudience},
      {"aud array with a number", "aud", json::array({"blog", 1}), JwtFailure::kBadClaims},
      {"aud as number", "aud", 5, JwtFailure::kBadClaims},
  };
  for (const auto& c : cases) {
    json payload = Payload();
    if (c.value.is_null()) {
      payload.erase(c.claim);
    } else {
      payload[c.claim] = c.value;
    }
    const auto token = Craft(Header(), payload);
    if (c.failure) {
      ExpectRefused(token, *c.failure, c.what);
    } else {
      ExpectAccepted(token, c.what);
    }
  }
}

TEST_F(JwtTest, SubjectNameAndPermissionMustBeWellTyped) {
  struct Case {
    const char* what;
    const char* claim;
    json value;  // null: erase
  };
  const std::vector<Case> cases = {
      {"empty sub", "sub", ""},
      {"numeric sub", "sub", 42},
      {"no sub", "sub", nullptr},
      {"no name", "name", nullptr},
      {"numeric name", "name", 1},
      {"no permission", "permission", nullptr},
      {"ADMIN", "permission", "ADMIN"},
      {"lower-case read", "permission", "read"},
      {"permission array", "permission", json::array({"READ"})},
      {"numeric jti", "jti", 7},
  };
  for (const auto& c : cases) {
    json payload = Payload();
    if (c.value.is_null()) {
      payload.erase(c.claim);
    } else {
      payload[c.claim] = c.value;
    }
    ExpectRefused(Craft(Header(), payload), JwtFailure::kBadClaims, c.what);
  }
  json payload = Payload();
  payload.erase("jti");
  ExpectAccepted(Craft(Header(), payload), "a token without jti");
}

TEST_F(JwtTest, KidMustBeOurs) {
  json header = Header();
  header["kid"] = testing::OtherKeys().kid();
  ExpectRefused(Craft(header, Payload()), JwtFailure::kUnknownKid, "another key's kid");
  header["kid"] = "";
  ExpectRefused(Craft(header, Payload()), JwtFailure::kUnknownKid, "empty kid");
  header["kid"] = 1;
  ExpectRefused(Craft(header, Payload()), JwtFailure::kUnknownKid, "numeric kid");
  header.erase("kid");
  ExpectRefused(Craft(header, Payload()), JwtFailure::kUnknownKid, "no kid");
}

TEST_F(JwtTest, CritHeaderIsRefused) {
  for (const json& crit : {json::array({"exp"}), json::array(), json("b64"), json(nullptr)}) {
    json header = Header();
    header["crit"] = crit;
    ExpectRefused(Craft(header, Payload()), JwtFailure::kCritHeader, "crit " + crit.dump());
  }
}

TEST_F(JwtTest, TypMustBeJwtWhenPresent) {
  json header = Header();
  header.erase("typ");
  ExpectAccepted(Craft(header, Payload()), "no typ");
  for (const json& typ : {json("at+jwt"), json("JOSE"), json(1)}) {
    header["typ"] = typ;
    ExpectRefused(Craft(header, Payload()), JwtFailure::kMalformed, "typ " + typ.dump());
  }
}

TEST_F(JwtTest, KeyHeadersAreNeverTrusted) {
  const KeyPair& attacker = testing::OtherKeys();
  const json attacker_jwk = JwksDocument(attacker)["keys"][0];
  // The attacker embeds their own key and signs with it: refused whichever kid they claim.
  json header = Header();
  header["jwk"] = attacker_jwk;
  ExpectRefused(Craft(header, Payload(), attacker), JwtFailure::kBadSignature,
                "attacker jwk with our kid");
  header["kid"] = attacker.kid();
  ExpectRefused(Craft(header, Payload(), attacker), JwtFailure::kUnknownKid,
                "attacker jwk with its own kid");
  for (const auto& [name, value] : std::vector<std::pair<std::string, json>>{
           {"jku", "https://attacker.example/jwks.json"},
           {"x5u", "https://attacker.example/cert.pem"},
           {"x5c", json::array({"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"})}}) {
    json with_key_header = Header();
    with_key_header[name] = value;
    ExpectRefused(Craft(with_key_header, Payload(), attacker), JwtFailure::kBadSignature,
                  name + " pointing at the attacker's key");
    // Signed by our key, the header is simply ignored (never fetched).
    ExpectAccepted(Craft(with_key_header, Payload()), name + " on a token we signed");
  }
}

TEST_F(JwtTest, TokenFromAnotherKeyPairIsRefused) {
  JwtSigner other(testing::OtherKeys(), seconds(3600), clock_);
  ExpectRefused(other.Sign("u", "alice", "WRITE").value(), JwtFailure::kUnknownKid,
                "another pair's token");
  ExpectRefused(Craft(Header(), Payload(), testing::OtherKeys()), JwtFailure::kBadSignature,
                "another pair's signature under our kid");
}

TEST_F(JwtTest, GarbageIsMalformed) {
  const auto good = Craft(Header(), Payload());
  const auto parts = Segments(good);
  const std::string& h = parts[0];
  const std::string& p = parts[1];
  const std::string& s = parts[2];
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"one segment", h},
      {"two segments", h + "." + p},
      {"four segments", good + "." + s},
      {"empty segment at the end after four", good + "."},
      {"dots only", ".."},
      {"empty header", "." + p + "." + s},
      {"empty payload", h + ".." + s},
      {"padding", h + "=." + p + "." + s},
      {"padding in signature", h + "." + p + "." + s + "="},
      {"standard base64 characters", h + "." + p + "." + s.substr(0, 10) + "+" + s.substr(11)},
      {"space inside", h + ". " + p + "." + s},
      {"leading space", " " + good},
      {"trailing newline", good + "\n"},
      {"tab", h + "\t." + p + "." + s},
      {"non-JSON header", Base64UrlEncode("not json") + "." + p + "." + s},
      {"header is an array", Base64UrlEncode("[1,2]") + "." + p + "." + s},
      {"header is a string", Base64UrlEncode("\"RS256\"") + "." + p + "." + s},
      {"header with trailing garbage", Base64UrlEncode(Header().dump() + "x") + "." + p + "." + s},
      {"NUL in token", h + "." + p + std::string(1, '\0') + "." + s},
      {"over 8 KiB", h + "." + std::string(kMaxTokenBytes, 'A') + "." + s},
  };
  for (const auto& [what, token] : cases) ExpectRefused(token, JwtFailure::kMalformed, what);
}

TEST_F(JwtTest, SignedButUnparsablePayloadIsMalformed) {
  const std::string header = Header().dump();
  ExpectRefused(Craft(header, "not json"), JwtFailure::kMalformed, "non-JSON payload");
  ExpectRefused(Craft(header, "[]"), JwtFailure::kMalformed, "array payload");
  ExpectRefused(Craft(header, "{\"sub\":\"\xff\"}"), JwtFailure::kMalformed, "invalid UTF-8");
  // Duplicate names: parsers disagree which one wins, so neither does.
  std::string dup = Payload().dump();
  dup.insert(1, "\"permission\":\"READ\",");
  ExpectRefused(Craft(header, dup), JwtFailure::kMalformed, "duplicate permission");
  std::string dup_header = Header().dump();
  dup_header.insert(1, "\"alg\":\"none\",");
  ExpectRefused(Craft(dup_header, Payload().dump()), JwtFailure::kMalformed, "duplicate alg");
}

TEST_F(JwtTest, DeeplyNestedTokensDoNotCrash) {
  // As deep as fits in the size cap: refused or accepted, but the verifier survives.
  json payload = Payload();
  std::string text = payload.dump();
  text.pop_back();
  text += ",\"deep\":" + std::string(2500, '[') + std::string(2500, ']') + "}";
  auto deep = Craft(Header().dump(), text);
  ASSERT_LE(deep.size(), kMaxTokenBytes);
  ExpectAccepted(deep, "extra nested claim");
  std::string unbalanced = Payload().dump();
  unbalanced.pop_back();
  unbalanced += ",\"deep\":" + std::string(5000, '[');
  auto broken = Craft(Header().dump(), unbalanced);
  EXPECT_FALSE(verifier_.Verify(broken).ok());
}

TEST_F(JwtTest, ErrorsAreGenericAndNeverEchoTheToken) {
  auto token = signer_.Sign("u", "alice", "READ").value();
  clock_.Advance(seconds(7200));
  auto result = verifier_.Verify(token);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.reason(), "expired");
  EXPECT_EQ(result.error().code, ErrorCode::kUnauthorized);
  EXPECT_EQ(result.error().message.find(token.substr(0, 20)), std::string::npos);
  auto as_result = result.ToResult();
  ASSERT_FALSE(as_result.ok());
  EXPECT_EQ(as_result.error().code, ErrorCode::kUnauthorized);
}

TEST(JwtFailureNameTest, NamesAreDistinctSnakeCase) {
  const std::vector<std::pair<JwtFailure, std::string_view>> expected = {
      {JwtFailure::kMalformed, "malformed"},
      {JwtFailure::kBadAlgorithm, "bad_algorithm"},
      {JwtFailure::kBadSignature, "bad_signature"},
      {JwtFailure::kExpired, "expired"},
      {JwtFailure::kNotYetValid, "not_yet_valid"},
      {JwtFailure::kIssuedInFuture, "issued_in_future"},
      {JwtFailure::kMissingExp, "missing_exp"},
      {JwtFailure::kWrongIssuer, "wrong_issuer"},
      {JwtFailure::kWrongAudience, "wrong_audience"},
      {JwtFailure::kUnknownKid, "unknown_kid"},
      {JwtFailure::kCritHeader, "crit_header"},
      {JwtFailure::kBadClaims, "bad_claims"},
  };
  for (const auto& [failure, name] : expected) EXPECT_EQ(JwtFailureName(failure), name);
}

}  // namespace
}  // namespace blogtrace::auth
