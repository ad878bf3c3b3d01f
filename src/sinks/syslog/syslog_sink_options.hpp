#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_value_checks.hpp"
#include "config/sink_spec.hpp"
#include "net/tls_client_options.hpp"
#include "sinks/common/sink_address.hpp"

namespace lc {

class YamlSection;

// The syslog sink's own keys (YAML: sinks.<name> with type: syslog; docs/configuration.md):
// RFC 5424 messages over TCP (RFC 6587 framing), TLS (RFC 5425), RELP or, when asked, UDP.
struct SyslogSinkOptions : OptionsOf<SyslogSinkOptions> {
  // kTcp: delivered once the server's TCP acknowledged the bytes; kRelp: once the server's RELP
  // acknowledged each message; kUdp: once sent (no acknowledgement at all).
  enum class Protocol { kTcp, kUdp, kRelp };
  Protocol protocol = Protocol::kTcp;
  bool tls = false;  // TCP or RELP inside TLS
  // "host:port" ([IPv6]:port); without a port, the protocol's usual one (514, 6514 with TLS,
  // 2514 for RELP).
  std::string address = "127.0.0.1";
  // TCP only: RFC 6587 octet counting ("<length> <message>"), or a newline after each message
  // (newlines inside a message then become "#012", as rsyslog writes them).
  enum class Framing { kOctetCounting, kNewline };
  Framing framing = Framing::kOctetCounting;
  // Facility: a name (user, daemon, local0...) or 0-23.
  std::string facility = "user";
  // Severity: from the `severity_field` field when it holds a level (a word or a number), else
  // `severity` (stdout) or `stderr_severity`, as Docker's own syslog driver does.
  std::string severity_field = "level";
  std::string severity = "info";  // a name (emerg ... debug) or 0-7
  std::string stderr_severity = "err";
  // Templates ({{ .container_name }}); an empty rendering is RFC 5424's "-".
  std::string hostname = "{{ .host }}";
  std::string app_name = "{{ .container_name }}";
  std::string procid;
  std::string msgid;
  // The structured data element carrying the container's (or file's) metadata; empty: none.
  std::string structured_data_id = "log-capturer@32473";
  // kText: MSG is the message; kJson: the record as the file store writes it.
  enum class MessageFormat { kText, kJson };
  MessageFormat message_format = MessageFormat::kText;
  // A longer message's MSG is cut (and counted), never its header; UDP also stops at 65507
  // bytes, a datagram's limit.
  std::uint32_t max_message_bytes = 64 * 1024;
  // RELP: messages sent ahead of their acknowledgements.
  std::uint32_t relp_window = 128;
  net::TlsClientOptions tls_client;
  std::chrono::milliseconds connect_timeout{5'000};
  // TCP and RELP: time allowed without progress (nothing written, acknowledged or answered).
  std::chrono::milliseconds write_timeout{30'000};

  bool operator==(const SyslogSinkOptions&) const = default;
};

void read_syslog_sink_options(YamlSection& section, SyslogSinkOptions& options);

// The server's host and port from `address`, with the protocol's port when it names none.
ValueProblem parse_syslog_address(const SyslogSinkOptions& options, SinkAddress& out);

}  // namespace lc
