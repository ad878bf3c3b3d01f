#include "core/label_selector.hpp"

namespace lc {

bool label_selector_matches(const std::string& selector,
                            const std::map<std::string, std::string>& labels) {
  const auto equals = selector.find('=');
  if (equals == std::string::npos) return labels.contains(selector);
  const auto it = labels.find(selector.substr(0, equals));
  return it != labels.end() && it->second == selector.substr(equals + 1);
}

}  // namespace lc
