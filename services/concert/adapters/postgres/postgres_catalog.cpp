#include "postgres_catalog.hpp"

#include <algorithm>
#include <map>

#include "rows.hpp"
#include "ticketing/db/errors.hpp"

namespace concert {

ticketing::Result<CreatedConcert, ConcertError> PostgresCatalog::create(const NewConcert& concert) {
  CreatedConcert created{0, concert.title, concert.price, concert.dates};
  std::sort(created.dates.begin(), created.dates.end());
  try {
    created.concert_id = pool_.write([&](pqxx::work& txn) {
      return txn
          .exec_prepared1("create_concert", concert.title, concert.price,
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

SeatCounts PostgresCatalog::seat_counts_from(const CalendarDate& first, TimePoint now) {
  return pool_.query([&](auto& txn) {
    const auto row = txn.exec_prepared1("seat_counts_from", first.text(), sql::micros(now));
    return SeatCounts{row[0].template as<std::int64_t>(), row[1].template as<std::int64_t>()};
  });
}

PostgresCatalog::PostgresCatalog(ticketing::db::Pool& pool)
    : pool_(pool),
      seat_map_reads_(kMaxSeatMapBatch, [this](const auto& dates) { return seat_maps(dates); }) {}

void PostgresCatalog::seat_map(const CalendarDate& date, SeatMapCallback done) {
  seat_map_reads_.submit(date, std::move(done));
}

std::vector<std::optional<SeatMap>> PostgresCatalog::seat_maps(
    const std::vector<CalendarDate>& dates) {
  std::map<std::string, SeatMap> found;  // one query for every date of the batch
  pool_.query([&](auto& txn) {
    for (const auto& row : txn.exec_prepared("seat_maps", sql::array_literal(dates))) {
      const auto date_text = row[0].template as<std::string>();
      auto [it, fresh] = found.try_emplace(date_text);
      if (fresh) {
        it->second = SeatMap{*CalendarDate::parse(date_text),
                             row[1].template as<std::int64_t>(),
                             row[2].template as<std::string>(),
                             {}};
        it->second.seats.reserve(kSeatsPerDate);
      }
      it->second.seats.push_back(sql::seat_from(row, 3));
    }
  });
  std::vector<std::optional<SeatMap>> maps;
  maps.reserve(dates.size());
  for (const auto& date : dates) {
    auto it = found.find(date.text());
    maps.push_back(it == found.end() ? std::nullopt : std::optional<SeatMap>(it->second));
  }
  return maps;
}

}  // namespace concert
