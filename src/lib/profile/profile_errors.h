// What a user sees when their profile cannot be read or saved: the one mapping from an Okta
// users-client failure to a page or a form message, shared by the dashboard and profile
// responders (statuses: okta/failure_response.h). Details (errorCode, errorId, status) go to the
// log, never to the page.
#pragma once

#include <string>

#include "app/app.h"
#include "app/error_page.h"
#include "okta/failure_response.h"
#include "okta/users_client.h"
#include "profile/profile_cache.h"

namespace userdesk::profile {

// The message for a failed read (saving = false) or save (saving = true).
app::UserMessage MessageFor(const okta::Failure& failure, bool saving);

// The notice above a page built from a stale copy: "We could not reach the identity provider;
// showing data from HH:MM UTC."
std::string StaleNotice(const CachedProfile& cached);

// The page for a profile that could not be read and has no cached copy. A user Okta no longer
// knows is signed out (the session cookie cleared) and offered "Sign in again".
http::Response ProfileUnavailablePage(const app::App& app, const http::Request& request,
                                      const okta::Failure& failure);

}  // namespace userdesk::profile
