#include "mini_okta/oidc/signin_page.h"

#include "mini_okta/server/html.h"

namespace userdesk::mini_okta::oidc {

std::string SignInPage(std::string_view request_id, std::string_view username,
                       std::string_view error) {
  std::string body;
  if (!error.empty()) {
    body += "<p class=\"error\" role=\"alert\">" + HtmlEscape(error) + "</p>\n";
  }
  body += std::string("<form method=\"post\" action=\"") + kSignInPath + "\">\n";
  body += "<input type=\"hidden\" name=\"request_id\" value=\"" + HtmlEscape(request_id) + "\">\n";
  body +=
      "<label for=\"username\">Username</label>\n"
      "<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" "
      "required value=\"" +
      HtmlEscape(username) + "\">\n";
  body +=
      "<label for=\"password\">Password</label>\n"
      "<input id=\"password\" name=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required>\n";
  body += "<p><button type=\"submit\">Sign In</button></p>\n</form>";
  return HtmlPage("Sign In", body);
}

}  // namespace userdesk::mini_okta::oidc
