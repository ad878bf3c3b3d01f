#pragma once

#include <cstddef>
#include <string_view>

namespace lc {

// What an HTTP backend's answer to a push means for its records, the same for every HTTP sink
// (docs/architecture.md, "What a sink's answer means"). Only the backend's own per-record
// validation answer condemns records; every other failure keeps them, since a proxy's page, a
// 404 during a rollout or a wrong URL says nothing about them.
enum class HttpResponseClass {
  kDelivered,       // 2xx
  kTransient,       // 408, 429, 5xx (and failures without an answer): retried with backoff
  kTooLarge,        // 413: the batch is split
  kRecordsRefused,  // a 4xx the backend's validation gave to these records: dead letters
  kUnauthorized,    // 401, 403, 407: credentials, tenant or permissions: the sink holds
  kUnexpected,      // any other answer (1xx, 3xx, other 4xx): retried; many in a row hold
};
inline constexpr std::size_t kHttpResponseClassCount = 6;
std::string_view to_string(HttpResponseClass answer_class);

// `validation_refusal`: the backend-specific verdict that the body is one of the backend's own
// record validation messages (e.g. Loki's "entry out of order"); it counts for a 4xx only.
HttpResponseClass classify_http_response(unsigned status, bool validation_refusal);

}  // namespace lc
