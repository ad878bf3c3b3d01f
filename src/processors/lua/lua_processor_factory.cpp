#include "processors/lua/lua_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/lua/lua_processor.hpp"

namespace lc {
namespace {

std::string describe_lua(const LuaOptions& options) {
  return options.function + "() of " + (options.file.empty() ? "an inline script" : options.file);
}

}  // namespace

const ProcessorFactory& lua_processor_factory() {
  static const ProcessorFactoryOf<LuaOptions, read_lua_options, LuaProcessor, describe_lua> factory(
      "lua");
  return factory;
}

}  // namespace lc
