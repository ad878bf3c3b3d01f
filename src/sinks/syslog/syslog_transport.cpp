#include "sinks/syslog/syslog_transport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/system/system_error.hpp>

#include "sinks/syslog/syslog_connector.hpp"

namespace lc {

std::size_t SyslogSendReport::confirmed() const {
  return static_cast<std::size_t>(std::count(states.begin(), states.end(), State::kConfirmed));
}

void SyslogSendReport::fail_with(const std::runtime_error& error, std::string_view what) {
  if (const auto* transport = dynamic_cast<const SyslogTransportFailure*>(&error)) {
    failure = transport->what();
    failure_kind = transport->kind();
  } else if (const auto* system = dynamic_cast<const boost::system::system_error*>(&error)) {
    failure = system->what();
    failure_kind = system->code() == boost::system::errc::timed_out ? SyslogFailure::kTimeout
                                                                    : SyslogFailure::kClosed;
  } else {
    failure = fmt::format("{}: {}", what, error.what());
    failure_kind = SyslogFailure::kProtocol;
  }
}

void SyslogSendReport::fail_stopping(std::string_view server) {
  failure = fmt::format("the agent is stopping: gave up on {}", server);
  failure_kind = SyslogFailure::kTimeout;
}

}  // namespace lc
