#include "json/json.h"

namespace userdesk::json {

std::optional<Document> Parse(std::string_view text) {
  Document doc;
  // iterative: a hostile body of a million "[" must not overflow the stack (recursion)
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) return std::nullopt;
  return doc;
}

std::optional<Document> ParseObject(std::string_view text) {
  auto doc = Parse(text);
  if (!doc || !doc->IsObject()) return std::nullopt;
  return doc;
}

const Value* Member(const Value& obj, std::string_view key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> GetString(const Value& obj, std::string_view key) {
  const Value* v = Member(obj, key);
  if (v == nullptr || !v->IsString()) return std::nullopt;
  return std::string(v->GetString(), v->GetStringLength());
}

std::optional<int64_t> GetInt(const Value& obj, std::string_view key) {
  const Value* v = Member(obj, key);
  if (v == nullptr || !v->IsInt64()) return std::nullopt;
  return v->GetInt64();
}

std::optional<bool> GetBool(const Value& obj, std::string_view key) {
  const Value* v = Member(obj, key);
  if (v == nullptr || !v->IsBool()) return std::nullopt;
  return v->GetBool();
}

const Value* GetObject(const Value& obj, std::string_view key) {
  const Value* v = Member(obj, key);
  return v != nullptr && v->IsObject() ? v : nullptr;
}

const Value* GetArray(const Value& obj, std::string_view key) {
  const Value* v = Member(obj, key);
  return v != nullptr && v->IsArray() ? v : nullptr;
}

std::string Write(const Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  value.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace userdesk::json
