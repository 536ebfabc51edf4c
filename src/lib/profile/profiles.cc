#include "profile/profiles.h"

#include "base/strings.h"

namespace userdesk::profile {

namespace {

okta::ClientOptions UsersClientOptions(const config::Config& config) {
  okta::ClientOptions options;
  options.org_url = config.org_url;
  options.http = {config.http_connect_timeout_ms, config.http_timeout_ms, "okta"};
  options.max_rate_limit_wait_ms = config.okta_rate_limit_wait_ms;
  return options;
}

}  // namespace

Profiles::Profiles(const config::Config& config)
    : client_(UsersClientOptions(config)),
      cache_(CacheOptions{config.profile_cache_seconds,
                          static_cast<size_t>(config.profile_cache_max_users)}),
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
