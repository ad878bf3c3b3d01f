#include "config/environment_expansion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace lc {
namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

class ValueExpander {
 public:
  ValueExpander(std::string_view text, const EnvironmentLookup& lookup)
      : text_(text), lookup_(lookup) {}

  ExpandedValue expand() {
    for (std::size_t i = 0; i < text_.size();) {
      if (text_[i] == '$') {
        expand_dollar(i, text_.size());
      } else {
        result_.text += text_[i++];
      }
    }
    return std::move(result_);
  }

 private:
  // Expands the '$' at `i` (reference, "$$" escape or a lone '$'), advancing `i` past it.
  void expand_dollar(std::size_t& i, std::size_t end) {
    if (i + 1 >= end || (text_[i + 1] != '$' && text_[i + 1] != '{')) {
      result_.text += '$';
      ++i;
      return;
    }
    if (text_[i + 1] == '$') {
      result_.text += '$';
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
      fail("expected a variable name after '${' (write $$ for a literal '$')");
      i = cursor;
      return;
    }
    if (cursor < end && text_[cursor] == '}') {
      i = cursor + 1;
      if (auto value = lookup_(name)) {
        result_.text += *value;
      } else {
        fail(
            fmt::format("environment variable '{}' is not set (write ${{{}:-default}} to give a "
                        "default)",
                        name, name));
      }
      return;
    }
    if (text_.substr(cursor, 2) != ":-") {
      fail(fmt::format("malformed reference to '{}': expected '}}' or ':-default}}'", name));
      i = cursor;
      return;
    }
    const std::size_t default_begin = cursor + 2;
    const std::size_t default_end = matching_brace(default_begin, end);
    if (default_end == std::string_view::npos) {
      fail(fmt::format("unterminated '${{{}:-' (missing '}}')", name));
      i = end;
      return;
    }
    i = default_end + 1;
    auto value = lookup_(name);
    if (value && !value->empty()) {
      result_.text += *value;
    } else {
      expand_default(default_begin, default_end);
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

  void expand_default(std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end;) {
      if (text_[i] == '$') {
        expand_dollar(i, end);
      } else {
        result_.text += text_[i++];
      }
    }
  }

  void fail(std::string message) { result_.problems.push_back(std::move(message)); }

  std::string_view text_;
  const EnvironmentLookup& lookup_;
  ExpandedValue result_;
};

// Walks the parsed config, expanding each scalar value once (an alias shares its anchor's node,
// and an expanded value must not be expanded again).
class TreeExpander {
 public:
  TreeExpander(ConfigDiagnostics& diagnostics, const EnvironmentLookup& lookup)
      : diagnostics_(diagnostics), lookup_(lookup) {}

  void expand(YAML::Node node, const std::string& path) {
    if (node.IsMap()) {
      for (auto entry : node) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
        expand(entry.second, path.empty() ? key : path + "." + key);
      }
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        expand(node[i], fmt::format("{}[{}]", path, i));
      }
    } else if (node.IsScalar()) {
      expand_scalar(node, path);
    }
  }

 private:
  void expand_scalar(YAML::Node& node, const std::string& path) {
    if (node.Scalar().find('$') == std::string::npos || already_expanded(node)) return;
    ExpandedValue expanded = expand_environment_in_value(node.Scalar(), lookup_);
    const YAML::Mark mark = node.Mark();
    const ConfigLocation where{static_cast<std::size_t>(mark.line) + 1,
                               static_cast<std::size_t>(mark.column) + 1};
    for (const auto& problem : expanded.problems) diagnostics_.add(where, path, problem);
    const bool plain = node.Tag() == "?";  // yaml-cpp's tag for an unquoted scalar
    if (plain && expanded.text.empty()) {
      node = YAML::Null;
    } else {
      node = expanded.text;
    }
    expanded_.push_back(node);
  }

  bool already_expanded(const YAML::Node& node) const {
    return std::any_of(expanded_.begin(), expanded_.end(),
                       [&](const YAML::Node& done) { return done.is(node); });
  }

  ConfigDiagnostics& diagnostics_;
  const EnvironmentLookup& lookup_;
  std::vector<YAML::Node> expanded_;  // only values that held a '$': few
};

}  // namespace

ExpandedValue expand_environment_in_value(std::string_view value, const EnvironmentLookup& lookup) {
  return ValueExpander(value, lookup).expand();
}

void expand_environment_in_values(const YAML::Node& root, ConfigDiagnostics& diagnostics,
                                  const EnvironmentLookup& lookup) {
  TreeExpander(diagnostics, lookup).expand(root, "");
}

void expand_environment_in_values(const YAML::Node& root, ConfigDiagnostics& diagnostics) {
  const EnvironmentLookup process_environment =
      [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  expand_environment_in_values(root, diagnostics, process_environment);
}

}  // namespace lc
