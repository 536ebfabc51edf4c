// How userdesk-admin prints users: a table for people, JSON and CSV for scripts and
// spreadsheets, and one user in detail. Lists are written page by page as Okta's pages arrive,
// so a large org never has to fit in memory. Text from profiles is made safe for a terminal
// (table) or a spreadsheet (CSV: no cell starts a formula).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"
#include "okta/users_client.h"

namespace userdesk::admin {

enum class ListFormat { kTable, kJson, kCsv };

// "table", "json" or "csv"; nullopt otherwise.
std::optional<ListFormat> ParseListFormat(std::string_view text);

// The user as JSON: id, status, the timestamps (null when Okta has none) and the profile (each
// value as okta::User holds it: text).
json::Value UserJson(const okta::User& user, json::Allocator& a);

// One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or LF; a leading = + - @ tab
// or CR (a formula to a spreadsheet, OWASP's "CSV injection") gets a ' in front.
std::string CsvCell(std::string_view text);

// Writes users as they come: the table's header (its column widths from the first page), the
// CSV header, or the JSON array's opening, then each page, then Finish.
class UserListWriter {
 public:
  UserListWriter(ListFormat format, std::ostream& out);
  void Write(const std::vector<okta::User>& page);
  // Closes the JSON array; the table ends with "<n> user(s)".
  void Finish();
  size_t count() const { return count_; }

 private:
  ListFormat format_;
  std::ostream& out_;
  size_t count_ = 0;
  bool started_ = false;
  std::vector<size_t> widths_;
};

// `users show`: id, status and timestamps, then the profile, one "name  value" line each.
void PrintUserDetails(const okta::User& user, std::ostream& out);

// "Ada Lovelace <ada@example.com> (00u...)": how messages name a user.
std::string UserLabel(const okta::User& user);

}  // namespace userdesk::admin
