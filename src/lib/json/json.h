// The one way into RapidJSON. Include this header, never <rapidjson/...> directly, so the whole
// project shares one RAPIDJSON_ASSERT: a misuse throws (caught by the FastCGI or HTTP server
// boundary and answered with 500) instead of being undefined behaviour in a release build.
// Read untrusted JSON only through the typed getters below: they check the type before reading.
#pragma once

#include <stdexcept>

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
  ((x) ? static_cast<void>(0) : throw std::logic_error("rapidjson assertion: " #x))
#endif
#define RAPIDJSON_HAS_STDSTRING 1
#define RAPIDJSON_NOEXCEPT_ASSERT(x)

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace userdesk::json {

using Document = rapidjson::Document;
using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

// Parses text; nullopt on a syntax error (kParseErrorDocumentEmpty included).
std::optional<Document> Parse(std::string_view text);
// Parses text and requires a top-level object.
std::optional<Document> ParseObject(std::string_view text);

// Typed member lookup: nullopt when obj is not an object, the member is absent, or of another type.
const Value* Member(const Value& obj, std::string_view key);
std::optional<std::string> GetString(const Value& obj, std::string_view key);
std::optional<int64_t> GetInt(const Value& obj, std::string_view key);
std::optional<bool> GetBool(const Value& obj, std::string_view key);
const Value* GetObject(const Value& obj, std::string_view key);
const Value* GetArray(const Value& obj, std::string_view key);

// Compact serialisation.
std::string Write(const Value& value);

// A string value copied into the document's allocator.
inline Value Str(std::string_view s, Allocator& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace userdesk::json
