// Where to send the browser after sign-in. Only a same-origin path is kept: absolute URLs,
// scheme-relative "//host", backslashes (browsers read "/\host" as "//host"), control characters
// and any of these hidden behind percent-encoding are refused, and the default is used instead.
// Paths of the sign-in flow itself are refused too, so a sign-in never loops.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::app {

inline constexpr std::string_view kDefaultReturnTo = "/dashboard";

// raw as received (already form-decoded once from the query); the path to redirect to.
std::string CleanReturnTo(std::string_view raw);

}  // namespace userdesk::app
