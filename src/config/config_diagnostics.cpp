#include "config/config_diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "config/config_error.hpp"

namespace lc {

void ConfigDiagnostics::add(ConfigLocation where, std::string_view key, std::string_view message) {
  std::string text = where.line == 0 ? fmt::format("{}: {}: {}", source_, key, message)
                                     : fmt::format("{}:{}:{}: {}: {}", source_, where.line,
                                                   where.column, key, message);
  problems_.push_back(Problem{where, std::move(text)});
}

void ConfigDiagnostics::throw_if_any() const {
  if (problems_.empty()) return;
  std::vector<const Problem*> ordered;
  ordered.reserve(problems_.size());
  for (const auto& problem : problems_) ordered.push_back(&problem);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Problem* a, const Problem* b) {
    return a->where.line != b->where.line ? a->where.line < b->where.line
                                          : a->where.column < b->where.column;
  });
  std::string message;
  const std::size_t shown = std::min(ordered.size(), kMaxReported);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) message += '\n';
    message += ordered[i]->text;
  }
  if (ordered.size() > shown) {
    message += fmt::format("\n{}: ... and {} more problems", source_, ordered.size() - shown);
  }
  throw ConfigError(message);
}

}  // namespace lc
