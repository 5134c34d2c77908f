#include "ticketing/http/server.hpp"

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
#include <random>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include "text.hpp"
#include "ticketing/errors.hpp"
#include "ticketing/http/problem.hpp"

namespace ticketing::http::detail {
extern thread_local std::string handling_request_id;  // service.cpp
}

namespace ticketing::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kHeaderLimit = 8 * 1024;
constexpr std::string_view kUnmatched = "unmatched";

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string mint_request_id() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t i = 0; i < id.size(); i += 16) {
    auto bits = engine();
    for (std::size_t j = 0; j < 16; ++j, bits >>= 4) id[i + j] = kHex[bits & 0xf];
  }
  return id;
}

// Errors from Beast's HTTP parser (as opposed to socket errors and timeouts).
bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

// Whether Beast reads the request's body as its sender framed it (RFC 9112 6.1, 6.3): a
// Transfer-Encoding must end in chunked, and HTTP/1.0 has none.
bool framing_is_sound(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& message = parser.get();
  if (message.find(bhttp::field::transfer_encoding) == message.end()) return true;
  return parser.chunked() && message.version() >= 11;
}

}  // namespace

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
  asio::awaitable<void> session(std::shared_ptr<Session> s);
  asio::awaitable<Response> dispatch(const Router::Match& match, const Request& request);
  Response invoke(const Router::Handler& handler, const Request& request,
                  std::string_view route) const;
  Response answer_exception(std::exception_ptr error, const Request& request,
                            std::string_view route) const;
  asio::awaitable<void> shutdown();
  void begin_shutdown();
  void report(Method method, std::string_view path, std::string_view route, int status,
              SteadyClock::time_point start, const std::string& request_id,
              const std::string& remote, std::size_t bytes_in, std::size_t bytes_out) const;
};

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

Response Server::Impl::invoke(const Router::Handler& handler, const Request& request,
                              std::string_view route) const {
  // Internal calls made by the handler on this thread pass the request id on.
  detail::handling_request_id = request.request_id;
  try {
    auto response = handler(request);
    detail::handling_request_id.clear();
    return response;
  } catch (...) {
    detail::handling_request_id.clear();
    return answer_exception(std::current_exception(), request, route);
  }
}

Response Server::Impl::answer_exception(std::exception_ptr error, const Request& request,
                                        std::string_view route) const {
  try {
    std::rethrow_exception(error);
  } catch (const DependencyUnavailable& e) {
    logger.warn("dependency_unavailable", [&](json::Writer& w) {
      w.field("route", route).field("requestId", request.request_id).field("error", e.what());
    });
    return problem(503, "SERVICE_UNAVAILABLE", "a dependency is unavailable; retry later");
  } catch (const std::exception& e) {
    logger.error("handler_exception", [&](json::Writer& w) {
      w.field("route", route).field("requestId", request.request_id).field("error", e.what());
    });
  } catch (...) {
    logger.error("handler_exception", [&](json::Writer& w) {
      w.field("route", route)
          .field("requestId", request.request_id)
          .field("error", "non-standard exception");
    });
  }
  return problem(500, "INTERNAL_ERROR", "internal error");
}

asio::awaitable<Response> Server::Impl::dispatch(const Router::Match& match,
                                                 const Request& request) {
  if (match.execution == Router::Execution::inline_io)
    co_return invoke(*match.handler, request, match.route);
  if (match.execution == Router::Execution::async) {
    // Started here on the IO thread; Respond may complete it from any thread, once.
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
        [this, &match, &request](auto handler) {
          auto completion = std::make_shared<decltype(handler)>(std::move(handler));
          Respond respond(
              [completion](Response response) {
                auto executor = asio::get_associated_executor(*completion);
                asio::dispatch(executor, [completion, response = std::move(response)]() mutable {
                  std::move (*completion)(std::move(response));
                });
              },
              [this, &match, &request](std::exception_ptr error) {
                return answer_exception(error, request, match.route);
              });
          try {
            (*match.async_handler)(request, respond);
          } catch (...) {
            respond.fail(std::current_exception());
          }
        },
        asio::use_awaitable);
  }
  // Run on the worker pool; the completion is dispatched back to this coroutine's strand.
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [this, &match, &request](auto handler) {
        asio::post(workers, [this, &match, &request, handler = std::move(handler)]() mutable {
          Response response = invoke(*match.handler, request, match.route);
          auto executor = asio::get_associated_executor(handler);
          asio::dispatch(executor,
                         [handler = std::move(handler), response = std::move(response)]() mutable {
                           std::move(handler)(std::move(response));
                         });
        });
      },
      asio::use_awaitable);
}

void Server::Impl::report(Method method, std::string_view path, std::string_view route, int status,
                          SteadyClock::time_point start, const std::string& request_id,
                          const std::string& remote, std::size_t bytes_in,
                          std::size_t bytes_out) const {
  const auto duration =
      std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - start);
  if (options.access_log) {
    logger.info("request", [&](json::Writer& w) {
      w.field("method", to_string(method))
          .field("path", path)
          .field("route", route)
          .field("status", status)
          .field("durationMs", static_cast<double>(duration.count()) / 1e6)
          .field("requestId", request_id)
          .field("remote", remote)
          .field("bytesIn", static_cast<std::uint64_t>(bytes_in))
          .field("bytesOut", static_cast<std::uint64_t>(bytes_out));
    });
  }
  if (options.on_complete) {
    try {
      options.on_complete(CompletedRequest{method, route, status, duration});
    } catch (const std::exception& e) {
      logger.error("on_complete_failed", [&](json::Writer& w) { w.field("error", e.what()); });
    }
  }
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Session> s) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(sessions_mutex);
    id = next_session_id++;
    sessions.emplace(id, s);
  }
  struct Deregister {
    Impl& impl;
    std::uint64_t id;
    ~Deregister() {
      std::lock_guard lock(impl.sessions_mutex);
      impl.sessions.erase(id);
    }
  } deregister{*this, id};

  auto& stream = s->stream;
  beast::error_code endpoint_ec;
  const auto peer = stream.socket().remote_endpoint(endpoint_ec);
  const std::string remote = endpoint_ec ? std::string() : peer.address().to_string();
  const std::uint16_t remote_port = endpoint_ec ? 0 : peer.port();

  beast::flat_buffer buffer;
  bool first = true;
  bool lingering_close = false;  // an error answer went out while the peer may still be sending

  while (!stopping) {
    // Wait for the next request's first byte: the idle phase, which shutdown may cut.
    if (buffer.size() == 0) {
      s->idle = true;
      stream.expires_after(first ? options.read_timeout : options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
      s->idle = false;
      if (ec) {
        if (ec != asio::error::eof && ec != asio::error::operation_aborted) fail(ec, "wait");
        break;
      }
      buffer.commit(n);
    }
    first = false;
    const auto start = SteadyClock::now();

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(options.body_limit);
    stream.expires_after(options.read_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
    beast::error_code read_ec = hec;
    // Else Beast takes the body as empty and parses it as the next request (smuggling).
    if (!read_ec && !framing_is_sound(parser)) read_ec = bhttp::error::bad_transfer_encoding;
    if (!read_ec && !parser.is_done()) {
      if (auto expect = parser.get()[bhttp::field::expect];
          beast::iequals(expect, "100-continue")) {
        bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
        auto [cec, cn] = co_await bhttp::async_write(stream, cont, use_tuple);
        read_ec = cec;
      }
      if (!read_ec) {
        auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        read_ec = bec;
      }
    }

    Request request;
    Response response;
    std::string_view route = kUnmatched;
    bool keep_alive = false;
    unsigned version = 11;

    if (read_ec) {
      if (read_ec == bhttp::error::body_limit) {
        response = problem(413, "PAYLOAD_TOO_LARGE",
                           detail::concat({"the request body exceeds ",
                                           std::to_string(options.body_limit), " bytes"}));
      } else if (read_ec == bhttp::error::header_limit) {
        response =
            problem(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "the request headers exceed 8 KiB");
      } else if (is_parse_error(read_ec) && read_ec != bhttp::error::end_of_stream &&
                 read_ec != bhttp::error::partial_message) {
        response = problem(400, "INVALID_REQUEST", "malformed HTTP request");
      } else {
        fail(read_ec, "read");  // timeout, reset or a peer that left mid-request
        break;
      }
      lingering_close = true;
      if (parser.is_header_done()) {
        request.method = parse_method(parser.get().method_string());
        request.target = std::string(parser.get().target());
        version = parser.get().version();
      }
      request.path = request.target.substr(0, request.target.find('?'));
      if (parser.is_header_done()) {
        const auto incoming = parser.get()["X-Request-Id"];
        if (valid_request_id(incoming)) request.request_id = std::string(incoming);
      }
      if (request.request_id.empty()) request.request_id = mint_request_id();
    } else {
      auto& message = parser.get();
      version = message.version();
      keep_alive = message.keep_alive();
      request.method = parse_method(message.method_string());
      request.target = std::string(message.target());
      const auto question = request.target.find('?');
      request.path = request.target.substr(0, question);
      if (question != std::string::npos) request.query = request.target.substr(question + 1);
      for (const auto& field : message) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      request.body = std::move(message.body());
      request.remote_address = remote;
      request.remote_port = remote_port;
      const auto incoming = request.header("X-Request-Id");
      request.request_id =
          incoming && valid_request_id(*incoming) ? std::string(*incoming) : mint_request_id();

      auto matched = router.match(request.method, request.path);
      if (!matched) {
        response = miss_response(matched.error(), request.method, request.path);
      } else {
        route = matched->route;
        request.params = std::move(matched->params);
        response = co_await dispatch(matched.value(), request);
      }
    }

    if (stopping) keep_alive = false;

    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(response.status), version};
    if (!response.content_type.empty() && response.status != 204) {
      out.set(bhttp::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) out.insert(name, value);
    out.set("X-Request-Id", request.request_id);
    out.keep_alive(keep_alive);
    const std::size_t bytes_out =
        response.status == 204 || response.status == 304 ? 0 : response.body.size();
    if (response.status != 204 && response.status != 304) {
      out.content_length(bytes_out);
      if (request.method != Method::head) out.body() = std::move(response.body);
    }

    stream.expires_after(options.write_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, out, use_tuple);
    report(request.method, request.path, route, response.status, start, request.request_id, remote,
           request.body.size(), bytes_out);
    if (wec) {
      fail(wec, "write");
      break;
    }
    if (!keep_alive) break;
  }

  beast::error_code ec;
  if (lingering_close) {
    // Close gracefully after an error answer: drain what the peer is still sending for a moment,
    // so the kernel does not reset the connection and destroy the answer in flight.
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream.expires_after(
        std::min<std::chrono::milliseconds>(options.read_timeout, std::chrono::milliseconds(2000)));
    std::array<char, 8192> sink;
    std::size_t drained = 0;
    while (drained < 4 * 1024 * 1024) {
      auto [dec, dn] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
      if (dec) break;
      drained += dn;
    }
  } else {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  stream.socket().close(ec);
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
    w.field("service", impl.options.service_name).field("port", static_cast<int>(impl.bound_port));
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
