#pragma once

#include <cstdint>
#include <string_view>

#include "known_users.hpp"
#include "ports/points_repository.hpp"

namespace payment {

// GET /users/{userId}/points
class GetBalance {
 public:
  GetBalance(KnownUsers& users, PointsRepository& points) : users_(users), points_(points) {}
  ticketing::Result<std::int64_t, PaymentError> Execute(std::string_view user_id);

 private:
  KnownUsers& users_;
  PointsRepository& points_;
};

}  // namespace payment
