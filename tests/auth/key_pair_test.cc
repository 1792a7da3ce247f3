#include "auth/key_pair.h"

#include <gtest/gtest.h>
#include <openssl/encoder.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "test_keys.h"

namespace blogtrace::auth {
namespace {

namespace fs = std::filesystem;

std::string PemOf(EVP_PKEY* key, bool private_part) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (private_part) {
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio.get(), key);
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

class KeyPairTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "auth-keys-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << content;
    return path;
  }
  SystemConfig ConfigWithDataDir(const std::string& sub = "data") const {
    SystemConfig config;
    config.data_dir = (dir_ / sub).string();
    return config;
  }

  fs::path dir_;
};

TEST_F(KeyPairTest, GeneratesOnceWithMode0600AndReuses) {
  const SystemConfig config = ConfigWithDataDir();
  auto first = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE(first->has_private_key());
  EXPECT_GE(first->bits(), 2048);
  EXPECT_EQ(first->signature_size(), first->bits() / 8);

  const std::string private_path = config.data_dir + "/jwt-private.pem";
  const std::string public_path = config.data_dir + "/jwt-public.pem";
  struct stat st {};
  ASSERT_EQ(::stat(private_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(fs::exists(public_path));
  // No temp files left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(config.data_dir), fs::directory_iterator{}), 2);

  auto second = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->kid(), first->kid());

  // The public file holds the same key: a verifier loading only it gets the same kid.
  auto public_only = LoadPublicKey(public_path);
  ASSERT_TRUE(public_only.ok()) << public_only.error().message;
  EXPECT_FALSE(public_only->has_private_key());
  EXPECT_EQ(public_only->kid(), first->kid());
}

TEST_F(KeyPairTest, RestoresAMissingOrStalePublicFile) {
  const SystemConfig config = ConfigWithDataDir();
  auto first = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(first.ok());
  const std::string public_path = config.data_dir + "/jwt-public.pem";
  fs::remove(public_path);
  ASSERT_TRUE(LoadOrGenerateKeyPair(config).ok());
  EXPECT_EQ(LoadPublicKey(public_path)->kid(), first->kid());
  Write("data/jwt-public.pem", testing::OtherKeys().PublicKeyPem());
  ASSERT_TRUE(LoadOrGenerateKeyPair(config).ok());
  EXPECT_EQ(LoadPublicKey(public_path)->kid(), first->kid());
}

TEST_F(KeyPairTest, LoadsExplicitPaths) {
  const KeyPair& keys = testing::TestKeys();
  SystemConfig config = ConfigWithDataDir();
  config.jwt_private_key_path = Write("priv.pem", testing::PrivatePem(keys));
  auto from_private = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(from_private.ok()) << from_private.error().message;
  EXPECT_TRUE(from_private->has_private_key());
  EXPECT_EQ(from_private->kid(), keys.kid());
  EXPECT_FALSE(fs::exists(config.data_dir)) << "explicit keys must not generate into DATA_DIR";

  config.jwt_public_key_path = Write("pub.pem", keys.PublicKeyPem());
  auto both = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(both.ok()) << both.error().message;
  EXPECT_EQ(both->kid(), keys.kid());

  config.jwt_private_key_path.clear();
  auto public_only = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(public_only.ok()) << public_only.error().message;
  EXPECT_FALSE(public_only->has_private_key());
  EXPECT_EQ(public_only->kid(), keys.kid());
}

TEST_F(KeyPairTest, PublicOnlyDropsThePrivateKey) {
  auto verify_only = testing::TestKeys().PublicOnly();
  ASSERT_TRUE(verify_only.ok()) << verify_only.error().message;
  EXPECT_FALSE(verify_only->has_private_key());
  EXPECT_EQ(verify_only->kid(), testing::TestKeys().kid());
  EXPECT_EQ(verify_only->PublicKeyPem(), testing::TestKeys().PublicKeyPem());
}

TEST_F(KeyPairTest, AcceptsPkcs1PublicKeys) {
  const KeyPair& keys = testing::TestKeys();
  BioPtr bio(BIO_new(BIO_s_mem()));
  struct EncoderDeleter {
    void operator()(OSSL_ENCODER_CTX* p) const { OSSL_ENCODER_CTX_free(p); }
  };
  std::unique_ptr<OSSL_ENCODER_CTX, EncoderDeleter> encoder(OSSL_ENCODER_CTX_new_for_pkey(
      keys.public_key(), EVP_PKEY_PUBLIC_KEY, "PEM", "type-specific", nullptr));
  ASSERT_NE(encoder, nullptr);
  ASSERT_EQ(OSSL_ENCODER_to_bio(encoder.get(), bio.get()), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  const std::string pem(data, static_cast<std::size_t>(len));
  ASSERT_NE(pem.find("BEGIN RSA PUBLIC KEY"), std::string::npos);
  auto loaded = LoadPublicKey(Write("pkcs1.pem", pem));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->kid(), keys.kid());
}

TEST_F(KeyPairTest, AcceptsPkcs1PrivateKeys) {
  const KeyPair& keys = testing::TestKeys();
  BioPtr bio(BIO_new(BIO_s_mem()));
  struct EncoderDeleter {
    void operator()(OSSL_ENCODER_CTX* p) const { OSSL_ENCODER_CTX_free(p); }
  };
  std::unique_ptr<OSSL_ENCODER_CTX, EncoderDeleter> encoder(OSSL_ENCODER_CTX_new_for_pkey(
      keys.private_key(), EVP_PKEY_KEYPAIR, "PEM", "type-specific", nullptr));
  ASSERT_NE(encoder, nullptr);
  ASSERT_EQ(OSSL_ENCODER_to_bio(encoder.get(), bio.get()), 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  const std::string pem(data, static_cast<std::size_t>(len));
  ASSERT_NE(pem.find("BEGIN RSA PRIVATE KEY"), std::string::npos);
  auto loaded = LoadPrivateKey(Write("pkcs1-private.pem", pem));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->kid(), keys.kid());
}

TEST_F(KeyPairTest, ErrorsNameTheFileAndTheProblem) {
  PkeyPtr ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  PkeyPtr small(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(1024)));
  ASSERT_NE(ec, nullptr);
  ASSERT_NE(small, nullptr);
  struct Case {
    std::string what;
    std::string private_path;
    std::string public_path;
    std::string expected_path;
    std::string expected_text;
  };
  const std::string missing = (dir_ / "missing.pem").string();
  const std::string garbage = Write("garbage.pem", "this is not a key\n");
  const std::string empty = Write("empty.pem", "");
  const std::string bad_pem =
      Write("bad.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  const std::string ec_private = Write("ec.pem", PemOf(ec.get(), true));
  const std::string ec_public = Write("ec-pub.pem", PemOf(ec.get(), false));
  const std::string small_private = Write("small.pem", PemOf(small.get(), true));
  // An encrypted key must fail at once, never prompt for a passphrase on the terminal.
  BioPtr encrypted_bio(BIO_new(BIO_s_mem()));
  static const char kPass[] = "passphrase";
  ASSERT_EQ(PEM_write_bio_PrivateKey(
                encrypted_bio.get(), testing::TestKeys().private_key(), EVP_aes_256_cbc(),
                reinterpret_cast<const unsigned char*>(kPass), 10, nullptr, nullptr),
            1);
  char* encrypted_data = nullptr;
  const long encrypted_len = BIO_get_mem_data(encrypted_bio.get(), &encrypted_data);
  const std::string encrypted =
      Write("encrypted.pem", std::string(encrypted_data, static_cast<std::size_t>(encrypted_len)));
  const std::string public_as_private =
      Write("pub-as-priv.pem", testing::TestKeys().PublicKeyPem());
  const std::string good_private = Write("good.pem", testing::PrivatePem(testing::TestKeys()));
  const std::string other_public = Write("other-pub.pem", testing::OtherKeys().PublicKeyPem());
  const std::vector<Case> cases = {
      {"missing private", missing, "", missing, "not found"},
      {"missing public", "", missing, missing, "not found"},
      {"public missing beside a good private", good_private, missing, missing, "not found"},
      {"garbage private", garbage, "", garbage, "not a PEM"},
      {"empty private", empty, "", empty, "not a PEM"},
      {"broken PEM", bad_pem, "", bad_pem, "not an unencrypted PEM private key"},
      {"garbage public", "", garbage, garbage, "not a PEM"},
      {"encrypted private", encrypted, "", encrypted, "not an unencrypted PEM private key"},
      {"a public key given as private", public_as_private, "", public_as_private,
       "not an unencrypted PEM private key"},
      {"directory", dir_.string(), "", dir_.string(), "not a regular file"},
      {"EC private", ec_private, "", ec_private, "not an RSA key"},
      {"EC public", "", ec_public, ec_public, "not an RSA key"},
      {"1024-bit RSA", small_private, "", small_private, "too small"},
      {"mismatched public", good_private, other_public, other_public, "does not match"},
  };
  for (const auto& c : cases) {
    SystemConfig config = ConfigWithDataDir();
    config.jwt_private_key_path = c.private_path;
    config.jwt_public_key_path = c.public_path;
    auto result = LoadOrGenerateKeyPair(config);
    ASSERT_FALSE(result.ok()) << c.what;
    const std::string& message = result.error().message;
    EXPECT_NE(message.find(c.expected_path), std::string::npos) << c.what << ": " << message;
    EXPECT_NE(message.find(c.expected_text), std::string::npos) << c.what << ": " << message;
    EXPECT_EQ(message.find("BEGIN"), std::string::npos) << c.what << ": " << message;
    // The variable that named the file, so an operator knows what to fix.
    const char* variable = c.expected_path == c.public_path ? "JWT_PUBLIC_KEY" : "JWT_PRIVATE_KEY";
    EXPECT_NE(message.find(variable), std::string::npos) << c.what << ": " << message;
  }
}

TEST_F(KeyPairTest, UnreadableFileIsReported) {
  const std::string path = Write("locked.pem", testing::PrivatePem(testing::TestKeys()));
  ASSERT_EQ(::chmod(path.c_str(), 0), 0);
  if (::geteuid() != 0) {
    auto result = LoadPrivateKey(path);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("not readable"), std::string::npos);
    return;
  }
  // Root reads anything: check from a child that gives up root for "nobody".
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(out[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    auto result = LoadPrivateKey(path);
    const std::string message = result.ok() ? "loaded" : result.error().message;
    (void)::write(out[1], message.data(), message.size());
    ::_exit(0);
  }
  ::close(out[1]);
  std::string message;
  char buf[256];
  ssize_t n;
  while ((n = ::read(out[0], buf, sizeof buf)) > 0)
    message.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    GTEST_SKIP() << "cannot drop root privileges here (setuid to nobody failed)";
  }
  EXPECT_NE(message.find("not readable"), std::string::npos) << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;
}

TEST_F(KeyPairTest, CorruptGeneratedKeyIsAnErrorNotARegeneration) {
  const SystemConfig config = ConfigWithDataDir();
  fs::create_directories(config.data_dir);
  Write("data/jwt-private.pem", "corrupt");
  auto result = LoadOrGenerateKeyPair(config);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("jwt-private.pem"), std::string::npos);
}

TEST_F(KeyPairTest, ConcurrentThreadsAgreeOnOneKey) {
  const SystemConfig config = ConfigWithDataDir();
  constexpr int kThreads = 4;
  std::mutex mu;
  std::condition_variable cv;
  bool go = false;
  std::vector<std::string> kids(kThreads);
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return go; });
      }
      auto keys = LoadOrGenerateKeyPair(config);
      if (keys.ok()) {
        kids[i] = keys->kid();
      } else {
        errors[i] = keys.error().message;
      }
    });
  }
  {
    std::lock_guard lock(mu);
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_TRUE(errors[i].empty()) << errors[i];
    EXPECT_EQ(kids[i], kids[0]);
  }
  EXPECT_EQ(LoadOrGenerateKeyPair(config)->kid(), kids[0]);
}

TEST_F(KeyPairTest, ConcurrentProcessesAgreeOnOneKey) {
  const SystemConfig config = ConfigWithDataDir();
  constexpr int kProcesses = 3;
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<std::pair<pid_t, int>> children;  // pid, read end of its result pipe
  for (int i = 0; i < kProcesses; ++i) {
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(go[1]);
      ::close(out[0]);
      char c;
      (void)::read(go[0], &c, 1);  // returns when the parent closes the write end: all start
      auto keys = LoadOrGenerateKeyPair(config);
      const std::string line = keys.ok() ? keys->kid() : "error: " + keys.error().message;
      (void)::write(out[1], line.data(), line.size());
      ::_exit(keys.ok() ? 0 : 1);
    }
    ::close(out[1]);
    children.emplace_back(pid, out[0]);
  }
  ::close(go[0]);
  ::close(go[1]);
  std::set<std::string> kids;
  for (auto [pid, fd] : children) {
    std::string line;
    char buf[256];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) line.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << line;
    kids.insert(line);
  }
  EXPECT_EQ(kids.size(), 1u);
  auto keys = LoadOrGenerateKeyPair(config);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*kids.begin(), keys->kid());
}

}  // namespace
}  // namespace blogtrace::auth
