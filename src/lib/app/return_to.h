// Where to send the browser after sign-in. Only a same-origin path is kept: absolute URLs,
// scheme-relative "//host", backslashes (browsers read "/\host" as "//host"), control characters,
// '"', '<' and '>' (browsers send them percent-encoded), paths over kMaxReturnToBytes and any of
// these hidden behind percent-encoding are refused, and the default is used instead.
// Paths of the sign-in flow itself are refused too, so a sign-in never loops.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::app {

inline constexpr std::string_view kDefaultReturnTo = "/dashboard";

// The longest returnTo kept, in bytes (a kept path is printable ASCII, so also in characters).
// It becomes the callback's Location header and sits, JSON-encoded, in the sign-in attempt's
// cookie, so it bounds both responses' headers (docs/ARCHITECTURE.md, "Decisions"); a longer
// one is replaced by kDefaultReturnTo.
inline constexpr size_t kMaxReturnToBytes = 1024;

// raw as received (already form-decoded once from the query); the path to redirect to.
std::string CleanReturnTo(std::string_view raw);

// "/login?returnTo=<return_to>": the sign-in that ends at return_to.
std::string SignInPath(std::string_view return_to);
// The sign-in that asks for the password again even when signed in (fresh=1: prompt=login),
// then ends at return_to.
std::string FreshSignInPath(std::string_view return_to);

}  // namespace userdesk::app
