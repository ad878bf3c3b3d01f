#pragma once

#include <cstddef>
#include <string_view>
#include <unordered_map>

#include "core/field_value.hpp"

namespace lc {

// Sets keys in a fields map the way parsers and merges do: a key already there takes the new
// value in its place, a new key is appended. Linear while the map is small, indexed once it
// holds 16 keys, so that a line of many keys costs time in proportion to them. Reserves room
// for `additions` more keys: the index points into the map's keys, so no more than that may be
// added while the writer lives.
class FieldMapWriter {
 public:
  FieldMapWriter(FieldValue::Map& map, std::size_t additions);
  void set(std::string_view key, FieldValue value) { slot(key) = std::move(value); }
  // The value under `key` to be written in place: the one there, or a new null one appended.
  // Valid until the next call.
  FieldValue& slot(std::string_view key);

 private:
  void index_all();

  FieldValue::Map& map_;
  std::unordered_map<std::string_view, std::size_t> index_;  // empty: not indexed yet
};

}  // namespace lc
