// Each responder process keeps the user schema it read (SCHEMA_CACHE_SECONDS, default 300), so
// drawing the form and the dashboard from it costs Okta one read per process per period, not one
// per page. The schema is the same for every user (what SELF may see and write), so there is one
// copy, whoever's request read it.
//
// A read in flight is never waited for by a request that has a copy: it gets the copy. When Okta
// cannot be reached, the copy stays in use (marked stale) and Okta is left alone for a short
// back-off; with no copy at all the page cannot be drawn and the caller gets the failure: an
// attribute's permissions are never guessed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "okta/api_call.h"
#include "profile/profile_schema.h"

namespace userdesk::profile {

struct CachedSchema {
  std::shared_ptr<const ProfileSchema> schema;  // never null
  bool stale = false;                           // Okta failed just now: the last copy
};

class SchemaCache {
 public:
  using Clock = std::function<int64_t()>;  // unix milliseconds
  using Fetch = std::function<okta::OktaResult<std::vector<Attribute>>()>;

  static constexpr int64_t kFailureBackoffMs = 10'000;

  // chosen: PROFILE_FIELDS, applied to every schema read (ProfileSchema::Make).
  SchemaCache(int ttl_seconds, std::vector<std::string> chosen, Clock now_ms = nullptr);

  // The copy when it is younger than the TTL, else fetch()'s answer (one read at a time).
  okta::OktaResult<CachedSchema> Get(const Fetch& fetch);

  // The copy, however old, without asking Okta; nullptr when there is none.
  std::shared_ptr<const ProfileSchema> Known() const;

 private:
  int64_t ttl_ms_;
  std::vector<std::string> chosen_;
  Clock now_ms_;
  mutable std::mutex mutex_;
  std::condition_variable read_done_;
  std::shared_ptr<const ProfileSchema> schema_;
  int64_t fetched_at_ms_ = 0;
  int64_t no_retry_until_ms_ = 0;
  bool reading_ = false;
  uint64_t versions_ = 0;
};

}  // namespace userdesk::profile
