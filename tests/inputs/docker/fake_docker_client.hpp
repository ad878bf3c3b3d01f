#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "docker/docker_client.hpp"

namespace lc::docker_input::testing {

// A body the test writes into (push) and ends (end); close() aborts a pending read, as a
// real connection does. Lives on one executor with its reader.
class FakeDockerStream : public docker::DockerStream {
 public:
  struct State {
    explicit State(boost::asio::any_io_executor executor) : wake(executor) {}
    std::deque<char> data;
    bool ended = false;
    bool closed = false;
    boost::asio::steady_timer wake;
    void push(const std::string& bytes) {
      data.insert(data.end(), bytes.begin(), bytes.end());
      wake.cancel();
    }
    void end() {
      ended = true;
      wake.cancel();
    }
  };

  explicit FakeDockerStream(std::shared_ptr<State> state) : state_(std::move(state)) {}
  ~FakeDockerStream() override { close(); }

  boost::asio::awaitable<std::size_t> read_some(std::span<char> buffer) override {
    for (;;) {
      if (state_->closed) {
        throw boost::system::system_error(boost::asio::error::operation_aborted);
      }
      if (!state_->data.empty()) {
        const std::size_t n = std::min(buffer.size(), state_->data.size());
        std::copy_n(state_->data.begin(), n, buffer.begin());
        state_->data.erase(state_->data.begin(), state_->data.begin() + static_cast<long>(n));
        co_return n;
      }
      if (state_->ended) co_return 0;
      state_->wake.expires_at(boost::asio::steady_timer::time_point::max());
      boost::system::error_code ignored;
      co_await state_->wake.async_wait(
          boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
  }
  void close() override {
    state_->closed = true;
    state_->wake.cancel();
  }

 private:
  std::shared_ptr<State> state_;
};

// A scripted engine for the Docker input's tasks: containers the test adds and removes,
// failures it injects, and event and log streams it writes. Single-threaded (the test's
// io_context).
class FakeDockerClient : public docker::DockerClient {
 public:
  explicit FakeDockerClient(boost::asio::any_io_executor executor) : executor_(executor) {}

  // --- what the engine holds
  std::map<std::string, ContainerMetadata> containers;
  bool engine_down = false;                     // every call fails
  int events_failures = 0;                      // the next opens of /events that fail
  std::map<std::string, int> inspect_failures;  // per id: the next inspects that fail
  // Per id: the statuses the next opens of /logs fail with, in turn (0: that one succeeds).
  std::map<std::string, std::deque<unsigned>> logs_failures;
  // Per id: the log; a plain /logs read carries all of it, a follow stream all of it or (tail=0)
  // nothing, then what append_log() adds, and stays open.
  std::map<std::string, std::string> logs_body;
  // Runs as each /logs request arrives (the container may write meanwhile).
  std::function<void(const std::string& id, const docker::LogsQuery&)> on_open_logs;

  // --- what the agent did
  int events_open_attempts = 0;
  int events_opened = 0;
  int lists = 0;
  std::map<std::string, int> inspects;
  std::map<std::string, int> logs_opens;
  std::map<std::string, std::shared_ptr<FakeDockerStream::State>> logs;     // the last per id
  std::map<std::string, std::shared_ptr<FakeDockerStream::State>> follows;  // the last per id
  std::map<std::string, std::vector<docker::LogsQuery>> logs_queries;       // every one, per id

  // The container writes: the log grows, and its open follow stream carries the text.
  void append_log(const std::string& id, const std::string& text) {
    logs_body[id] += text;
    if (auto follow = follows.find(id); follow != follows.end() && !follow->second->closed) {
      follow->second->push(text);
    }
  }
  std::shared_ptr<FakeDockerStream::State> events;  // the last events stream opened

  void send_event(const std::string& action, const std::string& id) {
    events->push(R"({"Type":"container","Action":")" + action + R"(","Actor":{"ID":")" + id +
                 R"("}})" + "\n");
  }

  boost::asio::awaitable<std::string> negotiate_version() override {
    fail_if_down();
    co_return "1.41";
  }
  boost::asio::awaitable<std::vector<docker::ContainerSummary>> list_containers(bool) override {
    fail_if_down();
    ++lists;
    std::vector<docker::ContainerSummary> list;
    for (const auto& [id, container] : containers) {
      list.push_back(
          {id, container.name, container.image, container.running ? "running" : "exited"});
    }
    co_return list;
  }
  boost::asio::awaitable<std::optional<ContainerMetadata>> inspect_container(
      const std::string& id) override {
    fail_if_down();
    ++inspects[id];
    if (auto failing = inspect_failures.find(id);
        failing != inspect_failures.end() && failing->second > 0) {
      --failing->second;
      throw docker::DockerApiError(500, "injected inspect failure");
    }
    const auto found = containers.find(id);
    if (found == containers.end()) co_return std::nullopt;
    co_return found->second;
  }
  boost::asio::awaitable<std::unique_ptr<docker::DockerStream>> open_events() override {
    ++events_open_attempts;
    fail_if_down();
    if (events_failures > 0) {
      --events_failures;
      throw std::runtime_error("injected events failure");
    }
    ++events_opened;
    events = std::make_shared<FakeDockerStream::State>(executor_);
    co_return std::make_unique<FakeDockerStream>(events);
  }
  boost::asio::awaitable<std::unique_ptr<docker::DockerStream>> open_logs(
      const std::string& id, const docker::LogsQuery& query) override {
    fail_if_down();
    ++logs_opens[id];
    if (auto failing = logs_failures.find(id);
        failing != logs_failures.end() && !failing->second.empty()) {
      const unsigned status = failing->second.front();
      failing->second.pop_front();
      if (status != 0) {
        throw docker::DockerApiError(status, "injected /logs failure " + std::to_string(status));
      }
    }
    if (!containers.contains(id)) throw docker::DockerApiError(404, "no such container");
    logs_queries[id].push_back(query);
    if (on_open_logs) on_open_logs(id, query);
    auto state = std::make_shared<FakeDockerStream::State>(executor_);
    if (!query.follow || query.tail != 0u) state->push(selected_entries(id, query));
    if (!query.follow) state->end();
    if (query.follow) follows[id] = state;
    logs[id] = state;
    co_return std::make_unique<FakeDockerStream>(state);
  }
  void close_idle() override {}
  void cancel_all() override {}

 private:
  // A TTY log's entries ("<time> text\n" lines) as dockerd selects them: at or after `since`,
  // the last `tail` of them. Other bodies are sent whole.
  std::string selected_entries(const std::string& id, const docker::LogsQuery& query) {
    const std::string& body = logs_body[id];
    if (!containers[id].tty || (query.since == 0 && !query.tail)) return body;
    std::vector<std::string_view> entries;
    for (std::size_t at = 0; at < body.size();) {
      const std::size_t end = std::min(body.find('\n', at), body.size() - 1) + 1;
      const std::string_view entry(body.data() + at, end - at);
      const auto time = parse_rfc3339(entry.substr(0, entry.find(' ')));
      if (!time || *time >= query.since) entries.push_back(entry);
      at = end;
    }
    const std::size_t skip =
        query.tail ? entries.size() - std::min<std::size_t>(entries.size(), *query.tail) : 0;
    std::string selected;
    for (std::size_t i = skip; i < entries.size(); ++i) selected += entries[i];
    return selected;
  }

  void fail_if_down() const {
    if (engine_down) throw std::runtime_error("injected: engine unreachable");
  }

  boost::asio::any_io_executor executor_;
};

}  // namespace lc::docker_input::testing
