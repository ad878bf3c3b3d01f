#include "sinks/common/http_response_class.hpp"

namespace lc {

std::string_view to_string(HttpResponseClass answer_class) {
  switch (answer_class) {
    case HttpResponseClass::kDelivered:
      return "delivered";
    case HttpResponseClass::kTransient:
      return "transient";
    case HttpResponseClass::kTooLarge:
      return "too_large";
    case HttpResponseClass::kRecordsRefused:
      return "records_refused";
    case HttpResponseClass::kUnauthorized:
      return "unauthorized";
    case HttpResponseClass::kUnexpected:
      return "unexpected";
  }
  return "unknown";
}

HttpResponseClass classify_http_response(unsigned status, bool validation_refusal) {
  if (status >= 200 && status < 300) return HttpResponseClass::kDelivered;
  if (status == 401 || status == 403 || status == 407) return HttpResponseClass::kUnauthorized;
  // 408: a proxy gave up waiting; 429: rate limited; 5xx: the backend or a proxy failed.
  if (status == 408 || status == 429 || status >= 500) return HttpResponseClass::kTransient;
  if (status == 413) return HttpResponseClass::kTooLarge;
  if (status >= 400 && status < 500 && validation_refusal) {
    return HttpResponseClass::kRecordsRefused;
  }
  return HttpResponseClass::kUnexpected;
}

}  // namespace lc
