#include "processors/parse_regex/regex_fields.hpp"

#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>

namespace lc {

RegexFields::RegexFields(const UserRegex& regex,
                         const std::vector<std::pair<std::string, CaptureType>>& types)
    : regex_(regex) {
  for (const auto& group : regex_.engine().CapturingGroupNames()) {
    const std::string& name = group.second;
    auto typed = std::find_if(types.begin(), types.end(),
                              [&](const auto& entry) { return entry.first == name; });
    captures_.push_back(
        {group.first, name, typed == types.end() ? CaptureType::kString : typed->second});
    groups_ = std::max(groups_, group.first + 1);
  }
  access_log_ = AccessLogReader::format_of(regex_.pattern());
  for (Capture& capture : captures_) {
    const auto& names = AccessLogReader::kNames;
    const auto at = std::find(names.begin(), names.end(), capture.name);
    if (at == names.end()) access_log_.reset();  // not the preset after all
    capture.access_log_capture = static_cast<std::size_t>(at - names.begin());
  }
}

bool RegexFields::match(std::string_view text,
                        std::vector<std::optional<std::string_view>>& out) const {
  out.clear();
  if (access_log_ && simdjson::validate_utf8(text.data(), text.size())) {
    AccessLogReader::Captures captures;
    if (!AccessLogReader::read(*access_log_, text, captures)) return false;
    for (const Capture& capture : captures_) out.push_back(captures[capture.access_log_capture]);
    return true;
  }
  // One buffer per thread: the processor runs on the input threads, a call per record.
  thread_local std::vector<re2::StringPiece> submatches;
  submatches.assign(static_cast<std::size_t>(groups_), re2::StringPiece());
  if (!regex_.engine().Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                             re2::RE2::UNANCHORED, submatches.data(), groups_)) {
    return false;
  }
  for (const Capture& capture : captures_) {
    const re2::StringPiece piece = submatches[static_cast<std::size_t>(capture.group)];
    if (piece.data() == nullptr) {  // an optional group that took no part
      out.emplace_back();
    } else {
      out.emplace_back(std::string_view(piece.data(), piece.size()));
    }
  }
  return true;
}

std::optional<std::string> RegexFields::parse(std::string_view text, FieldValue& out) const {
  thread_local std::vector<std::optional<std::string_view>> values;
  if (!match(text, values)) return "no match";
  FieldValue::Map fields;
  fields.reserve(captures_.size());
  for (std::size_t i = 0; i < captures_.size(); ++i) {
    if (!values[i]) continue;  // took no part in the match
    const Capture& capture = captures_[i];
    std::optional<FieldValue> converted = convert_capture(*values[i], capture.type);
    if (!converted) {
      return capture.name + ": \"" + std::string(values[i]->substr(0, 64)) + "\" is not a " +
             std::string(capture_type_name(capture.type));
    }
    fields.push_back({capture.name, std::move(*converted)});
  }
  out = FieldValue(std::move(fields));
  return std::nullopt;
}

}  // namespace lc
