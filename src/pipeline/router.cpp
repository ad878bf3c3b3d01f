#include "pipeline/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace lc {

Router::Router(const std::vector<RouteConfig>& routes, const std::vector<std::string>& lane_names) {
  if (lane_names.size() > kMaxLanes) {
    throw std::invalid_argument("routes: at most " + std::to_string(kMaxLanes) + " sinks");
  }
  all_lanes_ = lane_names.size() == kMaxLanes ? ~LaneSet{0} : (LaneSet{1} << lane_names.size()) - 1;
  for (const RouteConfig& config : routes) {
    Route route{RecordSelector(config.match), 0};
    for (const std::string& sink : config.sinks) {
      const auto it = std::find(lane_names.begin(), lane_names.end(), sink);
      if (it == lane_names.end()) {
        throw std::invalid_argument("routes: no enabled sink is named " + sink);
      }
      route.lanes |= LaneSet{1} << (it - lane_names.begin());
    }
    looks_at_records_ = looks_at_records_ || route.match.looks_at_record();
    has_catch_all_ = has_catch_all_ || route.match.matches_everything();
    routes_.push_back(std::move(route));
  }
}

Router::LaneSet Router::lanes_for(const LogRecord& record) const {
  if (routes_.empty()) return all_lanes_;
  LaneSet lanes = 0;
  for (const Route& route : routes_) {
    if ((lanes | route.lanes) != lanes && route.match.matches(record)) lanes |= route.lanes;
  }
  return lanes;
}

void Router::lanes_for_each(const std::vector<LogRecord>& records,
                            std::vector<LaneSet>& out) const {
  out.resize(records.size());
  const LogRecord* previous = nullptr;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const LogRecord& record = records[i];
    if (!looks_at_records_ && previous != nullptr &&
        RecordSelector::same_source(record, *previous)) {
      out[i] = out[i - 1];
      continue;
    }
    out[i] = lanes_for(record);
    previous = &record;
  }
}

}  // namespace lc
