#include "processors/redact/secret_replacement.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace lc {

SecretReplacement SecretReplacement::text(std::string replacement) {
  return SecretReplacement(Mode::kText, std::move(replacement));
}

SecretReplacement SecretReplacement::mask() { return SecretReplacement(Mode::kMask, ""); }

SecretReplacement SecretReplacement::hash(std::string key) {
  return SecretReplacement(Mode::kHash, std::move(key));
}

void SecretReplacement::append(std::string_view secret, std::string& out) const {
  switch (mode_) {
    case Mode::kText:
      out += text_;
      return;
    case Mode::kMask:
      for (const char c : secret) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) out += '*';  // one per character
      }
      return;
    case Mode::kHash: {
      std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
      unsigned int length = 0;
      HMAC(EVP_sha256(), text_.data(), static_cast<int>(text_.size()),
           reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), digest.data(),
           &length);
      static constexpr char kHex[] = "0123456789abcdef";
      out += "[hash:";
      for (std::size_t i = 0; i < 8; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xF];
      }
      out += ']';
      return;
    }
  }
}

}  // namespace lc
