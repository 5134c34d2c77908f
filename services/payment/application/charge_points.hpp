#pragma once

#include <cstdint>
#include <string_view>

#include "clock.hpp"
#include "known_users.hpp"
#include "ports/points_repository.hpp"

namespace payment {

// POST /users/{userId}/points/charge: amount 1..max_charge; the balance never passes
// max_balance; concurrent charges are never lost; one Idempotency-Key (empty: none) charges once.
class ChargePoints {
 public:
  ChargePoints(KnownUsers& users, PointsRepository& points, PointsPolicy policy, ClockFn clock,
               FaultPoint fault = no_faults())
      : users_(users),
        points_(points),
        policy_(policy),
        clock_(std::move(clock)),
        fault_(std::move(fault)) {}
  ticketing::Result<std::int64_t, PaymentError> Execute(std::string_view user_id,
                                                        std::int64_t amount,
                                                        std::string_view idempotency_key = {});

 private:
  KnownUsers& users_;
  PointsRepository& points_;
  PointsPolicy policy_;
  ClockFn clock_;
  FaultPoint fault_;
};

}  // namespace payment
