#include "mini_okta/server/request_params.h"

#include <httplib.h>

#include "http/cgi_parse.h"

namespace userdesk::mini_okta {

http::Params RequestParams(const httplib::Request& req) {
  size_t question = req.target.find('?');
  http::Params params =
      question == std::string::npos
          ? http::Params{}
          : http::ParseUrlEncoded(std::string_view(req.target).substr(question + 1));
  if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    params.merge(http::ParseUrlEncoded(req.body));
  }
  return params;
}

std::string Param(const httplib::Request& req, std::string_view name) {
  http::Params params = RequestParams(req);
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

bool HasParam(const httplib::Request& req, std::string_view name) {
  return RequestParams(req).count(name) > 0;
}

size_t ParamCount(const httplib::Request& req, std::string_view name) {
  return RequestParams(req).count(name);
}

}  // namespace userdesk::mini_okta
