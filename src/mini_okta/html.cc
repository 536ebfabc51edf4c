#include "mini_okta/html.h"

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

}  // namespace userdesk::mini_okta
