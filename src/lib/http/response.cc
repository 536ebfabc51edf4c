#include "http/response.h"

#include "base/strings.h"

namespace userdesk::http {
namespace {

bool CookieSafe(std::string_view s) {
  for (unsigned char c : s) {
    // RFC 6265 cookie-octet, minus the characters we never produce
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

const char* SameSiteName(SameSite s) {
  switch (s) {
    case SameSite::kLax:
      return "Lax";
    case SameSite::kStrict:
      return "Strict";
    case SameSite::kNone:
      return "None";
  }
  return "Lax";
}

// Header values must never carry CR or LF: that would let data split the response.
std::string NoNewlines(std::string v) {
  for (char& c : v) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return v;
}

}  // namespace

std::string SetCookie::Serialize() const {
  if (!CookieSafe(name) || !CookieSafe(value) || name.empty()) return "";
  std::string out = name + "=" + value + "; Path=" + path;
  if (max_age >= 0) out += "; Max-Age=" + std::to_string(max_age);
  if (http_only) out += "; HttpOnly";
  if (secure) out += "; Secure";
  out += "; SameSite=";
  out += SameSiteName(same_site);
  return out;
}

Response Response::WithBody(int status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Header("Content-Type", std::move(content_type));
  return r;
}

Response Response::Html(int status, std::string body) {
  return WithBody(status, "text/html; charset=utf-8", std::move(body));
}

Response Response::Text(int status, std::string body) {
  return WithBody(status, "text/plain; charset=utf-8", std::move(body));
}

Response Response::Json(int status, std::string body) {
  return WithBody(status, "application/json", std::move(body));
}

Response Response::Redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.Header("Location", std::move(location));
  return r;
}

Response Response::MethodNotAllowed(std::string allow) {
  Response r = Text(405, "Method Not Allowed\n");
  r.Header("Allow", std::move(allow));
  return r;
}

Response& Response::Header(std::string name, std::string value) {
  std::erase_if(headers, [&name](const auto& h) { return EqualsIgnoringCase(h.first, name); });
  headers.emplace_back(std::move(name), NoNewlines(std::move(value)));
  return *this;
}

Response& Response::Cookie(const SetCookie& cookie) {
  std::string v = cookie.Serialize();
  if (!v.empty()) headers.emplace_back("Set-Cookie", std::move(v));
  return *this;
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
  }
  return "Unknown";
}

std::string SerializeCgi(const Response& response, bool head_request) {
  std::string out;
  out.reserve(256 + response.body.size());
  out.append("Status: ").append(std::to_string(response.status)).append(" ");
  out.append(ReasonPhrase(response.status)).append("\r\n");
  for (const auto& [name, value] : response.headers) {
    out.append(name).append(": ").append(value).append("\r\n");
  }
  out.append("\r\n");
  if (!head_request) out.append(response.body);
  return out;
}

}  // namespace userdesk::http
