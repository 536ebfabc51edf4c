// One HTTP request as a responder sees it, independent of FastCGI so handlers, unit tests and
// fuzzers can build one directly. Query, form and cookies are decoded by cgicc (http/cgi_parse).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace userdesk::http {

using Params = std::multimap<std::string, std::string, std::less<>>;

struct Request {
  std::string method;      // "GET", "POST", ...
  std::string path;        // decoded by nginx ($document_uri), no query
  std::string query;       // raw query string
  std::string request_id;  // nginx $request_id, for logs
  std::string remote_addr;  // the client's address as nginx saw it (REMOTE_ADDR)
  std::map<std::string, std::string, std::less<>> headers;  // lower-case names
  std::string body;                                         // raw body, at most the configured cap

  Params query_params;  // decoded from query
  Params form;          // decoded url-encoded body (POST)
  std::map<std::string, std::string, std::less<>> cookies;

  // First value or nullopt.
  std::optional<std::string> Header(std::string_view lower_name) const;
  std::optional<std::string> Query(std::string_view name) const;
  std::optional<std::string> Form(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
  // True when the client prefers JSON (an XHR/fetch asking for application/json).
  bool WantsJson() const;
};

// How a declared CONTENT_LENGTH compares with the body cap (checked before reading the body).
enum class BodySize { kNone, kFits, kTooLarge, kInvalid };
BodySize CheckContentLength(std::string_view content_length, size_t cap);

}  // namespace userdesk::http
