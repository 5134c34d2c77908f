#pragma once

// The server's insides, shared by server.cpp (its life: listen, accept, shut down) and
// session.cpp (a connection's requests).
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <csignal>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "text.hpp"
#include "ticketing/errors.hpp"
#include "ticketing/http/internal_key.hpp"
#include "ticketing/http/problem.hpp"
#include "ticketing/http/server.hpp"
#include "wire.hpp"

namespace ticketing::http::detail {
extern thread_local std::string handling_request_id;  // service.cpp
}

namespace ticketing::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
inline constexpr std::size_t kHeaderLimit = 8 * 1024;

// One connection. Owned by its coroutine; the registry keeps a shared_ptr so shutdown can close it.
struct Session {
  explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle =
      false;  // waiting for the first byte of a request; touched only on the session's strand
};

struct Server::Impl {
  Impl(ServerOptions opts, Router r, const log::Logger& log)
      : options(std::move(opts)),
        router(std::move(r)),
        logger(log),
        ioc(static_cast<int>(std::max<std::size_t>(options.io_threads, 1))),
        control(asio::make_strand(ioc)),
        acceptor(control),
        workers(std::max<std::size_t>(options.worker_threads, 1)) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(options.address, ec);
    if (ec)
      throw std::runtime_error(
          detail::concat({"http server: invalid listen address '", options.address, "'"}));
    const tcp::endpoint endpoint{address, options.port};
    const std::string where = detail::concat({options.address, ":", std::to_string(options.port)});
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
      throw std::runtime_error(
          detail::concat({"http server: cannot listen on ", where, ": ", ec.message()}));
    bound_port = acceptor.local_endpoint().port();
  }

  ServerOptions options;
  Router router;
  const log::Logger& logger;
  std::uint16_t bound_port = 0;

  // Declared before the io_context so that coroutine frames destroyed with it can still deregister.
  std::mutex sessions_mutex;
  std::unordered_map<std::uint64_t, std::shared_ptr<Session>> sessions;
  std::uint64_t next_session_id = 0;

  asio::io_context ioc;
  // Accepting, signals and shutdown all run on this strand: the acceptor is not thread-safe.
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::signal_set signals{control};
  asio::thread_pool workers;  // destroyed (joined) before the io_context its handlers resume on
  std::atomic<bool> stopping{false};
  bool ran = false;

  void fail(const beast::error_code& ec, std::string_view what) const {
    logger.debug("connection_closed",
                 [&](json::Writer& w) { w.field("what", what).field("error", ec.message()); });
  }

  std::size_t session_count() {
    std::lock_guard lock(sessions_mutex);
    return sessions.size();
  }

  asio::awaitable<void> accept_loop();
  // A connection's requests in turn: wait, read, route, write; then close.
  asio::awaitable<void> session(std::shared_ptr<Session> s);
  asio::awaitable<bool> wait_for_request(Session& s, beast::flat_buffer& buffer, bool first);
  asio::awaitable<beast::error_code> read_request(beast::tcp_stream& stream,
                                                  beast::flat_buffer& buffer, wire::Parser& parser);
  asio::awaitable<void> route(wire::Exchange& exchange);
  // Whether the request passed the internal key check (a refusal is logged).
  bool admitted(const Request& request) const;
  asio::awaitable<bool> write_response(beast::tcp_stream& stream, wire::Exchange& exchange,
                                       SteadyClock::time_point start, const std::string& remote);
  asio::awaitable<void> close(beast::tcp_stream& stream, bool lingering);
  asio::awaitable<Response> dispatch(const Router::Match& match, const Request& request);
  Response invoke(const Router::Handler& handler, const Request& request,
                  std::string_view route) const;
  Response answer_exception(std::exception_ptr error, const Request& request,
                            std::string_view route) const;
  asio::awaitable<void> shutdown();
  void begin_shutdown();
  struct Registration;
  void report(Method method, std::string_view path, std::string_view route, int status,
              SteadyClock::time_point start, const std::string& request_id,
              const std::string& remote, std::size_t bytes_in, std::size_t bytes_out) const;
};

}  // namespace ticketing::http
