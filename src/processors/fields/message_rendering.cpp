#include "processors/fields/message_rendering.hpp"

namespace lc {
namespace {

bool needs_quotes(std::string_view text) {
  if (text.empty()) return true;
  for (const char c : text) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void append_value(std::string_view text, std::string& out) {
  if (!needs_quotes(text)) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
}

void append_pairs(const FieldValue::Map& map, const std::string& prefix, std::string& out) {
  for (const FieldEntry& entry : map) {
    const std::string key = prefix.empty() ? entry.key : prefix + "." + entry.key;
    if (entry.value.type() == FieldValue::Type::kMap) {
      append_pairs(entry.value.as_map(), key, out);
      continue;
    }
    if (!out.empty()) out += ' ';
    for (const char c : key) {  // logfmt keys cannot be quoted: what would split one is '_'
      out += (c == ' ' || c == '=' || c == '"' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
    }
    out += '=';
    if (entry.value.type() == FieldValue::Type::kList) {
      std::string json;
      entry.value.append_json(json);
      append_value(json, out);
    } else {
      append_value(entry.value.text(), out);
    }
  }
}

}  // namespace

std::string render_logfmt(const FieldValue& fields) {
  std::string out;
  if (fields.type() == FieldValue::Type::kMap) append_pairs(fields.as_map(), "", out);
  return out;
}

}  // namespace lc
