#include "caching_user_directory.hpp"

namespace payment {

bool CachingUserDirectory::exists(std::string_view user_id) {
  return known_.remembered_or(user_id, [&] { return inner_.exists(user_id); });
}

}  // namespace payment
