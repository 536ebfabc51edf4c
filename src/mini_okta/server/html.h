// HTML output for mini-okta's own pages (outbox, set-password forms, refusals). Everything that
// comes from data (profile values, subjects, links, error text) goes through HtmlEscape.
#pragma once

#include <string>
#include <string_view>

#include "view/html_escape.h"

namespace httplib {
struct Response;
}

namespace userdesk::mini_okta {

// Escapes & < > " ' so text is safe in element content and quoted attribute values.
using view::HtmlEscape;

// A complete page: title (escaped here) and body_html (already safe HTML).
std::string HtmlPage(std::string_view title, std::string_view body_html);

// Answers with HtmlPage(title, body_html): never cached or framed, a strict CSP, and no Referer
// to other sites (the reset and activation pages carry their token in the URL).
void SendPage(httplib::Response& res, int status, std::string_view title,
              std::string_view body_html);

}  // namespace userdesk::mini_okta
