#include <catch2/catch.hpp>
#include <string>

#include "ticketing/remembered_strings.hpp"
#include "ticketing/result.hpp"

namespace {
enum class TestError { Boom };

ticketing::Result<int, TestError> half(int n) {
  if (n % 2 != 0) return ticketing::fail(TestError::Boom);
  return n / 2;
}
}  // namespace

TEST_CASE("Result holds a value or an error") {
  auto good = half(8);
  REQUIRE(good.ok());
  CHECK(good.value() == 4);

  auto bad = half(7);
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == TestError::Boom);
}

TEST_CASE("Result can carry the same type as value and error") {
  ticketing::Result<std::string, std::string> ok_result{std::string("yes")};
  ticketing::Result<std::string, std::string> err_result{ticketing::fail(std::string("no"))};
  CHECK(ok_result.value() == "yes");
  CHECK(err_result.error() == "no");
}

#include "ticketing/ids.hpp"

TEST_CASE("Random UUIDs are canonical, version 4 and distinct") {
  const auto a = ticketing::RandomIds::uuid_v4();
  const auto b = ticketing::RandomIds::uuid_v4();
  CHECK(ticketing::is_canonical_uuid(a));
  CHECK(a[14] == '4');
  CHECK(a != b);
  CHECK(ticketing::RandomIds::hex128().size() == 32);
}

TEST_CASE("Only canonical lowercase UUIDs are accepted") {
  CHECK(ticketing::is_canonical_uuid("123e4567-e89b-42d3-a456-426614174000"));
  CHECK_FALSE(ticketing::is_canonical_uuid("123E4567-E89B-42D3-A456-426614174000"));
  CHECK_FALSE(ticketing::is_canonical_uuid("123e4567e89b42d3a456426614174000"));
  CHECK_FALSE(ticketing::is_canonical_uuid("123e4567-e89b-42d3-a456-42661417400g"));
  CHECK_FALSE(ticketing::is_canonical_uuid(""));
}

#include <stdexcept>

#include "ticketing/completed.hpp"

TEST_CASE("Completed returns its value or rethrows its failure") {
  CHECK(ticketing::Completed<int>::with(7).get() == 7);
  auto failed = ticketing::Completed<int>::failed(
      std::make_exception_ptr(std::runtime_error("database down")));
  CHECK_THROWS_WITH(std::move(failed).get(), "database down");
}

#include <atomic>
#include <future>
#include <thread>

#include "ticketing/batcher.hpp"

TEST_CASE("Batcher answers every submission, gathering concurrent ones into batches") {
  std::atomic<int> batches{0};
  std::atomic<std::size_t> largest{0};
  std::vector<std::future<int>> answers;
  {
    ticketing::Batcher<int, int> doubler(64, [&](const std::vector<int>& items) {
      ++batches;
      largest = std::max(largest.load(), items.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a round trip
      std::vector<int> out;
      for (int item : items) out.push_back(item * 2);
      return out;
    });
    std::vector<std::shared_ptr<std::promise<int>>> promises;
    for (int i = 0; i < 200; ++i) {
      auto promise = std::make_shared<std::promise<int>>();
      answers.push_back(promise->get_future());
      doubler.submit(i, [promise](ticketing::Completed<int> done) {
        promise->set_value(std::move(done).get());
      });
    }
  }
  for (int i = 0; i < 200; ++i) CHECK(answers[static_cast<std::size_t>(i)].get() == i * 2);
  CHECK(batches < 200);
  CHECK(largest > 1);
  CHECK(largest <= 64);
}

TEST_CASE("Batcher fails every item of a batch that throws") {
  std::promise<bool> failed;
  {
    ticketing::Batcher<int, int> broken(8, [](const std::vector<int>&) -> std::vector<int> {
      throw std::runtime_error("database down");
    });
    broken.submit(1, [&](ticketing::Completed<int> done) {
      try {
        std::move(done).get();
        failed.set_value(false);
      } catch (const std::runtime_error&) {
        failed.set_value(true);
      }
    });
  }
  CHECK(failed.get_future().get());
}

#include "ticketing/wait_for.hpp"

TEST_CASE("wait_for returns what an operation completes with, on whatever thread") {
  std::thread worker;
  const int value = ticketing::wait_for<int>([&](auto done) {
    worker = std::thread([done = std::move(done)] { done(ticketing::Completed<int>::with(42)); });
  });
  worker.join();
  CHECK(value == 42);

  CHECK(ticketing::wait_for<int>([](auto done) { done(ticketing::Completed<int>::with(7)); }) == 7);
  CHECK_THROWS_AS(ticketing::wait_for<int>([](auto done) {
                    done(ticketing::Completed<int>::failed(
                        std::make_exception_ptr(std::runtime_error("database down"))));
                  }),
                  std::runtime_error);
}

TEST_CASE("RememberedStrings forgets the oldest value past its capacity") {
  ticketing::RememberedStrings known(2);
  known.remember("a");
  known.remember("b");
  known.remember("a");  // known already: stays the oldest
  CHECK(known.size() == 2);
  known.remember("c");
  CHECK_FALSE(known.contains("a"));
  CHECK(known.contains("b"));
  CHECK(known.contains("c"));
  CHECK(known.size() == 2);
}

TEST_CASE("RememberedStrings asks only about what it does not remember, and keeps a yes") {
  ticketing::RememberedStrings known(8);
  int asked = 0;
  const auto yes = [&] { return ++asked, true; };
  const auto no = [&] { return ++asked, false; };
  CHECK_FALSE(known.remembered_or("a", no));
  CHECK_FALSE(known.contains("a"));
  CHECK(known.remembered_or("a", yes));
  CHECK(known.remembered_or("a", no));  // remembered: not asked
  CHECK(asked == 2);
}
