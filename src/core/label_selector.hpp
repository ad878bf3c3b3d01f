#pragma once

#include <map>
#include <string>

namespace lc {

// A label selector as written in the config: "key" matches when the label exists (whatever
// its value), "key=value" when it has exactly that value (no glob).
bool label_selector_matches(const std::string& selector,
                            const std::map<std::string, std::string>& labels);

}  // namespace lc
