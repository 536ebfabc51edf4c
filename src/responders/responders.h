// The five responders are one program, userdesk-responder, that runs as the responder it is
// called by: userdesk-home, userdesk-auth, ... are symbolic links to it (in the build directory
// and the installed libexec directory alike), so every name in the unit, the socket and the logs
// stays the responder's own. One file means one copy of the code in memory for all five
// processes (the kernel shares a file's pages among the processes that map it), where five
// programs each kept their own megabyte of it.
#pragma once

namespace userdesk::responders {

namespace home {
int Run();
}
namespace auth {
int Run();
}
namespace dashboard {
int Run();
}
namespace profile {
int Run();
}
namespace account {
int Run();
}

}  // namespace userdesk::responders
