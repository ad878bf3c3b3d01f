#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lc {

// A position in a config source, 1-based as editors count. Line 0: no position known.
struct ConfigLocation {
  std::size_t line = 0;
  std::size_t column = 0;
};

// Every problem found in one config source, so a user fixes them all in one pass.
class ConfigDiagnostics {
 public:
  explicit ConfigDiagnostics(std::string source) : source_(std::move(source)) {}

  // Records "source:line:column: key: message" (no position part when line is 0).
  void add(ConfigLocation where, std::string_view key, std::string_view message);
  bool empty() const { return problems_.empty(); }
  std::size_t count() const { return problems_.size(); }
  // Throws ConfigError listing every problem, one per line in file order, if there is any.
  void throw_if_any() const;

  // The names of the inputs declared so far (read before anything that may name them, like
  // selectors' sources:). Kept here because it is the one state every section shares.
  void declare_input(std::string name) { input_names_.push_back(std::move(name)); }
  const std::vector<std::string>& input_names() const { return input_names_; }

 private:
  struct Problem {
    ConfigLocation where;
    std::string text;
  };
  // A file that is wrong everywhere still yields a readable message.
  static constexpr std::size_t kMaxReported = 50;

  std::string source_;
  std::vector<Problem> problems_;
  std::vector<std::string> input_names_;
};

}  // namespace lc
