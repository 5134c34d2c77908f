#include "server_impl.hpp"

namespace ticketing::http {

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

// Keeps a session in the registry (so that shutdown can reach it) for as long as it runs.
struct Server::Impl::Registration {
  Registration(Impl& server, std::shared_ptr<Session> session) : owner(server) {
    std::lock_guard lock(owner.sessions_mutex);
    id = owner.next_session_id++;
    owner.sessions.emplace(id, std::move(session));
  }
  ~Registration() {
    std::lock_guard lock(owner.sessions_mutex);
    owner.sessions.erase(id);
  }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  Impl& owner;
  std::uint64_t id = 0;
};

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Session> s) {
  const Registration registration(*this, s);
  auto& stream = s->stream;
  beast::error_code endpoint_ec;
  const auto peer = stream.socket().remote_endpoint(endpoint_ec);
  const std::string remote = endpoint_ec ? std::string() : peer.address().to_string();
  const std::uint16_t remote_port = endpoint_ec ? 0 : peer.port();

  beast::flat_buffer buffer;
  bool first = true;
  bool lingering_close = false;  // an error answer went out while the peer may still be sending
  while (!stopping) {
    if (!co_await wait_for_request(*s, buffer, first)) break;
    first = false;
    const auto start = SteadyClock::now();
    wire::Parser parser;
    const auto read_ec = co_await read_request(stream, buffer, parser);
    wire::Exchange exchange;
    if (read_ec) {
      auto refusal = wire::answer_unreadable(read_ec, options.body_limit);
      if (!refusal) {
        fail(read_ec, "read");  // timeout, reset or a peer that left mid-request
        break;
      }
      exchange = wire::refused(parser, std::move(*refusal));
      lingering_close = true;
    } else {
      exchange = wire::received(parser, remote, remote_port);
      co_await route(exchange);
    }
    if (stopping) exchange.keep_alive = false;
    if (!co_await write_response(stream, exchange, start, remote)) break;
    if (!exchange.keep_alive) break;
  }
  co_await close(stream, lingering_close);
}

// The idle phase before a request's first byte, which shutdown may cut; false: the peer left.
asio::awaitable<bool> Server::Impl::wait_for_request(Session& s, beast::flat_buffer& buffer,
                                                     bool first) {
  if (buffer.size() > 0) co_return true;  // a pipelined request is here already
  s.idle = true;
  s.stream.expires_after(first ? options.read_timeout : options.idle_timeout);
  auto [ec, n] = co_await s.stream.async_read_some(buffer.prepare(4096), use_tuple);
  s.idle = false;
  if (ec) {
    if (ec != asio::error::eof && ec != asio::error::operation_aborted) fail(ec, "wait");
    co_return false;
  }
  buffer.commit(n);
  co_return true;
}

asio::awaitable<beast::error_code> Server::Impl::read_request(beast::tcp_stream& stream,
                                                              beast::flat_buffer& buffer,
                                                              wire::Parser& parser) {
  parser.header_limit(kHeaderLimit);
  parser.body_limit(options.body_limit);
  stream.expires_after(options.read_timeout);
  auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
  // Else Beast takes the body as empty and parses it as the next request (smuggling).
  if (!ec && !wire::framing_is_sound(parser)) co_return bhttp::error::bad_transfer_encoding;
  if (ec || parser.is_done()) co_return ec;
  if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, parser.get().version()};
    auto [cec, cn] = co_await bhttp::async_write(stream, go_on, use_tuple);
    if (cec) co_return cec;
  }
  auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
  co_return bec;
}

asio::awaitable<void> Server::Impl::route(wire::Exchange& exchange) {
  auto& request = exchange.request;
  if (!admitted(request)) {
    exchange.route = "refused";
    exchange.response = internal_key_refused();
    co_return;
  }
  auto matched = router.match(request.method, request.path);
  if (!matched) {
    exchange.response = miss_response(matched.error(), request.method, request.path);
    co_return;
  }
  exchange.route = matched->route;
  request.params = std::move(matched->params);
  exchange.response = co_await dispatch(matched.value(), request);
}

bool Server::Impl::admitted(const Request& request) const {
  if (options.internal_key.empty()) return true;
  const auto refusal = check_internal_key(request, options.internal_key, options.open_paths);
  if (!refusal) return true;
  // Never the key given: a near miss would tell the log's readers most of the real one.
  logger.warn("internal_key_refused", [&](json::Writer& w) {
    w.field("reason", *refusal == KeyRefusal::missing ? "missing" : "wrong")
        .field("method", to_string(request.method))
        .field("path", request.path)
        .field("remote", request.remote_address)
        .field("requestId", request.request_id);
  });
  return false;
}

// Writes the answer and reports it (log, metrics); false: the connection is gone.
asio::awaitable<bool> Server::Impl::write_response(beast::tcp_stream& stream,
                                                   wire::Exchange& exchange,
                                                   SteadyClock::time_point start,
                                                   const std::string& remote) {
  const int status = exchange.response.status;
  std::size_t bytes_out = 0;
  auto out = wire::to_wire(exchange, bytes_out);
  stream.expires_after(options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream, out, use_tuple);
  const auto& request = exchange.request;
  report(request.method, request.path, exchange.route, status, start, request.request_id, remote,
         request.body.size(), bytes_out);
  if (ec) fail(ec, "write");
  co_return !ec;
}

asio::awaitable<void> Server::Impl::close(beast::tcp_stream& stream, bool lingering) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (lingering) {
    // After an error answer, drain what the peer is still sending for a moment, so the kernel
    // does not reset the connection and destroy the answer in flight.
    stream.expires_after(
        std::min<std::chrono::milliseconds>(options.read_timeout, std::chrono::milliseconds(2000)));
    std::array<char, 8192> sink;
    std::size_t drained = 0;
    while (drained < 4 * 1024 * 1024) {
      auto [dec, dn] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
      if (dec) break;
      drained += dn;
    }
  }
  stream.socket().close(ec);
}

}  // namespace ticketing::http
