// HTML output for mini-okta's own pages (outbox, set-password forms). Everything that comes
// from data (profile values, subjects, links, error text) goes through HtmlEscape.
#pragma once

#include <string>
#include <string_view>

namespace userdesk::mini_okta {

// Escapes & < > " ' so text is safe in element content and quoted attribute values.
std::string HtmlEscape(std::string_view text);

// A complete page: title (escaped here) and body_html (already safe HTML).
std::string HtmlPage(std::string_view title, std::string_view body_html);

}  // namespace userdesk::mini_okta
