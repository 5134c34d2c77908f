#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ticketing/http/client.hpp"

namespace test_support {

using Environment = std::vector<std::pair<std::string, std::string>>;

// A free TCP port on 127.0.0.1 at the time of asking.
std::uint16_t free_port();

// A service binary run as a real child process on a free port (PORT is set; later entries of
// `environment` override earlier ones and the inherited environment), its output kept in
// a file. The constructor waits until GET /healthz answers 200 and throws with the output tail if
// it does not within 30 s. The destructor stops it with SIGTERM (SIGKILL after 10 s).
class ServiceProcess {
 public:
  ServiceProcess(std::string binary, Environment environment);
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  std::uint16_t port() const { return port_; }
  ticketing::http::Client client() const;
  // Graceful stop; returns the exit status (0 when it shut down cleanly).
  int terminate();
  // Abrupt death, as in a crash.
  void kill_hard();
  std::string output() const;

 private:
  int wait_for_exit(int timeout_ms);

  std::string binary_;
  std::uint16_t port_;
  std::string output_path_;
  pid_t pid_ = -1;
};

}  // namespace test_support
