#include "mini_okta/user_filter.h"

#include <cctype>
#include <vector>

#include "json/json.h"
#include "mini_okta/okta_time.h"

namespace userdesk::mini_okta {

struct UserFilter::Node {
  enum class Kind { kCompare, kAnd, kOr } kind = Kind::kCompare;
  std::string attribute, op, value;
  std::shared_ptr<const Node> left, right;
};

namespace {

using Node = UserFilter::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token {
  enum class Type { kWord, kString, kOpen, kClose } type;
  std::string text;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

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

bool AllowedComparison(const std::string& attribute, const std::string& op) {
  static const char* kEqAttributes[] = {"status",        "id",            "profile.login",
                                        "profile.email", "profile.firstName", "profile.lastName"};
  if (attribute == "lastUpdated") return op == "eq" || op == "gt" || op == "ge" || op == "lt" || op == "le";
  if (op != "eq") return false;
  for (const char* allowed : kEqAttributes) {
    if (attribute == allowed) return true;
  }
  return false;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  NodePtr ParseAll() {
    NodePtr node = ParseOr();
    return node && pos_ == tokens_.size() ? node : nullptr;
  }

 private:
  bool AtWord(std::string_view word) const {
    return pos_ < tokens_.size() && tokens_[pos_].type == Token::Type::kWord &&
           Lower(tokens_[pos_].text) == word;
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
      if (!inner || pos_ >= tokens_.size() || tokens_[pos_].type != Token::Type::kClose) return nullptr;
      ++pos_;
      return inner;
    }
    return ParseComparison();
  }

  NodePtr ParseComparison() {
    if (pos_ + 3 > tokens_.size()) return nullptr;
    const Token& attr = tokens_[pos_];
    const Token& op = tokens_[pos_ + 1];
    const Token& value = tokens_[pos_ + 2];
    if (attr.type != Token::Type::kWord || op.type != Token::Type::kWord) return nullptr;
    if (value.type != Token::Type::kString && value.type != Token::Type::kWord) return nullptr;
    auto node = std::make_shared<Node>();
    node->attribute = attr.text;
    node->op = Lower(op.text);
    node->value = value.text;
    if (!AllowedComparison(node->attribute, node->op)) return nullptr;
    if (node->attribute == "lastUpdated" && !ParseTimestamp(node->value)) return nullptr;
    pos_ += 3;
    return node;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

std::string AttributeValue(const UserRecord& user, const json::Value& profile, const std::string& attribute) {
  if (attribute == "status") return user.status;
  if (attribute == "id") return user.id;
  if (attribute == "lastUpdated") return user.last_updated;
  constexpr std::string_view kProfile = "profile.";
  return json::GetString(profile, attribute.substr(kProfile.size())).value_or("");
}

bool CompareTimes(const std::string& op, int64_t actual, int64_t wanted) {
  if (op == "gt") return actual > wanted;
  if (op == "ge") return actual >= wanted;
  if (op == "lt") return actual < wanted;
  if (op == "le") return actual <= wanted;
  return actual == wanted;
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
  std::string actual = AttributeValue(user, profile, node.attribute);
  if (node.attribute == "lastUpdated") {
    auto a = ParseTimestamp(actual);
    auto w = ParseTimestamp(node.value);
    return a && w && CompareTimes(node.op, *a, *w);
  }
  if (node.attribute == "status" || node.attribute == "id") return actual == node.value;
  return Lower(actual) == Lower(node.value);  // profile strings compare case-insensitively
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == Lower(prefix);
}

}  // namespace

std::optional<UserFilter> UserFilter::Parse(std::string_view expression) {
  auto tokens = Tokenize(expression);
  if (!tokens || tokens->empty()) return std::nullopt;
  NodePtr root = Parser(std::move(*tokens)).ParseAll();
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
