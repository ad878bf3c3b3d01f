#include "processors/redact/redactor.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <stdexcept>

#include "core/user_regex.hpp"

namespace lc {
namespace {

// Whether the digits of `text` (spaces and dashes between them allowed) pass the Luhn check.
bool passes_luhn(std::string_view text) {
  int sum = 0;
  bool double_it = false;
  for (auto it = text.rbegin(); it != text.rend(); ++it) {
    if (*it < '0' || *it > '9') continue;
    int digit = *it - '0';
    if (double_it) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

re2::RE2::Options set_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);  // every preset at once: room for the set's DFA
  return options;
}

}  // namespace

struct Redactor::Compiled {
  UserRegex regex;
  std::vector<int> secret_groups;  // the groups named secret*; none: the whole match
  int groups = 1;                  // submatches to ask for
  bool luhn = false;
};

struct Redactor::SetHolder {
  re2::RE2::Set set{set_options(), re2::RE2::UNANCHORED};
};

Redactor::Redactor(const std::vector<Pattern>& patterns, SecretReplacement replacement)
    : set_(std::make_unique<SetHolder>()), replacement_(std::move(replacement)) {
  for (const Pattern& pattern : patterns) {
    Compiled& compiled = compiled_.emplace_back(
        Compiled{UserRegex::compile_checked(pattern.pattern), {}, 1, pattern.luhn});
    for (const auto& group : compiled.regex.engine().CapturingGroupNames()) {
      if (group.second.starts_with("secret")) {
        compiled.secret_groups.push_back(group.first);
        compiled.groups = std::max(compiled.groups, group.first + 1);
      }
    }
    std::string error;
    if (set_ != nullptr && set_->set.Add(with_re2_named_groups(pattern.pattern), &error) < 0) {
      set_.reset();  // each pattern compiled alone: searched one by one instead
    }
  }
  // Patterns that each fit RE2's limits may not fit together: then each is searched on its own
  // (slower, never wrong; the config reader has accepted every one).
  if (set_ != nullptr && !set_->set.Compile()) set_.reset();
}

Redactor::~Redactor() = default;

std::size_t Redactor::size() const { return compiled_.size(); }

void Redactor::find_candidates(const std::string& text, std::vector<int>& found) const {
  found.clear();
  re2::RE2::Set::ErrorInfo error{};
  if (set_ != nullptr) {
    if (set_->set.Match(text, &found, &error)) {
      std::sort(found.begin(), found.end());
      return;
    }
    if (error.kind == re2::RE2::Set::kNoError) return;  // none matched
  }
  // No set, or its DFA ran out of memory on this text: ask each pattern (slower, never wrong).
  found.clear();
  for (std::size_t i = 0; i < compiled_.size(); ++i) {
    if (compiled_[i].regex.found_in(text)) found.push_back(static_cast<int>(i));
  }
}

std::size_t Redactor::replace_all(std::string& text, const Compiled& pattern) const {
  const re2::RE2& engine = pattern.regex.engine();
  const int groups = pattern.groups;
  std::vector<re2::StringPiece> match(static_cast<std::size_t>(groups));
  std::string out;
  std::size_t copied = 0, at = 0, replaced = 0;
  const re2::StringPiece whole(text);
  while (at <= text.size() &&
         engine.Match(whole, at, text.size(), re2::RE2::UNANCHORED, match.data(), groups)) {
    const re2::StringPiece all = match[0];
    re2::StringPiece secret = pattern.secret_groups.empty() ? all : re2::StringPiece();
    for (const int group : pattern.secret_groups) {  // the alternative that matched
      if (match[static_cast<std::size_t>(group)].data() != nullptr) {
        secret = match[static_cast<std::size_t>(group)];
      }
    }
    const std::size_t end = static_cast<std::size_t>(all.data() - text.data()) + all.size();
    if (secret.data() != nullptr && !secret.empty() &&
        (!pattern.luhn || passes_luhn({secret.data(), secret.size()}))) {
      const std::size_t start = static_cast<std::size_t>(secret.data() - text.data());
      out.append(text, copied, start - copied);
      replacement_.append({secret.data(), secret.size()}, out);
      copied = start + secret.size();
      ++replaced;
    }
    at = all.empty() ? end + 1 : end;  // an empty match must not stop the scan
  }
  if (replaced == 0) return 0;
  out.append(text, copied, std::string::npos);
  text = std::move(out);
  return replaced;
}

bool Redactor::redact(std::string& text, std::vector<std::size_t>& matches) const {
  thread_local std::vector<int> found;
  find_candidates(text, found);
  bool changed = false;
  for (const int index : found) {
    const std::size_t replaced = replace_all(text, compiled_[static_cast<std::size_t>(index)]);
    matches[static_cast<std::size_t>(index)] += replaced;
    changed = changed || replaced > 0;
  }
  return changed;
}

}  // namespace lc
