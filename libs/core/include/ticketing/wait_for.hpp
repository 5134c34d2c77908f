#pragma once

#include <future>
#include <memory>
#include <utility>

#include "ticketing/completed.hpp"

namespace ticketing {

// Starts an asynchronous operation and blocks the calling thread until it completes: returns
// its value or rethrows its exception. `start` receives the callback to hand to the operation,
// which may call it on any thread (even before `start` returns). For code that must answer
// synchronously, e.g. a blocking port or start-up.
template <class T, class Start>
T wait_for(Start&& start) {
  // Shared with the callback: the other thread may still be inside set_value when this one has
  // woken up and returned.
  auto outcome = std::make_shared<std::promise<Completed<T>>>();
  auto answer = outcome->get_future();
  std::forward<Start>(start)([outcome](Completed<T> done) { outcome->set_value(std::move(done)); });
  return answer.get().get();
}

}  // namespace ticketing
