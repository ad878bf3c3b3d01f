// sinks.<name> of type syslog: the server's address, the loader's defaults, keys and checks.
#include "sinks/syslog/syslog_sink_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;
using Protocol = SyslogSinkOptions::Protocol;

SyslogSinkOptions load(const std::string& sink_yaml) {
  const AgentConfig config =
      parse_config_text("sinks:\n  logs:\n    type: syslog\n" + sink_yaml, "cfg.yaml");
  const SinkSpec* spec = config.find_sink("logs");
  EXPECT_NE(spec, nullptr);
  return spec == nullptr ? SyslogSinkOptions{} : spec->options_as<SyslogSinkOptions>();
}

std::string load_problem(const std::string& sink_yaml) {
  try {
    parse_config_text("sinks:\n  logs:\n    type: syslog\n" + sink_yaml, "cfg.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << sink_yaml;
  return "";
}

// The address `text` resolves to ("host port description"), or its problem.
std::string address_of(std::string_view text, Protocol protocol = Protocol::kTcp,
                       bool tls = false) {
  SyslogSinkOptions options;
  options.protocol = protocol;
  options.tls = tls;
  options.address = std::string(text);
  SinkAddress address;
  if (const ValueProblem problem = parse_syslog_address(options, address)) return *problem;
  return address.host + " " + std::to_string(address.port) + " " + address.description;
}

TEST(SyslogSinkOptionsTest, DefaultsWhenOnlyTheTypeIsGiven) {
  const SyslogSinkOptions syslog = load("");
  EXPECT_EQ(syslog.protocol, Protocol::kTcp);
  EXPECT_FALSE(syslog.tls);
  EXPECT_EQ(syslog.address, "127.0.0.1");
  EXPECT_EQ(syslog.framing, SyslogSinkOptions::Framing::kOctetCounting);
  EXPECT_EQ(syslog.facility, "user");
  EXPECT_EQ(syslog.severity_field, "level");
  EXPECT_EQ(syslog.severity, "info");
  EXPECT_EQ(syslog.stderr_severity, "err");
  EXPECT_EQ(syslog.hostname, "{{ .host }}");
  EXPECT_EQ(syslog.app_name, "{{ .container_name }}");
  EXPECT_EQ(syslog.procid, "");
  EXPECT_EQ(syslog.msgid, "");
  EXPECT_EQ(syslog.structured_data_id, "log-capturer@32473");
  EXPECT_EQ(syslog.message_format, SyslogSinkOptions::MessageFormat::kText);
  EXPECT_EQ(syslog.max_message_bytes, 64u * 1024u);
  EXPECT_EQ(syslog.relp_window, 128u);
  EXPECT_EQ(syslog.connect_timeout, std::chrono::seconds(5));
  EXPECT_EQ(syslog.write_timeout, std::chrono::seconds(30));
}

TEST(SyslogSinkOptionsTest, TheLoaderReadsEveryKey) {
  const SyslogSinkOptions syslog = load(
      "    protocol: tcp\n"
      "    tls: true\n"
      "    address: 'syslog.example.com:6515'\n"
      "    framing: newline\n"
      "    facility: local3\n"
      "    severity_field: log.level\n"
      "    severity: notice\n"
      "    stderr_severity: warning\n"
      "    hostname: '{{ .compose_project }}'\n"
      "    app_name: '{{ .compose_service }}'\n"
      "    procid: '{{ .container_id }}'\n"
      "    msgid: '{{ .stream }}'\n"
      "    structured_data_id: 'meta@12345'\n"
      "    message_format: json\n"
      "    max_message_bytes: 8KiB\n"
      "    tls_verify: false\n"
      "    connect_timeout: 2s\n"
      "    write_timeout: 7s\n");
  EXPECT_EQ(syslog.protocol, Protocol::kTcp);
  EXPECT_TRUE(syslog.tls);
  EXPECT_EQ(syslog.address, "syslog.example.com:6515");
  EXPECT_EQ(syslog.framing, SyslogSinkOptions::Framing::kNewline);
  EXPECT_EQ(syslog.facility, "local3");
  EXPECT_EQ(syslog.severity_field, "log.level");
  EXPECT_EQ(syslog.severity, "notice");
  EXPECT_EQ(syslog.stderr_severity, "warning");
  EXPECT_EQ(syslog.hostname, "{{ .compose_project }}");
  EXPECT_EQ(syslog.app_name, "{{ .compose_service }}");
  EXPECT_EQ(syslog.procid, "{{ .container_id }}");
  EXPECT_EQ(syslog.msgid, "{{ .stream }}");
  EXPECT_EQ(syslog.structured_data_id, "meta@12345");
  EXPECT_EQ(syslog.message_format, SyslogSinkOptions::MessageFormat::kJson);
  EXPECT_EQ(syslog.max_message_bytes, 8u * 1024u);
  EXPECT_FALSE(syslog.tls_client.verify);
  EXPECT_EQ(syslog.connect_timeout, std::chrono::seconds(2));
  EXPECT_EQ(syslog.write_timeout, std::chrono::seconds(7));
}

TEST(SyslogSinkOptionsTest, ProtocolsTcpUdpAndRelp) {
  EXPECT_EQ(load("    protocol: tcp\n").protocol, Protocol::kTcp);
  EXPECT_EQ(load("    protocol: udp\n").protocol, Protocol::kUdp);
  const SyslogSinkOptions relp = load("    protocol: relp\n    relp_window: 16\n");
  EXPECT_EQ(relp.protocol, Protocol::kRelp);
  EXPECT_EQ(relp.relp_window, 16u);
  EXPECT_TRUE(load("    protocol: relp\n    tls: true\n").tls);
  EXPECT_THAT(load_problem("    protocol: tls\n"), HasSubstr("protocol"));
  EXPECT_THAT(load_problem("    protocol: relp\n    relp_window: 0\n"), HasSubstr("relp_window"));
}

TEST(SyslogSinkOptionsTest, AddressesWithoutAPortGetTheProtocolsOwn) {
  EXPECT_EQ(address_of("syslog.local"), "syslog.local 514 tcp://syslog.local:514");
  EXPECT_EQ(address_of("10.0.0.7", Protocol::kUdp), "10.0.0.7 514 udp://10.0.0.7:514");
  EXPECT_EQ(address_of("syslog.local", Protocol::kTcp, true),
            "syslog.local 6514 tcp+tls://syslog.local:6514");
  EXPECT_EQ(address_of("syslog.local", Protocol::kRelp),
            "syslog.local 2514 relp://syslog.local:2514");
  EXPECT_EQ(address_of("syslog.local", Protocol::kRelp, true),
            "syslog.local 2514 relp+tls://syslog.local:2514");
  EXPECT_EQ(address_of("syslog.local:1514"), "syslog.local 1514 tcp://syslog.local:1514");
  EXPECT_EQ(address_of("my_host-1:65535"), "my_host-1 65535 tcp://my_host-1:65535");
  EXPECT_EQ(address_of("[::1]:1514"), "::1 1514 tcp://[::1]:1514");
  EXPECT_EQ(address_of("[fe80::1%eth0]", Protocol::kUdp),
            "fe80::1%eth0 514 udp://[fe80::1%eth0]:514");
}

TEST(SyslogSinkOptionsTest, MalformedAddressesAreRefused) {
  for (const std::string_view bad :
       {"host:", "host:0", "host:70000", "host:-1", "host:1x", "host:1:2", "[::1", "[::1]1514",
        "[::1]:", "[]:514", "::1", ":514", "", "a b:1", "a/b", "h\xc3\xa9te"}) {
    EXPECT_THAT(address_of(bad), HasSubstr("expected host:port")) << bad;
  }
  EXPECT_THAT(load_problem("    address: 'host:70000'\n"), HasSubstr("address"));
  EXPECT_THAT(load_problem("    address: 'host:70000'\n"), HasSubstr("expected host:port"));
  EXPECT_THAT(load_problem("    address: '[::1'\n"), HasSubstr("expected host:port"));
  EXPECT_THAT(load_problem("    address: 'a b:1'\n"), HasSubstr("expected host:port"));
}

TEST(SyslogSinkOptionsTest, KeysOfAnotherProtocolAreRefused) {
  EXPECT_THAT(load_problem("    protocol: udp\n    tls: true\n"), HasSubstr("tls"));
  EXPECT_THAT(load_problem("    protocol: udp\n    tls: true\n"),
              HasSubstr("needs protocol tcp or relp"));
  EXPECT_THAT(load_problem("    protocol: relp\n    framing: newline\n"),
              HasSubstr("applies to protocol: tcp only"));
  EXPECT_THAT(load_problem("    protocol: udp\n    framing: newline\n"), HasSubstr("framing"));
  EXPECT_THAT(load_problem("    protocol: tcp\n    relp_window: 8\n"),
              HasSubstr("applies to protocol: relp only"));
  EXPECT_THAT(load_problem("    relp_window: 8\n"), HasSubstr("relp_window"));
  EXPECT_THAT(load_problem("    protocol: udp\n    relp_window: 8\n"), HasSubstr("relp_window"));
  EXPECT_EQ(load("    framing: newline\n").framing, SyslogSinkOptions::Framing::kNewline);
  EXPECT_THAT(load_problem("    framing: lf\n"), HasSubstr("framing"));
}

TEST(SyslogSinkOptionsTest, TlsFilesNeedTls) {
  EXPECT_THAT(load_problem("    ca_file: /dev/null\n"), HasSubstr("ca_file"));
  EXPECT_THAT(load_problem("    ca_file: /dev/null\n"), HasSubstr("tls: true"));
  EXPECT_THAT(load_problem("    tls: false\n    ca_file: /dev/null\n"), HasSubstr("tls: true"));
  EXPECT_THAT(load_problem("    cert_file: /dev/null\n    key_file: /dev/null\n"),
              HasSubstr("tls: true"));
  EXPECT_EQ(load("    tls: true\n    ca_file: /dev/null\n").tls_client.ca_file, "/dev/null");
  EXPECT_THAT(load_problem("    tls: true\n    cert_file: /dev/null\n"),
              HasSubstr("cert_file and key_file go together"));
  EXPECT_THAT(load_problem("    tls: true\n    ca_file: /nonexistent/ca.pem\n"),
              HasSubstr("cannot read"));
}

TEST(SyslogSinkOptionsTest, FacilityAndSeverityNamesAreChecked) {
  EXPECT_EQ(load("    facility: LOCAL3\n").facility, "LOCAL3");
  EXPECT_EQ(load("    facility: 23\n").facility, "23");
  EXPECT_EQ(load("    severity: warning\n    stderr_severity: 2\n").stderr_severity, "2");
  EXPECT_THAT(load_problem("    facility: local8\n"), HasSubstr("facility"));
  EXPECT_THAT(load_problem("    facility: local8\n"), HasSubstr("a facility name"));
  EXPECT_THAT(load_problem("    facility: 24\n"), HasSubstr("0-23"));
  EXPECT_THAT(load_problem("    severity: loud\n"), HasSubstr("severity"));
  EXPECT_THAT(load_problem("    severity: loud\n"), HasSubstr("a severity name"));
  EXPECT_THAT(load_problem("    severity: 8\n"), HasSubstr("0-7"));
  EXPECT_THAT(load_problem("    stderr_severity: fatal\n"), HasSubstr("stderr_severity"));
}

TEST(SyslogSinkOptionsTest, TemplatesAndTheSeverityFieldAreChecked) {
  EXPECT_EQ(load("    severity_field: ''\n").severity_field, "");
  EXPECT_THAT(load_problem("    hostname: '{{ .nope'\n"), HasSubstr("hostname"));
  EXPECT_THAT(load_problem("    app_name: '{{ .nope }}'\n"), HasSubstr("app_name"));
  EXPECT_THAT(load_problem("    procid: '{{ .nope'\n"), HasSubstr("procid"));
  EXPECT_THAT(load_problem("    msgid: '{{ .nope'\n"), HasSubstr("msgid"));
  EXPECT_THAT(load_problem("    message_format: xml\n"), HasSubstr("message_format"));
}

TEST(SyslogSinkOptionsTest, StructuredDataIdFollowsRfc5424) {
  EXPECT_EQ(load("    structured_data_id: ''\n").structured_data_id, "");
  EXPECT_EQ(load("    structured_data_id: 'a@1'\n").structured_data_id, "a@1");
  const std::string longest = std::string(26, 'x') + "@32473";  // 32 characters
  EXPECT_EQ(load("    structured_data_id: '" + longest + "'\n").structured_data_id, longest);
  for (const std::string& bad :
       std::vector<std::string>{"origin", "@32473", "x" + longest, "a=b@1", "a]b@1", "a\\\"b@1",
                                "a b@1", "a\\xe9@1", "a@", "a@b", "a@1@2", "a@.1"}) {
    EXPECT_THAT(load_problem("    structured_data_id: \"" + bad + "\"\n"),
                HasSubstr("structured_data_id"))
        << bad;
  }
  EXPECT_THAT(load_problem("    structured_data_id: origin\n"), HasSubstr("private enterprise"));
  // The number may have dotted parts (an OID below the enterprise's).
  EXPECT_EQ(load("    structured_data_id: 'app@32473.1.2'\n").structured_data_id, "app@32473.1.2");
}

TEST(SyslogSinkOptionsTest, MessageSizesAndTheRelpWindowAreBounded) {
  // RFC 5426's least size every receiver takes: a header and room for a message.
  EXPECT_EQ(load("    max_message_bytes: 480\n").max_message_bytes, 480u);
  EXPECT_THAT(load_problem("    max_message_bytes: 479\n"), HasSubstr("max_message_bytes"));
  EXPECT_EQ(load("    max_message_bytes: 16MiB\n").max_message_bytes, 16u << 20);
  EXPECT_THAT(load_problem("    max_message_bytes: 17MiB\n"), HasSubstr("at most 16 MiB"));
  EXPECT_EQ(load("    protocol: relp\n    relp_window: 4096\n").relp_window, 4096u);
  EXPECT_THAT(load_problem("    protocol: relp\n    relp_window: 4097\n"),
              HasSubstr("relp_window: at most 4096"));
}

TEST(SyslogSinkOptionsTest, UdpMessagesFitInADatagram) {
  EXPECT_EQ(load("    protocol: udp\n    max_message_bytes: 65507\n").max_message_bytes, 65'507u);
  EXPECT_THAT(load_problem("    protocol: udp\n    max_message_bytes: 65508\n"),
              HasSubstr("max_message_bytes"));
  EXPECT_THAT(load_problem("    protocol: udp\n    max_message_bytes: 1MiB\n"),
              HasSubstr("at most 65507 with protocol: udp"));
  EXPECT_EQ(load("    protocol: tcp\n    max_message_bytes: 1MiB\n").max_message_bytes,
            1024u * 1024u);
  // The default (64 KiB) is more than a datagram holds: UDP stops at 65507 bytes.
  EXPECT_EQ(load("    protocol: udp\n").max_message_bytes, 65'507u);
  EXPECT_THAT(load_problem("    max_message_bytes: 63\n"), HasSubstr("max_message_bytes"));
}

}  // namespace
}  // namespace lc
