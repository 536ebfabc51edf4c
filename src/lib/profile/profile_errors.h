// The profile's own words for a copy it shows while the provider cannot be reached. What a
// visitor sees when a profile cannot be read or saved at all is the error table's
// (app/error_table.h, tasks kProfileRead and kProfileSave).
#pragma once

#include <string>

#include "profile/profile_cache.h"

namespace userdesk::profile {

// The notice above a page built from a stale copy: "We could not reach the identity provider;
// showing data from HH:MM UTC."
std::string StaleNotice(const CachedProfile& cached);

}  // namespace userdesk::profile
