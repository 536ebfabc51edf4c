#include "mini_okta/management/okta_error.h"

#include <httplib.h>

#include "mini_okta/store/ids.h"

namespace userdesk::mini_okta {

OktaError InvalidToken() { return {401, "E0000011", "Invalid token provided", {}}; }
OktaError NoPermission() {
  return {403, "E0000006", "You do not have permission to perform the requested action", {}};
}

OktaError AuthenticationFailed() { return {401, "E0000004", "Authentication failed", {}}; }

OktaError UserNotFound(std::string_view id_or_login) {
  return ResourceNotFound(std::string(id_or_login) + " (User)");
}

OktaError ResourceNotFound(std::string_view what) {
  return {404, "E0000007", "Not found: Resource not found: " + std::string(what), {}};
}

OktaError PathNotFound() { return {404, "E0000008", "The requested path was not found", {}}; }

OktaError BadJson() { return {400, "E0000003", "The request body was not well-formed.", {}}; }

OktaError ValidationFailed(std::string_view object, std::vector<std::string> causes) {
  return {400, "E0000001", "Api validation failed: " + std::string(object), std::move(causes)};
}

OktaError RateLimited() {
  return {429, "E0000047", "API call exceeded rate limit due to too many requests.", {}};
}

OktaError InvalidSearch() { return {400, "E0000031", "Invalid search criteria.", {}}; }

OktaError ServerError(int status) {
  if (status == 503) return {503, "E0000010", "Service is in read only mode", {}};
  return {500, "E0000009", "Internal Server Error", {}};
}

std::string OktaErrorJson(const OktaError& error) {
  json::Document doc(rapidjson::kObjectType);
  auto& a = doc.GetAllocator();
  doc.AddMember("errorCode", json::Str(error.code, a), a);
  doc.AddMember("errorSummary", json::Str(error.summary, a), a);
  doc.AddMember("errorLink", json::Str(error.code, a), a);
  doc.AddMember("errorId", json::Str("oae" + RandomAlphanumeric(22), a), a);
  json::Value causes(rapidjson::kArrayType);
  for (const auto& cause : error.causes) {
    json::Value c(rapidjson::kObjectType);
    c.AddMember("errorSummary", json::Str(cause, a), a);
    causes.PushBack(c, a);
  }
  doc.AddMember("errorCauses", causes, a);
  return json::Write(doc);
}

void SendOktaError(httplib::Response& res, const OktaError& error) {
  res.status = error.status;
  res.set_content(OktaErrorJson(error), "application/json");
}

void SendJson(httplib::Response& res, int status, const json::Value& body) {
  res.status = status;
  res.set_content(json::Write(body), "application/json");
}

}  // namespace userdesk::mini_okta
