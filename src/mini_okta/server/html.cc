#include "mini_okta/server/html.h"

#include <httplib.h>

namespace userdesk::mini_okta {

std::string HtmlPage(std::string_view title, std::string_view body_html) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         HtmlEscape(title) +
         " - mini-okta</title>"
         "<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
         "padding:.4rem;text-align:left}.error{color:#b00020}label{display:block;margin:.6rem 0}"
         "input,button{font:inherit;padding:.4rem .6rem}input{width:100%;max-width:24rem;"
         "box-sizing:border-box}</style></head><body><main><h1>" +
         HtmlEscape(title) + "</h1>\n" + std::string(body_html) + "\n</main></body></html>\n";
}

void SendPage(httplib::Response& res, int status, std::string_view title,
              std::string_view body_html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  // same-origin, not no-referrer: the token stays off other sites, and a form post from the page
  // keeps its Origin header (browsers send "Origin: null" under no-referrer, Fetch standard
  // "append a request Origin header"), which the form's origin check needs.
  res.set_header("Referrer-Policy", "same-origin");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header(
      "Content-Security-Policy",
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  res.set_content(HtmlPage(title, body_html), "text/html; charset=utf-8");
}

}  // namespace userdesk::mini_okta
