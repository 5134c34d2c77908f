#include "points.hpp"

namespace payment {

std::string_view to_string(EntryType type) {
  switch (type) {
    case EntryType::charge:
      return "CHARGE";
    case EntryType::payment:
      return "PAYMENT";
    case EntryType::refund:
      return "REFUND";
  }
  return "CHARGE";
}

}  // namespace payment
