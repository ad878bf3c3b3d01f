#include "config/environment_expansion.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "config/config_error.hpp"

namespace lc {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

class EnvironmentExpander {
 public:
  EnvironmentExpander(std::string_view text, const std::string& source,
                      const EnvironmentLookup& lookup)
      : text_(text), source_(source), lookup_(lookup) {}

  std::string expand_document() {
    std::string out;
    out.reserve(text_.size());
    std::size_t line_start = 0;
    while (line_start < text_.size()) {
      std::size_t line_end = text_.find('\n', line_start);
      line_end = line_end == std::string_view::npos ? text_.size() : line_end + 1;
      expand_line(line_start, line_end, out);
      line_start = line_end;
    }
    if (!errors_.empty()) {
      std::string message;
      for (const auto& error : errors_) message += (message.empty() ? "" : "\n") + error;
      throw ConfigError(message);
    }
    return out;
  }

 private:
  // One line: references are expanded until a comment starts; the comment is copied as is.
  void expand_line(std::size_t begin, std::size_t end, std::string& out) {
    char quote = 0;
    char previous_significant = 0;  // last non-blank char, 0 at line start
    for (std::size_t i = begin; i < end;) {
      const char c = text_[i];
      if (quote == 0 && c == '#' && (i == begin || is_blank(text_[i - 1]))) {
        out.append(text_.substr(i, end - i));
        return;
      }
      if (c == '$') {
        expand_dollar(i, end, out);
        previous_significant = '$';
        continue;
      }
      if (quote == 0 && (c == '\'' || c == '"') && opens_quoted_scalar(previous_significant)) {
        quote = c;
      } else if (quote == '"' && c == '\\' && i + 1 < end) {
        out += c;  // an escaped quote does not close the scalar
        out += text_[i + 1];
        i += 2;
        continue;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      }
      if (!is_blank(c)) previous_significant = c;
      out += c;
      ++i;
    }
  }

  // A quote starts a quoted scalar only where a YAML value may start ("it's" is plain text).
  static bool opens_quoted_scalar(char previous_significant) {
    switch (previous_significant) {
      case 0:
      case ':':
      case '-':
      case '[':
      case '{':
      case ',':
      case '?':
        return true;
      default:
        return false;
    }
  }

  // Expands the '$' at `i` (reference, "$$" escape or a lone '$'), advancing `i` past it.
  void expand_dollar(std::size_t& i, std::size_t end, std::string& out) {
    const std::size_t start = i;
    if (i + 1 >= end || (text_[i + 1] != '$' && text_[i + 1] != '{')) {
      out += '$';
      ++i;
      return;
    }
    if (text_[i + 1] == '$') {
      out += '$';
      i += 2;
      return;
    }
    std::size_t cursor = i + 2;
    const std::size_t name_begin = cursor;
    if (cursor < end && is_name_start(text_[cursor])) {
      while (cursor < end && is_name_char(text_[cursor])) ++cursor;
    }
    const std::string name(text_.substr(name_begin, cursor - name_begin));
    if (name.empty()) {
      fail(start, "expected a variable name after '${' (write $$ for a literal '$')");
      i = cursor;
      return;
    }
    if (cursor < end && text_[cursor] == '}') {
      i = cursor + 1;
      if (auto value = lookup_(name)) {
        out += *value;
      } else {
        fail(start, fmt::format("environment variable '{}' is not set (write ${{{}:-default}} "
                                "to give a default)",
                                name, name));
      }
      return;
    }
    if (text_.substr(cursor, 2) != ":-") {
      fail(start, fmt::format("malformed reference to '{}': expected '}}' or ':-default}}'", name));
      i = cursor;
      return;
    }
    const std::size_t default_begin = cursor + 2;
    const std::size_t default_end = matching_brace(default_begin, end);
    if (default_end == std::string_view::npos) {
      fail(start, fmt::format("unterminated '${{{}:-' (missing '}}')", name));
      i = end;
      return;
    }
    i = default_end + 1;
    auto value = lookup_(name);
    if (value && !value->empty()) {
      out += *value;
    } else {
      expand_default(default_begin, default_end, out);
    }
  }

  // The '}' closing a default that began at `begin`; nested "${...}" pairs are skipped.
  std::size_t matching_brace(std::size_t begin, std::size_t end) const {
    int depth = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (text_[i] == '{') ++depth;
      if (text_[i] == '}') {
        if (depth == 0) return i;
        --depth;
      }
    }
    return std::string_view::npos;
  }

  void expand_default(std::size_t begin, std::size_t end, std::string& out) {
    for (std::size_t i = begin; i < end;) {
      if (text_[i] == '$') {
        expand_dollar(i, end, out);
      } else {
        out += text_[i++];
      }
    }
  }

  void fail(std::size_t offset, const std::string& message) {
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    errors_.push_back(fmt::format("{}:{}:{}: {}", source_, line, offset - line_start + 1, message));
  }

  std::string_view text_;
  const std::string& source_;
  const EnvironmentLookup& lookup_;
  std::vector<std::string> errors_;
};

}  // namespace

std::string expand_environment(std::string_view text, const std::string& source_name,
                               const EnvironmentLookup& lookup) {
  return EnvironmentExpander(text, source_name, lookup).expand_document();
}

std::string expand_environment(std::string_view text, const std::string& source_name) {
  const EnvironmentLookup process_environment =
      [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  return expand_environment(text, source_name, process_environment);
}

}  // namespace lc
