#include "okta/myaccount_client.h"

#include "base/iso_time.h"

namespace userdesk::okta {
namespace {

Call MyAccountCall(std::string method, std::string_view path, std::string body, bool idempotent) {
  Call call{std::move(method), std::string(path), std::move(body), idempotent, ""};
  call.bearer = true;
  call.accept = std::string(MyAccountClient::kAccept);
  return call;
}

// A 2xx answer that is not what the call returns: Okta (or a proxy) sent something unusable.
Failure Unusable(const Call& call, const Error& error) {
  return FailureOf(MakeError(ErrorCode::kUpstreamUnavailable,
                             call.method + " " + call.path + ": " + error.detail));
}

OktaResult<User> Perform(const ClientOptions& options, const Call& call,
                         std::string_view access_token) {
  OktaResult<std::string> body = Send(options, call, access_token);
  if (!body.ok()) return body.error();
  Result<User> user = ParseMyAccountProfile(*body);
  if (!user.ok()) {
    Failure failure = Unusable(call, user.error());
    LogFailure(options, call, failure, 200);
    return failure;
  }
  return std::move(user).value();
}

}  // namespace

MyAccountClient::MyAccountClient(ClientOptions options) : options_(std::move(options)) {}

OktaResult<User> MyAccountClient::GetProfile(std::string_view access_token) const {
  return Perform(options_, MyAccountCall("GET", kProfilePath, "", true), access_token);
}

OktaResult<User> MyAccountClient::ReplaceProfile(std::string_view access_token,
                                                 const json::Value& profile) const {
  if (!profile.IsObject()) {
    return FailureOf(MakeError(ErrorCode::kInvalidArgument, "PUT " + std::string(kProfilePath) +
                                                                ": the profile is not an object"));
  }
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  doc.AddMember("profile", json::Value(profile, a), a);
  return Perform(options_, MyAccountCall("PUT", kProfilePath, json::Write(doc), false),
                 access_token);
}

OktaResult<json::Document> MyAccountClient::GetDocument(std::string_view path,
                                                        std::string_view access_token) const {
  Call call = MyAccountCall("GET", path, "", true);
  OktaResult<std::string> body = Send(options_, call, access_token);
  if (!body.ok()) return body.error();
  std::optional<json::Document> doc = json::ParseObject(*body);
  if (!doc) {
    Failure failure =
        Unusable(call, MakeError(ErrorCode::kUpstreamUnavailable, "not a JSON object"));
    LogFailure(options_, call, failure, 200);
    return failure;
  }
  return std::move(*doc);
}

OktaResult<json::Document> MyAccountClient::GetProfileSchema(std::string_view access_token) const {
  return GetDocument(kSchemaPath, access_token);
}

OktaResult<json::Document> MyAccountClient::GetProfileDocument(
    std::string_view access_token) const {
  return GetDocument(kProfilePath, access_token);
}

Result<User> ParseMyAccountProfile(std::string_view text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kUpstreamUnavailable, "profile: not a JSON object");
  const json::Value* profile = json::GetObject(*doc, "profile");
  if (profile == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "profile: no profile object");
  }
  User user;
  user.id = json::GetString(*doc, "id").value_or("");
  user.created = json::GetString(*doc, "createdAt").value_or("");
  user.last_updated = json::GetString(*doc, "modifiedAt").value_or("");
  user.last_updated_ms = ParseIsoTimestampMs(user.last_updated).value_or(0);
  ReadProfileAttributes(*profile, &user);
  return user;
}

}  // namespace userdesk::okta
