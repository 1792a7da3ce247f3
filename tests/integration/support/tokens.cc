#include "tokens.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/base64url.h"
#include "auth/jwks.h"
#include "auth/jws.h"

namespace blogtrace::testing {

nlohmann::json DecodeSegment(const std::string& token, int index) {
  std::size_t start = 0;
  for (int i = 0; i < index; ++i) {
    start = token.find('.', start);
    if (start == std::string::npos) return nullptr;
    ++start;
  }
  auto end = token.find('.', start);
  auto decoded = auth::Base64UrlDecode(token.substr(start, end - start));
  if (!decoded) return nullptr;
  return nlohmann::json::parse(*decoded, nullptr, false);
}

TokenForge::TokenForge(const std::string& data_dir) {
  auto keys = auth::LoadPrivateKey(data_dir + "/jwt-private.pem");
  if (keys) keys_.emplace(std::move(keys.value()));
  auto stranger = auth::GenerateKeyPair();
  if (stranger) stranger_.emplace(std::move(stranger.value()));
}

std::string TokenForge::kid() const { return keys_->kid(); }

std::string TokenForge::Sign(const nlohmann::json& header, const nlohmann::json& claims) const {
  auto token = auth::SignRs256Compact(*keys_, header.dump(), claims.dump());
  return token ? *token : "";
}

std::string TokenForge::SignWithStrangerKey(const nlohmann::json& header,
                                            const nlohmann::json& claims) const {
  auto token = auth::SignRs256Compact(*stranger_, header.dump(), claims.dump());
  return token ? *token : "";
}

nlohmann::json TokenForge::StrangerJwk() const { return auth::JwksDocument(*stranger_)["keys"][0]; }

std::string TokenForge::Unsigned(const nlohmann::json& header, const nlohmann::json& claims) const {
  return auth::Base64UrlEncode(header.dump()) + "." + auth::Base64UrlEncode(claims.dump()) + ".";
}

std::string TokenForge::Hs256WithPublicKey(const nlohmann::json& header,
                                           const nlohmann::json& claims) const {
  std::string input =
      auth::Base64UrlEncode(header.dump()) + "." + auth::Base64UrlEncode(claims.dump());
  std::string secret = keys_->PublicKeyPem();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." +
         auth::Base64UrlEncode(std::string(reinterpret_cast<const char*>(mac), length));
}

std::string TokenForge::Tampered(const nlohmann::json& header, const nlohmann::json& claims) const {
  nlohmann::json read = claims;
  read["permission"] = "READ";
  std::string token = Sign(header, read);
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  nlohmann::json write = claims;
  write["permission"] = "WRITE";
  return token.substr(0, first + 1) + auth::Base64UrlEncode(write.dump()) + token.substr(second);
}

}  // namespace blogtrace::testing
