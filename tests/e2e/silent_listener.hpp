#pragma once

#include <cstdint>

namespace e2e {

// A TCP port on 127.0.0.1 that accepts connections (the kernel completes them) but never reads
// or answers: a peer that hangs. Closed by the destructor.
class SilentListener {
 public:
  SilentListener();
  ~SilentListener();
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  int fd_;
  std::uint16_t port_;
};

}  // namespace e2e
