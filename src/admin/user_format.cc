#include "admin/user_format.h"

#include <algorithm>
#include <ostream>

#include "admin/cli.h"
#include "base/strings.h"

namespace userdesk::admin {
namespace {

constexpr const char* kTableHeader[] = {"ID", "STATUS", "LOGIN", "NAME", "LAST LOGIN"};
constexpr const char* kCsvHeader[] = {"id",        "status",     "login",   "email",
                                      "firstName", "lastName",   "created", "activated",
                                      "lastLogin", "lastUpdated"};

std::string Name(const okta::User& user) {
  std::string first = user.Attribute("firstName"), last = user.Attribute("lastName");
  return first.empty() || last.empty() ? first + last : first + " " + last;
}

std::vector<std::string> TableRow(const okta::User& user) {
  return {ForTerminal(user.id), ForTerminal(user.status), ForTerminal(user.Attribute("login")),
          ForTerminal(Name(user)), user.last_login.empty() ? "-" : ForTerminal(user.last_login)};
}

void WriteRow(const std::vector<std::string>& cells, const std::vector<size_t>& widths,
              std::ostream& out) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 == cells.size()) break;
    size_t shown = Utf8CharCount(cells[i]);
    line.append(widths[i] > shown ? widths[i] - shown : 0, ' ').append("  ");
  }
  out << line << "\n";
}

json::Value Timestamp(const std::string& text, json::Allocator& a) {
  return text.empty() ? json::Value(rapidjson::kNullType) : json::Str(text, a);
}

}  // namespace

std::optional<ListFormat> ParseListFormat(std::string_view text) {
  if (text == "table") return ListFormat::kTable;
  if (text == "json") return ListFormat::kJson;
  if (text == "csv") return ListFormat::kCsv;
  return std::nullopt;
}

json::Value UserJson(const okta::User& user, json::Allocator& a) {
  json::Value o(rapidjson::kObjectType);
  o.AddMember("id", json::Str(user.id, a), a);
  o.AddMember("status", json::Str(user.status, a), a);
  o.AddMember("created", Timestamp(user.created, a), a);
  o.AddMember("activated", Timestamp(user.activated, a), a);
  o.AddMember("statusChanged", Timestamp(user.status_changed, a), a);
  o.AddMember("lastLogin", Timestamp(user.last_login, a), a);
  o.AddMember("lastUpdated", Timestamp(user.last_updated, a), a);
  o.AddMember("passwordChanged", Timestamp(user.password_changed, a), a);
  json::Value profile(rapidjson::kObjectType);
  for (const auto& [name, value] : user.profile) {
    profile.AddMember(json::Str(name, a), json::Str(value, a), a);
  }
  o.AddMember("profile", profile, a);
  return o;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

UserListWriter::UserListWriter(ListFormat format, std::ostream& out) : format_(format), out_(out) {}

void UserListWriter::Write(const std::vector<okta::User>& page) {
  switch (format_) {
    case ListFormat::kTable: {
      std::vector<std::vector<std::string>> rows;
      for (const okta::User& user : page) rows.push_back(TableRow(user));
      if (!started_) {
        for (const char* title : kTableHeader) widths_.push_back(Utf8CharCount(title));
        for (const auto& row : rows) {
          for (size_t i = 0; i < row.size(); ++i) {
            widths_[i] = std::max(widths_[i], Utf8CharCount(row[i]));
          }
        }
        WriteRow({std::begin(kTableHeader), std::end(kTableHeader)}, widths_, out_);
      }
      for (const auto& row : rows) WriteRow(row, widths_, out_);
      break;
    }
    case ListFormat::kCsv: {
      if (!started_) {
        std::string header;
        for (const char* name : kCsvHeader)
          header += (header.empty() ? "" : ",") + std::string(name);
        out_ << header << "\r\n";
      }
      for (const okta::User& user : page) {
        const std::string cells[] = {user.id,
                                     user.status,
                                     user.Attribute("login"),
                                     user.Attribute("email"),
                                     user.Attribute("firstName"),
                                     user.Attribute("lastName"),
                                     user.created,
                                     user.activated,
                                     user.last_login,
                                     user.last_updated};
        std::string line;
        for (const std::string& cell : cells) line += (line.empty() ? "" : ",") + CsvCell(cell);
        out_ << line << "\r\n";
      }
      break;
    }
    case ListFormat::kJson: {
      size_t n = count_;
      for (const okta::User& user : page) {
        json::Document doc;
        out_ << (n++ == 0 ? "[\n  " : ",\n  ") << json::Write(UserJson(user, doc.GetAllocator()));
      }
      break;
    }
  }
  started_ = true;
  count_ += page.size();
  out_.flush();
}

void UserListWriter::Finish() {
  if (format_ == ListFormat::kJson) out_ << (count_ == 0 ? "[]\n" : "\n]\n");
  if (format_ == ListFormat::kTable) {
    if (!started_) Write({});  // the header alone
    out_ << count_ << " user(s)\n";
  }
  out_.flush();
}

void PrintUserDetails(const okta::User& user, std::ostream& out) {
  const std::pair<const char*, const std::string*> facts[] = {
      {"id", &user.id},
      {"status", &user.status},
      {"created", &user.created},
      {"activated", &user.activated},
      {"statusChanged", &user.status_changed},
      {"lastLogin", &user.last_login},
      {"lastUpdated", &user.last_updated},
      {"passwordChanged", &user.password_changed},
  };
  size_t width = 16;
  for (const auto& [name, value] : user.profile) width = std::max(width, name.size() + 2);
  for (const auto& [name, value] : facts) {
    std::string label(name);
    label.resize(width, ' ');
    out << label << (value->empty() ? "-" : ForTerminal(*value)) << "\n";
  }
  out << "profile:\n";
  for (const auto& [name, value] : user.profile) {
    std::string label = ForTerminal(name);
    label.resize(std::max(label.size(), width - 2), ' ');
    out << "  " << label << ForTerminal(value) << "\n";
  }
}

std::string UserLabel(const okta::User& user) {
  std::string name = Name(user);
  std::string login = user.Attribute("login");
  std::string label = name.empty() ? login : name + " <" + login + ">";
  return ForTerminal(label) + " (" + ForTerminal(user.id) + ")";
}

}  // namespace userdesk::admin
