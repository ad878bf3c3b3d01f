#include "sinks/splunk_hec/splunk_hec_response.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <charconv>

#include "sinks/common/http_response_text.hpp"

namespace lc {

HecAnswer parse_hec_answer(std::string_view body) {
  HecAnswer answer;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return answer;
  std::int64_t code = 0;
  if (root["code"].get_int64().get(code) == simdjson::SUCCESS) answer.code = static_cast<int>(code);
  std::string_view text;
  if (root["text"].get_string().get(text) == simdjson::SUCCESS) answer.text = std::string(text);
  std::uint64_t ack_id = 0;
  if (root["ackId"].get_uint64().get(ack_id) == simdjson::SUCCESS) answer.ack_id = ack_id;
  return answer;
}

HecVerdict classify_hec_answer(unsigned status, std::string_view body, bool index_per_record) {
  HecVerdict verdict;
  verdict.answer = parse_hec_answer(body);
  const HecAnswer& answer = verdict.answer;
  const int code = answer.code.value_or(-1);
  const bool refuses_records =
      status == 400 && (code == 5 || code == 6 || code == 12 || code == 13 || code == 15 ||
                        (code == 7 && index_per_record));
  verdict.answer_class = classify_http_response(status, refuses_records);
  if (verdict.answer_class == HttpResponseClass::kDelivered) return verdict;
  verdict.holds_at_once =
      status == 404 || (status == 400 && ((code == 7 && !index_per_record) || code == 10 ||
                                          code == 11 || code == 14 || code == 16));
  verdict.detail = answer.code ? fmt::format("HTTP {}, HEC code {}: {}", status, code,
                                             http_response_excerpt(answer.text))
                               : describe_http_status(status, body);
  return verdict;
}

std::optional<std::map<std::uint64_t, bool>> parse_hec_acks(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::object acks;
  if (root["acks"].get_object().get(acks) != simdjson::SUCCESS) return std::nullopt;
  std::map<std::uint64_t, bool> out;
  for (const auto field : acks) {
    std::uint64_t id = 0;
    const auto [end, error] =
        std::from_chars(field.key.data(), field.key.data() + field.key.size(), id);
    bool indexed = false;
    if (error != std::errc() || end != field.key.data() + field.key.size() ||
        field.value.get_bool().get(indexed) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    out[id] = indexed;
  }
  return out;
}

}  // namespace lc
