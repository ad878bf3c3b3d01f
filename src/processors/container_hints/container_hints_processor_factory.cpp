#include "processors/container_hints/container_hints_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/container_hints/container_hints_processor.hpp"

namespace lc {
namespace {

std::string describe_hints(const ContainerHintsOptions&) {
  return "(labels io.log-capturer.exclude, io.log-capturer.parser)";
}

}  // namespace

const ProcessorFactory& container_hints_processor_factory() {
  static const ProcessorFactoryOf<ContainerHintsOptions, read_container_hints_options,
                                  ContainerHintsProcessor, describe_hints>
      factory("container_hints");
  return factory;
}

}  // namespace lc
