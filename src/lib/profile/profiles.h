// Where the dashboard and profile responders get and save the signed-in user's Okta profile,
// and the user schema the pages are drawn from: the Okta users and schemas clients with
// USER_PROFILE_TOKEN, behind this process's profile and schema caches. The user
// is always the session's subject: no request names a user id (OWASP ASVS 4.2.1).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "okta/myaccount_client.h"
#include "okta/schema_client.h"
#include "okta/users_client.h"
#include "profile/profile_cache.h"
#include "profile/schema_cache.h"
#include "session/session_cookie.h"

namespace userdesk::profile {

// MyAccount mode's access to the session user's own token (app::UserTokens::AccessToken): a
// valid one, or a refreshed one when force_refresh (Okta refused the one we had).
using AccessTokenSource =
    std::function<Result<std::string>(const session::Session& session, bool force_refresh)>;

class Profiles {
 public:
  // tokens: set in MyAccount mode (PROFILE_API=myaccount), where every read and write is the
  // user's own, through Okta's MyAccount API; null in users-API mode (USER_PROFILE_TOKEN).
  explicit Profiles(const config::Config& config, AccessTokenSource tokens = nullptr);

  // The session user's profile (see ProfileCache::Get): cached, or read from Okta.
  okta::OktaResult<CachedProfile> Load(const session::Session& session);

  // The session user's profile changed by changes; on success the updated user is cached and
  // returned (its last_updated_ms belongs in the session: Session::profile_updated_ms). Users
  // API: Okta's partial update. MyAccount: a full replace, built from Okta's profile as it is
  // now with the changes applied, of the attributes schema says SELF may write.
  okta::OktaResult<okta::User> Save(const session::Session& session, const ProfileSchema& schema,
                                    const std::vector<okta::ProfileChange>& changes);

  // What the session's user may see and write (SchemaCache::Get): cached, or read from Okta.
  okta::OktaResult<CachedSchema> Schema(const session::Session& session);
  // The schema this process last read, without asking Okta; nullptr when none yet.
  std::shared_ptr<const ProfileSchema> KnownSchema() const { return schemas_.Known(); }

 private:
  // MyAccount: call(token) with the session's access token, and once more with a refreshed one
  // when Okta answers that the token is no good (401).
  template <typename T>
  okta::OktaResult<T> AsUser(const session::Session& session,
                             const std::function<okta::OktaResult<T>(const std::string&)>& call);
  okta::OktaResult<okta::User> ReplaceAsUser(const session::Session& session,
                                             const ProfileSchema& schema,
                                             const std::vector<okta::ProfileChange>& changes);

  okta::UsersClient client_;
  okta::MyAccountClient myaccount_;
  AccessTokenSource tokens_;  // null in users-API mode
  okta::SchemaClient schema_client_;
  ProfileCache cache_;
  SchemaCache schemas_;
  std::string token_;  // USER_PROFILE_TOKEN
};

// "First Last" for the header's "Signed in as"; the login when both names are empty.
std::string DisplayName(const okta::User& user);

}  // namespace userdesk::profile
