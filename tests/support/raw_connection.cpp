#include "raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>

namespace test_support {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kLineEnd = "\r\n";

// A chunked body starting at `at`: its decoded bytes and where it ends, or nothing while it is
// still incomplete (or malformed, which a test then sees as a missing answer).
std::optional<std::pair<std::string, std::size_t>> chunked_body(const std::string& bytes,
                                                                std::size_t at) {
  std::string body;
  for (;;) {
    const auto size_end = bytes.find(kLineEnd, at);
    if (size_end == std::string::npos) return std::nullopt;
    std::size_t size = 0;
    try {
      size = std::stoul(bytes.substr(at, size_end - at), nullptr, 16);
    } catch (const std::exception&) {
      return std::nullopt;
    }
    at = size_end + kLineEnd.size();
    if (size == 0) {
      // Trailers, if any, end with an empty line.
      const auto trailers_end = bytes.find("\r\n", at);
      if (trailers_end == std::string::npos) return std::nullopt;
      if (trailers_end == at) return std::make_pair(body, at + kLineEnd.size());
      const auto block_end = bytes.find("\r\n\r\n", at);
      if (block_end == std::string::npos) return std::nullopt;
      return std::make_pair(body, block_end + 4);
    }
    if (bytes.size() < at + size + kLineEnd.size()) return std::nullopt;
    body.append(bytes, at, size);
    at += size + kLineEnd.size();
  }
}

// One whole answer off the front of `bytes`, or nothing while it is incomplete.
std::optional<Reply> take_reply(std::string& bytes) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string::npos) return std::nullopt;
  if (bytes.rfind("HTTP/1.", 0) != 0 || bytes.size() < 12) {
    throw std::runtime_error("not an HTTP answer: " + bytes.substr(0, 120));
  }
  Reply reply;
  reply.status = std::stoi(bytes.substr(9, 3));
  std::size_t line_start = bytes.find(kLineEnd) + kLineEnd.size();
  while (line_start < head_end) {
    const auto line_end = bytes.find(kLineEnd, line_start);
    const std::string line = bytes.substr(line_start, line_end - line_start);
    if (const auto colon = line.find(':'); colon != std::string::npos) {
      const auto value_start = line.find_first_not_of(' ', colon + 1);
      reply.headers.emplace_back(line.substr(0, colon), value_start == std::string::npos
                                                            ? std::string()
                                                            : line.substr(value_start));
    }
    line_start = line_end + kLineEnd.size();
  }
  const std::size_t body_start = head_end + 4;
  std::size_t end = body_start;
  const bool no_body = reply.status < 200 || reply.status == 204 || reply.status == 304;
  if (!no_body && lowercase(reply.header("Transfer-Encoding").value_or("")) == "chunked") {
    auto chunked = chunked_body(bytes, body_start);
    if (!chunked) return std::nullopt;
    reply.body = std::move(chunked->first);
    end = chunked->second;
  } else if (!no_body) {
    const auto length = std::stoul(reply.header("Content-Length").value_or("0"));
    if (bytes.size() < body_start + length) return std::nullopt;
    reply.body = bytes.substr(body_start, length);
    end = body_start + length;
  }
  bytes.erase(0, end);
  return reply;
}

}  // namespace

std::vector<Reply> take_replies(std::string& bytes) {
  std::vector<Reply> replies;
  while (auto reply = take_reply(bytes)) replies.push_back(std::move(*reply));
  return replies;
}

RawConnection::RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd_);
    throw std::runtime_error("cannot connect to port " + std::to_string(port) + ": errno " +
                             std::to_string(error));
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(other.fd_), peer_closed_(other.peer_closed_), unread_(std::move(other.unread_)) {
  other.fd_ = -1;
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void RawConnection::shut_down_writing() { ::shutdown(fd_, SHUT_WR); }

bool RawConnection::receive_some(std::chrono::milliseconds timeout) {
  pollfd waiting{fd_, POLLIN, 0};
  if (::poll(&waiting, 1, static_cast<int>(timeout.count())) <= 0) return true;  // nothing yet
  char buffer[16384];
  const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
  if (n <= 0) {
    peer_closed_ = true;
    return false;
  }
  unread_.append(buffer, static_cast<std::size_t>(n));
  return true;
}

std::vector<Reply> RawConnection::read_replies(std::size_t count,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::vector<Reply> replies = take_replies(unread_);
  while (replies.size() < count && !peer_closed_ && Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    receive_some(std::max(left, std::chrono::milliseconds(1)));
    for (auto& reply : take_replies(unread_)) replies.push_back(std::move(reply));
  }
  return replies;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!peer_closed_ && Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    receive_some(std::max(left, std::chrono::milliseconds(1)));
  }
  return peer_closed_;
}

}  // namespace test_support
