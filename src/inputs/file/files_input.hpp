#pragma once

#include <memory>
#include <string>

#include "inputs/file/file_input.hpp"
#include "inputs/file/file_input_metrics.hpp"
#include "inputs/input.hpp"
#include "inputs/input_factory.hpp"

namespace lc::multiline {
class MultilineSelection;
}

namespace lc::file_input {

// The files input as a component: a FileInput wired to the pipeline (submit, read room), to
// the per-file checkpoints and to the claims that keep two inputs off one file.
class FilesInput : public Input {
 public:
  // Throws std::exception for a bad multiline pattern.
  FilesInput(const InputSpec& spec, const InputBuildContext& context);
  ~FilesInput() override;

  void start() override { input_->start(); }
  void stop() override { input_->stop(); }
  bool finished() const override { return input_->finished(); }

 private:
  FileInputMetrics metrics_;
  // Before the input: its joiners count into both.
  std::unique_ptr<multiline::MultilineSelection> multiline_;
  std::unique_ptr<FileInput> input_;
};

}  // namespace lc::file_input
