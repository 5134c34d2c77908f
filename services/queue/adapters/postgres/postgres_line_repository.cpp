#include "postgres_line_repository.hpp"

#include "rows.hpp"
#include "statements.hpp"

namespace queue {

void PostgresLineRepository::initialise(std::int64_t default_capacity) {
  pool_.write([&](pqxx::work& txn) { txn.exec_prepared("initialise_line", default_capacity); });
}

LineSettings PostgresLineRepository::update_settings(std::optional<std::int64_t> capacity,
                                                     std::optional<bool> paused) {
  return pool_.write([&](pqxx::work& txn) {
    if (capacity) txn.exec_prepared("set_capacity", *capacity);
    if (paused) txn.exec_prepared("set_paused", *paused);
    return sql::line_from(txn.exec_prepared1("read_line")).settings;
  });
}

namespace {
std::string hex(const Seed& seed) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto byte : seed) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
  }
  return out;
}
}  // namespace

void PostgresLineRepository::set_opening(std::optional<TimePoint> opens_at,
                                         const Seed& fresh_seed) {
  pool_.write([&](pqxx::work& txn) {
    txn.exec_prepared("lock_line", sql::kLineLock);
    const TimePoint now = clock_();
    txn.exec_prepared("draw_if_due", sql::micros(now));  // a due opening is drawn before it moves
    if (opens_at) {
      txn.exec_prepared("set_opening", sql::micros(*opens_at), hex(fresh_seed));
    } else {
      txn.exec_prepared("open_now", sql::micros(now));
    }
  });
}

std::optional<PublishedOpening> PostgresLineRepository::opening() {
  return pool_.query([&](auto& txn) -> std::optional<PublishedOpening> {
    const auto rows = txn.exec_prepared("read_opening");
    if (rows.empty()) return std::nullopt;
    const auto row = rows[0];
    PublishedOpening published{sql::from_micros(row[0].template as<std::int64_t>()),
                               row[1].template as<std::string>(),
                               row[2].template as<std::int64_t>(), std::nullopt};
    if (!row[3].is_null()) published.seed = row[3].template as<std::string>();
    return published;
  });
}

LineStatus PostgresLineRepository::status(std::int64_t drops_since) {
  return pool_.read([&](auto& txn) {
    const auto line = sql::line_from(txn.exec_prepared1("read_line"));
    LineStatus status{line.settings, line.counters, {}, line.opening, line.seats};
    for (const auto& row : txn.exec_prepared("new_drops", drops_since)) {
      status.new_drops.push_back(
          {row[0].template as<std::int64_t>(), row[1].template as<std::int64_t>()});
    }
    return status;
  });
}

void PostgresLineRepository::record_seats(const std::optional<SeatCounts>& seats,
                                          TimePoint seen_at) {
  pool_.write([&](pqxx::work& txn) {
    if (seats) {
      txn.exec_prepared("record_seats", seats->available, seats->held, sql::micros(seen_at));
    } else {
      txn.exec_prepared("forget_seats", sql::micros(seen_at));
    }
  });
}

void PostgresLineRepository::record_polls(const std::vector<std::string>& token_values,
                                          TimePoint now) {
  pool_.write([&](pqxx::work& txn) {
    txn.exec_prepared("record_polls", sql::array_literal(token_values), sql::micros(now));
  });
}

AdmissionReport PostgresLineRepository::admit(const AdmissionPolicy& policy) {
  return pool_.write([&](pqxx::work& txn) {
    txn.exec_prepared("lock_line", sql::kLineLock);
    const TimePoint now = clock_();
    AdmissionReport report;
    report.drawn = txn.exec_prepared1("draw_if_due", sql::micros(now))[0].as<std::int64_t>();
    if (report.drawn >= 0 && after_draw_) after_draw_();
    // Tokens the expire endpoint ended since the last pass: fold them into the counters.
    const auto uncounted = txn.exec_prepared1("take_uncounted");
    const auto ended_active = uncounted[0].as<std::int64_t>();
    const auto ended_waiting = uncounted[1].as<std::int64_t>();
    txn.exec_prepared("move_line", -ended_active, -ended_waiting, 0, 0, 0,
                      ended_active + ended_waiting, 0);
    report.expired = txn.exec_prepared("expire_lapsed", sql::micros(now)).affected_rows();
    report.dropped = txn.exec_prepared("drop_abandoned", sql::micros(now),
                                       sql::micros(now - policy.abandon_after))
                         .affected_rows();
    const auto line = sql::line_from(txn.exec_prepared1("read_line"));
    const auto slots = free_slots(line.settings, line.counters.active - report.expired);
    std::int64_t served = line.counters.served_place;
    if (slots > 0) {
      const auto admitted = txn.exec_prepared1("admit_waiting", sql::micros(now),
                                               sql::micros(now + policy.token_ttl), slots);
      report.admitted = admitted[0].as<std::int64_t>();
      served = std::max(served, admitted[1].as<std::int64_t>());
    }
    txn.exec_prepared("move_line", report.admitted - report.expired,
                      -report.dropped - report.admitted, 0, served, report.admitted, report.expired,
                      report.dropped);
    txn.exec_prepared("prune_dropped", served);
    return report;
  });
}

}  // namespace queue
