// mini-okta: a local Okta-compatible identity server for development and tests (server/launcher.h).
#include "mini_okta/server/launcher.h"

int main(int argc, char** argv) { return userdesk::mini_okta::RunMiniOkta(argc, argv); }
