#pragma once

#include <string>
#include <string_view>

namespace lc {

// What a redact processor writes in place of a secret (`replace:`): a fixed text, a mask of
// the same length ('*' per character), or a keyed hash (HMAC-SHA-256, the first 8 bytes in
// hex: equal secrets stay correlatable, and without the key a short secret cannot be found by
// hashing guesses).
class SecretReplacement {
 public:
  enum class Mode { kText, kMask, kHash };

  static SecretReplacement text(std::string replacement);
  static SecretReplacement mask();
  static SecretReplacement hash(std::string key);

  void append(std::string_view secret, std::string& out) const;

 private:
  SecretReplacement(Mode mode, std::string text) : mode_(mode), text_(std::move(text)) {}

  Mode mode_;
  std::string text_;  // the replacement, or the hash key
};

}  // namespace lc
