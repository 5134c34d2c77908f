#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "ticketing/http/server.hpp"
#include "ticketing/log/logger.hpp"

namespace contracts {

// A stand-in for the services behind the gateway: every GET /api/v1/concerts/dates and POST
// /api/v1/payments is answered 200 {"userId": <its X-User-Id>, "tokenEnded": <its X-Token-Ended>},
// so a test sees what the gateway passed on, and counts the requests that got through.
class EchoUpstream {
 public:
  EchoUpstream();
  ~EchoUpstream();
  EchoUpstream(const EchoUpstream&) = delete;
  EchoUpstream& operator=(const EchoUpstream&) = delete;

  std::uint16_t port() const { return server_->port(); }
  int requests() const { return requests_.load(); }

 private:
  ticketing::log::Logger logger_;
  std::atomic<int> requests_{0};
  std::unique_ptr<ticketing::http::Server> server_;
  std::thread thread_;
};

}  // namespace contracts
