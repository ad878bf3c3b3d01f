#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lc {

// Why Loki refused records for good (dead-lettered), for
// log_capturer_loki_records_rejected_total{reason}.
enum class LokiRejectReason {
  kOutOfOrder,          // "entry out of order"
  kTooOld,              // "has timestamp too old" (reject_old_samples_max_age)
  kTooFarBehind,        // "entry too far behind" (unordered writes, max_chunk_age / 2)
  kTooNew,              // "has timestamp too new" (creation_grace_period)
  kLineTooLong,         // "Max entry size ... exceeded"
  kInvalidLabels,       // labels unparsable, missing, too many, too long, duplicated, required
  kStructuredMetadata,  // structured metadata disallowed, too large or too many
  kTooLarge,            // 413 for a single record: no split can make it fit
};
inline constexpr std::size_t kLokiRejectReasonCount = 8;
std::string_view to_string(LokiRejectReason reason);

// Which of Loki's own per-record validation messages (grafana/loki pkg/validation/validate.go,
// pkg/chunkenc) a 400 body carries, or nothing: then the answer is not Loki judging records
// (a proxy's "plain HTTP request was sent to HTTPS port", a decoding error...).
std::optional<LokiRejectReason> loki_validation_refusal(std::string_view body);

// How many entries a refusal says Loki ignored, of how many, summed over its
// "total ignored: X out of Y" lines (one per stream); nothing when the body has none.
struct LokiIgnoredEntries {
  std::uint64_t ignored = 0;
  std::uint64_t total = 0;
};
std::optional<LokiIgnoredEntries> loki_ignored_entries(std::string_view body);

}  // namespace lc
