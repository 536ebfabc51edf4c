#include "metrics/registry.h"

#include <prometheus/text_serializer.h>

#include "metrics/family_cache.h"

namespace userdesk::metrics {
namespace internal {

prometheus::Registry& TheRegistry() {
  // never destroyed: worker threads may still record while the process exits
  static auto* registry = new prometheus::Registry();
  return *registry;
}

}  // namespace internal

std::string Exposition() {
  internal::EnsureRequestMetrics();
  internal::EnsureOktaMetrics();
  internal::EnsureEventMetrics();
  return prometheus::TextSerializer().Serialize(internal::TheRegistry().Collect());
}

}  // namespace userdesk::metrics
