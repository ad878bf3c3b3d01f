#include "inputs/file/files_input_factory.hpp"

#include "config/options_reading.hpp"
#include "config/yaml_section.hpp"
#include "inputs/file/file_input_config.hpp"
#include "inputs/file/files_input.hpp"

namespace lc {
namespace {

class FilesInputFactory : public InputFactory {
 public:
  std::string_view type() const override { return "files"; }
  // inputs.files was off unless enabled; an input of a name of the user's is on.
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_file_input_config);
  }

  void check_enabled(YamlSection& section, const ComponentOptions& options) const override {
    const auto& files = static_cast<const FileInputConfig&>(options);
    if (files.include.empty() && !section.failed("include")) {
      section.fail("include", "is required: glob patterns of the files to tail");
    }
  }

  std::unique_ptr<Input> build(const InputSpec& spec,
                               const InputBuildContext& context) const override {
    return std::make_unique<file_input::FilesInput>(spec, context);
  }
};

}  // namespace

const InputFactory& files_input_factory() {
  static const FilesInputFactory factory;
  return factory;
}

}  // namespace lc
