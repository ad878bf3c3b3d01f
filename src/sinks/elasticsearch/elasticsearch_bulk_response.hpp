#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lc {

// One item of a _bulk answer: {"create": {"status": 201, "error": {"type", "reason"}}}.
struct BulkItemResult {
  unsigned status = 0;
  std::string error_type;  // empty when the item has no error
  std::string error_reason;
};

// What one item's answer means for its record.
enum class BulkItemClass : std::uint8_t {
  kCreated,         // 2xx
  kAlreadyIndexed,  // 409 to our `create`: a document with this record's own id exists
  kRetry,           // 408, 429, 5xx (and 404: an index missing while auto-creation is off)
  kUnauthorized,    // 401, 403: the credentials may not write this index
  kRefused,         // any other 4xx (mapping or parsing errors): the record is refused for good
  // A 400 about the request, not the record: a `pipeline` that does not exist, a closed index.
  kMisconfigured,
};
BulkItemClass classify_bulk_item(const BulkItemResult& item);

// Reads a _bulk answer's items into `items`, in order. Returns a problem when the answer is not
// a bulk answer (not JSON, no "items" list, an item without a status).
std::optional<std::string> parse_bulk_response(std::string_view body,
                                               std::vector<BulkItemResult>& items);

// Whether a whole-request 400 says the body could not be parsed (a document's JSON): the
// records are at fault, so the batch is split until the bad one stands alone. Any other
// whole-request 400 (an unknown pipeline, a bad parameter) is about the request.
bool bulk_request_refused_for_its_documents(std::string_view body);

// "mapper_parsing_exception: failed to parse field [x]" (or "HTTP <status>" without an error).
std::string describe_bulk_item(const BulkItemResult& item);

}  // namespace lc
