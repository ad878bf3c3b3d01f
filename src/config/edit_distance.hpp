#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace lc {

// Levenshtein distance (insertions, deletions, substitutions) between two keys.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if it is within `max_distance` edits; ties go to the first.
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string> candidates,
                                         std::size_t max_distance = 2);

}  // namespace lc
