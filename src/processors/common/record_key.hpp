#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/record_template.hpp"

namespace lc {

class YamlSection;

// The `key:` of throttle and sample: a template rendered per record ("{{ .container_name }}"),
// so that each container (or level, or anything) has its own budget. Empty: one key for all.
struct RecordKeyOptions {
  std::string key;
  std::uint32_t max_keys = 10000;

  bool operator==(const RecordKeyOptions&) const = default;
};

void read_record_key_options(YamlSection& item, RecordKeyOptions& options);

// The parsed template and the host it renders `.host` with.
class RecordKey {
 public:
  explicit RecordKey(const RecordKeyOptions& options);
  void render(const LogRecord& record, std::string& out) const;

 private:
  RecordTemplate template_;
  std::string host_;
};

}  // namespace lc
