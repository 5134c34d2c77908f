#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "ticketing/http/client.hpp"
#include "ticketing/http/server.hpp"
#include "ticketing/log/logger.hpp"

namespace ticketing::http::test {

inline const log::Logger& quiet_logger() {
  static const int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  static const log::Logger logger("http-test", log::Level::debug, fd);
  return logger;
}

inline ServerOptions test_options() {
  ServerOptions options;
  options.service_name = "http-test";
  options.address = "127.0.0.1";
  options.worker_threads = 4;
  return options;
}

// A real server on an ephemeral port, served from a background thread.
class TestServer {
 public:
  explicit TestServer(Router router, ServerOptions options = test_options(),
                      const log::Logger& logger = quiet_logger())
      : server_(std::make_unique<Server>(std::move(options), std::move(router), logger)),
        thread_([this] { server_->run(); }) {}
  ~TestServer() { stop(); }

  std::uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }

  void stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }

  Client client(std::chrono::milliseconds request_timeout = std::chrono::milliseconds(5000)) const {
    ClientOptions options;
    options.host = "127.0.0.1";
    options.port = port();
    options.request_timeout = request_timeout;
    return Client(options);
  }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// Sends raw bytes and reads until the server closes (or 5 s pass). For wire-level checks.
inline std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                                bool half_close = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect");
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  if (half_close) ::shutdown(fd, SHUT_WR);
  std::string out;
  char chunk[4096];
  while (true) {
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    out.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// A port on which nothing listens (bound, read, released).
inline std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace ticketing::http::test
