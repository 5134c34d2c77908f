#pragma once

#include <cstdint>
#include <string>

#include "child_process.hpp"
#include "internal_key.hpp"
#include "ticketing/http/client.hpp"

namespace test_support {

// A service binary run as a real child process on the PORT its `environment` names, else on a
// free port (later entries of `environment` override earlier ones and the inherited environment),
// with INTERNAL_API_KEY kTestInternalKey unless `environment` sets another. The constructor waits
// until GET /healthz answers 200 and throws with the output if it does not within 30 s. The
// destructor stops it with SIGTERM (SIGKILL after 10 s).
class ServiceProcess {
 public:
  ServiceProcess(std::string binary, Environment environment);

  std::uint16_t port() const { return port_; }
  ticketing::http::Client client() const;
  // Graceful stop; returns the exit status (0 when it shut down cleanly).
  int terminate() { return process_.terminate(); }
  // Abrupt death, as in a crash.
  void kill_hard() { process_.kill_hard(); }
  std::string output() const { return process_.output(); }

 private:
  static Environment with_port(Environment environment, std::uint16_t port);

  std::uint16_t port_;
  ChildProcess process_;
};

// Client options for 127.0.0.1:port sending X-Internal-Key: kTestInternalKey (as a peer
// service does), and a client made with them.
ticketing::http::ClientOptions loopback_options(
    std::uint16_t port,
    std::chrono::milliseconds request_timeout = std::chrono::milliseconds(20000));
ticketing::http::Client loopback_client(
    std::uint16_t port,
    std::chrono::milliseconds request_timeout = std::chrono::milliseconds(20000));

// Whether GET /healthz on 127.0.0.1:port answers 200.
bool answers_healthz(std::uint16_t port);

}  // namespace test_support
