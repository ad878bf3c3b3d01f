#include "inputs/docker/container_log_stream.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "inputs/docker/docker_input_harness.hpp"

namespace lc::docker_input {
namespace {

using namespace std::chrono_literals;
using testing::DockerInputHarness;

const std::string kWeb(64, 'a');

class ContainerLogStreamTest : public ::testing::Test, protected DockerInputHarness {
 protected:
  ContainerLogStreamTest() {
    ContainerMetadata container;
    container.id = kWeb;
    container.name = "web";
    container.tty = true;  // raw lines, no multiplexing frames
    container.running = true;
    container.started_at = "2026-01-01T00:00:00Z";
    client_.containers[kWeb] = container;
    client_.logs_body[kWeb] = "2026-01-01T00:00:00.000000001Z hello\n";
  }
  ~ContainerLogStreamTest() override {
    if (stream_) {
      stream_->stop();
      run_until([&] { return ended_.has_value(); });
      stream_.reset();
    }
  }

  void start() {
    stream_ = std::make_shared<ContainerLogStream>(
        io_.get_executor(),
        ContainerLogStream::Dependencies{client_, *pipeline_, tracker_, config_, metrics_},
        std::make_shared<const ContainerMetadata>(client_.containers.at(kWeb)),
        [this](const std::string&, StreamEnd how) { ended_ = how; });
    stream_->start();
  }

  std::shared_ptr<ContainerLogStream> stream_;
  std::optional<StreamEnd> ended_;
};

TEST_F(ContainerLogStreamTest, TransientErrorsOnLogsAreRetriedNotTakenAsUnsupported) {
  client_.logs_failures[kWeb] = {500, 409, 503};
  start();
  ASSERT_TRUE(delivered("hello"));
  EXPECT_FALSE(ended_.has_value());
  EXPECT_EQ(client_.logs_opens[kWeb], 4);
  EXPECT_EQ(metrics_.stream_errors.value(), 3u);
}

TEST_F(ContainerLogStreamTest, ATransientErrorOnTheCatchUpReadIsRetried) {
  client_.logs_failures[kWeb] = {0, 500};  // the follow stream opens; the catch-up read fails
  start();
  ASSERT_TRUE(delivered("hello"));
  // The container stops: its follow stream ends, and the read for its last lines fails once.
  client_.containers[kWeb].running = false;
  client_.logs_body[kWeb] += "2026-01-01T00:00:00.000000002Z bye\n";
  client_.logs[kWeb]->end();
  ASSERT_TRUE(delivered("bye"));
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  EXPECT_EQ(*ended_, StreamEnd::kExited);
  EXPECT_EQ(metrics_.stream_errors.value(), 1u);
}

TEST_F(ContainerLogStreamTest, ADriverThatCannotBeReadEndsTheFollower) {
  client_.logs_failures[kWeb] = {501};
  start();
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  EXPECT_EQ(*ended_, StreamEnd::kUnsupported);
}

}  // namespace
}  // namespace lc::docker_input
