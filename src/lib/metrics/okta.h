// The identity provider as the responders see it: every outgoing call (http::Fetch records it,
// once, for the OIDC endpoints and the Okta APIs alike) by endpoint family and status, with its
// latency; the calls in flight; and the last X-Rate-Limit-Remaining and X-Rate-Limit-Limit Okta
// sent per family (Okta counts its rate limits per endpoint, docs/okta-api.md).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace userdesk::metrics {

// The endpoint label, from the URL's path: discovery, keys, authorize, token, userinfo (OIDC,
// any authorization server), users, schemas, authn, sessions (the Okta APIs), other. Never an id,
// a login or a query.
size_t EndpointIndex(std::string_view url);
std::string_view EndpointLabel(size_t index);
inline constexpr size_t kEndpointCount = 10;

struct OktaCall {
  std::string_view url;
  long status = 0;  // 0: no HTTP answer (unreachable, timeout, broken answer)
  double seconds = 0;
  std::optional<long> rate_limit_remaining;  // the headers, when Okta sent them
  std::optional<long> rate_limit_limit;
};

// userdesk_okta_requests_total{endpoint,code} (code "error" for no answer),
// userdesk_okta_request_duration_seconds{endpoint}, userdesk_okta_rate_limit_remaining and
// userdesk_okta_rate_limit_limit{endpoint}.
void RecordOktaCall(const OktaCall& call);

// userdesk_okta_requests_in_flight, for the scope's life.
class OktaCallInFlight {
 public:
  OktaCallInFlight();
  ~OktaCallInFlight();
  OktaCallInFlight(const OktaCallInFlight&) = delete;
  OktaCallInFlight& operator=(const OktaCallInFlight&) = delete;
};

}  // namespace userdesk::metrics
