#pragma once

#include <functional>

#include "application/clock.hpp"
#include "application/ports/line_repository.hpp"
#include "ticketing/db/pool.hpp"

namespace queue {

class PostgresLineRepository final : public LineRepository {
 public:
  // `after_draw`, for crash tests only: runs inside a pass's draw transaction, before it commits.
  PostgresLineRepository(ticketing::db::Pool& pool, ClockFn clock,
                         std::function<void()> after_draw = {})
      : pool_(pool), clock_(std::move(clock)), after_draw_(std::move(after_draw)) {}

  void initialise(std::int64_t default_capacity) override;
  LineSettings update_settings(std::optional<std::int64_t> capacity,
                               std::optional<bool> paused) override;
  void set_opening(std::optional<TimePoint> opens_at, const Seed& fresh_seed) override;
  std::optional<PublishedOpening> opening() override;
  LineStatus status(std::int64_t drops_since) override;
  void record_seats(const std::optional<SeatCounts>& seats, TimePoint seen_at) override;
  void record_polls(const std::vector<std::string>& token_values, TimePoint now) override;
  AdmissionReport admit(const AdmissionPolicy& policy) override;

 private:
  ticketing::db::Pool& pool_;
  ClockFn clock_;
  std::function<void()> after_draw_;
};

}  // namespace queue
