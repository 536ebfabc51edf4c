#include "profile/profile_errors.h"

#include "base/iso_time.h"

namespace userdesk::profile {

std::string StaleNotice(const CachedProfile& cached) {
  return "We could not reach the identity provider; showing data from " +
         FormatUtc(cached.fetched_at_ms, "%H:%M UTC") + ".";
}

}  // namespace userdesk::profile
