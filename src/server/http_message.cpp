#include "server/http_message.hpp"

#include <nlohmann/json.hpp>

namespace lc::server {

HttpResponse json_error_response(unsigned status, const std::string& message) {
  // Messages may quote request bytes: replace invalid UTF-8 instead of throwing.
  return HttpResponse{status,
                      "application/json",
                      nlohmann::json{{"error", message}}.dump(
                          -1, ' ', false, nlohmann::json::error_handler_t::replace),
                      {}};
}

}  // namespace lc::server
