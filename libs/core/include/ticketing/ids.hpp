#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace ticketing {

// True for a UUID in canonical lowercase form: 8-4-4-4-12 lowercase hex digits.
inline bool is_canonical_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

// Unpredictable identifiers: each thread seeds its own generator from the OS once.
class RandomIds {
 public:
  // A random (version 4) UUID in canonical lowercase form.
  static std::string uuid_v4() {
    auto bytes = random_bytes();
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
      append_hex(out, bytes[i]);
    }
    return out;
  }

  // 128 random bits as 32 lowercase hex digits.
  static std::string hex128() {
    std::string out;
    out.reserve(32);
    for (auto byte : random_bytes()) append_hex(out, byte);
    return out;
  }

 private:
  static std::array<std::uint8_t, 16> random_bytes() {
    thread_local std::mt19937_64 engine = [] {
      std::random_device device;
      std::seed_seq seed{device(), device(), device(), device(), device(), device()};
      return std::mt19937_64(seed);
    }();
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
      const std::uint64_t word = engine();
      for (std::size_t k = 0; k < 8; ++k) bytes[i + k] = static_cast<std::uint8_t>(word >> (8 * k));
    }
    return bytes;
  }

  static void append_hex(std::string& out, std::uint8_t byte) {
    constexpr char kHex[] = "0123456789abcdef";
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
  }
};

}  // namespace ticketing
