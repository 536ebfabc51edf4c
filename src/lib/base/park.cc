#include "base/park.h"

namespace userdesk::park {
namespace {

thread_local Host* t_host = nullptr;
thread_local bool t_parked = false;  // an outer Scope on this thread is parked already

}  // namespace

void SetThreadHost(Host* host) { t_host = host; }

Error BusyError(const std::string& what) {
  return MakeError(ErrorCode::kUnavailable,
                   what + ": too many requests are waiting for the identity provider",
                   Reason::kProviderBusy);
}

bool IsBusy(const Error& error) { return error.reason == Reason::kProviderBusy; }

Scope::Scope() {
  if (t_host == nullptr || t_parked) return;
  admitted_ = t_host->Park();
  parked_ = admitted_;
  t_parked = parked_;
}

Scope::~Scope() {
  if (!parked_) return;
  t_parked = false;
  t_host->Unpark();
}

}  // namespace userdesk::park
