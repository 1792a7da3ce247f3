#include "auth/jws.h"

#include <openssl/rsa.h>

#include "auth/base64url.h"

namespace blogtrace::auth {

Result<std::string> SignRs256(EVP_PKEY* private_key, std::string_view signing_input) {
  if (private_key == nullptr) return Error::Internal("no private key to sign with");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, private_key) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return Error::Internal("cannot set up RS256 signing");
  }
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (EVP_DigestSign(ctx.get(), nullptr, &size, data, signing_input.size()) != 1) {
    return Error::Internal("RS256 signing failed");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                     signing_input.size()) != 1) {
    return Error::Internal("RS256 signing failed");
  }
  signature.resize(size);
  return signature;
}

Result<std::string> SignRs256Compact(const KeyPair& keys, std::string_view header_json,
                                     std::string_view payload_json) {
  std::string token = Base64UrlEncode(header_json);
  token += '.';
  token += Base64UrlEncode(payload_json);
  auto signature = SignRs256(keys.private_key(), token);
  if (!signature.ok()) return std::move(signature).error();
  token += '.';
  token += Base64UrlEncode(*signature);
  return token;
}

bool VerifyRs256(EVP_PKEY* public_key, std::string_view signing_input,
                 std::string_view signature) noexcept {
  if (public_key == nullptr) return false;
  // PKCS#1 v1.5 signatures are exactly the modulus' length; refuse anything else up front.
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(public_key))) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, public_key) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

}  // namespace blogtrace::auth
