// The user claims of OIDC Core §5.1/§5.4 as Okta derives them from the user's profile, for
// /v1/userinfo (every claim of the granted scopes) and the thin ID token (the few claims Okta
// keeps in an ID token issued next to an access token, docs/okta-api.md §1.6).
#pragma once

#include <string>
#include <vector>

#include "json/json.h"
#include "mini_okta/store/store.h"

namespace userdesk::mini_okta::oidc {

// profile → name, given_name, family_name, middle_name, nickname, preferred_username, zoneinfo,
// locale, updated_at (+ profile, picture, website, gender, birthdate when set); email → email,
// email_verified; address → address{...}; phone → phone_number. Absent values are left out.
void AddUserinfoClaims(const UserRecord& user, const std::vector<std::string>& scopes,
                       json::Value& out, json::Allocator& alloc);

// Okta's thin ID token: name and preferred_username with profile, email with email.
void AddThinIdTokenClaims(const UserRecord& user, const std::vector<std::string>& scopes,
                          json::Value& out, json::Allocator& alloc);

// profile.login: the access token's sub (Okta's default app username).
std::string UserLogin(const UserRecord& user);

}  // namespace userdesk::mini_okta::oidc
