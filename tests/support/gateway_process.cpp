#include "gateway_process.hpp"

#include <signal.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "service_process.hpp"

namespace test_support {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string nginx_binary() {
  const char* configured = std::getenv("NGINX");
  return configured != nullptr && *configured != '\0' ? configured : "/usr/sbin/nginx";
}

std::string upstream(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

GatewayProcess::GatewayProcess(const GatewayUpstreams& upstreams) : port_(free_port()) {
  char path[] = "/tmp/gateway-XXXXXX";
  if (::mkdtemp(path) == nullptr) throw std::runtime_error("cannot create the gateway directory");
  run_dir_ = path;
  std::filesystem::create_directories(run_dir_ + "/tmp");

  const std::string render =
      std::string("GATEWAY_PORT=") + std::to_string(port_) +
      " QUEUE_UPSTREAM=" + upstream(upstreams.queue_port) +
      " CONCERT_UPSTREAM=" + upstream(upstreams.concert_port) +
      " PAYMENT_UPSTREAM=" + upstream(upstreams.payment_port) +
      " ISSUE_RATE_LIMIT_PER_IP=" + std::to_string(upstreams.issue_rate_limit_per_ip) +
      " INTERNAL_API_KEY=" + kTestInternalKey + " " + GATEWAY_RENDER_SCRIPT + " " + run_dir_ +
      " > " + run_dir_ + "/nginx.conf";
  if (std::system(render.c_str()) != 0) {
    std::filesystem::remove_all(run_dir_);
    throw std::runtime_error("deploy/gateway/render.sh failed: " + render);
  }
  nginx_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{nginx_binary(), "-e", run_dir_ + "/error.log", "-p", run_dir_ + "/",
                               "-c", run_dir_ + "/nginx.conf"},
      Environment{});
  try {
    nginx_->wait_until_ready([this] { return answers_healthz(port_); });
  } catch (const std::runtime_error& error) {
    const std::string log = error_log();
    nginx_.reset();
    std::filesystem::remove_all(run_dir_);
    throw std::runtime_error(std::string(error.what()) + "\nerror.log:\n" + log);
  }
}

GatewayProcess::~GatewayProcess() {
  nginx_->terminate(SIGQUIT);  // nginx's graceful stop: finishes the requests in flight
  std::filesystem::remove_all(run_dir_);
}

ticketing::http::Client GatewayProcess::client() const {
  // A client of the public API: it knows no internal key.
  auto options = loopback_options(port_);
  options.headers.clear();
  return ticketing::http::Client(options);
}

std::string GatewayProcess::access_log() const { return read_file(run_dir_ + "/access.log"); }
std::string GatewayProcess::error_log() const { return read_file(run_dir_ + "/error.log"); }

}  // namespace test_support
