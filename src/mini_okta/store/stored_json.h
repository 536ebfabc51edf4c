// The small JSON helpers every kind of stored data reads and writes its part of the data file
// with.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace userdesk::mini_okta::stored {

inline void AddString(json::Value& obj, const char* key, std::string_view value,
                      json::Allocator& a) {
  obj.AddMember(json::Value(key, a), json::Str(value, a), a);
}

inline json::Value StringArray(const std::vector<std::string>& items, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& item : items) arr.PushBack(json::Str(item, a), a);
  return arr;
}

inline std::vector<std::string> ReadStringArray(const json::Value& obj, std::string_view key) {
  std::vector<std::string> out;
  const json::Value* arr = json::GetArray(obj, key);
  if (arr == nullptr) return out;
  for (const auto& v : arr->GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

inline std::string Str(const json::Value& obj, std::string_view key) {
  return json::GetString(obj, key).value_or("");
}

template <typename Range, typename ToJson>
json::Value ArrayOf(const Range& items, ToJson to_json, json::Allocator& a) {
  json::Value arr(rapidjson::kArrayType);
  for (const auto& item : items) arr.PushBack(to_json(item), a);
  return arr;
}

// Calls fn for each element of the array obj[key], if there is one.
template <typename Fn>
void ForEachIn(const json::Value& obj, std::string_view key, Fn fn) {
  if (const json::Value* arr = json::GetArray(obj, key)) {
    for (const auto& item : arr->GetArray()) fn(item);
  }
}

}  // namespace userdesk::mini_okta::stored
