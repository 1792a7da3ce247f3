// Costs of the auth primitives on the request path: RS256 sign (login), verify (every
// authorised call), Argon2id hash and verify (user creation, login).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "auth/bearer.h"
#include "auth/jwt.h"
#include "auth/password.h"
#include "auth/secure_compare.h"

namespace blogtrace::auth {
namespace {

const KeyPair& Keys() {
  static const KeyPair keys = [] {
    auto generated = GenerateKeyPair(kGeneratedRsaBits);
    if (!generated.ok()) {
      std::cerr << generated.error().message << "\n";
      std::abort();
    }
    return std::move(generated).value();
  }();
  return keys;
}

void BM_JwtSign(benchmark::State& state) {
  JwtSigner signer(Keys(), std::chrono::seconds(3600), SystemClock::Instance());
  for (auto _ : state) benchmark::DoNotOptimize(signer.Sign("user-1", "alice", "WRITE"));
}
BENCHMARK(BM_JwtSign)->Unit(benchmark::kMicrosecond);

void BM_JwtVerify(benchmark::State& state) {
  JwtSigner signer(Keys(), std::chrono::seconds(3600), SystemClock::Instance());
  JwtVerifier verifier(Keys(), SystemClock::Instance());
  const std::string token = signer.Sign("user-1", "alice", "WRITE").value();
  for (auto _ : state) {
    auto result = verifier.Verify(token);
    if (!result.ok()) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_JwtVerify)->Unit(benchmark::kMicrosecond);

void BM_JwtVerifyRefusedAlgNone(benchmark::State& state) {
  JwtVerifier verifier(Keys(), SystemClock::Instance());
  const std::string token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
  for (auto _ : state) benchmark::DoNotOptimize(verifier.Verify(token));
}
BENCHMARK(BM_JwtVerifyRefusedAlgNone)->Unit(benchmark::kMicrosecond);

void BM_PasswordHash(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(HashPassword("correct horse battery"));
}
BENCHMARK(BM_PasswordHash)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_PasswordVerify(benchmark::State& state) {
  const std::string hash = HashPassword("correct horse battery").value();
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword(hash, "correct horse battery"));
}
BENCHMARK(BM_PasswordVerify)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_DummyVerifyPassword(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(DummyVerifyPassword("correct horse battery"));
}
BENCHMARK(BM_DummyVerifyPassword)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_ParseBearer(benchmark::State& state) {
  const std::string header = "Bearer " + std::string(600, 'a');
  for (auto _ : state) benchmark::DoNotOptimize(ParseBearer(header));
}
BENCHMARK(BM_ParseBearer);

void BM_ConstantTimeEquals(benchmark::State& state) {
  const std::string a(64, 'k'), b(64, 'k');
  for (auto _ : state) benchmark::DoNotOptimize(ConstantTimeEquals(a, b));
}
BENCHMARK(BM_ConstantTimeEquals);

}  // namespace
}  // namespace blogtrace::auth
