// The baseline for bench/run.sh: the smallest useful FastCGI responder (libfcgi, threads around
// FCGX_Accept_r, a fixed page). userdesk's pages are measured against what this one serves
// through the same nginx on the same machine. In this plain loop a kept connection holds its
// thread until nginx closes it, so there are more threads than the benchmark has connections
// (wrk -c32) plus nginx's idle kept ones: otherwise the kept-connection ceiling would measure
// requests queued behind idle connections rather than FastCGI.
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
    if (req.ipcFd < 0) {  // a new connection: one thread at a time accepts
      std::lock_guard<std::mutex> lock(accept_mutex);
      rc = FCGX_Accept_r(&req);
    } else {  // the kept one's next request, read outside the mutex
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
  const char* threads = std::getenv("HELLO_THREADS");
  int n = threads != nullptr ? std::atoi(threads) : 0;
  for (int i = 0; i < (n > 0 ? n : 72); i++) workers.emplace_back(Worker);
  int sig = 0;
  sigwait(&stop, &sig);
  std::_Exit(0);
}
