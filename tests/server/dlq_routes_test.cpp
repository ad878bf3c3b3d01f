#include "server/dlq_routes.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "buffer/disk_buffer/buffer_test_records.hpp"
#include "server/http_server.hpp"
#include "support/temp_directory.hpp"
#include "test_http_client.hpp"

namespace lc::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::TestHttpClient;
using test::TestResponse;

// The dead-letter routes on a real HttpServer (127.0.0.1:0, io_context on a background
// thread), over a real store, through the test HTTP client.
class DlqRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DeadLetterStoreOptions options;
    options.directory = temp_ / "dead_letters";
    options.fsync = false;
    store_ = std::make_unique<DeadLetterStore>(options, metrics_);
    HttpRouter router;
    DeadLetterRedelivery redelivery;
    redelivery.has_sink = [this](std::string_view sink) {
      std::lock_guard lock(mutex_);
      return configured_.contains(std::string(sink));
    };
    redelivery.redeliver = [this](const std::string& sink, std::vector<LogRecord> records,
                                  RedeliveryDone done) {
      std::lock_guard lock(mutex_);
      if (!accept_ || refusing_.contains(sink)) return false;
      for (LogRecord& record : records) requeued_.push_back(std::move(record));
      lanes_.push_back({sink, std::move(done)});
      return true;
    };
    add_dead_letter_routes(router, *store_, std::move(redelivery));
    server_ = std::make_unique<HttpServer>(io_.get_executor(), "api", "127.0.0.1:0",
                                           std::move(router), metrics_);
    server_->start();
    runner_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    std::promise<void> stopped;
    boost::asio::post(server_->executor(), [&] {
      server_.reset();
      stopped.set_value();
    });
    ASSERT_EQ(stopped.get_future().wait_for(5s), std::future_status::ready);
    work_.reset();
    io_.stop();
    runner_.join();
  }

  TestResponse request(const std::string& method, const std::string& target) {
    TestHttpClient client(server_->port());
    EXPECT_TRUE(client.send(method + " " + target +
                            " HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n"));
    const auto response = client.read_response();
    EXPECT_TRUE(response) << method << " " << target;
    return response.value_or(TestResponse{});
  }
  json get_json(const std::string& target, unsigned expected_status = 200) {
    const TestResponse response = request("GET", target);
    EXPECT_EQ(response.status, expected_status) << target << ": " << response.body;
    EXPECT_EQ(response.header("content-type"), "application/json");
    return json::parse(response.body);
  }
  json post_json(const std::string& target, unsigned expected_status = 200) {
    const TestResponse response = request("POST", target);
    EXPECT_EQ(response.status, expected_status) << target << ": " << response.body;
    return json::parse(response.body);
  }
  void add(const std::string& sink, std::uint32_t first, std::uint32_t count) {
    ASSERT_EQ(store_
                  ->add(sink, {"rejected", "HTTP 400 from " + sink},
                        testing::make_records(web_, first, count))
                  .added,
              count);
  }
  std::vector<std::uint64_t> listed_ids(const std::string& query) {
    std::vector<std::uint64_t> ids;
    const json page = get_json(std::string(kDeadLetterEntriesPath) + query);
    for (const json& entry : page["entries"]) {
      ids.push_back(entry["id"].get<std::uint64_t>());
    }
    return ids;
  }

  testing::TempDirectory temp_;
  MetricsRegistry metrics_;
  std::unique_ptr<DeadLetterStore> store_;
  const ContainerMetadataPtr web_ = testing::make_container("web");
  // The lanes' side: what they were given, finished (or dropped) when the test says.
  void finish_lanes(std::uint64_t refused_each = 0) {
    std::vector<std::pair<std::string, RedeliveryDone>> lanes;
    {
      std::lock_guard lock(mutex_);
      lanes.swap(lanes_);
    }
    for (auto& [sink, done] : lanes) done(refused_each);
  }
  void drop_lanes() {
    std::vector<std::pair<std::string, RedeliveryDone>> lanes;
    std::lock_guard lock(mutex_);
    lanes.swap(lanes_);
  }
  std::string reprocess_path(const std::string& query = "") {
    return std::string(kDeadLetterReprocessPath) + query;
  }

  std::mutex mutex_;
  bool accept_ = true;
  std::set<std::string> configured_{"loki", "kafka"};
  std::set<std::string> refusing_;
  std::vector<LogRecord> requeued_;
  std::vector<std::pair<std::string, RedeliveryDone>> lanes_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
};

TEST_F(DlqRoutesTest, StatsCountEntriesBySinkWithOldestAndNewest) {
  json stats = get_json(kDeadLetterStatsPath);
  EXPECT_EQ(stats["entries"], 0);
  EXPECT_TRUE(stats["oldest"].is_null());
  EXPECT_EQ(stats["by_sink"], json::object());

  add("loki", 0, 3);
  add("kafka", 3, 2);
  stats = get_json(kDeadLetterStatsPath);
  EXPECT_EQ(get_json("/dlq/stats"), stats);  // also served without the /api/v1 prefix
  EXPECT_EQ(stats["entries"], 5);
  EXPECT_EQ(stats["bytes"], store_->stats().bytes);
  EXPECT_GT(stats["bytes"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(stats["max_bytes"], DeadLetterStoreOptions{}.max_bytes);
  EXPECT_EQ(stats["oldest"]["id"], 1);
  EXPECT_EQ(stats["newest"]["id"], 5);
  EXPECT_TRUE(parse_rfc3339(stats["newest"]["added"].get<std::string>()));
  EXPECT_EQ(stats["by_sink"], (json{{"kafka", 2}, {"loki", 3}}));
}

TEST_F(DlqRoutesTest, EntriesCarryTheRecordAndPageWithAfter) {
  add("loki", 0, 5);
  json page = get_json(std::string(kDeadLetterEntriesPath) + "?limit=2");
  ASSERT_EQ(page["entries"].size(), 2u);
  const json& first = page["entries"][0];
  const LogRecord record = testing::make_record(web_, 0);
  EXPECT_EQ(first["id"], 1);
  EXPECT_EQ(first["sink"], "loki");
  EXPECT_EQ(first["reason"], (json{{"kind", "rejected"}, {"message", "HTTP 400 from loki"}}));
  EXPECT_TRUE(parse_rfc3339(first["added"].get<std::string>()));
  EXPECT_EQ(first["record"]["message"], record.message);
  EXPECT_EQ(first["record"]["time"], format_rfc3339_nano(record.time));
  EXPECT_EQ(first["record"]["stream"], "stdout");
  EXPECT_EQ(first["record"]["container_id"], web_->id);
  EXPECT_EQ(first["record"]["container_name"], "web");
  EXPECT_EQ(first["record"]["truncated"], true);  // record 0: every fifth is truncated
  EXPECT_EQ(page["next_after"], 2);

  EXPECT_EQ(listed_ids("?after=2&limit=2"), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_EQ(listed_ids("?after=4"), (std::vector<std::uint64_t>{5}));
  page = get_json(std::string(kDeadLetterEntriesPath) + "?after=5");
  EXPECT_EQ(page["entries"], json::array());
  EXPECT_EQ(page["next_after"], 5);
}

TEST_F(DlqRoutesTest, BadParametersAreClear400s) {
  const std::string entries = kDeadLetterEntriesPath;
  EXPECT_EQ(get_json(entries + "?limit=0", 400)["error"],
            "limit must be an integer from 1 to 1000, not \"0\"");
  EXPECT_EQ(get_json(entries + "?limit=1001", 400)["error"],
            "limit must be an integer from 1 to 1000, not \"1001\"");
  EXPECT_EQ(get_json(entries + "?limit=ten", 400)["error"],
            "limit must be an integer from 1 to 1000, not \"ten\"");
  EXPECT_EQ(get_json(entries + "?after=-1", 400)["error"],
            "after must be an integer from 0 to 18446744073709551615, not \"-1\"");
  EXPECT_EQ(get_json(entries + "?offset=3", 400)["error"], "unknown parameter \"offset\"");
  EXPECT_EQ(get_json(entries + "?limit=1&limit=2", 400)["error"],
            "parameter \"limit\" given twice");
  EXPECT_EQ(get_json(entries + "?after=%zz", 400)["error"],
            "malformed percent-encoding in the query");
  EXPECT_EQ(post_json(std::string(kDeadLetterReprocessPath) + "?sink=", 400)["error"],
            "sink must not be empty");
  EXPECT_EQ(post_json(std::string(kDeadLetterReprocessPath) + "?after=1", 400)["error"],
            "unknown parameter \"after\"");
  EXPECT_EQ(request("GET", kDeadLetterReprocessPath).status, 405u);
  EXPECT_EQ(request("POST", kDeadLetterStatsPath).status, 405u);
}

TEST_F(DlqRoutesTest, ReprocessAnswers202AndRemovesEntriesOnlyOnceTheLaneIsDone) {
  add("loki", 0, 4);
  add("kafka", 4, 2);
  json answer = post_json(reprocess_path("?limit=3"), 202);
  EXPECT_EQ(answer["id"], 1);
  EXPECT_EQ(answer["taken"], 3);
  EXPECT_EQ(answer["queued"], 3);
  EXPECT_EQ(answer["pending"], 3);
  {
    std::lock_guard lock(mutex_);
    ASSERT_EQ(requeued_.size(), 3u);
    EXPECT_TRUE(testing::same_record(requeued_[0], testing::make_record(web_, 0)));
    EXPECT_TRUE(testing::same_record(requeued_[2], testing::make_record(web_, 2)));
  }
  // Queued is not delivered: a crash now must find them still stored.
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6}));
  json stats = get_json(kDeadLetterStatsPath);
  EXPECT_EQ(stats["in_flight"], 3);
  EXPECT_EQ(stats["replays"][0]["pending"], 3);

  finish_lanes();
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{4, 5, 6}));
  stats = get_json(kDeadLetterStatsPath);
  EXPECT_EQ(stats["in_flight"], 0);
  EXPECT_EQ(stats["replays"][0]["delivered"], 3);
  EXPECT_EQ(stats["replays"][0]["pending"], 0);

  answer = post_json(reprocess_path("?sink=kafka"), 202);
  EXPECT_EQ(answer["id"], 2);
  EXPECT_EQ(answer["taken"], 2);
  finish_lanes(1);  // the sink refused one of them again (stored anew by the lane)
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{4}));
  stats = get_json(kDeadLetterStatsPath);
  EXPECT_EQ(stats["replays"][1]["delivered"], 1);
  EXPECT_EQ(stats["replays"][1]["dead_lettered_again"], 1);
  EXPECT_EQ(metrics_.counter("log_capturer_dead_letters_reprocessed_total", "", {{"sink", "kafka"}})
                .value(),
            2u);
}

TEST_F(DlqRoutesTest, EntriesInFlightAreNotTakenTwice) {
  add("loki", 0, 3);
  EXPECT_EQ(post_json(reprocess_path(), 202)["taken"], 3);
  const json again = post_json(reprocess_path(), 202);
  EXPECT_EQ(again["taken"], 0);
  {
    std::lock_guard lock(mutex_);
    EXPECT_EQ(requeued_.size(), 3u);
  }
  finish_lanes();
  EXPECT_EQ(get_json(kDeadLetterStatsPath)["entries"], 0);
}

TEST_F(DlqRoutesTest, ALaneStoppedBeforeDeliveringKeepsTheEntries) {
  add("loki", 0, 3);
  EXPECT_EQ(post_json(reprocess_path(), 202)["queued"], 3);
  drop_lanes();  // shutdown deadline: the redelivery is destroyed, never done
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{1, 2, 3}));
  const json stats = get_json(kDeadLetterStatsPath);
  EXPECT_EQ(stats["in_flight"], 0);
  EXPECT_EQ(stats["replays"][0]["not_confirmed"], 3);
  EXPECT_EQ(stats["replays"][0]["pending"], 0);
  EXPECT_EQ(post_json(reprocess_path(), 202)["taken"], 3);  // taken again
}

TEST_F(DlqRoutesTest, EntriesOfASinkNoLongerConfiguredAreSkippedNot503) {
  add("elasticsearch", 0, 3);
  add("loki", 3, 2);
  const json answer = post_json(reprocess_path("?limit=2"), 202);
  EXPECT_EQ(answer["taken"], 2);
  EXPECT_EQ(answer["queued"], 2);
  EXPECT_EQ(answer["skipped_unconfigured_sinks"], (json{{"elasticsearch", 3}}));
  finish_lanes();
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(post_json(reprocess_path(), 202)["taken"], 0);
  EXPECT_EQ(post_json(reprocess_path("?sink=elasticsearch"), 202)["skipped_unconfigured_sinks"],
            (json{{"elasticsearch", 3}}));
}

TEST_F(DlqRoutesTest, AMultiSinkReplayFailingHalfWayDoesNotSendTheFirstSinksRecordsAgain) {
  add("kafka", 0, 2);
  add("loki", 2, 2);
  {
    std::lock_guard lock(mutex_);
    refusing_.insert("loki");
  }
  const json answer = post_json(reprocess_path(), 202);
  EXPECT_EQ(answer["queued"], 2);
  EXPECT_EQ(answer["not_queued"], 2);
  finish_lanes();
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{3, 4}));
  {
    std::lock_guard lock(mutex_);
    refusing_.clear();
    requeued_.clear();
  }
  EXPECT_EQ(post_json(reprocess_path(), 202)["taken"], 2);
  std::lock_guard lock(mutex_);
  ASSERT_EQ(requeued_.size(), 2u);  // only loki's: kafka's are not sent twice
  EXPECT_TRUE(testing::same_record(requeued_[0], testing::make_record(web_, 2)));
}

TEST_F(DlqRoutesTest, RefusedRequeueKeepsEveryEntry) {
  add("loki", 0, 3);
  {
    std::lock_guard lock(mutex_);
    accept_ = false;
  }
  const json answer = post_json(reprocess_path("?limit=2"), 503);
  EXPECT_EQ(answer["taken"], 2);
  EXPECT_EQ(answer["queued"], 0);
  EXPECT_EQ(answer["not_queued"], 2);
  EXPECT_NE(answer["error"].get<std::string>().find("stay in the dead-letter store"),
            std::string::npos);
  EXPECT_EQ(listed_ids(""), (std::vector<std::uint64_t>{1, 2, 3}));
  {
    std::lock_guard lock(mutex_);
    accept_ = true;
  }
  EXPECT_EQ(post_json(reprocess_path(), 202)["queued"], 3);
  finish_lanes();
  EXPECT_EQ(get_json(kDeadLetterStatsPath)["entries"], 0);
}

TEST_F(DlqRoutesTest, EntriesAndReprocessAreBoundedByBytes) {
  ASSERT_EQ(store_->add("loki", {"rejected", "x"}, testing::make_records(web_, 0, 10, 1000)).added,
            10u);
  EXPECT_EQ(listed_ids("?max_bytes=3500"), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(listed_ids("?max_bytes=1"), (std::vector<std::uint64_t>{1}));
  EXPECT_EQ(post_json(reprocess_path("?max_bytes=2500"), 202)["taken"], 2);
  const std::string entries = kDeadLetterEntriesPath;
  EXPECT_EQ(get_json(entries + "?max_bytes=0", 400)["error"],
            "max_bytes must be an integer from 1 to 16777216, not \"0\"");
  EXPECT_EQ(get_json(entries + "?max_bytes=16777217", 400)["error"],
            "max_bytes must be an integer from 1 to 16777216, not \"16777217\"");
}

}  // namespace
}  // namespace lc::server
