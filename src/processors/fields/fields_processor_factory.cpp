#include "processors/fields/fields_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/fields/fields_processor.hpp"

namespace lc {
namespace {

// The operations it has, in the order they apply.
std::string describe_fields(const FieldsOptions& options) {
  std::string out;
  auto add = [&](bool present, const char* name) {
    if (!present) return;
    out += out.empty() ? "" : ", ";
    out += name;
  };
  add(!options.from_labels.empty(), "from_labels");
  add(!options.copy.empty(), "copy");
  add(!options.rename.empty(), "rename");
  add(!options.set.empty(), "set");
  add(!options.add.empty(), "add");
  add(!options.remove.empty(), "remove");
  add(!options.keep.empty(), "keep");
  add(options.to_message != FieldsOptions::MessageFormat::kUnchanged, "to_message");
  return "(" + out + ")";
}

}  // namespace

const ProcessorFactory& fields_processor_factory() {
  static const ProcessorFactoryOf<FieldsOptions, read_fields_options, FieldsProcessor,
                                  describe_fields>
      factory("fields");
  return factory;
}

}  // namespace lc
