#include "processors/common/key_digest.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace lc {
namespace {

const std::array<unsigned char, 16>& process_key() {
  static const std::array<unsigned char, 16> key = [] {
    std::array<unsigned char, 16> made{};
    if (RAND_bytes(made.data(), static_cast<int>(made.size())) != 1) {
      throw std::runtime_error("no random bytes for the key digest");
    }
    return made;
  }();
  return key;
}

// One digest context per thread, freed with the thread.
struct DigestContext {
  DigestContext() : context(EVP_MD_CTX_new()) {}
  ~DigestContext() { EVP_MD_CTX_free(context); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
  EVP_MD_CTX* context;
};

}  // namespace

KeyDigest digest_key(std::string_view text) {
  thread_local DigestContext digest_context;
  EVP_MD_CTX* context = digest_context.context;
  std::array<unsigned char, EVP_MAX_MD_SIZE> hash{};
  unsigned int length = 0;
  const auto& key = process_key();
  const bool ok = context != nullptr && EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(context, key.data(), key.size()) == 1 &&
                  EVP_DigestUpdate(context, text.data(), text.size()) == 1 &&
                  EVP_DigestFinal_ex(context, hash.data(), &length) == 1;
  if (!ok) throw std::runtime_error("SHA-256 failed");
  KeyDigest digest;
  std::memcpy(&digest.high, hash.data(), 8);
  std::memcpy(&digest.low, hash.data() + 8, 8);
  return digest;
}

}  // namespace lc
