#include "sinks/file_store/file_store_sink_factory.hpp"

#include <stdexcept>

#include "config/options_reading.hpp"
#include "sinks/file_store/file_store_options.hpp"
#include "sinks/file_store/file_store_sink.hpp"

namespace lc {
namespace {

class FileStoreSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "file_store"; }
  // Its cursor is part of the checkpoint, and the agent recovers positions from it.
  std::optional<std::string_view> only_name() const override { return "file_store"; }
  bool present_unless_written() const override { return true; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_file_store_options);
  }

  std::vector<SinkDirectory> directories(const SinkSpec& spec,
                                         const std::string& data_dir) const override {
    return {
        {"the file store", file_store_directory(spec.options_as<FileStoreOptions>(), data_dir)}};
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    const auto& options = spec.options_as<FileStoreOptions>();
    try {
      return std::make_unique<FileStoreSink>(
          options, file_store_directory(options, context.data_dir), context.metrics);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("cannot open the file store: ") + e.what());
    }
  }
};

}  // namespace

const SinkFactory& file_store_sink_factory() {
  static const FileStoreSinkFactory factory;
  return factory;
}

}  // namespace lc
