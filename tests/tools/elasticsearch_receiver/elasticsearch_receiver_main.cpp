// elasticsearch-test-receiver: an Elasticsearch _bulk API stand-in (tests/sinks/elasticsearch)
// as a process: it keeps an index by (_index, _id) as Elasticsearch does (a `create` of an id it
// holds is answered 409) and appends each document it stores to an NDJSON file, its source with
// "_index" and "_id" added. What it writes is what an index would hold: a line there twice means
// it was indexed twice.
//
//   elasticsearch-test-receiver --output docs.ndjson [--port 9200] [--item-fault-every N]
//                               [--fault-every N] [--reject-containing TEXT] [--delay-ms MS]
// --item-fault-every N: every Nth item is answered 429 or 503 in turn instead of being stored
// (the agent sends those items again). --lose-answer-every N: every Nth request is indexed, then
// its answer lost (the connection reset): the agent sends it again and is answered 409.
// --fault-every N: every Nth request gets a whole-request failure in turn: a 503, a connection
// reset, a 200 whose body is not a bulk answer, a 429.
// --reject-containing TEXT: items whose message holds TEXT are answered 400
// mapper_parsing_exception (dead letters).
//
// Prints "listening on <url>" once ready; exits 0 on SIGINT/SIGTERM after printing counts.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "sinks/elasticsearch/elasticsearch_test_receiver.hpp"

namespace {

using lc::testing::BulkDocument;
using lc::testing::BulkItemFault;
using lc::testing::ElasticsearchTestReceiver;
using lc::testing::ReceivedRequest;
using lc::testing::ReceiverReply;

std::optional<ReceiverReply> request_fault(unsigned number) {
  switch (number % 4) {
    case 0:
      return ReceiverReply::answer(503, R"({"error":{"type":"unavailable"},"status":503})");
    case 1:
      return ReceiverReply::reset();
    case 2:
      return ReceiverReply::answer(200, "<html>gateway says ok</html>");
    default:
      return ReceiverReply::answer(429, R"({"error":{"type":"rejected"},"status":429})");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"An Elasticsearch _bulk endpoint for tests: keeps an index by id"};
  std::uint16_t port = 9200;
  std::string output;
  unsigned item_fault_every = 0;
  unsigned fault_every = 0;
  unsigned delay_ms = 0;
  std::string reject_containing;
  unsigned lose_answer_every = 0;
  app.add_option("--lose-answer-every", lose_answer_every,
                 "Index every Nth request, then reset the connection instead of answering");
  app.add_option("--port", port, "TCP port on 127.0.0.1 (0: any free port)");
  app.add_option("--output", output, "NDJSON file the stored documents are appended to")
      ->required();
  app.add_option("--item-fault-every", item_fault_every,
                 "Answer every Nth item 429 or 503 (in turn) instead of storing it");
  app.add_option("--fault-every", fault_every,
                 "Fail every Nth request whole: 503, reset, 200 with garbage, 429 (in turn)");
  app.add_option("--reject-containing", reject_containing,
                 "Answer 400 mapper_parsing_exception to items whose message holds this text");
  app.add_option("--delay-ms", delay_ms, "Answer every request this many milliseconds late");
  CLI11_PARSE(app, argc, argv);

  std::ofstream file(output, std::ios::app);
  if (!file) {
    std::cerr << "elasticsearch-test-receiver: cannot open " << output << '\n';
    return 1;
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::atomic<unsigned> requests{0}, items{0}, faults{0}, item_faults{0}, answered{0}, lost{0};
  std::atomic<std::uint64_t> stored{0};
  try {
    lc::testing::LokiTestReceiver::Options options;
    options.port = port;
    ElasticsearchTestReceiver receiver(options);
    receiver.set_request_policy([&](const ReceivedRequest&) -> std::optional<ReceiverReply> {
      if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      if (fault_every == 0 || ++requests % fault_every != 0) return std::nullopt;
      return request_fault(faults++);
    });
    receiver.set_item_policy([&](const BulkDocument& document) -> std::optional<BulkItemFault> {
      if (!reject_containing.empty() &&
          document.source.find(reject_containing) != std::string::npos) {
        return BulkItemFault{400, "mapper_parsing_exception", "failed to parse field [message]"};
      }
      if (item_fault_every == 0 || ++items % item_fault_every != 0) return std::nullopt;
      if (item_faults++ % 2 == 0) return BulkItemFault{};
      return BulkItemFault{503, "unavailable_shards_exception", "primary shard is not active"};
    });
    receiver.set_answer_loss([&](const ReceivedRequest&) {
      file.flush();  // the request's documents, before it is answered (a test reads the file)
      if (lose_answer_every == 0 || ++answered % lose_answer_every != 0) return false;
      ++lost;
      return true;
    });
    receiver.keep_documents(false);
    receiver.on_stored([&](const BulkDocument& document) {
      // The source's object with _index and _id first (both need no JSON escaping).
      file << R"({"_index":")" << document.index << R"(","_id":")" << document.id << "\","
           << std::string_view(document.source).substr(1) << '\n';
      ++stored;
    });
    std::cout << "listening on " << receiver.endpoint() << std::endl;
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "elasticsearch-test-receiver: stored " << stored << " documents, "
              << receiver.conflicts() << " conflicts (409), " << faults << " request faults, "
              << item_faults << " item faults, " << lost << " answers lost after indexing\n";
  } catch (const std::exception& error) {
    std::cerr << "elasticsearch-test-receiver: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
