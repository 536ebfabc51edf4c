// HTML escaping for pages built without a template (mini-okta's own pages): the same escaper the
// templates use, so `{{x}}` and HtmlEscape(x) agree.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::view {

// Escapes & < > " ' so text is safe in element content and quoted attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace userdesk::view
