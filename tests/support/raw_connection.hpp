#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "raw_http.hpp"

namespace test_support {

// One client TCP connection to 127.0.0.1 for tests that decide every byte and every moment:
// several requests in one write (pipelining), a request dribbled out a byte at a time
// (slowloris), the write side shut down early (half-close), hundreds held open at once.
// Nothing blocks longer than the timeout a call is given.
class RawConnection {
 public:
  // Throws std::runtime_error when nothing accepts the connection.
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&&) = delete;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`; false when the peer takes no more (it closed or reset).
  bool send(std::string_view bytes);
  // The peer reads end of file; this side can still read its answers.
  void shut_down_writing();

  // Reads until `count` whole answers have come, the peer closes or `timeout` passes; returns
  // the whole answers, in order. Bytes of an unfinished answer stay for the next call.
  std::vector<Reply> read_replies(std::size_t count, std::chrono::milliseconds timeout);
  // Reads (and keeps, see unread()) until the peer closes; false if it is still open after
  // `timeout`.
  bool closed_within(std::chrono::milliseconds timeout);
  // Bytes received and not yet taken as answers.
  const std::string& unread() const { return unread_; }

 private:
  // Waits up to `timeout` for bytes; appends them. False at end of file or on a reset.
  bool receive_some(std::chrono::milliseconds timeout);

  int fd_ = -1;
  bool peer_closed_ = false;
  std::string unread_;
};

// Takes the whole HTTP/1.1 answers off the front of `bytes` (bodies framed by Content-Length or
// chunked; none for 1xx, 204 and 304; answers to HEAD are not told apart, so do not pipeline
// HEAD). An unfinished answer stays in `bytes`.
std::vector<Reply> take_replies(std::string& bytes);

}  // namespace test_support
