#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ticketing/http/request.hpp"
#include "ticketing/http/router.hpp"
#include "ticketing/log/logger.hpp"

namespace ticketing::http {

// Reported once per answered request (metrics hook).
struct CompletedRequest {
  Method method;
  std::string_view route;  // the matched pattern, or "unmatched"
  int status;
  std::chrono::nanoseconds duration;
};

struct ServerOptions {
  std::string service_name;
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port, see Server::port()
  std::size_t io_threads = 1;
  std::size_t worker_threads = 16;
  std::chrono::milliseconds read_timeout{30000};   // whole request, from its first byte
  std::chrono::milliseconds write_timeout{30000};  // whole response
  std::chrono::milliseconds idle_timeout{60000};   // keep-alive wait for the next request
  std::chrono::milliseconds shutdown_grace{10000};
  std::size_t body_limit = 64 * 1024;
  bool access_log = true;
  // When set, every request outside `open_paths` must carry X-Internal-Key with this value, else
  // it is answered 401 INTERNAL_KEY_INVALID before routing (see internal_key.hpp). Services
  // always set it (server_options); empty is for the library's own tests and fakes.
  std::string internal_key;
  std::vector<std::string> open_paths;
  std::function<void(const CompletedRequest&)>
      on_complete;  // called on an IO thread; keep it cheap
};

// HTTP/1.1 server. Binds and listens in the constructor (throws std::runtime_error when it
// cannot); serves in run() until SIGTERM/SIGINT or stop(), then drains gracefully.
class Server {
 public:
  Server(ServerOptions options, Router router, const log::Logger& logger);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the real one when options.port was 0).
  std::uint16_t port() const;

  // Blocks serving. On stop: stops accepting, closes idle keep-alive connections, lets in-flight
  // requests finish within shutdown_grace (then cuts them), waits for worker handlers, returns.
  // Call once.
  void run();

  // Thread-safe; may be called before run() (run then returns promptly) or from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketing::http
