#include "adapters/clients/caching_user_directory.hpp"

namespace payment {

bool CachingUserDirectory::exists(std::string_view user_id) {
  if (known_.contains(user_id)) return true;
  if (!inner_.exists(user_id)) return false;
  known_.remember(user_id);
  return true;
}

}  // namespace payment
