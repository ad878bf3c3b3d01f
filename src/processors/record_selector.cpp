#include "processors/record_selector.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "core/label_selector.hpp"

namespace lc {
namespace {

bool contains(const std::vector<std::string>& list, const char* value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool any_glob_matches(const std::vector<std::string>& globs, const std::string& value) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return ::fnmatch(glob.c_str(), value.c_str(), 0) == 0;
  });
}

}  // namespace

RecordSelector::RecordSelector(const RecordSelectorConfig& config)
    : config_(config), everything_(config.empty()) {
  if (!config_.sources.empty()) {
    want_docker_ = contains(config_.sources, "docker");
    want_file_ = contains(config_.sources, "files") || contains(config_.sources, "file");
    for (const std::string& source : config_.sources) {
      if (source != "docker" && source != "files" && source != "file") {
        input_names_.push_back(source);
      }
    }
  }
  if (!config_.streams.empty()) {
    want_stdout_ = contains(config_.streams, "stdout");
    want_stderr_ = contains(config_.streams, "stderr");
  }
  if (!config_.message.empty()) {
    try {
      message_.emplace(config_.message, boost::regex::perl);
    } catch (const boost::regex_error& error) {
      throw std::invalid_argument("message: \"" + config_.message +
                                  "\" is not a valid regex: " + error.what());
    }
  }
}

bool RecordSelector::from_named_input(const LogRecord& record) const {
  if (input_names_.empty()) return false;
  const std::string* input = record.file_source != nullptr ? &record.file_source->input
                             : record.container != nullptr ? &record.container->input
                                                           : nullptr;
  return input != nullptr &&
         std::find(input_names_.begin(), input_names_.end(), *input) != input_names_.end();
}

bool RecordSelector::matches_source(const LogRecord& record) const {
  if (everything_) return true;
  const bool from_file = record.file_source != nullptr;
  const ContainerMetadata* container = record.container.get();
  if (!(from_file ? want_file_ : want_docker_) && !from_named_input(record)) return false;
  if (!(record.stream == LogStream::kStderr ? want_stderr_ : want_stdout_)) return false;
  if (!config_.container_names.empty() &&
      (container == nullptr || !any_glob_matches(config_.container_names, container->name))) {
    return false;
  }
  if (!config_.images.empty() &&
      (container == nullptr || !any_glob_matches(config_.images, container->image))) {
    return false;
  }
  if (!config_.files.empty() &&
      (!from_file || !any_glob_matches(config_.files, record.file_source->path))) {
    return false;
  }
  if (!config_.labels.empty()) {
    const std::map<std::string, std::string>* labels =
        container != nullptr ? &container->labels
                             : (from_file ? &record.file_source->labels : nullptr);
    if (labels == nullptr || std::none_of(config_.labels.begin(), config_.labels.end(),
                                          [&](const std::string& selector) {
                                            return label_selector_matches(selector, *labels);
                                          })) {
      return false;
    }
  }
  return true;
}

std::atomic<std::uint64_t>& RecordSelector::regex_failures() {
  static std::atomic<std::uint64_t> failures{0};
  return failures;
}

bool RecordSelector::matches_message(const LogRecord& record) const {
  try {
    return boost::regex_search(record.message.begin(), record.message.end(), *message_);
  } catch (const std::exception&) {
    // Boost.Regex gives up on a match too complex for its limits ((a+)+$ on a long line):
    // the record is taken as not matching, and counted, rather than lost with its group.
    regex_failures().fetch_add(1, std::memory_order_relaxed);
    return false;
  }
}

}  // namespace lc
