// A failed Okta call as the visitor's HTTP answer: the status and the Retry-After header. Shared
// by every responder that calls the Users API, so an outage reads the same everywhere.
#pragma once

#include "http/response.h"
#include "okta/users_client.h"

namespace userdesk::okta {

// 404 when the user is gone; 503 when Okta is down or rate limiting us (our visitor did
// nothing wrong, so not 429); 504 on a timeout; 502 when Okta refused our API token or sent
// nonsense.
int PageStatus(const Failure& failure);

// Adds Retry-After when Okta's rate limit said how long to wait.
void AddRetryAfter(const Failure& failure, http::Response* response);

}  // namespace userdesk::okta
