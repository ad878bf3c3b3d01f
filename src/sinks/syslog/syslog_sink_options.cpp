#include "sinks/syslog/syslog_sink_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "core/field_path.hpp"
#include "core/record_template.hpp"
#include "sinks/syslog/syslog_priority.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<SyslogSinkOptions::Protocol>, 3> kProtocolChoices{{
    {"tcp", SyslogSinkOptions::Protocol::kTcp},
    {"udp", SyslogSinkOptions::Protocol::kUdp},
    {"relp", SyslogSinkOptions::Protocol::kRelp},
}};

constexpr std::array<EnumChoice<SyslogSinkOptions::Framing>, 2> kFramingChoices{{
    {"octet_counting", SyslogSinkOptions::Framing::kOctetCounting},
    {"newline", SyslogSinkOptions::Framing::kNewline},
}};

constexpr std::array<EnumChoice<SyslogSinkOptions::MessageFormat>, 2> kMessageFormatChoices{{
    {"text", SyslogSinkOptions::MessageFormat::kText},
    {"json", SyslogSinkOptions::MessageFormat::kJson},
}};

// The largest UDP payload over IPv4 (65535 - 20 - 8).
constexpr std::uint32_t kMaxDatagramBytes = 65'507;
// RFC 5426's least message every receiver takes: the header fits, with room for a message.
constexpr std::uint32_t kMinMessageBytes = 480;
// Log lines are not this long; RELP's DATALEN has 9 digits at most.
constexpr std::uint32_t kMaxMessageBytes = 16u << 20;
constexpr std::uint32_t kMaxRelpWindow = 4096;

ValueProblem check_syslog_template(std::string_view text) {
  RecordTemplate ignored;
  return RecordTemplate::parse(text, ignored);
}

ValueProblem check_severity_field(std::string_view text) {
  if (text.empty()) return std::nullopt;
  FieldPath ignored;
  return parse_fields_key(text, ignored);
}

ValueProblem check_facility(std::string_view text) {
  if (syslog_facility_of(text)) return std::nullopt;
  return fmt::format("{}: a facility name (kern, user, daemon, auth, local0 ... local7) or 0-23",
                     quote_for_message(text));
}

ValueProblem check_severity(std::string_view text) {
  if (syslog_severity_of(text)) return std::nullopt;
  return fmt::format(
      "{}: a severity name (emerg, alert, crit, err, warning, notice, info, debug) or 0-7",
      quote_for_message(text));
}

// RFC 5424's SD-ID for a name of our own (not IANA's): name@<private enterprise number>, 1-32
// printable US-ASCII but '=', ' ', ']' and '"'; the number's digits may have dotted parts.
ValueProblem check_structured_data_id(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::size_t at = text.find('@');
  const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
    return c > ' ' && c < 127 && c != '=' && c != ']' && c != '"';
  });
  const std::string_view number = at == std::string_view::npos ? "" : text.substr(at + 1);
  const bool numbered = !number.empty() && std::isdigit(static_cast<unsigned char>(number[0])) &&
                        std::all_of(number.begin(), number.end(), [](char c) {
                          return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
                        });
  if (printable && text.size() <= 32 && at != 0 && numbered) return std::nullopt;
  return fmt::format(
      "{}: name@<private enterprise number>, at most 32 printable characters without '=', ']', "
      "'\"' or spaces (e.g. log-capturer@32473)",
      quote_for_message(text));
}

ValueProblem check_address(std::string_view text) {
  SyslogSinkOptions options;
  options.address = std::string(text);
  SinkAddress ignored;
  return parse_syslog_address(options, ignored);
}

void check_conflicts(YamlSection& section, const SyslogSinkOptions& syslog) {
  using Protocol = SyslogSinkOptions::Protocol;
  const SyslogSinkOptions defaults;
  if (syslog.protocol == Protocol::kUdp && syslog.tls) {
    section.fail("tls", "needs protocol tcp or relp (no DTLS over UDP)");
  }
  if (syslog.protocol != Protocol::kTcp && syslog.framing != defaults.framing) {
    section.fail("framing", "applies to protocol: tcp only (RELP and UDP frame messages alone)");
  }
  if (syslog.protocol != Protocol::kRelp && syslog.relp_window != defaults.relp_window) {
    section.fail("relp_window", "applies to protocol: relp only");
  }
  const std::pair<const char*, const std::string*> files[] = {
      {"ca_file", &syslog.tls_client.ca_file},
      {"cert_file", &syslog.tls_client.cert_file},
      {"key_file", &syslog.tls_client.key_file}};
  for (const auto& [key, value] : files) {
    if (!syslog.tls && !value->empty()) section.fail(key, "only used with tls: true");
  }
  if (syslog.tls_client.cert_file.empty() != syslog.tls_client.key_file.empty()) {
    section.fail(syslog.tls_client.cert_file.empty() ? "key_file" : "cert_file",
                 "cert_file and key_file go together (a client certificate and its key)");
  }
  if (syslog.relp_window > kMaxRelpWindow) {
    section.fail("relp_window", fmt::format("at most {}", kMaxRelpWindow));
  }
  if (syslog.max_message_bytes > kMaxMessageBytes) {
    section.fail("max_message_bytes", fmt::format("at most {} MiB", kMaxMessageBytes >> 20));
  }
  if (syslog.protocol == Protocol::kUdp && syslog.max_message_bytes > kMaxDatagramBytes &&
      section.has("max_message_bytes")) {
    section.fail("max_message_bytes", fmt::format("at most {} with protocol: udp (a datagram's "
                                                  "limit)",
                                                  kMaxDatagramBytes));
  }
}

}  // namespace

ValueProblem parse_syslog_address(const SyslogSinkOptions& options, SinkAddress& out) {
  const std::string_view text = options.address;
  const bool bracketed = text.starts_with('[');
  std::string_view host = text;
  std::optional<std::string_view> port_text;
  bool well_formed = true;
  if (bracketed) {
    const std::size_t close = text.find(']');
    well_formed = close != std::string_view::npos;
    host = well_formed ? text.substr(1, close - 1) : std::string_view{};
    const std::string_view rest = well_formed ? text.substr(close + 1) : std::string_view{};
    if (!rest.empty()) {
      well_formed = well_formed && rest.front() == ':';
      port_text = rest.substr(1);
    }
  } else if (const std::size_t colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  well_formed = well_formed && !host.empty() && std::all_of(host.begin(), host.end(), [&](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                         c == '_' || (bracketed && (c == ':' || c == '%'));
                });
  unsigned port = 0;
  if (port_text) {
    const auto [end, error] =
        std::from_chars(port_text->data(), port_text->data() + port_text->size(), port);
    well_formed = well_formed && !port_text->empty() && error == std::errc() &&
                  end == port_text->data() + port_text->size() && port > 0 && port <= 65535;
  }
  if (!well_formed) {
    return fmt::format(
        "{}: expected host:port (a name, an IPv4 address or [IPv6]), e.g. "
        "syslog.example.com:6514",
        quote_for_message(text));
  }
  using Protocol = SyslogSinkOptions::Protocol;
  if (!port_text) port = options.protocol == Protocol::kRelp ? 2514 : options.tls ? 6514 : 514;
  const char* scheme = options.protocol == Protocol::kUdp    ? "udp"
                       : options.protocol == Protocol::kRelp ? "relp"
                                                             : "tcp";
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(port);
  out.description = fmt::format("{}{}://{}{}{}:{}", scheme, options.tls ? "+tls" : "",
                                bracketed ? "[" : "", host, bracketed ? "]" : "", port);
  return std::nullopt;
}

void read_syslog_sink_options(YamlSection& section, SyslogSinkOptions& syslog) {
  section.read_enum<SyslogSinkOptions::Protocol>(
      {"protocol",
       "`tcp`: delivered once the server's TCP acknowledged the bytes (a server that dies may "
       "lose what it had not read yet); `relp`: once the server acknowledged each message; "
       "`udp`: once sent, unacknowledged."},
      syslog.protocol, kProtocolChoices);
  section.read_bool({"tls", "TCP or RELP inside TLS (RFC 5425), with the keys below."}, syslog.tls);
  section.read_string(
      {"address", "The server, `host:port`; without a port, 514 (6514 with TLS, 2514 for RELP)."},
      syslog.address, check_address);
  section.read_enum<SyslogSinkOptions::Framing>(
      {"framing",
       "TCP: `octet_counting` (RFC 6587, a message may hold newlines) or `newline` (a newline "
       "inside a message becomes `#012`)."},
      syslog.framing, kFramingChoices);
  section.read_string(
      {"facility", "`user`, `daemon`, `local0` ... `local7` (any RFC 5424 name), or 0-23."},
      syslog.facility, check_facility);
  section.read_string(
      {"severity_field",
       "The field (below `.fields`) whose level word or number sets the severity; empty: none."},
      syslog.severity_field, check_severity_field);
  section.read_string(
      {"severity", "The severity of stdout records (and files') without a level field."},
      syslog.severity, check_severity);
  section.read_string({"stderr_severity", "The severity of stderr records without a level field."},
                      syslog.stderr_severity, check_severity);
  section.read_string({"hostname", "HOSTNAME, a template ([docs/fields.md](fields.md))."},
                      syslog.hostname, check_syslog_template);
  section.read_string({"app_name", "APP-NAME, a template (48 characters at most are sent)."},
                      syslog.app_name, check_syslog_template);
  section.read_string({"procid", "PROCID, a template; empty: `-`."}, syslog.procid,
                      check_syslog_template);
  section.read_string({"msgid", "MSGID, a template; empty: `-`."}, syslog.msgid,
                      check_syslog_template);
  section.read_string(
      {"structured_data_id",
       "The SD-ID of the element carrying the container's id, name, image and stream (or the "
       "file's path); empty: no structured data."},
      syslog.structured_data_id, check_structured_data_id);
  section.read_enum<SyslogSinkOptions::MessageFormat>(
      {"message_format",
       "`text`: MSG is the message; `json`: the record as the file store writes it."},
      syslog.message_format, kMessageFormatChoices);
  section.read_byte_size(
      {"max_message_bytes",
       "The longest message sent, header included (480 to 16MiB): a longer one's MSG is cut "
       "(counted), never its header; UDP sends 65507 bytes at most."},
      syslog.max_message_bytes, kMinMessageBytes);
  section.read_count(
      {"relp_window", "RELP: messages sent ahead of their acknowledgements (at most 4096)."},
      syslog.relp_window);
  read_tls_client_options(section, syslog.tls_client);
  section.read_duration({"connect_timeout", "Time allowed to resolve, connect and handshake."},
                        syslog.connect_timeout);
  section.read_duration(
      {"write_timeout",
       "TCP and RELP: time allowed without progress (nothing written, acknowledged or "
       "answered); then the connection is dropped and what is unacknowledged is sent again."},
      syslog.write_timeout);
  check_conflicts(section, syslog);
  // The default (64 KiB) is more than a datagram holds: UDP stops at 65507 bytes.
  if (syslog.protocol == SyslogSinkOptions::Protocol::kUdp) {
    syslog.max_message_bytes = std::min(syslog.max_message_bytes, kMaxDatagramBytes);
  }
}

}  // namespace lc
