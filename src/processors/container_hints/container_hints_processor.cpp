#include "processors/container_hints/container_hints_processor.hpp"

#include "processors/parse_json/json_field_value.hpp"
#include "processors/parse_logfmt/logfmt_fields.hpp"
#include "processors/parse_regex/regex_presets.hpp"
#include "processors/parse_syslog/syslog_fields.hpp"

namespace lc {
namespace {

constexpr std::uint32_t kJsonDepth = 64;

}  // namespace

ContainerHintsProcessor::ContainerHintsProcessor(std::string name, const ContainerHintsOptions&,
                                                 ProcessorMetrics& metrics)
    : name_(std::move(name)), metrics_(metrics), step_(name_, TextParserOutput{}, metrics) {
  for (const RegexPreset& preset : regex_presets()) {
    presets_.emplace(
        std::string(preset.name),
        RegexFields(UserRegex::compile_checked(preset.pattern), preset_capture_types(preset)));
  }
}

bool ContainerHintsProcessor::parse(LogRecord& record, const std::string& parser) const {
  TextParserStep::Parse parse;
  if (parser == "json") {
    parse = [](std::string_view text, FieldValue& out) {
      return parse_json_field_value(text, kJsonDepth, out);
    };
  } else if (parser == "logfmt") {
    parse = parse_logfmt_fields;
  } else if (parser == "syslog") {
    parse = parse_syslog_fields;
  } else if (auto preset = presets_.find(parser); preset != presets_.end()) {
    parse = [&fields = preset->second](std::string_view text, FieldValue& out) {
      return fields.parse(text, out);
    };
  } else {
    return false;  // a parser this version does not know
  }
  return !step_.parse_one(record, parse);
}

void ContainerHintsProcessor::process(std::vector<LogRecord>& records) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    LogRecord& record = records[i];
    if (const ContainerMetadata* container = record.container.get()) {
      const auto& labels = container->labels;
      if (auto exclude = labels.find(kExcludeHint);
          exclude != labels.end() && exclude->second == "true") {
        continue;
      }
      if (auto parser = labels.find(kParserHint); parser != labels.end()) {
        if (!parse(record, parser->second)) metrics_.errors.inc();
      }
    }
    if (kept != i) records[kept] = std::move(record);
    ++kept;
  }
  metrics_.dropped.inc(records.size() - kept);
  records.resize(kept);
}

}  // namespace lc
