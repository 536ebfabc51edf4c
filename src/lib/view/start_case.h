// Labels for profile attribute names, written the way lodash's startCase writes them (the
// tutorial's dashboard uses it): favoriteColor → "Favorite Color", zipCode → "Zip Code",
// XMLHttpRequest → "XML Http Request", address2 → "Address 2", __FOO_BAR__ → "FOO BAR".
#pragma once

#include <string>
#include <string_view>

namespace userdesk::view {

// Splits name into words (at non-alphanumerics, lower→upper changes, the end of an acronym
// before a capitalised word, and letter/digit changes, keeping ordinals such as "2nd" whole),
// upper-cases the first letter of each word and joins them with single spaces. Okta attribute
// names are ASCII; other bytes are kept as they are and count as lower-case letters (lodash
// would also strip their accents).
std::string StartCase(std::string_view name);

}  // namespace userdesk::view
