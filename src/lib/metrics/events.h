// The events an operator counts beside requests: sign-ins and why they failed, registrations,
// password resets asked for, CSRF and origin refusals, and the profile cache's hits, misses and
// stale copies served. Each label value comes from the enums below, never from a request.
#pragma once

namespace userdesk::metrics {

// Why a sign-in did not end signed in (the sign-in's error page, responders/auth).
enum class SignInFailure {
  kExpired,              // the callback's state unknown, expired or used
  kDenied,               // the provider answered error=access_denied
  kProviderError,        // the provider answered another error
  kCodeRefused,          // the token endpoint refused the code
  kTokenUntrusted,       // the ID token failed a check (nonce included)
  kProviderUnavailable,  // the provider could not be reached, or too many wait for it
  kSessionsUnavailable,  // the session registry could not record the session
  kOther,
};
inline constexpr int kSignInFailureCount = 8;

enum class ResetOutcome { kQueued, kCoolingDown, kDropped };
enum class CsrfRefusal { kOrigin, kToken };
enum class ProfileLookup { kHit, kMiss, kStale };

void SignedIn();                         // userdesk_sign_ins_total
void SignInFailed(SignInFailure why);    // userdesk_sign_in_failures_total{reason}
void Registered();                       // userdesk_registrations_total
void ResetRequested(ResetOutcome what);  // userdesk_password_resets_requested_total{outcome}
void CsrfRefused(CsrfRefusal why);       // userdesk_csrf_refusals_total{reason}
// userdesk_profile_cache_lookups_total{result}: hit (a fresh copy), miss (Okta was asked, or a
// read under way was waited for); userdesk_profile_cache_stale_served_total counts the answers
// that were an older copy because Okta could not be read.
void ProfileCacheLookup(ProfileLookup what);

}  // namespace userdesk::metrics
