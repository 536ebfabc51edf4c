// Every row of the error table: the status and words a visitor gets for each failure, in each
// task. The words are pinned as they read before the table existed.
#include "app/error_table.h"

#include <gtest/gtest.h>

#include "base/park.h"

#include <string>
#include <vector>

namespace userdesk::app {
namespace {

struct Row {
  ErrorCode code;
  int status;
  const char* title;
};

TEST(ErrorTable, EveryCodeOnAPageHasItsStatusAndTitle) {
  for (const Row& row : {Row{ErrorCode::kInvalidArgument, 400, "Bad request"},
                         Row{ErrorCode::kUnauthenticated, 401, "Please sign in"},
                         Row{ErrorCode::kPermissionDenied, 403, "Not allowed"},
                         Row{ErrorCode::kCsrfMismatch, 403, "Form expired"},
                         Row{ErrorCode::kNotFound, 404, "Page not found"},
                         Row{ErrorCode::kAlreadyExists, 409, "Already exists"},
                         Row{ErrorCode::kPayloadTooLarge, 413, "Too much data"},
                         Row{ErrorCode::kUnprocessable, 422, "Please check your input"},
                         Row{ErrorCode::kRateLimited, 429, "Too many requests"},
                         Row{ErrorCode::kInternal, 500, "Something went wrong"},
                         Row{ErrorCode::kNotImplemented, 501, "Not available"},
                         Row{ErrorCode::kUpstreamUnavailable, 502, "Sign-in service error"},
                         Row{ErrorCode::kUnavailable, 503, "Service unavailable"},
                         Row{ErrorCode::kDeadlineExceeded, 504, "Timed out"}}) {
    ErrorView view = ViewOf(MakeError(row.code, "detail"));
    EXPECT_EQ(view.code, row.code);
    EXPECT_EQ(view.status, row.status) << row.title;
    EXPECT_EQ(view.message.title, row.title);
    EXPECT_EQ(view.message.message.find("detail"), std::string::npos);
  }
}

TEST(ErrorTable, EachSignInReasonHasItsOwnWords) {
  struct ReasonRow {
    ErrorCode code;
    Reason reason;
    int status;
    const char* title;
    const char* words;
  };
  for (const ReasonRow& row : {
           ReasonRow{ErrorCode::kInvalidArgument, Reason::kSignInExpired, 400,
                     "This sign-in has expired", "took longer than 10 minutes"},
           ReasonRow{ErrorCode::kInvalidArgument, Reason::kSignInDenied, 400,
                     "Sign-in was not completed", "did not let this sign-in go ahead"},
           ReasonRow{ErrorCode::kInvalidArgument, Reason::kSignInFailed, 400, "Sign-in failed",
                     "could not complete the sign-in"},
           ReasonRow{ErrorCode::kInvalidArgument, Reason::kCodeRefused, 400,
                     "Sign-in could not be completed", "(it may have been used already)"},
           ReasonRow{ErrorCode::kInvalidArgument, Reason::kNonceMismatch, 400,
                     "Sign-in could not be completed", "belongs to another sign-in attempt"},
           ReasonRow{ErrorCode::kUpstreamUnavailable, Reason::kIdTokenUntrusted, 502,
                     "Sign-in could not be verified", "did not pass our security checks"},
           ReasonRow{ErrorCode::kUnauthenticated, Reason::kSessionEndedBeforePost, 401,
                     "Your session has expired", "what you sent was not saved"},
       }) {
    for (Task task : {Task::kPage, Task::kSignIn}) {
      ErrorView view = ViewOf(MakeError(row.code, "", row.reason), task);
      EXPECT_EQ(view.status, row.status) << row.title;
      EXPECT_EQ(view.message.title, row.title);
      EXPECT_NE(view.message.message.find(row.words), std::string::npos) << view.message.message;
    }
  }
}

TEST(ErrorTable, ASignInWithoutAReasonReadsAsItsCode) {
  EXPECT_EQ(ViewOf(MakeError(ErrorCode::kInvalidArgument, "callback without code"), Task::kSignIn)
                .message.title,
            "Bad request");
  EXPECT_EQ(ViewOf(MakeError(ErrorCode::kUpstreamUnavailable, ""), Task::kSignIn).message.title,
            "Sign-in service error");
}

TEST(ErrorTable, AProviderUnreachableOrSlowDuringSignInIsOne503WhateverTheReason) {
  for (ErrorCode code : {ErrorCode::kUnavailable, ErrorCode::kDeadlineExceeded}) {
    for (Reason reason : {Reason::kUnspecified, Reason::kIdTokenUntrusted}) {
      ErrorView view = ViewOf(MakeError(code, "", reason), Task::kSignIn);
      EXPECT_EQ(view.code, ErrorCode::kUnavailable);
      EXPECT_EQ(view.status, 503);
      EXPECT_EQ(view.message.title, "Sign-in is unavailable");
    }
  }
  EXPECT_EQ(ViewOf(MakeError(ErrorCode::kDeadlineExceeded, ""), Task::kPage).status, 504);
}

TEST(ErrorTable, ABusyProcessIsA503WithRetryAfterInEveryTaskAndKeepsTheForm) {
  Error busy = park::BusyError("GET /api/v1/users/00u1");
  for (Task task : {Task::kPage, Task::kSignIn, Task::kProfileRead, Task::kProfileSave,
                    Task::kRegistration}) {
    ErrorView view = ViewOf(busy, task);
    EXPECT_EQ(view.status, 503);
    EXPECT_EQ(view.retry_after_seconds, park::kBusyRetryAfterSeconds);
    EXPECT_EQ(view.message.title, "The identity provider is slow");
    EXPECT_NE(view.message.message.find("too many requests are waiting for it"),
              std::string::npos);
  }
  EXPECT_NE(ViewOf(busy, Task::kProfileSave).message.message.find("what you typed is still in"),
            std::string::npos);
  EXPECT_NE(ViewOf(busy, Task::kRegistration).message.message.find("was not created"),
            std::string::npos);
  // the same code without the reason is an outage, with no Retry-After of its own
  EXPECT_EQ(ViewOf(MakeError(ErrorCode::kUnavailable, "down")).retry_after_seconds, 0);
}

// The session registry down (fail closed): one 503 with Retry-After in every task a person sees,
// saying the session, if any, is still there; the provider hears temporarily_unavailable.
TEST(ErrorTable, TheSessionStoreDownIsA503ThatSaysNothingWasChangedInEveryTask) {
  Error down = MakeError(ErrorCode::kUnavailable, "registry: no such table",
                         Reason::kSessionsUnavailable);
  for (Task task : {Task::kPage, Task::kSignIn, Task::kSignOut, Task::kProfileRead,
                    Task::kProfileSave, Task::kRegistration}) {
    ErrorView view = ViewOf(down, task);
    EXPECT_EQ(view.status, 503);
    EXPECT_EQ(view.retry_after_seconds, 5);
    EXPECT_EQ(view.message.title, "Sessions are unavailable");
    EXPECT_NE(view.message.message.find("If you were signed in, you still are"),
              std::string::npos);
  }
  ErrorView provider = ViewOf(down, Task::kBackChannelLogout);
  EXPECT_EQ(provider.status, 503);
  EXPECT_STREQ(provider.oauth_error, "temporarily_unavailable");
}

TEST(ErrorTable, ASignOutThatFailedItsChecksSaysTheUserIsStillSignedIn) {
  for (ErrorCode code : {ErrorCode::kCsrfMismatch, ErrorCode::kPermissionDenied}) {
    ErrorView view = ViewOf(MakeError(code, ""), Task::kSignOut);
    EXPECT_EQ(view.status, HttpStatus(code));
    EXPECT_EQ(view.message.title, "Sign-out not confirmed");
    EXPECT_NE(view.message.message.find("you are still signed in"), std::string::npos);
  }
}

TEST(ErrorTable, AProfileReadNeverBlamesTheVisitor) {
  struct ReadRow {
    ErrorCode in;
    ErrorCode shown;
    int status;
    const char* title;
  };
  for (const ReadRow& row : {
           ReadRow{ErrorCode::kNotFound, ErrorCode::kNotFound, 404, "Account not found"},
           ReadRow{ErrorCode::kRateLimited, ErrorCode::kUnavailable, 503,
                   "Identity provider unavailable"},
           ReadRow{ErrorCode::kInvalidArgument, ErrorCode::kUpstreamUnavailable, 502,
                   "Identity provider error"},
           ReadRow{ErrorCode::kAlreadyExists, ErrorCode::kUpstreamUnavailable, 502,
                   "Identity provider error"},
           ReadRow{ErrorCode::kUnprocessable, ErrorCode::kUpstreamUnavailable, 502,
                   "Identity provider error"},
           ReadRow{ErrorCode::kUpstreamUnavailable, ErrorCode::kUpstreamUnavailable, 502,
                   "Identity provider error"},
           ReadRow{ErrorCode::kUnavailable, ErrorCode::kUnavailable, 503,
                   "Identity provider unavailable"},
           ReadRow{ErrorCode::kDeadlineExceeded, ErrorCode::kDeadlineExceeded, 504,
                   "Identity provider unavailable"},
       }) {
    ErrorView view = ViewOf(MakeError(row.in, ""), Task::kProfileRead);
    EXPECT_EQ(view.code, row.shown) << row.title;
    EXPECT_EQ(view.status, row.status) << row.title;
    EXPECT_EQ(view.message.title, row.title);
    EXPECT_EQ(view.message.message.find("Nothing was saved"), std::string::npos);
  }
}

TEST(ErrorTable, AProfileSaveKeepsWhatWasTypedAndSaysWhy) {
  struct SaveRow {
    ErrorCode code;
    int status;
    const char* words;
  };
  for (const SaveRow& row : {
           SaveRow{ErrorCode::kNotFound, 404, "no longer exists"},
           SaveRow{ErrorCode::kDeadlineExceeded, 504, "We could not reach"},
           SaveRow{ErrorCode::kUpstreamUnavailable, 502, "did not accept our request"},
           SaveRow{ErrorCode::kRateLimited, 503, "We could not reach"},
           SaveRow{ErrorCode::kUnavailable, 503, "We could not reach"},
       }) {
    ErrorView view = ViewOf(MakeError(row.code, ""), Task::kProfileSave);
    EXPECT_EQ(view.status, row.status) << row.words;
    EXPECT_NE(view.message.message.find(row.words), std::string::npos) << view.message.message;
    if (row.code != ErrorCode::kNotFound) {
      EXPECT_NE(view.message.message.find("Nothing was saved, and what you typed is still in the "
                                          "form."),
                std::string::npos);
    }
  }
}

TEST(ErrorTable, ARegistrationThatFailedAtTheProviderKeepsTheForm) {
  ErrorView missing = ViewOf(MakeError(ErrorCode::kNotFound, ""), Task::kRegistration);
  EXPECT_EQ(missing.status, 502);  // no user to be missing: the API is not where ORG_URL says
  ErrorView refused = ViewOf(MakeError(ErrorCode::kUpstreamUnavailable, ""), Task::kRegistration);
  EXPECT_EQ(refused.status, 502);
  EXPECT_EQ(refused.message.message,
            "The identity provider did not accept our request, so your account was not created. "
            "What you typed is still in the form; enter your password again. If it keeps "
            "happening, tell the site's administrator.");
  ErrorView down = ViewOf(MakeError(ErrorCode::kUnavailable, ""), Task::kRegistration);
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.message.message,
            "We could not reach the identity provider, so your account was not created. What "
            "you typed is still in the form; enter your password again. Please try again in a "
            "minute.");
  EXPECT_EQ(ViewOf(MakeError(ErrorCode::kDeadlineExceeded, ""), Task::kRegistration).status, 504);
}

// Back-Channel Logout 1.0 §2.8: the provider's answers, each with its OAuth error code.
TEST(ErrorTable, TheBackChannelLogoutAnswersTheProviderInItsTerms) {
  struct ProviderRow {
    ErrorCode code;
    int status;
    const char* oauth_error;
  };
  for (const ProviderRow& row :
       {ProviderRow{ErrorCode::kInvalidArgument, 400, "invalid_request"},
        ProviderRow{ErrorCode::kNotImplemented, 501, "server_error"},
        ProviderRow{ErrorCode::kUnavailable, 503, "temporarily_unavailable"},
        ProviderRow{ErrorCode::kDeadlineExceeded, 503, "temporarily_unavailable"},
        ProviderRow{ErrorCode::kUpstreamUnavailable, 503, "temporarily_unavailable"},
        ProviderRow{ErrorCode::kInternal, 500, "server_error"}}) {
    ErrorView view = ViewOf(MakeError(row.code, "detail"), Task::kBackChannelLogout);
    EXPECT_EQ(view.status, row.status) << ToString(row.code);
    EXPECT_STREQ(view.oauth_error, row.oauth_error) << ToString(row.code);
    EXPECT_EQ(view.message.message.find("detail"), std::string::npos);
  }
  // a busy process is unavailable for the provider too, without the visitor's words
  ErrorView busy = ViewOf(park::BusyError("JWKS"), Task::kBackChannelLogout);
  EXPECT_EQ(busy.status, 503);
  EXPECT_STREQ(busy.oauth_error, "temporarily_unavailable");
}

std::vector<std::string> RetryAfter(const http::Response& response) {
  std::vector<std::string> values;
  for (const auto& [name, value] : response.headers) {
    if (name == "Retry-After") values.push_back(value);
  }
  return values;
}

TEST(ErrorTable, RetryAfterOnlyWhenTheProviderSaidHowLong) {
  http::Response with = http::Response::Html(503, "");
  AddRetryAfter(30, &with);
  EXPECT_EQ(RetryAfter(with), std::vector<std::string>{"30"});
  http::Response without = http::Response::Html(503, "");
  AddRetryAfter(0, &without);
  EXPECT_TRUE(RetryAfter(without).empty());
}

}  // namespace
}  // namespace userdesk::app
