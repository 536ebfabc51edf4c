#include "mini_okta/management/user_filter.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "base/strings.h"
#include "json/json.h"
#include "mini_okta/management/okta_time.h"

namespace userdesk::mini_okta {

struct UserFilter::Node {
  enum class Kind { kCompare, kAnd, kOr } kind = Kind::kCompare;
  std::string attribute, op, value;  // op "pr" has no value
  bool search = false;               // search semantics: case-insensitive values, any type
  std::shared_ptr<const Node> left, right;
};

namespace {

using Node = UserFilter::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token {
  enum class Type { kWord, kString, kOpen, kClose } type;
  std::string text;
};

bool ReadString(std::string_view in, size_t* pos, std::string* out) {
  for (size_t i = *pos + 1; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size()) {
      out->push_back(in[++i]);
    } else if (in[i] == '"') {
      *pos = i + 1;
      return true;
    } else {
      out->push_back(in[i]);
    }
  }
  return false;  // unterminated
}

std::optional<std::vector<Token>> Tokenize(std::string_view in) {
  std::vector<Token> tokens;
  size_t pos = 0;
  while (pos < in.size()) {
    char c = in[pos];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos;
    } else if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? Token::Type::kOpen : Token::Type::kClose, std::string(1, c)});
      ++pos;
    } else if (c == '"') {
      Token t{Token::Type::kString, ""};
      if (!ReadString(in, &pos, &t.text)) return std::nullopt;
      tokens.push_back(t);
    } else {
      size_t end = pos;
      while (end < in.size() && !std::isspace(static_cast<unsigned char>(in[end])) &&
             in[end] != '(' && in[end] != ')' && in[end] != '"') {
        ++end;
      }
      tokens.push_back({Token::Type::kWord, std::string(in.substr(pos, end - pos))});
      pos = end;
    }
  }
  return tokens;
}

bool IsDateAttribute(std::string_view attribute) {
  return attribute == "created" || attribute == "activated" || attribute == "statusChanged" ||
         attribute == "lastUpdated" || attribute == "lastLogin";
}

bool AllowedInFilter(const std::string& attribute, const std::string& op) {
  static const char* kEqAttributes[] = {
      "status", "id", "profile.login", "profile.email", "profile.firstName", "profile.lastName"};
  if (attribute == "lastUpdated")
    return op == "eq" || op == "gt" || op == "ge" || op == "lt" || op == "le";
  if (op != "eq") return false;
  for (const char* allowed : kEqAttributes) {
    if (attribute == allowed) return true;
  }
  return false;
}

bool AllowedInSearch(const std::string& attribute, const std::string& op) {
  static const char* kOps[] = {"eq", "sw", "gt", "ge", "lt", "le", "pr"};
  bool known_op = std::find(std::begin(kOps), std::end(kOps), op) != std::end(kOps);
  bool known_attribute = attribute == "id" || attribute == "status" || IsDateAttribute(attribute) ||
                         (attribute.rfind("profile.", 0) == 0 && attribute.size() > 8);
  return known_op && known_attribute;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, bool search) : tokens_(std::move(tokens)), search_(search) {}

  NodePtr ParseAll() {
    NodePtr node = ParseOr();
    return node && pos_ == tokens_.size() ? node : nullptr;
  }

 private:
  bool AtWord(std::string_view word) const {
    return pos_ < tokens_.size() && tokens_[pos_].type == Token::Type::kWord &&
           AsciiLower(tokens_[pos_].text) == word;
  }

  NodePtr Join(Node::Kind kind, NodePtr left, NodePtr right) {
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  NodePtr ParseOr() {
    NodePtr left = ParseAnd();
    while (left && AtWord("or")) {
      ++pos_;
      NodePtr right = ParseAnd();
      if (!right) return nullptr;
      left = Join(Node::Kind::kOr, left, right);
    }
    return left;
  }

  NodePtr ParseAnd() {
    NodePtr left = ParsePrimary();
    while (left && AtWord("and")) {
      ++pos_;
      NodePtr right = ParsePrimary();
      if (!right) return nullptr;
      left = Join(Node::Kind::kAnd, left, right);
    }
    return left;
  }

  NodePtr ParsePrimary() {
    if (pos_ < tokens_.size() && tokens_[pos_].type == Token::Type::kOpen) {
      ++pos_;
      NodePtr inner = ParseOr();
      if (!inner || pos_ >= tokens_.size() || tokens_[pos_].type != Token::Type::kClose)
        return nullptr;
      ++pos_;
      return inner;
    }
    return ParseComparison();
  }

  NodePtr ParseComparison() {
    if (pos_ + 2 > tokens_.size()) return nullptr;
    const Token& attr = tokens_[pos_];
    const Token& op = tokens_[pos_ + 1];
    if (attr.type != Token::Type::kWord || op.type != Token::Type::kWord) return nullptr;
    auto node = std::make_shared<Node>();
    node->attribute = attr.text;
    node->op = AsciiLower(op.text);
    node->search = search_;
    bool allowed = search_ ? AllowedInSearch(node->attribute, node->op)
                           : AllowedInFilter(node->attribute, node->op);
    if (!allowed) return nullptr;
    if (node->op == "pr") {
      pos_ += 2;
      return node;
    }
    if (pos_ + 3 > tokens_.size()) return nullptr;
    const Token& value = tokens_[pos_ + 2];
    if (value.type != Token::Type::kString && value.type != Token::Type::kWord) return nullptr;
    node->value = value.text;
    if (IsDateAttribute(node->attribute) && !ParseTimestamp(node->value)) return nullptr;
    pos_ += 3;
    return node;
  }

  std::vector<Token> tokens_;
  bool search_;
  size_t pos_ = 0;
};

// The attribute's values as text: none when absent or null, several for an array.
std::vector<std::string> AttributeValues(const UserRecord& user, const json::Value& profile,
                                         const std::string& attribute) {
  auto one = [](const std::string& v) {
    return v.empty() ? std::vector<std::string>{} : std::vector<std::string>{v};
  };
  if (attribute == "status") return one(user.status);
  if (attribute == "id") return one(user.id);
  if (attribute == "created") return one(user.created);
  if (attribute == "activated") return one(user.activated);
  if (attribute == "statusChanged") return one(user.status_changed);
  if (attribute == "lastUpdated") return one(user.last_updated);
  if (attribute == "lastLogin") return one(user.last_login);
  const json::Value* v =
      json::Member(profile, attribute.substr(std::string_view("profile.").size()));
  std::vector<std::string> out;
  auto text = [](const json::Value& x) {
    return x.IsString() ? std::string(x.GetString(), x.GetStringLength()) : json::Write(x);
  };
  if (v == nullptr || v->IsNull()) return out;
  if (!v->IsArray()) return {text(*v)};
  for (const auto& item : v->GetArray()) out.push_back(text(item));
  return out;
}

template <typename T>
bool Order(const std::string& op, const T& actual, const T& wanted) {
  if (op == "gt") return actual > wanted;
  if (op == "ge") return actual >= wanted;
  if (op == "lt") return actual < wanted;
  if (op == "le") return actual <= wanted;
  return actual == wanted;
}

std::optional<double> AsNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

bool CompareOne(const Node& node, const std::string& actual) {
  if (IsDateAttribute(node.attribute)) {
    auto a = ParseTimestamp(actual);
    auto w = ParseTimestamp(node.value);
    return a && w && Order(node.op, *a, *w);
  }
  // filter matches status and id exactly; every other string comparison ignores case.
  bool exact = !node.search && (node.attribute == "status" || node.attribute == "id");
  std::string a = exact ? actual : AsciiLower(actual);
  std::string w = exact ? node.value : AsciiLower(node.value);
  if (node.op == "sw") return a.rfind(w, 0) == 0;
  auto an = AsNumber(actual);
  auto wn = AsNumber(node.value);
  if (node.op != "eq" && an && wn) return Order(node.op, *an, *wn);
  return Order(node.op, a, w);
}

bool Evaluate(const Node& node, const UserRecord& user, const json::Value& profile) {
  switch (node.kind) {
    case Node::Kind::kAnd:
      return Evaluate(*node.left, user, profile) && Evaluate(*node.right, user, profile);
    case Node::Kind::kOr:
      return Evaluate(*node.left, user, profile) || Evaluate(*node.right, user, profile);
    case Node::Kind::kCompare:
      break;
  }
  std::vector<std::string> values = AttributeValues(user, profile, node.attribute);
  if (node.op == "pr") return !values.empty();
  return std::any_of(values.begin(), values.end(),
                     [&node](const std::string& v) { return CompareOne(node, v); });
}

}  // namespace

std::optional<UserFilter> UserFilter::Parse(std::string_view expression, Syntax syntax) {
  auto tokens = Tokenize(expression);
  if (!tokens || tokens->empty()) return std::nullopt;
  NodePtr root = Parser(std::move(*tokens), syntax == Syntax::kSearch).ParseAll();
  if (!root) return std::nullopt;
  UserFilter filter;
  filter.root_ = root;
  return filter;
}

bool UserFilter::Matches(const UserRecord& user) const {
  auto profile = json::ParseObject(user.profile_json);
  json::Document empty(rapidjson::kObjectType);
  return Evaluate(*root_, user, profile ? *profile : empty);
}

bool MatchesQuery(const UserRecord& user, std::string_view q) {
  auto profile = json::ParseObject(user.profile_json);
  if (!profile) return false;
  for (const char* field : {"firstName", "lastName", "email", "login"}) {
    if (StartsWithIgnoringCase(json::GetString(*profile, field).value_or(""), q)) return true;
  }
  return false;
}

}  // namespace userdesk::mini_okta
