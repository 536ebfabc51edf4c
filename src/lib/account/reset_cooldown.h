// At most one reset email per address per cooldown, whoever asks and from wherever: the table of
// addresses a reset was started for, and when.
//
// Why: the reset page answers anyone, and nginx's rate limit counts per client address, so many
// clients together could still mail one person without end. The table is checked before a
// request is queued, so repeats never take a place in the queue either.
//
// Bounded: an entry leaves when its cooldown ends, and the table holds at most max_entries. At
// the cap the oldest entry (the one closest to the end of its cooldown) is forgotten to make
// room, so that address could get its next email early; getting one extra email to one address
// that way takes max_entries requests for other addresses within its cooldown. Not thread-safe:
// its owner (PasswordResets) holds a lock around it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace userdesk::account {

// The key of an address: trimmed and lower-cased (ASCII), as Okta matches logins without regard
// to case. Other spellings Okta would also match (non-ASCII case) count as other addresses.
std::string CooldownKey(std::string_view address);

class ResetCooldown {
 public:
  // cooldown_ms 0 turns the cooldown off (every request may send). max_entries at least 1.
  ResetCooldown(int64_t cooldown_ms, size_t max_entries);

  // True when a reset for this address started less than the cooldown before now_ms (a
  // monotonic clock, in milliseconds). Forgets entries whose cooldown has ended.
  bool CoolingDown(std::string_view address, int64_t now_ms);

  // Records a reset for this address started at now_ms (call after CoolingDown said false).
  // Forgets the oldest entry first when the table is full.
  void Start(std::string_view address, int64_t now_ms);

  size_t size() const { return by_key_.size(); }
  // Entries forgotten at the cap before their cooldown ended, since start.
  uint64_t evicted() const { return evicted_; }

 private:
  struct Entry {
    std::string key;
    int64_t started_ms;
  };
  void Expire(int64_t now_ms);

  int64_t cooldown_ms_;
  size_t max_entries_;
  std::list<Entry> oldest_first_;  // starts only grow with a monotonic clock, so oldest first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
  uint64_t evicted_ = 0;
};

}  // namespace userdesk::account
