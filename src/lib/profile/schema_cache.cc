#include "profile/schema_cache.h"

#include <algorithm>

#include "base/iso_time.h"
#include "base/park.h"

namespace userdesk::profile {

SchemaCache::SchemaCache(int ttl_seconds, std::vector<std::string> chosen, Clock now_ms)
    : ttl_ms_(int64_t{ttl_seconds} * 1000),
      chosen_(std::move(chosen)),
      now_ms_(now_ms ? std::move(now_ms) : Clock(NowUnixMs)) {}

std::shared_ptr<const ProfileSchema> SchemaCache::Known() const {
  std::lock_guard lock(mutex_);
  return schema_;
}

okta::OktaResult<CachedSchema> SchemaCache::Get(const Fetch& fetch) {
  std::unique_lock lock(mutex_);
  int64_t now = now_ms_();
  if (schema_ && now - fetched_at_ms_ < ttl_ms_) return CachedSchema{schema_, false};
  if (schema_ && (now < no_retry_until_ms_ || reading_)) {
    return CachedSchema{schema_, now < no_retry_until_ms_};
  }
  if (reading_) {
    // the first read of this process: wait for it without holding a request thread
    park::Scope parked;
    if (!parked.admitted()) {
      return okta::Failure{
          park::BusyError("user schema read of another request"), {}, park::kBusyRetryAfterSeconds};
    }
    read_done_.wait(lock, [&] { return !reading_; });
    if (schema_) return CachedSchema{schema_, now_ms_() < no_retry_until_ms_};
    return okta::Failure{
        MakeError(ErrorCode::kUnavailable, "user schema: another read failed"), {}, 1};
  }
  reading_ = true;
  uint64_t version = ++versions_;  // the render caches' key (RenderCache): one per schema read
  lock.unlock();
  okta::OktaResult<std::vector<Attribute>> read = fetch();
  std::shared_ptr<const ProfileSchema> made;
  if (read.ok()) made = ProfileSchema::Make(std::move(read).value(), chosen_, version);
  lock.lock();
  reading_ = false;
  read_done_.notify_all();
  now = now_ms_();
  if (made) {
    schema_ = std::move(made);
    fetched_at_ms_ = now;
    no_retry_until_ms_ = 0;
    return CachedSchema{schema_, false};
  }
  if (!schema_) return read.error();
  int64_t backoff =
      std::max<int64_t>(kFailureBackoffMs, int64_t{read.error().retry_after_seconds} * 1000);
  no_retry_until_ms_ = now + std::min<int64_t>(backoff, std::max<int64_t>(ttl_ms_, 1000));
  return CachedSchema{schema_, true};
}

}  // namespace userdesk::profile
