// What every kind of mini-okta's data shares: one lock, so that a change spanning kinds (a new
// password voiding the user's one-time links) happens at once; one clock behind every timestamp
// and expiry; and the data file, written (temp file + rename) by every change before it returns.
#pragma once

#include <functional>
#include <mutex>
#include <string>

#include "base/error.h"
#include "base/log.h"
#include "mini_okta/management/okta_time.h"

namespace userdesk::mini_okta {

struct StoreCore {
  mutable std::mutex mu;
  Clock clock = SystemNowMillis;
  std::function<Status()> save_locked;  // writes every kind to the data file; mu is held

  std::string NowLocked() const { return FormatTimestamp(clock()); }
  Status SaveLocked() const { return save_locked ? save_locked() : OkStatus(); }
  void SaveOrLogLocked() const {
    Status saved = SaveLocked();
    if (!saved) log::Error("mini-okta", "saving the data file failed: " + saved.error().detail);
  }
};

}  // namespace userdesk::mini_okta
