#pragma once

#include <chrono>
#include <cstdint>

#include "config/component_options.hpp"
#include "processors/multiline/multiline_joiner.hpp"
#include "processors/multiline/multiline_rules.hpp"

namespace lc {

class YamlSection;

// processors: - type: multiline (docs/configuration.md): joins the lines of a stack trace into
// one record. It runs in the inputs, per container and stream (or per file), before every
// other processor: a group still open when the agent stops is read again whole.
struct MultilineOptions : OptionsOf<MultilineOptions> {
  multiline::RuleChoice rules;
  std::uint32_t max_lines = 500;
  std::uint32_t max_bytes = 1024 * 1024;
  std::chrono::milliseconds flush_timeout{1000};

  bool operator==(const MultilineOptions&) const = default;

  multiline::JoinLimits limits() const {
    multiline::JoinLimits limits;
    limits.max_lines = max_lines;
    limits.max_bytes = max_bytes;
    limits.flush_timeout = flush_timeout;
    return limits;
  }
};

void read_multiline_options(YamlSection& item, MultilineOptions& options);

}  // namespace lc
