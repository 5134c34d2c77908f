#include "token_end_listener.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <stdexcept>
#include <utility>

#include "statements.hpp"
#include "ticketing/db/connection_info.hpp"

namespace queue {

namespace {

// Forgets every token named on the channel. A receiver's exceptions are swallowed by libpqxx,
// so a failure is kept and turned into a lost connection by the listening loop: an end that
// was heard but not applied must not leave the cache trusted.
class EndedTokens final : public pqxx::notification_receiver {
 public:
  EndedTokens(pqxx::connection_base& connection, ActiveTokenCache& cache)
      : pqxx::notification_receiver(connection, sql::kTokenEndChannel), cache_(cache) {}

  void operator()(const std::string& payload, int /*backend_pid*/) override {
    try {
      cache_.forget_ended(payload);
    } catch (...) {
      cache_.distrust();
      failed_ = true;
    }
  }

  bool failed() const { return failed_; }

 private:
  ActiveTokenCache& cache_;
  bool failed_ = false;
};

// Notes that the line changed; the listening loop acts on it outside libpqxx's dispatch.
class LineChanges final : public pqxx::notification_receiver {
 public:
  explicit LineChanges(pqxx::connection_base& connection)
      : pqxx::notification_receiver(connection, sql::kLineChangeChannel) {}

  void operator()(const std::string& /*payload*/, int /*backend_pid*/) override { heard_ = true; }

  // Whether a change was heard since the last call.
  bool take() { return std::exchange(heard_, false); }

 private:
  bool heard_ = false;
};

void throw_if_failed(const EndedTokens& ended) {
  if (ended.failed()) throw std::runtime_error("a token end was heard but could not be applied");
}

// libpqxx swallows a lost connection during LISTEN, so listening is checked by asking the server.
void check_listening(pqxx::connection& connection) {
  pqxx::nontransaction txn(connection);
  const auto row = txn.exec1("SELECT count(*) FROM pg_listening_channels() AS c WHERE c IN (" +
                             txn.quote(sql::kTokenEndChannel) + ", " +
                             txn.quote(sql::kLineChangeChannel) + ")");
  if (row[0].as<int>() != 2) throw std::runtime_error("not listening on the queue's channels");
}

// Checks with the server that LISTEN holds, applies the ends heard meanwhile, renews trust.
void confirm_listening(pqxx::connection& connection, const EndedTokens& ended,
                       ActiveTokenCache& cache, std::chrono::milliseconds lease) {
  check_listening(connection);
  connection.get_notifs();  // ends that came in during the check count before trust is renewed
  throw_if_failed(ended);
  cache.trust_for(lease);
}

// The service's connection string with limits that keep a dead server from holding the listener
// (and shutdown) for minutes: a bounded connect, TCP keepalives and a send timeout.
std::string listener_url(const std::string& url) {
  auto tuned = ticketing::db::with_options(url, {{"application_name", "queue-token-end-listener"},
                                                 {"connect_timeout", "3"},
                                                 {"keepalives_idle", "5"},
                                                 {"keepalives_interval", "2"},
                                                 {"keepalives_count", "2"},
                                                 {"tcp_user_timeout", "5000"}});
  return tuned ? tuned.value() : url;  // unparsable: connecting reports it
}

}  // namespace

TokenEndListener::TokenEndListener(std::string url, ActiveTokenCache& cache,
                                   const ticketing::log::Logger& logger, Options options,
                                   std::function<void()> on_line_change)
    : url_(listener_url(url)),
      cache_(cache),
      logger_(logger),
      options_(options),
      on_line_change_(std::move(on_line_change)),
      thread_([this](std::stop_token stop) { run(std::move(stop)); }) {}

TokenEndListener::~TokenEndListener() {
  thread_.request_stop();
  thread_.join();
  cache_.distrust();  // nobody listens any more
}

void TokenEndListener::run(std::stop_token stop) {
  bool outage_reported = false;
  auto backoff = options_.first_backoff;
  while (!stop.stop_requested()) {
    bool listened = false;
    try {
      listen(stop, listened);
      return;
    } catch (const std::exception& error) {
      cache_.distrust();
      if (listened) {  // a new outage after a good connection
        outage_reported = false;
        backoff = options_.first_backoff;
      }
      if (!outage_reported) {
        logger_.warn("token_cache_listener_lost", [&](auto& w) { w.field("error", error.what()); });
        outage_reported = true;
      }
    }
    if (!pause(stop, backoff)) return;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void TokenEndListener::listen(const std::stop_token& stop, bool& listened) {
  pqxx::connection connection(url_);
  // A lost connection must fail loudly: a silent reconnection would hide ends sent meanwhile.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  connection.inhibit_reactivation(true);
#pragma GCC diagnostic pop
  EndedTokens ended(connection, cache_);  // sends LISTEN
  LineChanges line_changes(connection);
  confirm_listening(connection, ended, cache_, options_.lease);
  listened = true;
  logger_.info("token_cache_listener_listening");
  line_changes.take();
  line_changed();  // changes made while nobody listened

  auto next_check = std::chrono::steady_clock::now() + options_.check_every;
  const auto slice = std::chrono::duration_cast<std::chrono::microseconds>(options_.wait_slice);
  while (!stop.stop_requested()) {
    connection.await_notification(static_cast<long>(slice.count() / 1'000'000),
                                  static_cast<long>(slice.count() % 1'000'000));
    throw_if_failed(ended);
    if (line_changes.take()) line_changed();
    if (std::chrono::steady_clock::now() < next_check) continue;
    confirm_listening(connection, ended, cache_, options_.lease);
    next_check = std::chrono::steady_clock::now() + options_.check_every;
  }
}

void TokenEndListener::line_changed() {
  if (!on_line_change_) return;
  try {
    on_line_change_();
  } catch (const std::exception& error) {
    logger_.warn("line_change_not_applied", [&](auto& w) { w.field("error", error.what()); });
  }
}

bool TokenEndListener::pause(const std::stop_token& stop, std::chrono::milliseconds delay) {
  std::unique_lock lock(pause_mutex_);
  pause_wake_.wait_for(lock, stop, delay, [] { return false; });  // wakes early on a stop request
  return !stop.stop_requested();
}

}  // namespace queue
