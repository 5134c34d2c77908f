// The seat list's rendered-JSON cache: what it answers is always the rendering of the view asked.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "adapters/http/seat_map_json_cache.hpp"
#include "adapters/http/views.hpp"

using namespace concert;

namespace {

SeatMapView view_of(int day, SeatStatus seat_7 = SeatStatus::available) {
  SeatMapView view{CalendarDate::parse("2026-12-01")->plus_days(day), 3, "Winter", {}};
  for (int seat = 1; seat <= 50; ++seat) {
    view.seats.push_back({seat, 50'000, seat == 7 ? seat_7 : SeatStatus::available});
  }
  return view;
}

}  // namespace

TEST_CASE("The seat list JSON follows every change of the view", "[seat_map_json]") {
  http::SeatMapJsonCache cache;
  const auto free = view_of(0);
  const auto held = view_of(0, SeatStatus::held);
  CHECK(cache.json_of(free) == http::seat_map_json(free));
  CHECK(cache.json_of(free) == http::seat_map_json(free));
  CHECK(cache.json_of(held) == http::seat_map_json(held));
  CHECK(cache.json_of(held).find(R"({"seatNo":7,"price":50000,"status":"HELD"})") !=
        std::string::npos);
  CHECK(cache.json_of(free) == http::seat_map_json(free));

  auto renamed = free;
  renamed.title = "Winter, moved";
  CHECK(cache.json_of(renamed) == http::seat_map_json(renamed));
  CHECK(cache.size() == 1);
}

TEST_CASE("The seat list JSON cache keeps at most its number of dates", "[seat_map_json]") {
  http::SeatMapJsonCache cache(2);
  cache.json_of(view_of(0));
  cache.json_of(view_of(1));
  CHECK(cache.size() == 2);
  CHECK(cache.json_of(view_of(2)) == http::seat_map_json(view_of(2)));
  CHECK(cache.size() == 1);  // full: dropped, then the new date kept
  CHECK(cache.json_of(view_of(0)) == http::seat_map_json(view_of(0)));
}

TEST_CASE("Threads asking for changing views of one date each get their own view's JSON",
          "[seat_map_json]") {
  http::SeatMapJsonCache cache;
  const std::vector<SeatMapView> views{view_of(0), view_of(0, SeatStatus::held),
                                       view_of(0, SeatStatus::sold)};
  std::vector<std::string> expected;
  for (const auto& view : views) expected.push_back(http::seat_map_json(view));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto pick = static_cast<std::size_t>((t + i) % 3);
        if (cache.json_of(views[pick]) != expected[pick]) wrong.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
}
