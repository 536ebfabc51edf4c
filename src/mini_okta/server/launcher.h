// The mini-okta program: parses flags and environment, starts MiniOktaServer, prints where it
// listens and the seeded demo sign-ins, and stops cleanly on SIGINT/SIGTERM (exit 0). Kept out
// of main.cc so the whole program is in mini_okta_lib and main.cc is only its entry point.
#pragma once

namespace userdesk::mini_okta {

// Returns the process exit code: 0 after a clean stop or --help, 1 when the server cannot
// start, 2 for bad flags.
int RunMiniOkta(int argc, char** argv);

}  // namespace userdesk::mini_okta
