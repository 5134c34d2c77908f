#include "server_impl.hpp"

namespace ticketing::http {

asio::awaitable<void> Server::Impl::accept_loop() {
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), use_tuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) break;
      // Clang 14 cannot capture a structured binding: the message is captured instead.
      logger.warn("accept_failed",
                  [error = ec.message()](json::Writer& w) { w.field("error", error); });
      // Out of descriptors or similar: back off instead of spinning.
      asio::steady_timer pause(control, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    auto s = std::make_shared<Session>(std::move(socket));
    auto executor = s->stream.get_executor();
    asio::co_spawn(executor, session(std::move(s)), asio::detached);
  }
}

void Server::Impl::begin_shutdown() {
  if (stopping.exchange(true)) return;
  asio::co_spawn(control, shutdown(), asio::detached);
}

asio::awaitable<void> Server::Impl::shutdown() {
  logger.info("server_stopping", [&](json::Writer& w) {
    w.field("sessions", static_cast<std::uint64_t>(session_count()));
  });
  beast::error_code ec;
  acceptor.close(ec);
  signals.clear(ec);  // also restores default dispositions: a second SIGTERM ends the process

  // Idle keep-alive connections go now; busy ones finish their request and then close.
  {
    std::lock_guard lock(sessions_mutex);
    for (const auto& entry : sessions) {
      asio::post(entry.second->stream.get_executor(), [s = entry.second] {
        if (s->idle) s->stream.cancel();
      });
    }
  }

  asio::steady_timer timer(control);
  const auto deadline = SteadyClock::now() + options.shutdown_grace;
  while (session_count() > 0 && SteadyClock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(use_tuple);
  }
  if (const auto left = session_count(); left > 0) {
    logger.warn("server_grace_expired",
                [&](json::Writer& w) { w.field("sessions", static_cast<std::uint64_t>(left)); });
    std::lock_guard lock(sessions_mutex);
    for (const auto& entry : sessions) {
      asio::post(entry.second->stream.get_executor(), [s = entry.second] {
        beast::error_code ignored;
        s->stream.socket().close(ignored);
      });
    }
  }
  if (session_count() > 0) {
    // Let the posted closes run so peers see the connection end now, not at destruction.
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(use_tuple);
  }
  ioc.stop();
}

Server::Server(ServerOptions options, Router router, const log::Logger& logger)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(router), logger)) {}

Server::~Server() {
  if (impl_ && !impl_->ran) {
    impl_->workers.join();
  }
}

std::uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() {
  auto& impl = *impl_;
  if (impl.ran) throw std::logic_error("http server: run() called twice");
  impl.ran = true;

  impl.signals.add(SIGINT);
  impl.signals.add(SIGTERM);
  impl.signals.async_wait([&impl](const beast::error_code& ec, int) {
    if (!ec) impl.begin_shutdown();
  });
  asio::co_spawn(impl.control, impl.accept_loop(), asio::detached);

  impl.logger.info("server_started", [&](json::Writer& w) {
    w.field("service", impl.options.service_name)
        .field("address", impl.options.address)
        .field("port", static_cast<int>(impl.bound_port))
        .field("internalKeyRequired", !impl.options.internal_key.empty());
  });

  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < std::max<std::size_t>(impl.options.io_threads, 1); ++i) {
    threads.emplace_back([&impl] { impl.ioc.run(); });
  }
  impl.ioc.run();
  for (auto& t : threads) t.join();
  impl.workers.join();
  impl.logger.info("server_stopped");
}

void Server::stop() {
  Impl* impl = impl_.get();
  asio::post(impl->control, [impl] { impl->begin_shutdown(); });
}

}  // namespace ticketing::http
