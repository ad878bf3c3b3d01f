#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "core/log_record.hpp"
#include "processors/record_selector.hpp"

namespace lc {

// Decides which sinks each record goes to (YAML: routes; docs/configuration.md): the sinks of
// every route the record matches. Sinks are the pipeline's lanes, by index. Immutable once
// built: safe on several threads at once.
class Router {
 public:
  using LaneSet = std::uint64_t;  // bit i: lane i
  static constexpr std::size_t kMaxLanes = 64;

  // `lane_names`: the pipeline's lanes in order. Throws std::invalid_argument when a route
  // names a sink that is not among them, or a regex is bad.
  Router(const std::vector<RouteConfig>& routes, const std::vector<std::string>& lane_names);

  // No routes configured: every record goes to every lane.
  bool routes_everything_everywhere() const { return routes_.empty(); }
  LaneSet all_lanes() const { return all_lanes_; }

  LaneSet lanes_for(const LogRecord& record) const;
  // lanes_for() of each record into `out` (resized); with no route looking at messages, one
  // answer serves a run of records from the same source and stream.
  void lanes_for_each(const std::vector<LogRecord>& records, std::vector<LaneSet>& out) const;
  // Whether a route without a match takes every record (else records matching no route go
  // nowhere; the pipeline counts them).
  bool has_catch_all() const { return has_catch_all_; }

 private:
  struct Route {
    RecordSelector match;
    LaneSet lanes = 0;
  };
  std::vector<Route> routes_;
  LaneSet all_lanes_ = 0;
  bool looks_at_records_ = false;
  bool has_catch_all_ = false;
};

}  // namespace lc
