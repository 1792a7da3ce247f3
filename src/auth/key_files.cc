// Loading and first-start generation of the key files (key_pair.h).
#include <fcntl.h>
#include <openssl/decoder.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>

#include "auth/key_pair.h"

namespace blogtrace::auth {
namespace {

constexpr std::size_t kMaxKeyFileBytes = std::size_t{1024} * 1024;

struct DecoderCtxDeleter {
  void operator()(OSSL_DECODER_CTX* p) const noexcept { OSSL_DECODER_CTX_free(p); }
};
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, DecoderCtxDeleter>;

// Closes a file descriptor on every exit path.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now; false when close reports an error (data may not have reached the disk).
  bool Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

// "<label> <path>: <what>", the shape of every error here. Never holds file content.
Error FileError(std::string_view label, const std::string& path, std::string_view what) {
  std::string message(label);
  message += " ";
  message += path;
  message += ": ";
  message += what;
  return Error::Internal(std::move(message));
}

Result<std::string> ReadKeyFile(std::string_view label, const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return FileError(label, path, "file not found");
    if (errno == EACCES || errno == EPERM) return FileError(label, path, "file not readable");
    return FileError(label, path, "cannot open the file");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return FileError(label, path, "not a regular file");
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxKeyFileBytes) {
    return FileError(label, path, "file too large for a PEM key");
  }
  std::string content;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError(label, path, "file not readable");
    }
    if (n == 0) break;
    content.append(buf, static_cast<std::size_t>(n));
    if (content.size() > kMaxKeyFileBytes) {
      return FileError(label, path, "file too large for a PEM key");
    }
  }
  return content;
}

// Refuses to prompt for a passphrase: encrypted keys are not supported (services start
// unattended).
int NoPassphrase(char*, int, int, void*) { return -1; }

// Attaches `label path` to an error of KeyPair's checks (not RSA, too small).
Error WithFile(std::string_view label, const std::string& path, const Error& error) {
  return FileError(label, path, error.message);
}

Result<KeyPair> ParsePrivatePem(std::string_view label, const std::string& path,
                                const std::string& pem) {
  if (pem.find("-----BEGIN ") == std::string::npos) return FileError(label, path, "not a PEM file");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return FileError(label, path, "out of memory");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    return FileError(label, path, "not an unencrypted PEM private key");
  }
  auto pair = KeyPair::FromPrivateKey(std::move(key));
  if (!pair.ok()) return WithFile(label, path, pair.error());
  return pair;
}

Result<KeyPair> ParsePublicPem(std::string_view label, const std::string& path,
                               const std::string& pem) {
  if (pem.find("-----BEGIN ") == std::string::npos) return FileError(label, path, "not a PEM file");
  // The decoder accepts both SubjectPublicKeyInfo ("PUBLIC KEY") and PKCS#1 ("RSA PUBLIC KEY").
  EVP_PKEY* raw = nullptr;
  DecoderCtxPtr dctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, nullptr,
                                                   EVP_PKEY_PUBLIC_KEY, nullptr, nullptr));
  if (!dctx) return FileError(label, path, "cannot set up the PEM decoder");
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t len = pem.size();
  if (OSSL_DECODER_from_data(dctx.get(), &data, &len) != 1 || raw == nullptr) {
    EVP_PKEY_free(raw);
    return FileError(label, path, "not a PEM public key");
  }
  // FromPublicKey keeps only the public half, whatever the file held.
  auto pair = KeyPair::FromPublicKey(PkeyPtr(raw));
  if (!pair.ok()) return WithFile(label, path, pair.error());
  return pair;
}

Result<KeyPair> LoadPrivate(std::string_view label, const std::string& path) {
  auto pem = ReadKeyFile(label, path);
  if (!pem.ok()) return std::move(pem).error();
  return ParsePrivatePem(label, path, *pem);
}

Result<KeyPair> LoadPublic(std::string_view label, const std::string& path) {
  auto pem = ReadKeyFile(label, path);
  if (!pem.ok()) return std::move(pem).error();
  return ParsePublicPem(label, path, *pem);
}

std::string PrivateKeyPem(const KeyPair& pair) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pair.private_key(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    return {};
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// A fresh, exclusively created temp file name beside `final_path`.
std::string TempPathFor(const std::string& final_path) {
  unsigned char r[8];
  if (RAND_bytes(r, sizeof r) != 1) {
    for (auto& b : r) b = 0;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string suffix;
  for (unsigned char b : r) {
    suffix += kHex[b >> 4];
    suffix += kHex[b & 15];
  }
  const std::filesystem::path p(final_path);
  std::string name = ".";
  name += p.filename().string();
  name += '.';
  name += std::to_string(::getpid());
  name += '.';
  name += suffix;
  name += ".tmp";
  return (p.parent_path() / name).string();
}

// Writes `content` to a new temp file (mode `mode`) and fsyncs it; returns its path.
Result<std::string> WriteTemp(const std::string& final_path, const std::string& content,
                              mode_t mode) {
  const std::string temp = TempPathFor(final_path);
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (fd.get() < 0) return FileError("key file", final_path, "cannot create a temporary file");
  // The umask may only have removed bits; set the mode exactly.
  bool ok = ::fchmod(fd.get(), mode) == 0;
  std::size_t done = 0;
  while (ok && done < content.size()) {
    const ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      ok = false;
    else
      done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd.get()) == 0;
  ok = fd.Close() && ok;
  if (!ok) {
    ::unlink(temp.c_str());
    return FileError("key file", final_path, "cannot write the file");
  }
  return temp;
}

void SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() >= 0) ::fsync(fd.get());
}

// Publishes `temp` as `final_path` only if no file is there yet. Returns true when ours won,
// false when another process's file was already in place.
Result<bool> PublishExclusively(const std::string& temp, const std::string& final_path) {
  int rc = ::link(temp.c_str(), final_path.c_str());
  if (rc != 0 && (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS)) {
    // A file system without hard links: an exclusive rename does the same.
    rc = ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, final_path.c_str(), RENAME_NOREPLACE);
  }
  const int saved = errno;
  ::unlink(temp.c_str());
  if (rc == 0) return true;
  if (saved == EEXIST) return false;
  return FileError("DATA_DIR key file", final_path, "cannot create the file");
}

Result<KeyPair> LoadOrGenerateInDataDir(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Error::Internal("DATA_DIR " + data_dir + ": cannot create the directory");
  const std::string private_path = data_dir + "/jwt-private.pem";
  const std::string public_path = data_dir + "/jwt-public.pem";
  constexpr std::string_view kLabel = "DATA_DIR key file";

  if (::access(private_path.c_str(), F_OK) != 0 && errno == ENOENT) {
    auto generated = GenerateKeyPair(kGeneratedRsaBits);
    if (!generated.ok()) return std::move(generated).error();
    const std::string pem = PrivateKeyPem(*generated);
    if (pem.empty()) return Error::Internal("cannot encode the generated private key");
    auto temp = WriteTemp(private_path, pem, 0600);
    if (!temp.ok()) return std::move(temp).error();
    auto published = PublishExclusively(*temp, private_path);
    if (!published.ok()) return std::move(published).error();
    SyncDirectory(data_dir);
    // Won or lost, everyone reads the one file now in place, so all processes agree.
  }

  auto pair = LoadPrivate(kLabel, private_path);
  if (!pair.ok()) return pair;

  // The public file is derived from the private one; (re)write it when absent or stale.
  // rename() replaces it atomically, and every writer writes the same bytes.
  const std::string public_pem = pair->PublicKeyPem();
  auto existing = ReadKeyFile(kLabel, public_path);
  if (!existing.ok() || *existing != public_pem) {
    auto temp = WriteTemp(public_path, public_pem, 0644);
    if (!temp.ok()) return std::move(temp).error();
    if (::rename(temp->c_str(), public_path.c_str()) != 0) {
      ::unlink(temp->c_str());
      return FileError(kLabel, public_path, "cannot create the file");
    }
    SyncDirectory(data_dir);
  }
  return pair;
}

}  // namespace

Result<KeyPair> LoadPrivateKey(const std::string& path) {
  return LoadPrivate("private key file", path);
}

Result<KeyPair> LoadPublicKey(const std::string& path) {
  return LoadPublic("public key file", path);
}

Result<KeyPair> LoadOrGenerateKeyPair(const SystemConfig& config) {
  const std::string& private_path = config.jwt_private_key_path;
  const std::string& public_path = config.jwt_public_key_path;
  if (private_path.empty() && public_path.empty()) return LoadOrGenerateInDataDir(config.data_dir);
  if (private_path.empty()) return LoadPublic("JWT_PUBLIC_KEY", public_path);

  auto pair = LoadPrivate("JWT_PRIVATE_KEY", private_path);
  if (!pair.ok() || public_path.empty()) return pair;
  auto given_public = LoadPublic("JWT_PUBLIC_KEY", public_path);
  if (!given_public.ok()) return std::move(given_public).error();
  if (EVP_PKEY_eq(pair->public_key(), given_public->public_key()) != 1) {
    return FileError("JWT_PUBLIC_KEY", public_path,
                     "does not match the private key in JWT_PRIVATE_KEY " + private_path);
  }
  return pair;
}

}  // namespace blogtrace::auth
