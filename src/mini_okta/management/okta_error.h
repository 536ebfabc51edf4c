// The one place mini-okta builds Okta's error object:
//   {"errorCode", "errorSummary", "errorLink", "errorId": "oae...", "errorCauses":
//   [{errorSummary}]}
// and writes JSON responses. Route code describes an error as an OktaError and sends it here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace httplib {
struct Response;
}

namespace userdesk::mini_okta {

struct OktaError {
  int status = 400;
  std::string code;     // "E0000001"
  std::string summary;  // errorSummary
  std::vector<std::string> causes;
};

// The errors mini-okta answers with, worded as Okta words them.
OktaError InvalidToken();                              // 401 E0000011
OktaError NoPermission();                              // 403 E0000006
OktaError AuthenticationFailed();                      // 401 E0000004
OktaError UserNotFound(std::string_view id_or_login);  // 404 E0000007
OktaError ResourceNotFound(std::string_view what);     // 404 E0000007
OktaError PathNotFound();                              // 404 E0000008
OktaError BadJson();                                   // 400 E0000003
OktaError ValidationFailed(std::string_view object, std::vector<std::string> causes);  // E0000001
OktaError RateLimited();            // 429 E0000047
OktaError InvalidSearch();          // 400 E0000031
OktaError ServerError(int status);  // 500 E0000009 / 503 E0000010

std::string OktaErrorJson(const OktaError& error);
void SendOktaError(httplib::Response& res, const OktaError& error);
void SendJson(httplib::Response& res, int status, const json::Value& body);

}  // namespace userdesk::mini_okta
