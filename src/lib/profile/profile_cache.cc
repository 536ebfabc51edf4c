#include "profile/profile_cache.h"

#include <algorithm>
#include <optional>

#include "base/iso_time.h"
#include "base/park.h"
#include "metrics/events.h"

namespace userdesk::profile {

struct ProfileCache::Flight {
  bool done = false;
  int waiters = 0;
  std::optional<okta::Failure> failure;  // set when the read failed
};

namespace {

// Failures for which the last copy is better than an error page: Okta is slow, down, rate
// limiting us, or answering nonsense. Not kNotFound: that user no longer exists.
bool ServeStaleOn(ErrorCode code) {
  return code == ErrorCode::kUnavailable || code == ErrorCode::kDeadlineExceeded ||
         code == ErrorCode::kRateLimited || code == ErrorCode::kUpstreamUnavailable;
}

}  // namespace

ProfileCache::ProfileCache(CacheOptions options, Clock now_ms)
    : options_(options), now_ms_(now_ms ? std::move(now_ms) : Clock(NowUnixMs)) {
  options_.max_users = std::max<size_t>(options_.max_users, 1);
}

bool ProfileCache::Fresh(const Entry& entry, int64_t min_last_updated_ms, int64_t now) const {
  return entry.user && now - entry.fetched_at_ms < int64_t{options_.ttl_seconds} * 1000 &&
         (entry.user->last_updated_ms >= min_last_updated_ms ||
          entry.read_for_min_ms >= min_last_updated_ms);
}

ProfileCache::Entry& ProfileCache::Touch(const std::string& sub) {
  auto it = entries_.find(sub);
  if (it == entries_.end()) {
    lru_.push_front(sub);
    it = entries_.emplace(sub, Entry{}).first;
    it->second.lru = lru_.begin();
    EvictOverflow();
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  return it->second;
}

void ProfileCache::EvictOverflow() {
  // From the least recently used end. Never the front (the entry being touched) and never an
  // entry with a read in flight (its reader comes back to it).
  auto it = lru_.end();
  while (entries_.size() > options_.max_users) {
    if (--it == lru_.begin()) break;
    auto entry = entries_.find(*it);
    if (entry->second.flight) continue;
    entries_.erase(entry);
    it = lru_.erase(it);
  }
}

okta::OktaResult<CachedProfile> ProfileCache::Refused(const Entry& entry) {
  if (entry.user) return CachedProfile{entry.user, entry.fetched_at_ms, true};
  return okta::Failure{
      park::BusyError("profile read of another request"), {}, park::kBusyRetryAfterSeconds};
}

okta::OktaResult<CachedProfile> ProfileCache::Get(const std::string& sub,
                                                  int64_t min_last_updated_ms, const Fetch& fetch) {
  bool asked_okta = false;
  okta::OktaResult<CachedProfile> found = Lookup(sub, min_last_updated_ms, fetch, &asked_okta);
  metrics::ProfileCacheLookup(asked_okta ? metrics::ProfileLookup::kMiss
                                         : metrics::ProfileLookup::kHit);
  if (found.ok() && found->stale) metrics::ProfileCacheLookup(metrics::ProfileLookup::kStale);
  return found;
}

okta::OktaResult<CachedProfile> ProfileCache::Lookup(const std::string& sub,
                                                     int64_t min_last_updated_ms,
                                                     const Fetch& fetch, bool* asked_okta) {
  std::unique_lock lock(mutex_);
  Entry* entry = &Touch(sub);
  int64_t now = now_ms_();
  if (Fresh(*entry, min_last_updated_ms, now)) {
    return CachedProfile{entry->user, entry->fetched_at_ms, false};
  }
  if (now < entry->no_retry_until_ms) {
    if (entry->gone) return *entry->gone;
    if (entry->user) return CachedProfile{entry->user, entry->fetched_at_ms, true};
  }

  if (std::shared_ptr<Flight> flight = entry->flight) {
    // someone is reading this user now: take their answer rather than a second read, waiting
    // without holding a request thread (base/park.h), or, refused that or past this user's
    // share of waiters, the copy if any
    if (flight->waiters >= options_.max_waiters_per_user) return Refused(*entry);
    park::Scope parked;
    if (!parked.admitted()) return Refused(*entry);
    flight->waiters++;
    *asked_okta = true;
    flight_done_.wait(lock, [&] { return flight->done; });
    auto it = entries_.find(sub);
    if (it == entries_.end() || !it->second.user) {
      if (flight->failure) return *flight->failure;
      return okta::Failure{MakeError(ErrorCode::kInternal, "profile cache: entry evicted"), {}, 0};
    }
    return CachedProfile{it->second.user, it->second.fetched_at_ms, flight->failure.has_value()};
  }

  auto flight = std::make_shared<Flight>();
  entry->flight = flight;
  lock.unlock();
  *asked_okta = true;
  okta::OktaResult<okta::User> read = fetch();
  lock.lock();

  auto it = entries_.find(sub);  // still there: an entry with a flight is never evicted
  Entry& e = it->second;
  e.flight.reset();
  flight->done = true;
  flight_done_.notify_all();
  now = now_ms_();
  if (read.ok()) {
    // a save stored while this read was under way may be newer than what the read returned
    if (!e.user || read->last_updated_ms >= e.user->last_updated_ms) {
      e.user = std::make_shared<const okta::User>(std::move(read).value());
    }
    e.fetched_at_ms = now;
    e.no_retry_until_ms = 0;
    e.gone.reset();
    e.read_for_min_ms = std::max(e.read_for_min_ms, min_last_updated_ms);
    return CachedProfile{e.user, e.fetched_at_ms, false};
  }
  flight->failure = read.error();
  if (e.user && park::IsBusy(read.error().error)) {
    // our own overload, not Okta's: the copy now, and the next request asks again
    return CachedProfile{e.user, e.fetched_at_ms, true};
  }
  if (e.user && ServeStaleOn(read.error().error.code)) {
    int64_t backoff =
        std::max<int64_t>(kFailureBackoffMs, int64_t{read.error().retry_after_seconds} * 1000);
    e.no_retry_until_ms = now + std::min<int64_t>(backoff, int64_t{options_.ttl_seconds} * 1000);
    return CachedProfile{e.user, e.fetched_at_ms, true};
  }
  if (read.error().error.code == ErrorCode::kNotFound && options_.ttl_seconds > 0) {
    e.user.reset();
    e.gone = read.error();
    e.no_retry_until_ms = now + int64_t{options_.ttl_seconds} * 1000;
    return read.error();
  }
  lru_.erase(e.lru);
  entries_.erase(it);
  return read.error();
}

void ProfileCache::Store(okta::User user) {
  std::string sub = user.id;
  std::lock_guard lock(mutex_);
  Entry& entry = Touch(sub);
  entry.user = std::make_shared<const okta::User>(std::move(user));
  entry.fetched_at_ms = now_ms_();
  entry.no_retry_until_ms = 0;
  entry.gone.reset();
}

size_t ProfileCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace userdesk::profile
