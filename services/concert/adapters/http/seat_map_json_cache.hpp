#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "application/get_seat_map.hpp"

namespace concert::http {

// The seat list's JSON per date, rendered again only when what it shows has changed: a crowd
// looking at the same dates gets the same bytes. Rendering 50 seats per request was some 4 % of
// the machine at 20,000 seat lists a second; comparing a view with the one last rendered costs a
// fraction of that. Holds that lapse change the view, so they render anew. Thread-safe; at most
// `max_dates` dates are kept (past that, all are dropped and rendered again).
class SeatMapJsonCache {
 public:
  static constexpr std::size_t kDefaultMaxDates = 1024;  // ~3 KB each

  explicit SeatMapJsonCache(std::size_t max_dates = kDefaultMaxDates) : max_dates_(max_dates) {}

  std::string json_of(const SeatMapView& view);

  std::size_t size();

 private:
  struct Entry {
    SeatMapView view;
    std::string json;
  };

  const std::size_t max_dates_;
  std::mutex mutex_;
  std::unordered_map<int, Entry> entries_;  // by CalendarDate::days()
};

}  // namespace concert::http
