// Where the dashboard and profile responders get and save the signed-in user's Okta profile,
// and the user schema the pages are drawn from: the Okta users and schemas clients with
// USER_PROFILE_TOKEN, behind this process's profile and schema caches. The user
// is always the session's subject: no request names a user id (OWASP ASVS 4.2.1).
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "okta/schema_client.h"
#include "okta/users_client.h"
#include "profile/profile_cache.h"
#include "profile/schema_cache.h"
#include "session/session_cookie.h"

namespace userdesk::profile {

class Profiles {
 public:
  explicit Profiles(const config::Config& config);

  // The session user's profile (see ProfileCache::Get): cached, or read from Okta.
  okta::OktaResult<CachedProfile> Load(const session::Session& session);

  // A partial update of the session user's profile; on success the updated user is cached and
  // returned (its last_updated_ms belongs in the session: Session::profile_updated_ms).
  okta::OktaResult<okta::User> Save(const session::Session& session,
                                    const std::vector<okta::ProfileChange>& changes);

  // What the session's user may see and write (SchemaCache::Get): cached, or read from Okta.
  okta::OktaResult<CachedSchema> Schema(const session::Session& session);
  // The schema this process last read, without asking Okta; nullptr when none yet.
  std::shared_ptr<const ProfileSchema> KnownSchema() const { return schemas_.Known(); }

 private:
  okta::UsersClient client_;
  okta::SchemaClient schema_client_;
  ProfileCache cache_;
  SchemaCache schemas_;
  std::string token_;  // USER_PROFILE_TOKEN
};

// "First Last" for the header's "Signed in as"; the login when both names are empty.
std::string DisplayName(const okta::User& user);

}  // namespace userdesk::profile
