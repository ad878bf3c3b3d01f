#pragma once

#include <memory>
#include <string>
#include <vector>

#include "processors/redact/secret_replacement.hpp"

namespace lc {

// Finds and replaces secrets in text with many patterns at once: one RE2::Set pass says which
// patterns occur (most lines: none, and that pass is all they cost), then each pattern found
// replaces its matches. Immutable: safe on several threads at once.
class Redactor {
 public:
  struct Pattern {
    std::string pattern;  // RE2; captures named `secret...` narrow what is replaced
    bool luhn = false;    // replace only digit runs passing the Luhn check (card numbers)
  };

  // Throws std::invalid_argument naming a pattern that does not compile alone.
  Redactor(const std::vector<Pattern>& patterns, SecretReplacement replacement);
  ~Redactor();

  // Replaces the secrets in `text`; `matches[i]` (sized like the patterns) grows by the
  // secrets pattern i replaced. Returns whether anything was replaced.
  bool redact(std::string& text, std::vector<std::size_t>& matches) const;
  std::size_t size() const;  // patterns

 private:
  struct Compiled;
  // The patterns found somewhere in `text`, in order.
  void find_candidates(const std::string& text, std::vector<int>& found) const;
  std::size_t replace_all(std::string& text, const Compiled& pattern) const;

  std::vector<Compiled> compiled_;
  struct SetHolder;
  std::unique_ptr<SetHolder> set_;
  SecretReplacement replacement_;
};

}  // namespace lc
