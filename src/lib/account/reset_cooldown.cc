#include "account/reset_cooldown.h"

#include <algorithm>

#include "base/strings.h"

namespace userdesk::account {

std::string CooldownKey(std::string_view address) { return AsciiLower(TrimSpace(address)); }

ResetCooldown::ResetCooldown(int64_t cooldown_ms, size_t max_entries)
    : cooldown_ms_(std::max<int64_t>(0, cooldown_ms)),
      max_entries_(std::max<size_t>(1, max_entries)) {}

void ResetCooldown::Expire(int64_t now_ms) {
  while (!oldest_first_.empty() && now_ms - oldest_first_.front().started_ms >= cooldown_ms_) {
    by_key_.erase(oldest_first_.front().key);
    oldest_first_.pop_front();
  }
}

bool ResetCooldown::CoolingDown(std::string_view address, int64_t now_ms) {
  if (cooldown_ms_ == 0) return false;
  Expire(now_ms);
  return by_key_.count(CooldownKey(address)) != 0;
}

void ResetCooldown::Start(std::string_view address, int64_t now_ms) {
  if (cooldown_ms_ == 0) return;
  Expire(now_ms);
  std::string key = CooldownKey(address);
  if (auto it = by_key_.find(key); it != by_key_.end()) {
    oldest_first_.erase(it->second);
    by_key_.erase(it);
  }
  while (by_key_.size() >= max_entries_) {
    by_key_.erase(oldest_first_.front().key);
    oldest_first_.pop_front();
    evicted_++;
  }
  oldest_first_.push_back({key, now_ms});
  by_key_.emplace(std::move(key), std::prev(oldest_first_.end()));
}

}  // namespace userdesk::account
