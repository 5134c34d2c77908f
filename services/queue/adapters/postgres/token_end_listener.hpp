#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "adapters/cache/active_token_cache.hpp"
#include "ticketing/log/logger.hpp"

namespace queue {

// Keeps an ActiveTokenCache true to the database across replicas: on a connection of its own it
// LISTENs for the channel the statements that end a token notify (see statements.cpp), and
// forgets each ended token. It checks every `check_every` that it is still listening and only
// then renews the cache's trust for `lease`; a lost connection distrusts the cache at once
// (notifications sent meanwhile are gone) and is re-established with backoff.
// On the same connection it hears the line's changes (an opening set, the draw; see migration
// 007) and calls `on_line_change`, also once each time listening starts, for changes missed.
class TokenEndListener {
 public:
  struct Options {
    std::chrono::milliseconds check_every{1000};
    std::chrono::milliseconds lease{3000};      // several checks: one slow check is no outage
    std::chrono::milliseconds wait_slice{200};  // how soon a stop request is seen
    std::chrono::milliseconds first_backoff{100};
    std::chrono::milliseconds max_backoff{5000};
  };

  // `url`: the service's database; `logger` must outlive the listener.
  TokenEndListener(std::string url, ActiveTokenCache& cache, const ticketing::log::Logger& logger,
                   Options options, std::function<void()> on_line_change = {});
  TokenEndListener(std::string url, ActiveTokenCache& cache, const ticketing::log::Logger& logger)
      : TokenEndListener(std::move(url), cache, logger, Options{}) {}
  // Stops listening (within about wait_slice) and leaves the cache untrusted.
  ~TokenEndListener();

  TokenEndListener(const TokenEndListener&) = delete;
  TokenEndListener& operator=(const TokenEndListener&) = delete;

 private:
  void run(std::stop_token stop);
  // Listens until asked to stop; throws when the connection fails or stops listening.
  // `listened` is set once LISTEN is confirmed.
  void listen(const std::stop_token& stop, bool& listened);
  // Runs on_line_change_, if any; its failure is logged, not thrown (the next change retries).
  void line_changed();
  // Sleeps for `delay` unless asked to stop first; false when asked to stop.
  bool pause(const std::stop_token& stop, std::chrono::milliseconds delay);

  std::string url_;
  ActiveTokenCache& cache_;
  const ticketing::log::Logger& logger_;
  Options options_;
  std::function<void()> on_line_change_;
  std::mutex pause_mutex_;
  std::condition_variable_any pause_wake_;
  std::jthread thread_;  // last: starts once the members above exist
};

}  // namespace queue
