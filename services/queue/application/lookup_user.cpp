#include "lookup_user.hpp"

#include "ticketing/ids.hpp"

namespace queue {

ticketing::Result<ticketing::Unit, QueueError> LookupUser::Execute(std::string_view user_id) {
  if (!ticketing::is_canonical_uuid(user_id)) return ticketing::fail(QueueError::invalid_user_id);
  if (!users_.exists(user_id)) return ticketing::fail(QueueError::user_not_found);
  return ticketing::Unit{};
}

}  // namespace queue
