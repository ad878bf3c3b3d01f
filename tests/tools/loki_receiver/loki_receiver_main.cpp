// loki-test-receiver: the Loki push endpoint stand-in of the sink tests, as a process, for fault
// and integration tests. Decodes every push (protobuf + snappy, JSON, gzip), appends each
// accepted entry to an NDJSON file and can refuse pushes (503) for its first seconds.
//
//   loki-test-receiver --output entries.ndjson [--port 3100] [--fail-first-seconds 5]
//                      [--delay-ms 100] [--reject-containing TEXT]
//                      [--tls-cert cert.pem --tls-key key.pem [--client-ca ca.pem]]
// --delay-ms: answer every push that late (a slow Loki). --reject-containing: answer 400
// "entry out of order" to a push with a line containing TEXT (Loki refusing records for good).
//
// Prints "listening on <url>" once ready; exits 0 on SIGINT/SIGTERM after printing how many
// requests and entries it accepted. Output line:
//   {"labels":"{...}","stream":{...},"time_ns":"...","line":"...","structured_metadata":{...},
//    "tenant":"..."}
#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>

#include "sinks/loki/loki_test_receiver.hpp"

namespace {

using lc::testing::LokiTestReceiver;
using lc::testing::ReceivedRequest;
using lc::testing::ReceiverReply;

nlohmann::json entry_json(const lc::testing::ReceivedEntry& entry, const std::string& tenant) {
  nlohmann::json metadata = nlohmann::json::object();
  for (const auto& [name, value] : entry.structured_metadata) metadata[name] = value;
  return {{"labels", entry.labels},
          {"stream", entry.label_map},
          {"time_ns", std::to_string(entry.time_ns)},
          {"line", entry.line},
          {"structured_metadata", metadata},
          {"tenant", tenant}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A Loki push endpoint for tests: decodes pushes and writes entries as NDJSON"};
  std::uint16_t port = 3100;
  std::string output;
  unsigned fail_first_seconds = 0;
  unsigned delay_ms = 0;
  std::string reject_containing;
  LokiTestReceiver::Options options;
  app.add_option("--port", port, "TCP port on 127.0.0.1 (0: any free port)");
  app.add_option("--output", output, "NDJSON file the accepted entries are appended to")
      ->required();
  app.add_option("--fail-first-seconds", fail_first_seconds,
                 "Answer 503 to every push during the first N seconds");
  app.add_option("--tls-cert", options.cert_file, "Serve TLS with this certificate chain");
  app.add_option("--tls-key", options.key_file, "The TLS certificate's key");
  app.add_option("--client-ca", options.client_ca_file, "Require client certificates from this CA");
  app.add_option("--delay-ms", delay_ms, "Answer every push this many milliseconds late");
  app.add_option("--reject-containing", reject_containing,
                 "Answer 400 (entry out of order) to pushes with a line containing this text");
  CLI11_PARSE(app, argc, argv);
  options.port = port;

  std::ofstream file(output, std::ios::app);
  if (!file) {
    std::cerr << "loki-test-receiver: cannot open " << output << '\n';
    return 1;
  }
  // SIGINT/SIGTERM are taken with sigwait() below; the receiver's thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::mutex file_mutex;
  std::atomic<std::uint64_t> accepted_requests{0}, accepted_entries{0}, refused_requests{0};
  try {
    LokiTestReceiver receiver(options);
    const auto failing_until =
        std::chrono::steady_clock::now() + std::chrono::seconds(fail_first_seconds);
    receiver.set_policy([&](const ReceivedRequest& request) {
      if (std::chrono::steady_clock::now() < failing_until) {
        ++refused_requests;
        return ReceiverReply::answer(503, "loki-test-receiver: not ready yet");
      }
      if (!request.decode_error.empty()) {
        ++refused_requests;
        return ReceiverReply::answer(400, request.decode_error);
      }
      if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      if (!reject_containing.empty()) {
        for (const auto& entry : request.entries) {
          if (entry.line.find(reject_containing) == std::string::npos) continue;
          ++refused_requests;
          return ReceiverReply::answer(400, "entry out of order for stream " + entry.labels);
        }
      }
      return ReceiverReply::answer(204);
    });
    receiver.on_accepted([&](const ReceivedRequest& request) {
      const std::string tenant = request.header("x-scope-orgid");
      std::lock_guard lock(file_mutex);
      for (const auto& entry : request.entries) file << entry_json(entry, tenant).dump() << '\n';
      file.flush();
      ++accepted_requests;
      accepted_entries += request.entries.size();
    });
    std::cout << "listening on " << receiver.url() << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
  } catch (const std::exception& error) {
    std::cerr << "loki-test-receiver: " << error.what() << '\n';
    return 1;
  }
  std::cerr << "loki-test-receiver: accepted " << accepted_entries << " entries in "
            << accepted_requests << " requests, refused " << refused_requests << " requests\n";
  return 0;
}
