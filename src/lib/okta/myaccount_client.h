// Okta's MyAccount API (/idp/myaccount/profile) with the user's own access token: in MyAccount
// mode (PROFILE_API=myaccount) the app reads and writes a profile with the rights of the user it
// belongs to, and holds no API token that can read everyone (least privilege). It sits on
// okta::Send like UsersClient, with "Authorization: Bearer" and the API version Okta requires
// (Accept: application/json; okta-version=1.0.0, else 406). The token must come from the org
// authorization server with the okta.myAccount.profile.read / .manage scopes.
// Refusals keep Okta's error object (okta::Failure) and say what the token lacks (api_call.h:
// kAccessTokenRefused, kScopeMissing, kRecentSignInRequired). Never logs a token or a profile.
#pragma once

#include <string_view>

#include "json/json.h"
#include "okta/api_call.h"
#include "okta/users_client.h"

namespace userdesk::okta {

class MyAccountClient {
 public:
  explicit MyAccountClient(ClientOptions options);

  static constexpr std::string_view kAccept = "application/json; okta-version=1.0.0";
  static constexpr std::string_view kProfilePath = "/idp/myaccount/profile";
  static constexpr std::string_view kSchemaPath = "/idp/myaccount/profile/schema";

  // GET /idp/myaccount/profile (needs okta.myAccount.profile.read or .manage). The user as
  // UsersClient::GetUser gives it, as far as the answer says: id when the answer has one (Okta's
  // has none: the caller knows the session's sub), profile filled as the Users API's (null
  // attributes left out), created = createdAt, last_updated(_ms) = modifiedAt (the user's
  // lastUpdated, so a profile cache's read-your-writes works as in users mode); status and the
  // other timestamps stay empty. Retried after a 429 as reads are. An answer without a profile
  // object is kUpstreamUnavailable.
  OktaResult<User> GetProfile(std::string_view access_token) const;

  // PUT /idp/myaccount/profile {"profile": profile} (needs okta.myAccount.profile.manage and a
  // sign-in at most 15 minutes old). A full replace of the writable attributes: one left out, or
  // null, is removed, so send every attribute the form showed. Never retried. Returns the
  // profile as Okta saved it, read as GetProfile reads it. profile must be a JSON object.
  OktaResult<User> ReplaceProfile(std::string_view access_token, const json::Value& profile) const;

  // GET /idp/myaccount/profile/schema: the document as Okta returns it ({"properties": {name:
  // {title, type, maxLength, ..., "permissions": {"SELF": "READ_WRITE"|"READ_ONLY"}}}, ...}),
  // only the attributes the user may see. Not a JSON object: kUpstreamUnavailable.
  OktaResult<json::Document> GetProfileSchema(std::string_view access_token) const;

  // GET /idp/myaccount/profile as Okta sent it: what a full replace starts from, so attributes
  // this app does not show (objects, lists of numbers) go back exactly as they were.
  OktaResult<json::Document> GetProfileDocument(std::string_view access_token) const;

 private:
  OktaResult<json::Document> GetDocument(std::string_view path,
                                         std::string_view access_token) const;
  ClientOptions options_;
};

// Reads a MyAccount profile answer ({"createdAt", "modifiedAt", "profile": {...}}), public for
// tests and fuzzing.
Result<User> ParseMyAccountProfile(std::string_view json);

}  // namespace userdesk::okta
