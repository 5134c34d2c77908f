#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "ticketing/completed.hpp"

namespace ticketing {

// Gathers concurrent submissions and runs them in batches on one thread of its own: while a batch
// runs, new submissions queue up and form the next one. Turns many small database round trips
// (or commits) into one per batch without making any caller wait on a thread.
//
// run(items) returns one outcome per item, in order; if it throws, every item of the batch fails
// with that exception. Callbacks run on the batcher's thread and must not block for long.
template <class Item, class Outcome>
class Batcher {
 public:
  using Callback = std::function<void(Completed<Outcome>)>;
  using Run = std::function<std::vector<Outcome>(const std::vector<Item>&)>;

  Batcher(std::size_t max_batch, Run run)
      : max_batch_(max_batch), run_(std::move(run)), worker_([this] { serve(); }) {}

  // Serves what was already submitted, then stops.
  ~Batcher() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
  }

  Batcher(const Batcher&) = delete;
  Batcher& operator=(const Batcher&) = delete;

  void submit(Item item, Callback done) {
    {
      std::lock_guard lock(mutex_);
      pending_.push_back({std::move(item), std::move(done)});
    }
    wake_.notify_one();
  }

 private:
  struct Pending {
    Item item;
    Callback done;
  };

  void serve() {
    for (;;) {
      std::vector<Pending> batch;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;
        const auto take = static_cast<std::ptrdiff_t>(std::min(pending_.size(), max_batch_));
        batch.assign(std::make_move_iterator(pending_.begin()),
                     std::make_move_iterator(pending_.begin() + take));
        pending_.erase(pending_.begin(), pending_.begin() + take);
      }
      std::vector<Item> items;
      items.reserve(batch.size());
      for (auto& pending : batch) items.push_back(std::move(pending.item));
      std::vector<Outcome> outcomes;
      try {
        outcomes = run_(items);
        if (outcomes.size() != batch.size()) throw std::logic_error("batch returned wrong count");
      } catch (...) {
        const auto error = std::current_exception();
        for (auto& pending : batch) pending.done(Completed<Outcome>::failed(error));
        continue;
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i].done(Completed<Outcome>::with(std::move(outcomes[i])));
      }
    }
  }

  const std::size_t max_batch_;
  Run run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> pending_;
  bool stopping_ = false;
  std::thread worker_;  // last: starts once everything above is ready
};

}  // namespace ticketing
