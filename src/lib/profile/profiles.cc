#include "profile/profiles.h"

#include <algorithm>

#include "base/strings.h"

namespace userdesk::profile {

Profiles::Profiles(const config::Config& config)
    : client_(okta::OptionsFrom(config)),
      schema_client_(okta::OptionsFrom(config)),
      cache_(CacheOptions{config.profile_cache_seconds,
                          static_cast<size_t>(config.profile_cache_max_users),
                          std::max(8, config.okta_max_concurrent_calls / 4)}),
      schemas_(config.schema_cache_seconds, config.profile_fields),
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

okta::OktaResult<CachedSchema> Profiles::Schema(const session::Session& /*session*/) {
  return schemas_.Get([&]() -> okta::OktaResult<std::vector<Attribute>> {
    okta::OktaResult<okta::UserSchema> read = schema_client_.GetUserSchema(token_);
    if (!read.ok()) return read.error();
    Result<std::vector<Attribute>> attributes = AttributesFromSchemasApi(read->document);
    if (!attributes.ok()) return okta::Failure{attributes.error(), {}, 0};
    return std::move(attributes).value();
  });
}

std::string DisplayName(const okta::User& user) {
  std::string name(TrimSpace(user.Attribute("firstName") + " " + user.Attribute("lastName")));
  return name.empty() ? user.Attribute("login") : name;
}

}  // namespace userdesk::profile
