// loki-test-receiver: the Loki push endpoint stand-in of the sink tests, as a process, for fault
// and integration tests. Decodes every push (protobuf + snappy, JSON, gzip), appends each
// accepted entry to an NDJSON file and can refuse pushes (503) for its first seconds.
//
//   loki-test-receiver --output entries.ndjson [--port 3100] [--fail-first-seconds 5]
//                      [--delay-ms 100] [--reject-containing TEXT] [--fault-every N]
//                      [--step-file FILE --steps N]
//                      [--tls-cert cert.pem --tls-key key.pem [--client-ca ca.pem]]
// --delay-ms: answer every push that late (a slow Loki). --reject-containing: answer 400
// "entry out of order" to a push with a line containing TEXT (Loki refusing records for good).
// --fault-every N: every Nth push gets a malformed answer instead, in turn: bytes that are not
// HTTP, a connection reset before any answer, a 502 with a binary body, a 429, a 200 whose
// body is binary garbage, a 302 redirect and an ingress's 404; the first five are
// transient (the agent retries), the 302 and 404 are not a success either, nor Loki judging the
// records (the agent retries the batch after its error is counted). Only 2xx answers record
// entries.
// --step-file FILE --steps N: after each of the first N pushes it accepts, the receiver creates
// FILE and answers no push until FILE is removed: a test looks at a Loki that cannot move.
//
// --otlp: an OpenTelemetry collector's OTLP/HTTP logs endpoint instead (any path; protobuf or
// JSON, gzip), decoded by tests/sinks/otlp/otlp_test_decoder; each accepted log record is a
// line {"line": <body>, "time_ns", "observed_ns", "severity_number", "severity_text",
// "resource": {...}, "attributes": {...}, "structured_metadata": {"unparsed": "true"?}}, values
// in the decoder's canonical text. --reject-containing answers 400 there.
//
// --http: any HTTP endpoint instead (any path, any body): an accepted NDJSON body's lines
// (after gunzip) are counted as its entries and not written (the HTTP sink's bench).
//
// Prints "listening on <url>" once ready; exits 0 on SIGINT/SIGTERM after printing how many
// requests and entries it accepted. Output line:
//   {"labels":"{...}","stream":{...},"time_ns":"...","line":"...","structured_metadata":{...},
//    "tenant":"..."}
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "sinks/loki/loki_test_receiver.hpp"
#include "sinks/otlp/logs_service.pb.h"
#include "sinks/otlp/otlp_test_decoder.hpp"
#include "support/test_gunzip.hpp"

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

nlohmann::json attributes_json(const std::vector<lc::testing::DecodedAttribute>& attributes) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : attributes) object[key] = value;
  return object;
}

// The records of an accepted OTLP export, one JSON object each.
std::vector<nlohmann::json> otlp_records_json(const ReceivedRequest& request) {
  lc::testing::DecodedExport decoded;
  lc::testing::decode_otlp_export(request.body, request.header("content-type"),
                                  request.header("content-encoding"), decoded);
  std::vector<nlohmann::json> records;
  for (const auto& resource : decoded.resources) {
    for (const auto& record : resource.records) {
      // The body's canonical text is a JSON string for a string body.
      const nlohmann::json body = nlohmann::json::parse(record.body, nullptr, false);
      nlohmann::json metadata = nlohmann::json::object();
      if (lc::testing::attribute(record.attributes, "log_capturer.unparsed") == "true") {
        metadata["unparsed"] = "true";
      }
      records.push_back({{"line", body.is_string() ? body.get<std::string>() : record.body},
                         {"time_ns", std::to_string(record.time_unix_nano)},
                         {"observed_ns", std::to_string(record.observed_time_unix_nano)},
                         {"severity_number", record.severity_number},
                         {"severity_text", record.severity_text},
                         {"resource", attributes_json(resource.resource)},
                         {"attributes", attributes_json(record.attributes)},
                         {"structured_metadata", metadata}});
    }
  }
  return records;
}

bool otlp_export_contains(const ReceivedRequest& request, const std::string& text) {
  for (const nlohmann::json& record : otlp_records_json(request)) {
    if (record["line"].get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A Loki push endpoint for tests: decodes pushes and writes entries as NDJSON"};
  std::uint16_t port = 3100;
  std::string output;
  unsigned fail_first_seconds = 0;
  unsigned delay_ms = 0;
  std::string reject_containing;
  unsigned fault_every = 0;
  std::string step_file;
  unsigned steps = 0;
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
  app.add_option("--fault-every", fault_every,
                 "Give every Nth push a malformed answer (garbage, reset, 502, 429, 200 with a "
                 "garbage body, 302, 404), in turn");
  app.add_option("--step-file", step_file,
                 "Create this file after each of the first --steps accepted pushes, and answer "
                 "no push while it exists");
  app.add_option("--steps", steps, "How many accepted pushes create --step-file");
  bool otlp = false;
  app.add_flag("--otlp", otlp, "Be an OTLP/HTTP logs endpoint instead of Loki's push API");
  bool http = false;
  app.add_flag("--http", http, "Be any HTTP endpoint: count an NDJSON body's lines");
  CLI11_PARSE(app, argc, argv);
  options.port = port;
  if (http) {
    options.path = "";
    options.decode = [](std::string_view, std::string_view, std::string_view, ReceivedRequest&) {};
  }
  if (otlp) {
    options.path = "";
    options.decode = [](std::string_view body, std::string_view content_type,
                        std::string_view content_encoding, ReceivedRequest& request) {
      lc::testing::DecodedExport ignored;
      request.decode_error =
          lc::testing::decode_otlp_export(body, content_type, content_encoding, ignored);
    };
  }

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
  std::atomic<std::uint64_t> pushes{0}, faults{0};
  std::atomic<bool> stopping{false};
  std::atomic<unsigned> steps_left{steps};
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
      while (!step_file.empty() && !stopping && std::filesystem::exists(step_file)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      if (fault_every > 0 && ++pushes % fault_every == 0) {
        ++refused_requests;
        switch (faults++ % 7) {
          case 0:
            return ReceiverReply::garbage();
          case 1:
            return ReceiverReply::reset();
          case 2:
            return ReceiverReply::answer(502, std::string("\x00\xff\xfe<html>bad gateway", 21));
          case 3:
            return ReceiverReply::answer(429, "Ingestion rate limit exceeded");
          case 4: {
            // 2xx: Loki took the entries whatever the body says; they are recorded.
            ReceiverReply reply =
                ReceiverReply::answer(200, std::string("\x01\x02garbage\xff", 11));
            --refused_requests;
            return reply;
          }
          case 5:
            return ReceiverReply::answer(302, "moved");
          default:  // an ingress during a rollout: says nothing about the records
            return ReceiverReply::answer(404, "default backend - 404");
        }
      }
      if (otlp && !reject_containing.empty() && otlp_export_contains(request, reject_containing)) {
        ++refused_requests;
        // What a collector answers: a google.rpc.Status in the request's encoding.
        otlp::Status status;
        status.set_code(3);  // INVALID_ARGUMENT
        status.set_message("invalid log record");
        ReceiverReply reply = ReceiverReply::answer(400, status.SerializeAsString());
        reply.content_type = "application/x-protobuf";
        return reply;
      }
      if (!otlp && !reject_containing.empty()) {
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
      if (http) {
        const std::string body = request.header("content-encoding") == "gzip"
                                     ? lc::testing::test_gunzip(request.body)
                                     : request.body;
        accepted_entries += static_cast<std::uint64_t>(std::count(body.begin(), body.end(), '\n'));
      } else if (otlp) {
        const std::vector<nlohmann::json> records = otlp_records_json(request);
        for (const nlohmann::json& record : records) file << record.dump() << '\n';
        accepted_entries += records.size();
      } else {
        for (const auto& entry : request.entries) file << entry_json(entry, tenant).dump() << '\n';
        accepted_entries += request.entries.size();
      }
      file.flush();
      ++accepted_requests;
      if (!step_file.empty() && steps_left > 0) {
        --steps_left;
        std::ofstream(step_file).close();
      }
    });
    std::cout << "listening on " << receiver.url() << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    stopping = true;
  } catch (const std::exception& error) {
    std::cerr << "loki-test-receiver: " << error.what() << '\n';
    return 1;
  }
  std::cerr << "loki-test-receiver: accepted " << accepted_entries << " entries in "
            << accepted_requests << " requests, refused " << refused_requests << " requests ("
            << faults << " faults)\n";
  return 0;
}
