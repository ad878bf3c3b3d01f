#pragma once

namespace lc {

class ProcessorFactory;

// processors: - type: multiline. Its records are joined in the inputs (MultilineSelection).
const ProcessorFactory& multiline_processor_factory();

}  // namespace lc
