#include "profile/profiles.h"

#include <algorithm>

#include "base/strings.h"

namespace userdesk::profile {

Profiles::Profiles(const config::Config& config)
    : client_(okta::OptionsFrom(config)),
      cache_(CacheOptions{config.profile_cache_seconds,
                          static_cast<size_t>(config.profile_cache_max_users),
                          std::max(8, config.okta_max_concurrent_calls / 4)}),
      token_(config.user_profile_token) {}

okta::OktaResult<CachedProfile> Profiles::Load(const session::Session& session) {
  return cache_.Get(session.sub, session.profile_updated_ms,
                    [&] { return client_.GetUser(token_, session.sub); });
}

okta::OktaResult<okta::User> Profiles::Save(const session::Session& session,
                                            const std::vector<okta::ProfileChange>& changes) {
  okta::OktaResult<okta::User> saved = client_.UpdateProfile(token_, session.sub, changes);
  if (saved.ok()) cache_.Store(*saved);
  return saved;
}

std::string DisplayName(const okta::User& user) {
  std::string name(TrimSpace(user.Attribute("firstName") + " " + user.Attribute("lastName")));
  return name.empty() ? user.Attribute("login") : name;
}

}  // namespace userdesk::profile
