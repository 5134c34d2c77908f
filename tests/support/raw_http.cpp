#include "raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "internal_key.hpp"

namespace test_support {

namespace {
// Closes a socket on scope exit.
struct Socket {
  int fd;
  explicit Socket(int descriptor) : fd(descriptor) {}
  ~Socket() {
    if (fd >= 0) ::close(fd);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
};
}  // namespace

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::string> Reply::header(std::string_view name) const {
  const auto wanted = lowercase(name);
  for (const auto& [key, value] : headers) {
    if (lowercase(key) == wanted) return value;
  }
  return std::nullopt;
}

Reply exchange_raw(std::uint16_t port, const std::string& request) {
  Socket socket(::socket(AF_INET, SOCK_STREAM, 0));
  if (socket.fd < 0) throw std::runtime_error("socket() failed");
  timeval timeout{};
  timeout.tv_sec = 20;
  ::setsockopt(socket.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(socket.fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(socket.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  std::size_t sent = 0;
  while (sent < request.size()) {
    const auto n = ::send(socket.fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer (e.g. 413) and stop reading early
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buffer[16384];
  for (;;) {
    const auto n = ::recv(socket.fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos) {
    throw std::runtime_error("no HTTP response to " +
                             request.substr(0, std::min<std::size_t>(request.find('\r'), 120)) +
                             ", got: " + raw.substr(0, 200));
  }
  Reply reply;
  reply.status = std::stoi(raw.substr(9, 3));
  std::size_t line_start = raw.find("\r\n") + 2;
  while (line_start < head_end) {
    const auto line_end = raw.find("\r\n", line_start);
    const std::string line = raw.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      reply.headers.emplace_back(line.substr(0, colon), value);
    }
    line_start = line_end + 2;
  }
  reply.body = raw.substr(head_end + 4);
  if (auto length = reply.header("Content-Length")) {
    reply.body.resize(std::min(reply.body.size(), static_cast<std::size_t>(std::stoul(*length))));
  }
  return reply;
}

Reply exchange(std::uint16_t port, std::string_view method, std::string_view target,
               std::string_view body, const Headers& headers) {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  request += "Host: 127.0.0.1\r\nConnection: close\r\n";
  bool has_content_type = false;
  bool has_internal_key = false;
  for (const auto& [name, value] : headers) {
    if (lowercase(name) == "content-type") has_content_type = true;
    if (lowercase(name) == "x-internal-key") has_internal_key = true;
    request += name + ": " + value + "\r\n";
  }
  if (!has_internal_key)
    request += std::string(kInternalKeyHeader) + ": " + kTestInternalKey + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    if (!has_content_type) request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request.append(body);
  return exchange_raw(port, request);
}

}  // namespace test_support
