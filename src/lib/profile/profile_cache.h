// Each responder process keeps the profiles it read from Okta for a short time, so a busy
// dashboard costs Okta at most one read per user per TTL (a free Okta org allows 100 user reads
// a minute) and a warm page needs no network at all.
//
// Processes share nothing. Read-your-writes still holds across them: after a save the session
// cookie carries the user's new lastUpdated (Session::profile_updated_ms), and any process
// whose copy is older than that reads the profile again.
//
// When Okta cannot be reached and a copy exists, the copy is served marked stale (the page
// then says so) and Okta is not asked again for a short back-off, instead of an error page.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "okta/users_client.h"

namespace userdesk::profile {

struct CachedProfile {
  std::shared_ptr<const okta::User> user;  // never null
  int64_t fetched_at_ms = 0;               // when it was read from Okta (or saved), unix ms
  bool stale = false;  // Okta failed just now: this is the last copy, possibly out of date
};

struct CacheOptions {
  int ttl_seconds = 60;     // PROFILE_CACHE_SECONDS; 0 reads Okta on every request
  size_t max_users = 1000;  // PROFILE_CACHE_MAX_USERS; the least recently used leave first
  // At most this many requests wait for one user's read in flight; more (one user's many tabs,
  // or a script) get the copy or the busy answer at once instead of filling the process-wide
  // bound on parked requests that every other user shares. Profiles sets a quarter of that
  // bound (OKTA_MAX_CONCURRENT_CALLS / 4, at least 8): a burst of one user's own requests to a
  // process with nothing cached (a restart under load) still waits for its one read.
  int max_waiters_per_user = 64;
};

class ProfileCache {
 public:
  using Clock = std::function<int64_t()>;  // unix milliseconds
  using Fetch = std::function<okta::OktaResult<okta::User>()>;

  // After a failed read, a stale copy is served without asking Okta again for this long (or the
  // rate limit's retry-after, when longer), never longer than the TTL.
  static constexpr int64_t kFailureBackoffMs = 10'000;

  explicit ProfileCache(CacheOptions options, Clock now_ms = nullptr);

  // sub's profile: the cached copy when it is younger than the TTL and not older than
  // min_last_updated_ms; otherwise fetch() reads it. Concurrent callers for one user share one
  // fetch (at most options.max_waiters_per_user wait for it). When the fetch fails: a copy (if any)
  // comes back with stale = true, except for kNotFound (the user is gone: the copy is dropped, and
  // that answer is remembered for the TTL, so a replayed cookie of a deleted user cannot spend
  // Okta's rate limit one read at a time).
  okta::OktaResult<CachedProfile> Get(const std::string& sub, int64_t min_last_updated_ms,
                                      const Fetch& fetch);

  // Keeps user as the fresh copy (after a successful save, Okta returns the updated user).
  void Store(okta::User user);

  size_t size() const;

 private:
  struct Flight;
  struct Entry {
    std::shared_ptr<const okta::User> user;  // null while the first read is in flight
    int64_t fetched_at_ms = 0;
    int64_t no_retry_until_ms = 0;      // back-off after a failed read
    std::optional<okta::Failure> gone;  // Okta's 404 for this user, until no_retry_until_ms
    // The highest min_last_updated_ms a read was made for. Okta's copy then was the current one
    // even if its lastUpdated is lower (clocks differ), so it satisfies that minimum.
    int64_t read_for_min_ms = 0;
    std::shared_ptr<Flight> flight;  // the read in progress, if any
    std::list<std::string>::iterator lru;
  };

  bool Fresh(const Entry& entry, int64_t min_last_updated_ms, int64_t now) const;
  Entry& Touch(const std::string& sub);  // finds or creates, most recently used
  void EvictOverflow();
  // A request that may not wait for the read in flight: the copy (stale), or the busy answer.
  static okta::OktaResult<CachedProfile> Refused(const Entry& entry);
  // Get without its metrics; *asked_okta: this call read Okta or waited for another's read.
  okta::OktaResult<CachedProfile> Lookup(const std::string& sub, int64_t min_last_updated_ms,
                                         const Fetch& fetch, bool* asked_okta);

  CacheOptions options_;
  Clock now_ms_;
  mutable std::mutex mutex_;
  std::condition_variable flight_done_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::list<std::string> lru_;  // front = most recently used
};

}  // namespace userdesk::profile
