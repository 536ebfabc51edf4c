// A readable name for the device a session signed in from ("Firefox on Linux"), for the
// Security page. A small table of the User-Agent tokens that identify today's browsers and
// systems, checked in an order that resolves their overlaps (every Chromium browser also says
// "Chrome" and "Safari"; Android also says "Linux"). Anything else is "Unknown browser" or
// "unknown system": the name helps a person recognise a session, it is never used to decide.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::session {

// "<browser> on <system>", at most 64 characters, from a User-Agent header of any length.
std::string DeviceName(std::string_view user_agent);

}  // namespace userdesk::session
