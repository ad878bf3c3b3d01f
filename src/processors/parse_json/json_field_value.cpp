#include "processors/parse_json/json_field_value.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "core/field_map_writer.hpp"

namespace lc {

namespace {

// A parser keeps its buffers for the next line: those grown by a larger line are let go.
constexpr std::size_t kKeptParserBytes = 64 * 1024;

// simdjson's DOM, walked once: its parser finds the structure at SIMD speed, and the values
// are copied out here.
std::optional<std::string> convert(simdjson::dom::element element, std::uint32_t depth_left,
                                   FieldValue& out) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      if (depth_left == 0) return "nested too deep";
      const simdjson::dom::object object = element.get_object().value_unsafe();
      // A repeated key: the last value counts, where the first stood.
      FieldMapWriter writer(out.emplace_map(), object.size());
      for (const auto field : object) {
        if (auto problem = convert(field.value, depth_left - 1, writer.slot(field.key))) {
          return problem;
        }
      }
      return std::nullopt;
    }
    case Type::ARRAY: {
      if (depth_left == 0) return "nested too deep";
      const simdjson::dom::array array = element.get_array().value_unsafe();  // not a temporary's
      FieldValue::List& list = out.emplace_list();
      list.reserve(array.size());
      for (const simdjson::dom::element item : array) {
        if (auto problem = convert(item, depth_left - 1, list.emplace_back())) return problem;
      }
      return std::nullopt;
    }
    case Type::STRING:
      out.emplace_string(element.get_string().value_unsafe());
      return std::nullopt;
    case Type::INT64:
      out = FieldValue(element.get_int64().value_unsafe());
      return std::nullopt;
    case Type::UINT64:  // beyond int64
      out = FieldValue(static_cast<double>(element.get_uint64().value_unsafe()));
      return std::nullopt;
    case Type::DOUBLE:
      out = FieldValue(element.get_double().value_unsafe());
      return std::nullopt;
    case Type::BOOL:
      out = FieldValue(element.get_bool().value_unsafe());
      return std::nullopt;
    case Type::NULL_VALUE:
      out = FieldValue(nullptr);
      return std::nullopt;
  }
  return "unknown JSON type";
}

// The same for a line with a number simdjson does not take (an integer beyond 64 bits):
// nlohmann's parser takes it as a float. A number beyond a double's range is an error there too.
std::optional<std::string> convert(const nlohmann::ordered_json& value, std::uint32_t depth_left,
                                   FieldValue& out) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::object: {
      if (depth_left == 0) return "nested too deep";
      FieldValue::Map map;
      map.reserve(value.size());
      for (const auto& [key, item] : value.items()) {  // nlohmann keeps one value per key
        FieldValue converted;
        if (auto problem = convert(item, depth_left - 1, converted)) return problem;
        map.push_back(FieldEntry{key, std::move(converted)});
      }
      out = FieldValue(std::move(map));
      return std::nullopt;
    }
    case nlohmann::ordered_json::value_t::array: {
      if (depth_left == 0) return "nested too deep";
      FieldValue::List list;
      list.reserve(value.size());
      for (const nlohmann::ordered_json& item : value) {
        FieldValue converted;
        if (auto problem = convert(item, depth_left - 1, converted)) return problem;
        list.push_back(std::move(converted));
      }
      out = FieldValue(std::move(list));
      return std::nullopt;
    }
    case nlohmann::ordered_json::value_t::string:
      out = FieldValue(value.get_ref<const std::string&>());
      return std::nullopt;
    case nlohmann::ordered_json::value_t::number_integer:
      out = FieldValue(value.get<std::int64_t>());
      return std::nullopt;
    case nlohmann::ordered_json::value_t::number_unsigned:
      out = FieldValue(static_cast<double>(value.get<std::uint64_t>()));
      return std::nullopt;
    case nlohmann::ordered_json::value_t::number_float:
      out = FieldValue(value.get<double>());
      return std::nullopt;
    case nlohmann::ordered_json::value_t::boolean:
      out = FieldValue(value.get<bool>());
      return std::nullopt;
    default:
      out = FieldValue(nullptr);
      return std::nullopt;
  }
}

std::optional<std::string> parse_with_big_numbers(std::string_view text, std::uint32_t max_depth,
                                                  FieldValue& out) {
  // Its depth is checked while parsing (the callback), before a hostile line nests deeper.
  std::uint32_t depth = 0;
  bool too_deep = false;
  const nlohmann::ordered_json::parser_callback_t limit =
      [&](int event_depth, nlohmann::ordered_json::parse_event_t, nlohmann::ordered_json&) {
        depth = std::max(depth, static_cast<std::uint32_t>(event_depth));
        too_deep = too_deep || depth > max_depth;
        return !too_deep;
      };
  const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(text, limit, false);
  if (too_deep) return "nested too deep";
  if (parsed.is_discarded()) return "not JSON";
  return convert(parsed, max_depth, out);
}

}  // namespace

std::optional<std::string> parse_json_field_value(std::string_view text, std::uint32_t max_depth,
                                                  FieldValue& out) {
  // One parser per thread: processors run on the inputs' threads, and its buffers are reused.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::optional<std::string> problem;
  const auto error = parser.parse(text.data(), text.size()).get(root);
  if (error == simdjson::NUMBER_ERROR) {
    problem = parse_with_big_numbers(text, max_depth, out);  // rare: a number beyond 64 bits
  } else if (error) {
    problem = fmt::format("not JSON: {}", simdjson::error_message(error));
  } else {
    problem = convert(root, max_depth, out);
  }
  if (parser.capacity() > kKeptParserBytes) parser = simdjson::dom::parser{};
  return problem;
}

}  // namespace lc
