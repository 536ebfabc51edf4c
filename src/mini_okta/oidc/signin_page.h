// mini-okta's sign-in page (what Okta's hosted sign-in widget is to Okta): a plain HTML form
// posting username, password and the id of the pending /v1/authorize request.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::mini_okta::oidc {

// The path the form posts to.
inline constexpr char kSignInPath[] = "/login/signin";

// The whole page. username pre-fills the field (login_hint, or the last attempt); error, when not
// empty, is shown above the form. Every value is HTML-escaped.
std::string SignInPage(std::string_view request_id, std::string_view username,
                       std::string_view error);

}  // namespace userdesk::mini_okta::oidc
