#include "sinks/otlp/otlp_resource.hpp"

#include <stdexcept>

namespace lc {
namespace {

// "registry:5000/team/app:1.2@sha256:..." -> name "registry:5000/team/app", tag "1.2". A colon
// after the last slash starts the tag; a digest is cut off first.
void split_image(const std::string& image, std::string& name, std::string& tag) {
  const std::string_view reference = std::string_view(image).substr(0, image.find('@'));
  const std::size_t slash = reference.rfind('/');
  const std::size_t colon = reference.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    name = std::string(reference.substr(0, colon));
    tag = std::string(reference.substr(colon + 1));
  } else {
    name = std::string(reference);
    tag.clear();
  }
}

void add(FieldValue::Map& attributes, std::string key, FieldValue value) {
  if (value.type() == FieldValue::Type::kString && value.as_string().empty()) return;
  attributes.push_back({std::move(key), std::move(value)});
}

}  // namespace

OtlpResourceRenderer::OtlpResourceRenderer(const OtlpSinkOptions& options, std::string host)
    : host_(std::move(host)) {
  if (auto problem = parse_otlp_source_template(options.service_name, service_name_)) {
    throw std::invalid_argument("otlp service_name: " + *problem);
  }
  for (const std::string& entry : options.resource_attributes) {
    OtlpAttributeSpec spec;
    if (auto problem = parse_otlp_resource_attribute(entry, spec)) {
      throw std::invalid_argument("otlp resource_attributes: " + *problem);
    }
    extra_.push_back(std::move(spec));
  }
}

std::string OtlpResourceRenderer::service_name(const RecordContext& context) const {
  std::string name = service_name_.render(context);
  if (!name.empty()) return name;
  const LogRecord& record = context.record;
  if (record.container) {
    return record.container->compose_service.empty() ? record.container->name
                                                     : record.container->compose_service;
  }
  if (record.file_source) return record.file_source->input;
  return "unknown_service";  // the OpenTelemetry default
}

FieldValue::Map OtlpResourceRenderer::render(const LogRecord& record) const {
  const RecordContext context{record, host_};
  FieldValue::Map attributes;
  add(attributes, "service.name", service_name(context));
  if (const ContainerMetadata* container = record.container.get()) {
    add(attributes, "service.namespace", container->compose_project);
    add(attributes, "container.id", container->id);
    add(attributes, "container.name", container->name);
    std::string image, tag;
    split_image(container->image, image, tag);
    add(attributes, "container.image.name", std::move(image));
    if (!tag.empty()) add(attributes, "container.image.tags", FieldValue::List{FieldValue(tag)});
  }
  add(attributes, "host.name", host_);
  for (const OtlpAttributeSpec& spec : extra_) {
    std::string value = spec.value.render(context);
    // A configured attribute replaces a built-in one of the same name.
    std::erase_if(attributes, [&](const FieldEntry& entry) { return entry.key == spec.name; });
    add(attributes, spec.name, std::move(value));
  }
  return attributes;
}

}  // namespace lc
