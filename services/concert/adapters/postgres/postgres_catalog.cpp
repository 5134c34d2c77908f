#include "postgres_catalog.hpp"

#include <algorithm>

#include "rows.hpp"
#include "ticketing/db/errors.hpp"

namespace concert {

ticketing::Result<CreatedConcert, ConcertError> PostgresCatalog::create(const NewConcert& concert) {
  CreatedConcert created{0, concert.title, concert.price, concert.dates};
  std::sort(created.dates.begin(), created.dates.end());
  try {
    created.concert_id = pool_.write([&](pqxx::work& txn) {
      return txn.exec_prepared1("create_concert", concert.title, concert.price,
                                sql::array_literal(created.dates))[0]
          .as<std::int64_t>();
    });
  } catch (const pqxx::sql_error& error) {
    // The statement is the whole transaction: nothing of this concert was kept.
    if (ticketing::db::is_unique_violation(error, "dates_pkey")) {
      return ticketing::fail(ConcertError::date_taken);
    }
    throw;
  }
  return created;
}

std::vector<DateSummary> PostgresCatalog::dates_from(const CalendarDate& first, TimePoint now) {
  return pool_.query([&](auto& txn) {
    std::vector<DateSummary> out;
    for (const auto& row : txn.exec_prepared("dates_from", first.text(), sql::micros(now))) {
      out.push_back({sql::date_from(row[0]), row[1].template as<std::int64_t>(),
                     row[2].template as<std::string>(), row[3].template as<int>()});
    }
    return out;
  });
}

std::optional<SeatMap> PostgresCatalog::seat_map(const CalendarDate& date) {
  return pool_.query([&](auto& txn) -> std::optional<SeatMap> {
    const auto rows = txn.exec_prepared("seat_map", date.text());
    if (rows.empty()) return std::nullopt;
    SeatMap map{date, rows[0][0].template as<std::int64_t>(), rows[0][1].template as<std::string>(), {}};
    map.seats.reserve(rows.size());
    for (const auto& row : rows) map.seats.push_back(sql::seat_from(row, 2));
    return map;
  });
}

}  // namespace concert
