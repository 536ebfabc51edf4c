// Decoding of query strings, url-encoded bodies and the Cookie header with cgicc, the one place
// that includes cgicc. cgicc reads CGI variables through a CgiInput; we feed it from strings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/request.h"

namespace userdesk::http {

// Decodes "a=1&b=%20x" (+ as space). Malformed pairs are skipped, never fatal.
Params ParseUrlEncoded(std::string_view text);
// Decodes a Cookie header ("a=1; b=2"). Later duplicates do not replace the first value.
std::map<std::string, std::string, std::less<>> ParseCookieHeader(std::string_view header);

// application/x-www-form-urlencoded coding of one value (space as '+'), as query strings and
// RFC 6749 redirects and client credentials use it. Decoding leaves a malformed escape as is.
std::string FormUrlEncode(std::string_view value);
std::string FormUrlDecode(std::string_view value);

// url with each name=value appended to its query (after '?', or '&' when it has a query), both
// form-encoded: the one way redirects to a provider or back to a client are built.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
std::string AppendQuery(std::string_view url, const QueryParams& params);

}  // namespace userdesk::http
