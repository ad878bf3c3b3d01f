#include "processors/throttle/throttle_options.hpp"

#include <charconv>
#include <cmath>

#include "config/yaml_section.hpp"

namespace lc {

void read_throttle_options(YamlSection& item, ThrottleOptions& options) {
  read_record_key_options(item, options.key);
  std::string rate;
  item.read_string({"rate",
                    "Records per second each key may pass on average, e.g. `100` or `0.5` "
                    "(required).",
                    "required"},
                   rate, [](std::string_view text) -> ValueProblem {
                     double value = 0;
                     auto [end, error] =
                         std::from_chars(text.data(), text.data() + text.size(), value);
                     if (error != std::errc() || end != text.data() + text.size() ||
                         !std::isfinite(value) || value <= 0 || value > 1e9) {
                       return "expected a number of records per second above 0, got \"" +
                              std::string(text) + "\"";
                     }
                     return std::nullopt;
                   });
  std::uint32_t burst = options.burst;
  item.read_count({"burst",
                   "Records a key may pass at once after a quiet spell (the bucket's size). "
                   "Absent: the rate, at least 1.",
                   "rate"},
                  burst, 0);
  options.burst = burst;
  if (item.cataloguing() || item.failed("rate")) return;
  if (rate.empty()) return item.fail("rate", "a throttle needs a rate");
  std::from_chars(rate.data(), rate.data() + rate.size(), options.rate);
}

}  // namespace lc
