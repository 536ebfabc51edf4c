// An HTTP response built by a handler and written by the FastCGI server in CGI form
// ("Status: ..." + headers + blank line + body).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace userdesk::http {

enum class SameSite { kLax, kStrict, kNone };

struct SetCookie {
  std::string name;
  std::string value;
  std::string path = "/";
  long max_age = -1;  // seconds; -1 = a browser-session cookie; 0 = delete
  bool http_only = true;
  bool secure = false;
  SameSite same_site = SameSite::kLax;

  // The Set-Cookie header value. Names and values must be cookie-safe tokens (ours are
  // base64url and dots); anything else is a programming error and is dropped to empty.
  std::string Serialize() const;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response WithBody(int status, std::string content_type, std::string body);
  static Response Html(int status, std::string body);
  static Response Text(int status, std::string body);
  static Response Json(int status, std::string body);
  // 302 by default; 303 after a POST (Post/Redirect/Get).
  static Response Redirect(std::string location, int status = 302);
  // 405 with the Allow header naming the methods the path does take, e.g. "GET, HEAD".
  static Response MethodNotAllowed(std::string allow);

  // Sets a header, replacing one of that name (case-blind) a builder set before: a page's
  // Cache-Control can be tightened later without sending two. Cookies go through Cookie.
  Response& Header(std::string name, std::string value);
  // Adds a Set-Cookie (never replaces: a response may set several cookies).
  Response& Cookie(const SetCookie& cookie);
};

// The reason phrase for a status code ("Not Found").
std::string_view ReasonPhrase(int status);
// "Status: 404 Not Found\r\nContent-Type: ...\r\n...\r\n\r\n" + body (omitted for HEAD).
std::string SerializeCgi(const Response& response, bool head_request);

}  // namespace userdesk::http
