#include "echo_upstream.hpp"

#include <string>

#include "ticketing/json/writer.hpp"

namespace contracts {

using ticketing::http::Method;
using ticketing::http::Request;
using ticketing::http::Router;

EchoUpstream::EchoUpstream() : logger_("echo-upstream", ticketing::log::Level::warn, 2) {
  Router router;
  // {"userId": X-User-Id, "tokenEnded": X-Token-Ended}: what the gateway passed on.
  const auto echo = [this](const Request& request) {
    ++requests_;
    ticketing::json::Writer w;
    w.begin_object()
        .field("userId", std::string(request.header("X-User-Id").value_or("")))
        .field("tokenEnded", std::string(request.header("X-Token-Ended").value_or("")));
    return ticketing::http::json_response(200, w.end_object().take());
  };
  router.add(Method::get, "/api/v1/concerts/dates", echo, Router::Execution::inline_io);
  router.add(Method::post, "/api/v1/payments", echo, Router::Execution::inline_io);
  ticketing::http::ServerOptions options;
  options.service_name = "echo-upstream";
  options.address = "127.0.0.1";
  options.worker_threads = 1;
  options.access_log = false;
  server_ = std::make_unique<ticketing::http::Server>(options, std::move(router), logger_);
  thread_ = std::thread([this] { server_->run(); });
}

EchoUpstream::~EchoUpstream() {
  server_->stop();
  thread_.join();
}

}  // namespace contracts
