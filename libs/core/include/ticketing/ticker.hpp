#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ticketing {

// Runs `pass` every `interval` on a thread of its own until destroyed (a pass in progress
// finishes first). For periodic work such as admission passes and expiry sweeps.
class Ticker {
 public:
  Ticker(std::chrono::milliseconds interval, std::function<void()> pass)
      : pass_(std::move(pass)), interval_(interval), thread_([this] { run(); }) {}

  ~Ticker() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      pass_();
      lock.lock();
    }
  }

  std::function<void()> pass_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace ticketing
