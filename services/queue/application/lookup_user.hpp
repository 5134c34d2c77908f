#pragma once

#include <string_view>

#include "ports/token_repository.hpp"

namespace queue {

// Other services ask whether a user id belongs to a real user.
class LookupUser {
 public:
  explicit LookupUser(UserRepository& users) : users_(users) {}

  ticketing::Result<ticketing::Unit, QueueError> Execute(std::string_view user_id);

 private:
  UserRepository& users_;
};

}  // namespace queue
