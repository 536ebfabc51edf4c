// Small HTTP helpers shared by the OIDC route files: query building, OAuth error responses
// (RFC 6749 §5.2 JSON and the HTML page Okta shows when it cannot redirect), cookies and
// request-parameter checks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/cgi_parse.h"
#include "mini_okta/server/request_params.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace userdesk::mini_okta::oidc {

// Redirects to a client are built as the app builds its own (http/cgi_parse.h).
using http::AppendQuery;
using http::QueryParams;

// The first of names that the request carries more than once (Okta refuses duplicates).
std::optional<std::string> DuplicatedParam(const httplib::Request& req,
                                           const std::vector<std::string>& names);
std::vector<std::string> SplitSpaces(std::string_view text);
bool Contains(const std::vector<std::string>& list, std::string_view item);

// {"error":..., "error_description":...} with Cache-Control: no-store (RFC 6749 §5.1/§5.2).
void SendOAuthError(httplib::Response& res, int status, std::string_view error,
                    std::string_view description);
// Okta's error page, for errors that must not be redirected (unknown client, bad redirect_uri).
void SendErrorPage(httplib::Response& res, int status, std::string_view error,
                   std::string_view description);
// An HTML page that is neither cached nor framed.
void SendHtml(httplib::Response& res, int status, const std::string& html);
// 302 to location, with Referrer-Policy: no-referrer so codes never leak through Referer.
void SendRedirect(httplib::Response& res, const std::string& location);
void SetNoStore(httplib::Response& res);

// The value of one cookie from the Cookie header.
std::optional<std::string> GetCookie(const httplib::Request& req, std::string_view name);

}  // namespace userdesk::mini_okta::oidc
