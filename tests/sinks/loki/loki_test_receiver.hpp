#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lc::testing {

// One log entry as the receiver decoded it from the wire.
struct ReceivedEntry {
  // The stream's label set: exactly as sent for protobuf; for JSON, rebuilt from the "stream"
  // object in the same {name="value",...} form, names sorted.
  std::string labels;
  std::map<std::string, std::string> label_map;  // `labels` parsed
  std::int64_t time_ns = 0;
  std::string line;
  std::vector<std::pair<std::string, std::string>> structured_metadata;
};

// One HTTP request as the receiver saw it, and what it answered.
struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::size_t body_bytes = 0;                  // as received (compressed)
  std::string body;                            // as received (compressed)
  std::string decode_error;                    // empty when the body decoded as a push
  std::size_t streams = 0;
  std::vector<ReceivedEntry> entries;  // stream by stream, in body order
  unsigned status = 0;  // the answer (recorded before a delay); 0 when none (reset, garbage)

  std::string header(const std::string& lower_case_name) const;
};

// What the receiver does with one request, once it has read and decoded it.
struct ReceiverReply {
  enum class Action {
    kAnswer,   // `status` and `body`, after `delay`
    kReset,    // no answer: the connection is reset (RST)
    kGarbage,  // bytes that are not HTTP, then close
  };
  Action action = Action::kAnswer;
  unsigned status = 204;
  std::string body;
  std::chrono::milliseconds delay{0};
  bool close_after = false;  // answers with keep-alive, then closes the connection anyway
  std::string content_type;  // empty: text/plain when there is a body
  std::vector<std::pair<std::string, std::string>> headers;  // more response headers

  static ReceiverReply answer(unsigned status, std::string body = {}) {
    return {Action::kAnswer, status, std::move(body), {}, false, {}, {}};
  }
  static ReceiverReply slow(std::chrono::milliseconds delay, unsigned status = 204) {
    return {Action::kAnswer, status, {}, delay, false, {}, {}};
  }
  static ReceiverReply answer_then_close(unsigned status = 204) {
    return {Action::kAnswer, status, {}, {}, true, {}, {}};
  }
  static ReceiverReply reset() { return {Action::kReset, 0, {}, {}, false, {}, {}}; }
  static ReceiverReply garbage() { return {Action::kGarbage, 0, {}, {}, false, {}, {}}; }
};

// Decodes a request's body (`body`, `content_type`, `content_encoding`) into `request`, or sets
// its decode_error (the default policy then answers 400).
using RequestDecoder =
    std::function<void(std::string_view body, std::string_view content_type,
                       std::string_view content_encoding, ReceivedRequest& request)>;

// A stand-in for Loki's push endpoint (or, with another `decode` and path, any HTTP sink's
// backend) that decodes the real wire formats: snappy-compressed
// protobuf PushRequest (through the generated code) and JSON, plain or gzip'd. It records every
// request and answers as a programmable policy says (by default Loki's 204, or 400 for a body
// that does not decode). Listens on 127.0.0.1, plain or TLS (optionally requiring a client
// certificate), and serves keep-alive connections on its own thread: tests run the sink on
// theirs. Used by the sink tests and by the standalone loki-test-receiver tool.
class LokiTestReceiver {
 public:
  using Policy = std::function<ReceiverReply(const ReceivedRequest&)>;

  struct Options {
    std::uint16_t port = 0;  // 0: a free port
    // TLS when cert_file is set; a client certificate signed by client_ca_file is then
    // required when that is set too.
    std::string cert_file;
    std::string key_file;
    std::string client_ca_file;
    RequestDecoder decode;                   // empty: decode_loki_push
    std::string path = "/loki/api/v1/push";  // what url() names
  };

  explicit LokiTestReceiver(Options options);
  LokiTestReceiver();
  ~LokiTestReceiver();
  LokiTestReceiver(const LokiTestReceiver&) = delete;
  LokiTestReceiver& operator=(const LokiTestReceiver&) = delete;

  // Called on the receiver's thread for every request; must be thread-safe with the test.
  void set_policy(Policy policy);
  // Called on the receiver's thread for every request answered 2xx (the tool writes NDJSON).
  void on_accepted(std::function<void(const ReceivedRequest&)> callback);

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>/loki/api/v1/push" (https with TLS).
  std::string url() const;

  std::vector<ReceivedRequest> requests() const;
  // Entries of the requests answered 2xx, in arrival order.
  std::vector<ReceivedEntry> accepted_entries() const;
  std::size_t connections_accepted() const;
  std::size_t failed_handshakes() const;

 private:
  struct Server;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  bool tls_ = false;
  std::string path_;
};

// Decodes a push body as Loki would: `content_type` application/x-protobuf (snappy block
// format) or application/json, `content_encoding` "" or "gzip". Fills `request.entries` and
// `request.streams`, or sets `request.decode_error`.
void decode_loki_push(std::string_view body, std::string_view content_type,
                      std::string_view content_encoding, ReceivedRequest& request);

// Parses Loki's {name="value",...} label syntax; false when malformed.
bool parse_loki_labels(std::string_view text, std::map<std::string, std::string>& out);

}  // namespace lc::testing
