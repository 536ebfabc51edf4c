#include "metrics/events.h"

#include <array>
#include <string>

#include "metrics/family_cache.h"

namespace userdesk::metrics {
namespace {

// Every child is made at start, so each series exists (at 0) before its first event: a rate()
// over a counter that appears only at its first increment misses that increment.
template <size_t N>
std::array<prometheus::Counter*, N> Children(prometheus::Family<prometheus::Counter>& family,
                                             const char* label,
                                             const std::array<const char*, N>& values) {
  std::array<prometheus::Counter*, N> out{};
  for (size_t i = 0; i < N; i++) out[i] = &family.Add({{label, values[i]}});
  return out;
}

prometheus::Family<prometheus::Counter>& Family(const char* name, const char* help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(internal::TheRegistry());
}

struct EventMetrics {
  prometheus::Counter& sign_ins =
      Family("userdesk_sign_ins_total", "Sign-ins completed (a session started)").Add({});
  std::array<prometheus::Counter*, kSignInFailureCount> sign_in_failures =
      Children<kSignInFailureCount>(Family("userdesk_sign_in_failures_total",
                                           "Sign-ins that ended on an error page, by reason"),
                                    "reason",
                                    {"expired", "denied", "provider_error", "code_refused",
                                     "token_untrusted", "provider_unavailable",
                                     "sessions_unavailable", "other"});
  prometheus::Counter& registrations =
      Family("userdesk_registrations_total", "Users created by the registration form").Add({});
  std::array<prometheus::Counter*, 3> resets =
      Children<3>(Family("userdesk_password_resets_requested_total",
                         "Password resets asked for, by what became of the request"),
                  "outcome", {"queued", "cooling_down", "dropped"});
  std::array<prometheus::Counter*, 2> csrf = Children<2>(
      Family("userdesk_csrf_refusals_total",
             "Form posts refused: from another origin (or none named), or without the right token"),
      "reason", {"origin", "token"});
  std::array<prometheus::Counter*, 2> profile_lookups =
      Children<2>(Family("userdesk_profile_cache_lookups_total",
                         "Profile reads: hit (a fresh copy) or miss (Okta asked)"),
                  "result", {"hit", "miss"});
  prometheus::Counter& profile_stale =
      Family("userdesk_profile_cache_stale_served_total",
             "Profile reads answered with an older copy because Okta could not be read")
          .Add({});
};

EventMetrics& Metrics() {
  static auto* metrics = new EventMetrics();  // never destroyed: see TheRegistry
  return *metrics;
}

}  // namespace

void internal::EnsureEventMetrics() { (void)Metrics(); }

void SignedIn() { Metrics().sign_ins.Increment(); }
void SignInFailed(SignInFailure why) {
  Metrics().sign_in_failures[static_cast<size_t>(why)]->Increment();
}
void Registered() { Metrics().registrations.Increment(); }
void ResetRequested(ResetOutcome what) { Metrics().resets[static_cast<size_t>(what)]->Increment(); }
void CsrfRefused(CsrfRefusal why) { Metrics().csrf[static_cast<size_t>(why)]->Increment(); }
void ProfileCacheLookup(ProfileLookup what) {
  if (what == ProfileLookup::kStale) {
    Metrics().profile_stale.Increment();
    return;
  }
  Metrics().profile_lookups[static_cast<size_t>(what)]->Increment();
}

}  // namespace userdesk::metrics
