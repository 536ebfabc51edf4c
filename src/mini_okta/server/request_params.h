// Query and form parameters as browsers and OAuth clients encode them. cpp-httplib 0.11 decodes
// them but keeps '+' as '+', so a password typed with a space, or a scope sent as
// "openid+profile", would arrive wrong; every mini-okta handler reads parameters through these
// functions instead of httplib::Request::get_param_value.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/request.h"

namespace httplib {
struct Request;
}

namespace userdesk::mini_okta {

// The query string's parameters, then the url-encoded body's (cgicc decodes both).
http::Params RequestParams(const httplib::Request& req);
// The first value of name, or "" when absent.
std::string Param(const httplib::Request& req, std::string_view name);
bool HasParam(const httplib::Request& req, std::string_view name);
size_t ParamCount(const httplib::Request& req, std::string_view name);

}  // namespace userdesk::mini_okta
