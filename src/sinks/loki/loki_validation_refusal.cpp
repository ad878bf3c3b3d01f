#include "sinks/loki/loki_validation_refusal.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>

namespace lc {
namespace {

// Parts of Loki's messages, lower-cased (Loki capitalised some of them in later versions).
constexpr std::array<std::pair<std::string_view, LokiRejectReason>, 16> kMessages{{
    {"entry out of order", LokiRejectReason::kOutOfOrder},
    {"entry too far behind", LokiRejectReason::kTooFarBehind},
    {"has timestamp too old", LokiRejectReason::kTooOld},
    {"greater_than_max_sample_age", LokiRejectReason::kTooOld},
    {"has timestamp too new", LokiRejectReason::kTooNew},
    {"max entry size '", LokiRejectReason::kLineTooLong},
    {"error parsing labels '", LokiRejectReason::kInvalidLabels},
    {"at least one label pair is required per stream", LokiRejectReason::kInvalidLabels},
    {"label names; limit", LokiRejectReason::kInvalidLabels},
    {"has label name too long", LokiRejectReason::kInvalidLabels},
    {"has label value too long", LokiRejectReason::kInvalidLabels},
    {"has duplicate label name", LokiRejectReason::kInvalidLabels},
    {"missing required labels", LokiRejectReason::kInvalidLabels},
    {"includes structured metadata, but this feature is disallowed",
     LokiRejectReason::kStructuredMetadata},
    {"has structured metadata too large", LokiRejectReason::kStructuredMetadata},
    {"has too many structured metadata labels", LokiRejectReason::kStructuredMetadata},
}};

// Loki names the first failures only: their messages are in a body's first bytes.
constexpr std::size_t kScannedBytes = 64 * 1024;

}  // namespace

std::string_view to_string(LokiRejectReason reason) {
  switch (reason) {
    case LokiRejectReason::kOutOfOrder:
      return "out_of_order";
    case LokiRejectReason::kTooOld:
      return "too_old";
    case LokiRejectReason::kTooFarBehind:
      return "too_far_behind";
    case LokiRejectReason::kTooNew:
      return "too_new";
    case LokiRejectReason::kLineTooLong:
      return "line_too_long";
    case LokiRejectReason::kInvalidLabels:
      return "invalid_labels";
    case LokiRejectReason::kStructuredMetadata:
      return "structured_metadata";
    case LokiRejectReason::kTooLarge:
      return "too_large";
  }
  return "unknown";
}

std::optional<LokiRejectReason> loki_validation_refusal(std::string_view body) {
  std::string lower(body.substr(0, kScannedBytes));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // A body may list several failing entries of different kinds: the first one names them.
  std::optional<LokiRejectReason> first;
  std::size_t first_at = std::string::npos;
  for (const auto& [part, reason] : kMessages) {
    const std::size_t at = lower.find(part);
    if (at < first_at) {
      first_at = at;
      first = reason;
    }
  }
  return first;
}

std::optional<LokiIgnoredEntries> loki_ignored_entries(std::string_view body) {
  static constexpr std::string_view kPhrase = "total ignored: ";
  std::optional<LokiIgnoredEntries> found;
  for (std::size_t at = body.find(kPhrase); at != std::string_view::npos;
       at = body.find(kPhrase, at + 1)) {
    std::uint64_t ignored = 0;
    std::uint64_t total = 0;
    const char* cursor = body.data() + at + kPhrase.size();
    const char* end = body.data() + body.size();
    auto [after_ignored, error] = std::from_chars(cursor, end, ignored);
    static constexpr std::string_view kOutOf = " out of ";
    if (error != std::errc() ||
        std::string_view(after_ignored, end - after_ignored).substr(0, kOutOf.size()) != kOutOf) {
      continue;
    }
    if (std::from_chars(after_ignored + kOutOf.size(), end, total).ec != std::errc()) continue;
    if (!found) found.emplace();
    found->ignored += ignored;
    found->total += total;
  }
  return found;
}

}  // namespace lc
