#pragma once

#include <atomic>
#include <catch2/catch.hpp>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

// Runs body(thread_index) on `threads` threads released at the same moment, waits for all, then
// fails the test with the first exception any of them threw. Catch2's assertions are not
// thread-safe: bodies throw (or collect results) and the test asserts afterwards.
template <class Body>
void race(int threads, Body body) {
  std::vector<std::thread> workers;
  std::atomic<bool> go{false};
  std::mutex mutex;
  std::vector<std::string> failures;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      try {
        body(t);
      } catch (const std::exception& error) {
        std::lock_guard lock(mutex);
        failures.emplace_back(error.what());
      }
    });
  }
  go = true;
  for (auto& worker : workers) worker.join();
  INFO((failures.empty() ? std::string() : failures.front()));
  REQUIRE(failures.empty());
}

}  // namespace test_support
