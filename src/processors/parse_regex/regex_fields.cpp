#include "processors/parse_regex/regex_fields.hpp"

#include <re2/re2.h>

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
}

std::optional<std::string> RegexFields::parse(std::string_view text, FieldValue& out) const {
  // One buffer per thread: the processor runs on the input threads, a call per record.
  thread_local std::vector<re2::StringPiece> submatches;
  submatches.assign(static_cast<std::size_t>(groups_), re2::StringPiece());
  if (!regex_.engine().Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                             re2::RE2::UNANCHORED, submatches.data(), groups_)) {
    return "no match";
  }
  FieldValue::Map fields;
  fields.reserve(captures_.size());
  for (const Capture& capture : captures_) {
    const re2::StringPiece piece = submatches[static_cast<std::size_t>(capture.group)];
    if (piece.data() == nullptr) continue;  // an optional group that took no part
    const std::string_view value(piece.data(), piece.size());
    std::optional<FieldValue> converted = convert_capture(value, capture.type);
    if (!converted) {
      return capture.name + ": \"" + std::string(value.substr(0, 64)) + "\" is not a " +
             std::string(capture_type_name(capture.type));
    }
    fields.push_back({capture.name, std::move(*converted)});
  }
  out = FieldValue(std::move(fields));
  return std::nullopt;
}

}  // namespace lc
