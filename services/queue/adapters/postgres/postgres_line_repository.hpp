#pragma once

#include "application/clock.hpp"
#include "application/ports/line_repository.hpp"
#include "ticketing/db/pool.hpp"

namespace queue {

class PostgresLineRepository final : public LineRepository {
 public:
  PostgresLineRepository(ticketing::db::Pool& pool, ClockFn clock)
      : pool_(pool), clock_(std::move(clock)) {}

  void initialise(std::int64_t default_capacity) override;
  LineSettings update_settings(std::optional<std::int64_t> capacity,
                               std::optional<bool> paused) override;
  LineStatus status(std::int64_t drops_since) override;
  void record_polls(const std::vector<std::string>& token_values, TimePoint now) override;
  AdmissionReport admit(const AdmissionPolicy& policy) override;

 private:
  ticketing::db::Pool& pool_;
  ClockFn clock_;
};

}  // namespace queue
