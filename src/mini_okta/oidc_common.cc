#include "mini_okta/oidc_common.h"

#include <httplib.h>

#include "json/json.h"
#include "mini_okta/html.h"

namespace userdesk::mini_okta::oidc {
namespace {

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out += {'%', kHex[b >> 4], kHex[b & 0x0F]};
    }
  }
  return out;
}

std::optional<std::string> FormDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] != '%') {
      out.push_back(text[i]);
    } else {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
  }
  return out;
}

std::string AppendQuery(std::string_view uri, const QueryParams& params) {
  std::string out(uri);
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    out += sep + PercentEncode(name) + "=" + PercentEncode(value);
    sep = '&';
  }
  return out;
}

std::string Param(const httplib::Request& req, const std::string& name) {
  return req.get_param_value(name.c_str());
}

std::optional<std::string> DuplicatedParam(const httplib::Request& req,
                                           const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (req.get_param_value_count(name.c_str()) > 1) return name;
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
  std::string header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view pair = Trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return std::nullopt;
}

}  // namespace userdesk::mini_okta::oidc
