#include "okta/authn_client.h"

#include <optional>
#include <string>
#include <utility>

#include "json/json.h"

namespace userdesk::okta {

AuthnClient::AuthnClient(ClientOptions options) : options_(std::move(options)) {}

OktaResult<Ok> AuthnClient::RecoverPasswordByEmail(std::string_view username) const {
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  doc.AddMember("username", json::Str(username, a), a);
  doc.AddMember("factorType", "EMAIL", a);
  Call call{"POST", "/api/v1/authn/recovery/password", json::Write(doc), false, ""};
  OktaResult<std::string> answer = Send(options_, call, std::nullopt);
  if (!answer.ok()) return answer.error();
  std::optional<json::Document> body = json::ParseObject(*answer);
  std::string status = body ? json::GetString(*body, "status").value_or("") : "";
  if (status == "RECOVERY_CHALLENGE") return Ok{};
  Failure failure = FailureOf(
      MakeError(ErrorCode::kUpstreamUnavailable,
                call.method + " " + call.path + ": not a RECOVERY_CHALLENGE answer (status '" +
                    (status.size() <= 32 ? status : status.substr(0, 32)) + "')"));
  LogFailure(options_, call, failure, 0);
  return failure;
}

}  // namespace userdesk::okta
