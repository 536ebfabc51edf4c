#include "admin/schema_commands.h"

#include <iostream>
#include <iterator>
#include <ostream>

#include "admin/cli.h"
#include "admin/help.h"
#include "admin/schema_file.h"
#include "base/file.h"
#include "okta/schema_client.h"
#include "profile/profile_form.h"

namespace userdesk::admin {
namespace {

using Kind = AttributeChange::Kind;

constexpr char kToken[] = "USER_PROFILE_TOKEN";

struct Session {
  Context ctx;
  okta::SchemaClient client;
};

std::optional<Session> Open(std::ostream& err) {
  config::Requirements needs;
  needs.user_profile = true;
  needs.user_profile_token = true;  // the Users API's token, in MyAccount mode too
  std::optional<Context> ctx = LoadContext(needs, err);
  if (!ctx) return std::nullopt;
  okta::SchemaClient client(ctx->okta);
  return Session{std::move(*ctx), std::move(client)};
}

// Okta's custom properties (an empty object when the schema has none).
json::Document CustomOf(const okta::UserSchema& schema) {
  json::Document custom(rapidjson::kObjectType);
  if (schema.custom) custom.CopyFrom(*schema.custom, custom.GetAllocator());
  return custom;
}

std::vector<std::string> BaseNames(const okta::UserSchema& schema) {
  std::vector<std::string> names;
  for (const auto& m : schema.base->GetObject()) {
    names.emplace_back(m.name.GetString(), m.name.GetStringLength());
  }
  return names;
}

int Failed(const okta::Failure& failure, std::ostream& err) {
  Explained explained = Explain(failure, kToken);
  err << "userdesk-admin: " << explained.message << "\n";
  return explained.exit_code;
}

// The file named on the command line ("-": standard input), read against the schema's base
// attributes; nullopt after saying what is wrong (exit kExitUsage).
std::optional<json::Document> ReadFile(const std::string& path, const okta::UserSchema& schema,
                                       std::ostream& err) {
  std::optional<std::string> text;
  if (path == "-") {
    text = std::string(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    text = file::Read(path);
  }
  if (!text) {
    err << "userdesk-admin: cannot read " << ForTerminal(path) << "\n";
    return std::nullopt;
  }
  Result<json::Document> wanted = ReadSchemaFile(*text, BaseNames(schema));
  if (!wanted.ok()) {
    std::string detail = wanted.error().detail;
    size_t start = 0;
    while (start < detail.size()) {
      size_t end = std::min(detail.find('\n', start), detail.size());
      err << ForTerminal(path) << ": " << ForTerminal(detail.substr(start, end - start)) << "\n";
      start = end + 1;
    }
    return std::nullopt;
  }
  return std::move(wanted).value();
}

std::string Shown(const std::string& json_text) {
  return json_text.empty() ? "(none)" : ForTerminal(json_text);
}

void PrintChanges(const std::vector<AttributeChange>& changes, std::ostream& out) {
  size_t counts[3] = {0, 0, 0};
  for (const AttributeChange& change : changes) {
    ++counts[static_cast<int>(change.kind)];
    std::string name = ForTerminal(change.name);
    switch (change.kind) {
      case Kind::kAdd:
        out << "+ " << name << " (add)\n";
        for (const FieldChange& f : change.fields) {
          out << "    " << ForTerminal(f.field) << ": " << Shown(f.after) << "\n";
        }
        break;
      case Kind::kChange:
        out << "~ " << name << " (change)\n";
        for (const FieldChange& f : change.fields) {
          out << "    " << ForTerminal(f.field) << ": " << Shown(f.before) << " -> "
              << (f.after.empty() ? "(removed)" : ForTerminal(f.after)) << "\n";
        }
        break;
      case Kind::kRemove:
        out << "- " << name << " (remove: deletes its value from every user's profile)\n";
        if (profile::FindTutorialField(change.name) != nullptr) {
          out << "    note: the profile form shows " << name
              << "; without it the form leaves it out\n";
        }
        break;
    }
  }
  if (changes.empty()) {
    out << "no changes: Okta's custom attributes match the file\n";
  } else {
    out << counts[0] << " to add, " << counts[1] << " to change, " << counts[2] << " to remove\n";
  }
}

void PrintChangesJson(const std::vector<AttributeChange>& changes, std::ostream& out) {
  static constexpr const char* kKinds[] = {"add", "change", "remove"};
  json::Document doc(rapidjson::kObjectType);
  json::Allocator& a = doc.GetAllocator();
  json::Value list(rapidjson::kArrayType);
  auto value_of = [&a](const std::string& text) {
    std::optional<json::Document> parsed = json::Parse(text);
    return parsed && !text.empty() ? json::Value(*parsed, a) : json::Value(rapidjson::kNullType);
  };
  for (const AttributeChange& change : changes) {
    json::Value item(rapidjson::kObjectType);
    item.AddMember("kind", json::Str(kKinds[static_cast<int>(change.kind)], a), a);
    item.AddMember("name", json::Str(change.name, a), a);
    json::Value fields(rapidjson::kArrayType);
    for (const FieldChange& f : change.fields) {
      json::Value field(rapidjson::kObjectType);
      field.AddMember("field", json::Str(f.field, a), a);
      field.AddMember("before", value_of(f.before), a);
      field.AddMember("after", value_of(f.after), a);
      fields.PushBack(field, a);
    }
    item.AddMember("fields", fields, a);
    list.PushBack(item, a);
  }
  doc.AddMember("changes", list, a);
  out << json::Write(doc) << "\n";
}

int Export(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (!Args::Parse(words, {{}, {}, 0, 0}, err)) return kExitUsage;
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  auto schema = s->client.GetUserSchema(s->ctx.config.user_profile_token);
  if (!schema.ok()) return Failed(schema.error(), err);
  out << FormatSchemaFile(CustomOf(*schema));
  return kExitOk;
}

int Diff(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args = Args::Parse(words, {{"--json"}, {}, 1, 1}, err);
  if (!args) return kExitUsage;
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  auto schema = s->client.GetUserSchema(s->ctx.config.user_profile_token);
  if (!schema.ok()) return Failed(schema.error(), err);
  std::optional<json::Document> wanted = ReadFile(args->positional()[0], *schema, err);
  if (!wanted) return kExitUsage;
  std::vector<AttributeChange> changes = DiffSchema(CustomOf(*schema), *wanted);
  if (args->Has("--json")) {
    PrintChangesJson(changes, out);
  } else {
    PrintChanges(changes, out);
  }
  return changes.empty() ? kExitOk : kExitProblems;
}

int Apply(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  std::optional<Args> args = Args::Parse(words, {{"--yes", "--allow-remove"}, {}, 1, 1}, err);
  if (!args) return kExitUsage;
  std::optional<Session> s = Open(err);
  if (!s) return kExitConfig;
  const std::string& token = s->ctx.config.user_profile_token;
  auto schema = s->client.GetUserSchema(token);
  if (!schema.ok()) return Failed(schema.error(), err);
  std::optional<json::Document> wanted = ReadFile(args->positional()[0], *schema, err);
  if (!wanted) return kExitUsage;
  json::Document current = CustomOf(*schema);
  std::vector<AttributeChange> changes = DiffSchema(current, *wanted);
  PrintChanges(changes, out);
  if (changes.empty()) return kExitOk;

  bool removes = std::any_of(changes.begin(), changes.end(),
                             [](const AttributeChange& c) { return c.kind == Kind::kRemove; });
  if (removes && !args->Has("--allow-remove")) {
    err << "userdesk-admin: not applied: removing an attribute deletes its value from every "
           "user's profile, for good. Add it back to the file to keep it, or run again with "
           "--allow-remove\n";
    return kExitProblems;
  }
  if (!args->Has("--yes")) {
    err << "userdesk-admin: not applied: review the changes above, then run again with --yes\n";
    return kExitUsage;
  }
  json::Document update = UpdateFor(current, *wanted, changes);
  auto updated = s->client.UpdateCustomProperties(token, update);
  if (!updated.ok()) return Failed(updated.error(), err);
  std::vector<AttributeChange> left = DiffSchema(CustomOf(*updated), *wanted);
  if (!left.empty()) {
    err << "userdesk-admin: Okta took the update, but its schema still differs from the file:\n";
    PrintChanges(left, err);
    return kExitProblems;
  }
  out << "applied: Okta's custom attributes now match the file\n";
  return kExitOk;
}

}  // namespace

int SchemaCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  if (words.empty()) {
    err << Help("schema");
    return kExitUsage;
  }
  if (WantsHelp(words)) {
    out << Help("schema");
    return kExitOk;
  }
  std::vector<std::string> rest(words.begin() + 1, words.end());
  if (words[0] == "export") return Export(rest, out, err);
  if (words[0] == "diff") return Diff(rest, out, err);
  if (words[0] == "apply") return Apply(rest, out, err);
  err << "userdesk-admin: unknown command schema " << ForTerminal(words[0])
      << " (userdesk-admin schema --help)\n";
  return kExitUsage;
}

}  // namespace userdesk::admin
