// kafka-test-cluster: a Kafka cluster speaking the real protocol (librdkafka's mock cluster, in
// Debian's librdkafka) for integration tests, with a consumer that appends the value of every
// message reaching the topic, one per line, to an NDJSON file (with the sink's `encoding: json`,
// the records as the file store writes them: verify_store.py reads the directory).
//
//   kafka-test-cluster --output DIR/logs-kafka.ndjson [--brokers 3] [--topic logs]
//                      [--partitions 6] [--control FIFO]
// --control: a named pipe of commands, one per line: "down N" / "up N" (broker N, from 1).
// Prints "bootstraps <host:port,...>" once ready; exits 0 on SIGINT/SIGTERM after printing how
// many messages it consumed.
#include <CLI/CLI.hpp>
#include <array>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "sinks/kafka/kafka_mock_cluster.hpp"

namespace {

std::atomic<bool> stopping{false};
void on_signal(int) { stopping = true; }

// Applies "down N" / "up N" lines from the named pipe until the process stops.
void follow_control(const std::string& path, lc::testing::KafkaMockCluster& cluster) {
  while (!stopping) {
    std::ifstream control(path);  // blocks until a writer opens it
    for (std::string line; !stopping && std::getline(control, line);) {
      std::istringstream words(line);
      std::string command;
      int broker = 0;
      words >> command >> broker;
      if (command == "down") rd_kafka_mock_broker_set_down(cluster.cluster(), broker);
      if (command == "up") rd_kafka_mock_broker_set_up(cluster.cluster(), broker);
      std::cout << "control: " << line << std::endl;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"librdkafka's mock Kafka cluster with a consumer, for tests"};
  std::string output;
  std::string control;
  std::string topic = "logs";
  int brokers = 3;
  int partitions = 6;
  app.add_option("--output", output, "NDJSON file the consumed values are appended to")->required();
  app.add_option("--control", control, "named pipe of down N / up N commands");
  app.add_option("--brokers", brokers, "brokers in the cluster");
  app.add_option("--topic", topic, "topic created and consumed");
  app.add_option("--partitions", partitions, "partitions of the topic");
  CLI11_PARSE(app, argc, argv);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  lc::testing::KafkaMockCluster cluster(brokers);
  cluster.create_topic(topic, partitions);
  std::cout << "bootstraps " << cluster.bootstraps() << std::endl;
  if (!control.empty()) std::thread([&] { follow_control(control, cluster); }).detach();

  std::FILE* out = std::fopen(output.c_str(), "ab");
  if (out == nullptr) {
    std::cerr << "cannot open " << output << "\n";
    return 1;
  }
  std::size_t consumed = 0;
  while (!stopping) {
    const auto messages = cluster.take({topic}, std::chrono::milliseconds(200));
    for (const auto& message : messages) {
      std::fwrite(message.value.data(), 1, message.value.size(), out);
      std::fputc('\n', out);
    }
    if (!messages.empty()) std::fflush(out);
    consumed += messages.size();
  }
  std::fclose(out);
  std::cout << "consumed " << consumed << " messages" << std::endl;
  std::_Exit(0);  // the control thread may be blocked opening the pipe
}
