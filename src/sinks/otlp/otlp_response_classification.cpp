#include "sinks/otlp/otlp_response_classification.hpp"

#include "sinks/common/http_response_text.hpp"
#include "sinks/otlp/otlp_export_response.hpp"

namespace lc {

OtlpResponseVerdict classify_otlp_response(unsigned status, std::string_view content_type,
                                           std::string_view body) {
  OtlpResponseVerdict verdict;
  // OTLP/HTTP: a 400 with the collector's Status refuses the data itself ("MUST NOT retry");
  // a 400 without one (a proxy's page, a plain-text answer) says nothing about the records.
  verdict.answer_class =
      classify_http_response(status, status == 400 && is_otlp_status(content_type, body));
  if (verdict.answer_class == HttpResponseClass::kDelivered) return verdict;
  verdict.wrong_endpoint = status == 404;
  verdict.detail = describe_http_status(status, otlp_error_message(content_type, body));
  return verdict;
}

}  // namespace lc
