#include "processors/redact/redact_presets.hpp"

#include <algorithm>
#include <array>

namespace lc {
namespace {

// Written for few false positives on ordinary log lines: words around the secret are required
// where the secret alone would look like any token. Groups named secret* are what is replaced.
constexpr std::array<RedactPattern, 13> kPatterns{{
    {"bearer", R"((?i)\bbearer\s+(?P<secret>[A-Za-z0-9\-._~+/]{8,}=*))"},
    {"basic_auth", R"((?i)\bbasic\s+(?P<secret>[A-Za-z0-9+/]{8,}={0,2}))"},
    {"basic_auth", R"(://[^/\s:@]*:(?P<secret>[^/\s@]+)@)"},  // [user]:password@ in a URL
    {"jwt", R"(\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)"},
    {"aws_key", R"(\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b)"},
    {"aws_key",
     R"((?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?(?P<secret>[A-Za-z0-9/+=]{40}))"},
    {"gcp_key", R"(\bAIza[0-9A-Za-z_-]{35})"},
    {"private_key",
     R"(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?s:.*?)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|\z))"},
    // A key ending in a secret's name (DB_PASSWORD, X-API-Key), `=`, `:` or `=>`, then the
    // value: quoted (up to its quote) or bare (up to a space, quote or separator).
    {"assignments",
     R"re((?i)(?:^|[^A-Za-z0-9])(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd|secret|client_secret|token|access_token|refresh_token|api[_-]?key)["']?\s*(?:=>|[:=])\s*(?:"(?P<secret>[^"]*)"|'(?P<secret_quoted>[^']*)'|(?P<secret_bare>[^\s"'&,;]+)))re"},
    // Groups of 4 (the last of 1 to 7), one run of 13-19 digits, or Amex's 4-6-5: a
    // neighbouring number is never taken in (its digits would fail the Luhn check).
    {"credit_card", R"(\b(?:(?:\d{4}[ -]?){3}\d{1,7}|\d{13,19}|\d{4}[ -]\d{6}[ -]\d{5})\b)", true},
    {"email", R"(\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b)"},
    {"ipv4",
     R"(\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b)"},
    {"ipv6",
     R"((?i)(?:\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|(?:\b(?:[0-9a-f]{1,4}:){1,6}|::?)(?::[0-9a-f]{1,4}){1,6}\b|\b(?:[0-9a-f]{1,4}:){1,7}:))"},
}};

}  // namespace

std::span<const RedactPattern> redact_patterns() { return kPatterns; }

bool is_redact_preset(std::string_view name) {
  return std::any_of(kPatterns.begin(), kPatterns.end(),
                     [&](const RedactPattern& pattern) { return pattern.preset == name; });
}

std::string_view redact_preset_names() {
  return "bearer, basic_auth, jwt, aws_key, gcp_key, private_key, assignments, credit_card, "
         "email, ipv4, ipv6";
}

}  // namespace lc
