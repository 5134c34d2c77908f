#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "child_process.hpp"
#include "ticketing/http/client.hpp"

namespace test_support {

// Where the gateway sends each family of routes, and how hard it brakes token issue.
struct GatewayUpstreams {
  std::uint16_t queue_port = 0;
  std::uint16_t concert_port = 0;
  std::uint16_t payment_port = 0;
  // ISSUE_RATE_LIMIT_PER_IP; 0 turns the brake off.
  int issue_rate_limit_per_ip = 0;
};

// The real nginx gateway: deploy/gateway/render.sh renders its configuration for these upstreams
// into a temporary directory (with INTERNAL_API_KEY kTestInternalKey, the services' key) and
// nginx (NGINX, or /usr/sbin/nginx) runs it on a free port. The constructor waits until
// GET /healthz answers 200; the destructor stops nginx and removes the directory.
class GatewayProcess {
 public:
  explicit GatewayProcess(const GatewayUpstreams& upstreams);
  ~GatewayProcess();
  GatewayProcess(const GatewayProcess&) = delete;
  GatewayProcess& operator=(const GatewayProcess&) = delete;

  std::uint16_t port() const { return port_; }
  // A client that sends no X-Internal-Key, as the public's do.
  ticketing::http::Client client() const;
  // The JSON-lines access log and nginx's error log so far.
  std::string access_log() const;
  std::string error_log() const;

 private:
  std::string run_dir_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> nginx_;
};

}  // namespace test_support
