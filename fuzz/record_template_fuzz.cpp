// libFuzzer target for the template engine (core/record_template): templates and legacy
// templates of any bytes. Checks, beyond "no crash": a template that parses renders on a
// record; the source is kept; text without "{{" renders as itself; a legacy template that is
// translated parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/record_template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const lc::LogRecord record = [] {
    lc::LogRecord made;
    made.message = "message";
    auto container = std::make_shared<lc::ContainerMetadata>();
    container->name = "web";
    container->labels = {{"app", "shop"}, {"a.b", "c"}};
    made.container = std::move(container);
    lc::FieldValue::Map http{{"status", lc::FieldValue(std::int64_t{500})}};
    made.fields = lc::RecordFields(lc::FieldValue::Map{{"level", lc::FieldValue("error")},
                                                       {"http", lc::FieldValue(std::move(http))}});
    return made;
  }();
  lc::RecordTemplate parsed;
  if (!lc::RecordTemplate::parse(text, parsed)) {
    if (parsed.source() != text) std::abort();
    const std::string rendered = parsed.render(lc::RecordContext{record, "host"});
    if (text.find("{{") == std::string_view::npos && rendered != text) std::abort();
    if (parsed.constant() && rendered != parsed.render(lc::RecordContext{lc::LogRecord{}, ""})) {
      std::abort();
    }
  }
  std::string translated;
  // Text already in today's syntax comes back as it is, valid or not; a translation parses.
  if (!lc::translate_legacy_template(text, translated) && translated != text) {
    lc::RecordTemplate again;
    if (lc::RecordTemplate::parse(translated, again)) std::abort();
  }
  return 0;
}
