#include "processors/container_hints/container_hints_options.hpp"

namespace lc {

void read_container_hints_options(YamlSection&, ContainerHintsOptions&) {}

}  // namespace lc
