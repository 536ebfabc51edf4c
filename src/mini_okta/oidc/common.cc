#include "mini_okta/oidc/common.h"

#include <httplib.h>

#include "http/cgi_parse.h"
#include "json/json.h"
#include "mini_okta/server/html.h"
#include "mini_okta/server/request_params.h"

namespace userdesk::mini_okta::oidc {

std::optional<std::string> DuplicatedParam(const httplib::Request& req,
                                           const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (ParamCount(req, name) > 1) return name;
  }
  return std::nullopt;
}

std::vector<std::string> SplitSpaces(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  for (const std::string& s : list) {
    if (s == item) return true;
  }
  return false;
}

void SetNoStore(httplib::Response& res) {
  res.set_header("Cache-Control", "no-cache, no-store");
  res.set_header("Pragma", "no-cache");
}

void SendOAuthError(httplib::Response& res, int status, std::string_view error,
                    std::string_view description) {
  json::Document doc(rapidjson::kObjectType);
  doc.AddMember("error", json::Str(error, doc.GetAllocator()), doc.GetAllocator());
  doc.AddMember("error_description", json::Str(description, doc.GetAllocator()),
                doc.GetAllocator());
  SetNoStore(res);
  res.status = status;
  res.set_content(json::Write(doc), "application/json");
}

void SendErrorPage(httplib::Response& res, int status, std::string_view error,
                   std::string_view description) {
  std::string body =
      "<p>Identity Provider: mini-okta</p><p>Error Code: <code>" + HtmlEscape(error) +
      "</code></p><p class=\"error\">Description: " + HtmlEscape(description) + "</p>";
  SendHtml(res, status, HtmlPage("Bad Request", body));
}

void SendHtml(httplib::Response& res, int status, const std::string& html) {
  SetNoStore(res);
  // The sign-in form must never be framed (clickjacking of the password field).
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Content-Security-Policy", "frame-ancestors 'none'");
  res.status = status;
  res.set_content(html, "text/html; charset=utf-8");
}

void SendRedirect(httplib::Response& res, const std::string& location) {
  SetNoStore(res);
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_redirect(location, 302);
}

std::optional<std::string> GetCookie(const httplib::Request& req, std::string_view name) {
  auto cookies = http::ParseCookieHeader(req.get_header_value("Cookie"));
  auto it = cookies.find(name);
  if (it == cookies.end()) return std::nullopt;
  return it->second;
}

}  // namespace userdesk::mini_okta::oidc
