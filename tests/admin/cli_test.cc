// The commands' shared parts: arguments, text made safe for a terminal, and how an Okta failure
// becomes a message and an exit code.
#include "admin/cli.h"

#include <gtest/gtest.h>

#include <sstream>

namespace userdesk::admin {
namespace {

const Args::Spec kSpec{{"--yes", "--json"}, {"--format"}, 1, 2};

TEST(ArgsTest, FlagsValuesAndWords) {
  std::ostringstream err;
  std::optional<Args> args = Args::Parse({"a", "--format", "csv", "--yes", "b"}, kSpec, err);
  ASSERT_TRUE(args.has_value()) << err.str();
  EXPECT_TRUE(args->Has("--yes"));
  EXPECT_FALSE(args->Has("--json"));
  EXPECT_EQ(args->Value("--format"), "csv");
  EXPECT_EQ(args->Value("--json", "x"), "x");
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"a", "b"}));
  args = Args::Parse({"--format=json", "--", "--yes"}, kSpec, err);
  ASSERT_TRUE(args.has_value()) << err.str();
  EXPECT_EQ(args->Value("--format"), "json");
  EXPECT_FALSE(args->Has("--yes"));
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"--yes"}));
  EXPECT_TRUE(Args::Parse({"-", "x"}, kSpec, err).has_value());  // "-" is a word (stdin)
}

TEST(ArgsTest, SaysWhatIsWrong) {
  auto error = [](std::vector<std::string> words) {
    std::ostringstream err;
    EXPECT_FALSE(Args::Parse(words, kSpec, err).has_value());
    return err.str();
  };
  EXPECT_EQ(error({"a", "--nope"}), "unknown option --nope\n");
  EXPECT_EQ(error({"a", "--format"}), "--format needs a value\n");
  EXPECT_EQ(error({"a", "--yes=1"}), "--yes takes no value\n");
  EXPECT_EQ(error({"a", "--yes", "--yes"}), "--yes is given twice\n");
  EXPECT_EQ(error({}), "missing argument\n");
  EXPECT_EQ(error({"a", "b", "c"}), "unexpected argument c\n");
  EXPECT_EQ(error({"a", "--\x1b[2J"}), "unknown option --\\x1b[2J\n");
}

TEST(ForTerminalTest, EscapesWhatCouldMoveTheCursorOrReorderText) {
  EXPECT_EQ(ForTerminal("Ada Lovelace, é ü 漢字"), "Ada Lovelace, é ü 漢字");
  EXPECT_EQ(ForTerminal("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(ForTerminal("line\nnext\r\t"), "line\\x0anext\\x0d\\x09");
  EXPECT_EQ(ForTerminal("x\u202Ey"), "x\\xe2\\x80\\xaey");
  EXPECT_EQ(ForTerminal("x\u2028y"), "x\\xe2\\x80\\xa8y");
  EXPECT_EQ(ForTerminal("\xc2\x9b"), "\\xc2\\x9b");  // C1 CSI
  EXPECT_EQ(ForTerminal("\xff"), "\\xff");
  EXPECT_EQ(ForTerminal("back\\slash"), "back\\slash");
}

okta::Failure OktaFailure(ErrorCode code, long status, const std::string& error_code,
                          const std::string& summary, std::vector<std::string> causes = {}) {
  okta::Failure failure = okta::FailureOf(MakeError(code, "detail"));
  failure.okta = okta::OktaError{status, error_code, summary, "oae1", std::move(causes)};
  return failure;
}

TEST(ExplainTest, EachFailureItsExitCode) {
  Explained e =
      Explain(okta::FailureOf(MakeError(ErrorCode::kUnavailable, "GET x: refused")), "TOKEN");
  EXPECT_EQ(e.exit_code, kExitUnavailable);
  EXPECT_EQ(e.message,
            "Okta could not be reached or failed (GET x: refused): check ORG_URL and "
            "this host's network, then try again");
  okta::Failure limited =
      OktaFailure(ErrorCode::kRateLimited, 429, "E0000047", "API call exceeded");
  limited.retry_after_seconds = 12;
  e = Explain(limited, "TOKEN");
  EXPECT_EQ(e.exit_code, kExitUnavailable);
  EXPECT_EQ(e.message,
            "Okta's rate limit is spent for now (E0000047 API call exceeded); try again "
            "in 12 s");
  e = Explain(
      OktaFailure(ErrorCode::kUpstreamUnavailable, 401, "E0000011", "Invalid token provided"),
      "USER_PROFILE_TOKEN");
  EXPECT_EQ(e.exit_code, kExitConfig);
  EXPECT_TRUE(e.message.starts_with("USER_PROFILE_TOKEN: Okta refuses this API token"))
      << e.message;
  e = Explain(OktaFailure(ErrorCode::kUpstreamUnavailable, 403, "E0000006", "You do not have"),
              "USER_PROFILE_TOKEN");
  EXPECT_EQ(e.exit_code, kExitConfig);
  e = Explain(OktaFailure(ErrorCode::kUnprocessable, 400, "E0000001", "Api validation failed: x",
                          {"x: bad", "y: \x1b[2J"}),
              "T");
  EXPECT_EQ(e.exit_code, kExitProblems);
  EXPECT_EQ(e.message, "Okta refused: E0000001 Api validation failed: x; x: bad; y: \\x1b[2J");
  e = Explain(OktaFailure(ErrorCode::kNotFound, 404, "E0000007", "Not found"), "T");
  EXPECT_EQ(e.exit_code, kExitProblems);
  e = Explain(okta::FailureOf(MakeError(ErrorCode::kNotFound, "GET x 404")), "T");
  EXPECT_EQ(e.exit_code, kExitConfig);  // a 404 that is not Okta's: ORG_URL is wrong
  e = Explain(okta::FailureOf(MakeError(ErrorCode::kInvalidArgument, "not a user id")), "T");
  EXPECT_EQ(e.exit_code, kExitUsage);
}

}  // namespace
}  // namespace userdesk::admin
