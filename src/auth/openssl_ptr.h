// RAII owners for the OpenSSL handles the auth library uses. Every EVP_PKEY, EVP_MD_CTX,
// EVP_PKEY_CTX, BIO and BIGNUM is held by one of these, so no exit path leaks a handle.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <memory>

namespace blogtrace::auth {

// Deleter calling the matching OpenSSL free function.
struct OpenSslDeleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free_all(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
};

// Owning pointers. Null means "none".
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter>;

}  // namespace blogtrace::auth
