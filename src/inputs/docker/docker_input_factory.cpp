#include "inputs/docker/docker_input_factory.hpp"

#include "config/options_reading.hpp"
#include "inputs/docker/docker_input.hpp"
#include "inputs/docker/docker_input_options.hpp"

namespace lc {
namespace {

class DockerInputFactory : public InputFactory {
 public:
  std::string_view type() const override { return "docker"; }
  bool single_instance() const override { return true; }
  bool present_unless_written() const override { return true; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_docker_input_options);
  }

  std::unique_ptr<Input> build(const InputSpec& spec,
                               const InputBuildContext& context) const override {
    return std::make_unique<docker_input::DockerInput>(spec, context);
  }
};

}  // namespace

const InputFactory& docker_input_factory() {
  static const DockerInputFactory factory;
  return factory;
}

}  // namespace lc
