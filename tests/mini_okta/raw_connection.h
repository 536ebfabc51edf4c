// A plain TCP connection to a local mini-okta for the tests httplib's client cannot write: a
// request without a Host header, and clients that send their request a byte at a time or stop
// halfway. Every wait is bounded by the timeout it is given.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace userdesk::mini_okta::testing {

class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) Close();
  }
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool Send(std::string_view bytes) {
    while (fd_ >= 0 && !bytes.empty()) {
      ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return fd_ >= 0;
  }

  // Everything the server sends until it closes the connection or timeout passes.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout) {
    std::string out;
    WaitForClose(timeout, &out);
    return out;
  }

  // What the server sent until it sent at least `size` bytes, closed, or timeout passed.
  std::string ReadAtLeast(size_t size, std::chrono::milliseconds timeout) {
    std::string out;
    WaitForClose(timeout, &out, size);
    return out;
  }

 private:
  // True when the server closed the connection within timeout. Stops early, returning false,
  // once `enough` bytes have arrived.
  bool WaitForClose(std::chrono::milliseconds timeout, std::string* out,
                    size_t enough = std::string::npos) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fd_ >= 0 && (out == nullptr || out->size() < enough)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return true;  // closed (or reset) by the server
      if (out != nullptr) out->append(buf, static_cast<size_t>(n));
    }
    return false;
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  int fd_;
};

}  // namespace userdesk::mini_okta::testing
