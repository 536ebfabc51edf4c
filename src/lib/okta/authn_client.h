// The public part of Okta's Authentication API (/api/v1/authn) that a server may call for
// someone who is not signed in: the self-service "forgot password" by email. It is called
// without an API token on purpose: with a token Okta treats the caller as a trusted
// application and hands it the recovery token instead of mailing the user
// (https://developer.okta.com/docs/reference/api/authn/#forgot-password). It shares okta::Send
// (okta/api_call.h) with UsersClient: one HTTP client, one error vocabulary, one log line.
//
// Which orgs serve it, and the fallback when an org does not: docs/ARCHITECTURE.md, "Registration
// and password reset", and docs/deploy.md.
#pragma once

#include <string_view>

#include "base/error.h"
#include "okta/api_call.h"

namespace userdesk::okta {

class AuthnClient {
 public:
  explicit AuthnClient(ClientOptions options);

  // POST /api/v1/authn/recovery/password {"username": username, "factorType": "EMAIL"}: Okta
  // mails the user a link to choose a new password, when the org's password policy lets this
  // user recover by email. The account itself is left as it is: the user stays ACTIVE and the
  // current password keeps working until a new one is set (unlike the administrator's
  // lifecycle/reset_password, which moves the user to RECOVERY at once).
  //
  // Okta answers RECOVERY_CHALLENGE whether or not the user exists (with the org's user
  // enumeration prevention on), so Ok says "Okta took the request", not "an email was sent".
  // Never retried: a retry could send a second email. A 2xx answer that is not
  // RECOVERY_CHALLENGE is kUpstreamUnavailable (its content is not logged: it could carry a
  // recovery token). The username is sent in the body only, so it reaches no log.
  OktaResult<Ok> RecoverPasswordByEmail(std::string_view username) const;

 private:
  ClientOptions options_;
};

}  // namespace userdesk::okta
