#include "mini_okta/dev/faults.h"

namespace userdesk::mini_okta {

Faults::Faults() : rng_(std::random_device{}()) {}

int64_t Faults::ClockOffsetSeconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return settings_.clock_offset_seconds;
}

FaultSettings Faults::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return settings_;
}

void Faults::Set(const FaultSettings& settings) {
  std::lock_guard<std::mutex> lock(mu_);
  settings_ = settings;
}

int Faults::RollInjectedError() {
  std::lock_guard<std::mutex> lock(mu_);
  if (settings_.error_rate <= 0.0) return 0;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (unit(rng_) >= settings_.error_rate) return 0;
  return unit(rng_) < 0.5 ? 500 : 503;
}

}  // namespace userdesk::mini_okta
