#include "admin/schema_file.h"

#include <algorithm>

#include "base/strings.h"

namespace userdesk::admin {
namespace {

std::string NameOf(const json::Value& name) {
  return std::string(name.GetString(), name.GetStringLength());
}

// An object's members in name order.
std::vector<const json::Value::Member*> Sorted(const json::Value& object) {
  std::vector<const json::Value::Member*> members;
  for (const auto& m : object.GetObject()) members.push_back(&m);
  std::sort(members.begin(), members.end(),
            [](const auto* a, const auto* b) { return NameOf(a->name) < NameOf(b->name); });
  return members;
}

bool IsPlain(const json::Value& v) { return !v.IsObject() && !v.IsArray(); }

bool IsOktaDefaulted(std::string_view field) {
  return std::find(std::begin(kOktaDefaultedFields), std::end(kOktaDefaultedFields), field) !=
         std::end(kOktaDefaultedFields);
}

std::string Quoted(const json::Value& name) { return json::Write(name); }

void Format(const json::Value& v, int indent, std::string* out);

void FormatObject(const json::Value& v, int indent, std::string* out) {
  if (v.MemberCount() == 0) {
    out->append("{}");
    return;
  }
  std::string pad(static_cast<size_t>(indent + 2), ' ');
  out->append("{\n");
  bool first = true;
  for (const auto* m : Sorted(v)) {
    if (!first) out->append(",\n");
    first = false;
    out->append(pad).append(Quoted(m->name)).append(": ");
    Format(m->value, indent + 2, out);
  }
  out->append("\n").append(std::string(static_cast<size_t>(indent), ' ')).append("}");
}

void FormatArray(const json::Value& v, int indent, std::string* out) {
  bool plain = std::all_of(v.Begin(), v.End(), IsPlain);
  if (v.Empty() || plain) {
    out->append("[");
    bool first = true;
    for (const auto& item : v.GetArray()) {
      if (!first) out->append(", ");
      first = false;
      out->append(json::Write(item));
    }
    out->append("]");
    return;
  }
  std::string pad(static_cast<size_t>(indent + 2), ' ');
  out->append("[\n");
  bool first = true;
  for (const auto& item : v.GetArray()) {
    if (!first) out->append(",\n");
    first = false;
    out->append(pad);
    Format(item, indent + 2, out);
  }
  out->append("\n").append(std::string(static_cast<size_t>(indent), ' ')).append("]");
}

void Format(const json::Value& v, int indent, std::string* out) {
  if (v.IsObject()) return FormatObject(v, indent, out);
  if (v.IsArray()) return FormatArray(v, indent, out);
  out->append(json::Write(v));
}

}  // namespace

std::string FormatSchemaFile(const json::Value& custom_properties) {
  if (!custom_properties.IsObject() || custom_properties.MemberCount() == 0) return "{}\n";
  std::string out = "{\n";
  bool first = true;
  for (const auto* m : Sorted(custom_properties)) {
    if (!first) out.append(",\n\n");  // one block per attribute
    first = false;
    out.append("  ").append(Quoted(m->name)).append(": ");
    Format(m->value, 2, &out);
  }
  out.append("\n}\n");
  return out;
}

Result<json::Document> ReadSchemaFile(std::string_view text,
                                      const std::vector<std::string>& base_names) {
  std::optional<json::Document> doc = json::Parse(text);
  if (!doc) return MakeError(ErrorCode::kInvalidArgument, "it is not JSON");
  if (!doc->IsObject()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "it is not a JSON object of attribute name -> definition");
  }
  std::string problems;
  auto problem = [&problems](const std::string& line) {
    problems += (problems.empty() ? "" : "\n") + line;
  };
  std::vector<std::string> seen;
  for (const auto& m : doc->GetObject()) {
    std::string name = NameOf(m.name);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      problem(name + " appears twice");
      continue;
    }
    seen.push_back(name);
    if (m.value.IsNull()) {
      problem(name + " is null: leave an attribute out of the file to remove it");
    } else if (!m.value.IsObject()) {
      problem(name + " is not an object (an attribute's definition: title, type, ...)");
    }
    for (const std::string& base : base_names) {
      if (AsciiLower(base) == AsciiLower(name)) {
        problem(name +
                " is a base attribute of Okta's profile: the file holds custom "
                "attributes only");
      }
    }
  }
  if (!problems.empty()) return MakeError(ErrorCode::kInvalidArgument, problems);
  return std::move(*doc);
}

std::vector<AttributeChange> DiffSchema(const json::Value& current, const json::Value& wanted) {
  std::vector<AttributeChange> changes;
  for (const auto* m : Sorted(wanted)) {
    std::string name = NameOf(m->name);
    const json::Value* now = json::GetObject(current, name);
    const json::Value& file = m->value;
    if (now == nullptr) {
      AttributeChange add{AttributeChange::Kind::kAdd, name, {}};
      for (const auto* field : Sorted(file)) {
        if (!field->value.IsNull()) {
          add.fields.push_back({NameOf(field->name), "", json::Write(field->value)});
        }
      }
      changes.push_back(std::move(add));
      continue;
    }
    AttributeChange change{AttributeChange::Kind::kChange, name, {}};
    std::vector<std::string> fields;
    for (const auto& f : file.GetObject()) fields.push_back(NameOf(f.name));
    for (const auto& f : now->GetObject()) fields.push_back(NameOf(f.name));
    std::sort(fields.begin(), fields.end());
    fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
    for (const std::string& field : fields) {
      const json::Value* before = json::Member(*now, field);
      const json::Value* after = json::Member(file, field);
      if (after != nullptr && after->IsNull()) after = nullptr;
      if (after == nullptr && IsOktaDefaulted(field)) continue;  // Okta's value stays
      if (before == nullptr && after == nullptr) continue;
      if (before != nullptr && after != nullptr && *before == *after) continue;
      change.fields.push_back(
          {field, before ? json::Write(*before) : "", after ? json::Write(*after) : ""});
    }
    if (!change.fields.empty()) changes.push_back(std::move(change));
  }
  if (current.IsObject()) {
    for (const auto* m : Sorted(current)) {
      if (!wanted.HasMember(m->name)) {
        changes.push_back({AttributeChange::Kind::kRemove, NameOf(m->name), {}});
      }
    }
    std::sort(changes.begin(), changes.end(),
              [](const AttributeChange& a, const AttributeChange& b) { return a.name < b.name; });
  }
  return changes;
}

json::Document UpdateFor(const json::Value& current, const json::Value& wanted,
                         const std::vector<AttributeChange>& changes) {
  json::Document update(rapidjson::kObjectType);
  json::Allocator& a = update.GetAllocator();
  for (const AttributeChange& change : changes) {
    json::Value definition(rapidjson::kNullType);
    const json::Value* file = json::GetObject(wanted, change.name);
    if (change.kind != AttributeChange::Kind::kRemove && file != nullptr) {
      definition.SetObject();
      for (const auto& field : file->GetObject()) {
        if (!field.value.IsNull()) {
          definition.AddMember(json::Value(field.name, a), json::Value(field.value, a), a);
        }
      }
      const json::Value* now = json::GetObject(current, change.name);
      for (std::string_view field : kOktaDefaultedFields) {
        const json::Value* kept = now ? json::Member(*now, field) : nullptr;
        if (kept != nullptr && json::Member(definition, field) == nullptr) {
          definition.AddMember(json::Str(field, a), json::Value(*kept, a), a);
        }
      }
    }
    update.AddMember(json::Str(change.name, a), definition, a);
  }
  return update;
}

}  // namespace userdesk::admin
