#include "okta/schema_client.h"

namespace userdesk::okta {
namespace {

constexpr std::string_view kDefaultSchemaPath = "/api/v1/meta/schemas/user/default";

// definitions.<name>.properties, or nullptr.
const json::Value* Properties(const json::Value& schema, std::string_view name) {
  const json::Value* definitions = json::GetObject(schema, "definitions");
  const json::Value* definition = definitions ? json::GetObject(*definitions, name) : nullptr;
  return definition ? json::GetObject(*definition, "properties") : nullptr;
}

OktaResult<UserSchema> Perform(const ClientOptions& options, const Call& call,
                               std::string_view api_token) {
  OktaResult<std::string> body = Send(options, call, api_token);
  if (!body.ok()) return body.error();
  Result<UserSchema> schema = ParseUserSchema(*body);
  if (schema.ok()) return std::move(schema).value();
  Failure failure =
      FailureOf(MakeError(ErrorCode::kUpstreamUnavailable,
                          call.method + " " + call.path + ": " + schema.error().detail));
  LogFailure(options, call, failure, 0);
  return failure;
}

}  // namespace

const json::Value* UserSchema::Attribute(std::string_view name) const {
  if (const json::Value* found = base ? json::GetObject(*base, name) : nullptr) return found;
  return custom ? json::GetObject(*custom, name) : nullptr;
}

SchemaClient::SchemaClient(ClientOptions options) : options_(std::move(options)) {}

OktaResult<UserSchema> SchemaClient::GetUserSchema(std::string_view api_token) const {
  return Perform(options_, Call{"GET", std::string(kDefaultSchemaPath), "", true, ""}, api_token);
}

OktaResult<UserSchema> SchemaClient::UpdateCustomProperties(std::string_view api_token,
                                                            const json::Value& properties) const {
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  json::Value custom(rapidjson::kObjectType);
  custom.AddMember("id", "#custom", a);
  custom.AddMember("type", "object", a);
  custom.AddMember("properties", json::Value(properties, a), a);
  json::Value definitions(rapidjson::kObjectType);
  definitions.AddMember("custom", custom, a);
  doc.AddMember("definitions", definitions, a);
  return Perform(options_,
                 Call{"POST", std::string(kDefaultSchemaPath), json::Write(doc), false, ""},
                 api_token);
}

Result<UserSchema> ParseUserSchema(std::string_view text) {
  std::optional<json::Document> doc = json::ParseObject(text);
  if (!doc) return MakeError(ErrorCode::kUpstreamUnavailable, "schema: not a JSON object");
  UserSchema schema;
  schema.document = std::move(*doc);
  schema.base = Properties(schema.document, "base");
  if (schema.base == nullptr) {
    return MakeError(ErrorCode::kUpstreamUnavailable, "schema: no definitions.base.properties");
  }
  schema.custom = Properties(schema.document, "custom");
  return schema;
}

}  // namespace userdesk::okta
