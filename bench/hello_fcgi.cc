// The baseline for bench/run.sh: the smallest useful FastCGI responder (libfcgi, threads around
// FCGX_Accept_r, a fixed page). userdesk's pages are measured against what this one serves
// through the same nginx on the same machine.
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace {

std::mutex accept_mutex;

void Worker() {
  static const char kReply[] =
      "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<!doctype html><title>hello</title><p>Hello, world.</p>";
  FCGX_Request req;
  FCGX_InitRequest(&req, 0, 0);
  for (;;) {
    int rc;
    {
      std::lock_guard<std::mutex> lock(accept_mutex);
      rc = FCGX_Accept_r(&req);
    }
    if (rc < 0) break;
    FCGX_PutStr(kReply, static_cast<int>(std::strlen(kReply)), req.out);
    FCGX_Finish_r(&req);
  }
}

}  // namespace

int main() {
  // the workers never return from accept(); the main thread takes SIGTERM and ends the process
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  FCGX_Init();
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; i++) workers.emplace_back(Worker);
  int sig = 0;
  sigwait(&stop, &sig);
  std::_Exit(0);
}
