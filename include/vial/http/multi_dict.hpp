#ifndef VIAL_HTTP_MULTI_DICT_HPP
#define VIAL_HTTP_MULTI_DICT_HPP

/// @file
/// An ordered string-to-string map that keeps repeated keys: query arguments and form fields.

#include <vial/http/errors.hpp>

#include <charconv>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace vial {

/// Keys and values in the order they were received; a key may appear more than once
/// (`?tag=a&tag=b`). Keys are case-sensitive. Lookups are linear, which is fastest for the
/// handful of fields a request carries.
///
/// @par Example
/// @code
/// // GET /search?q=red+shoes&tag=a&tag=b
/// auto q = req.args().get("q");          // std::optional<std::string>{"red shoes"}
/// auto tags = req.args().get_all("tag"); // {"a", "b"}
/// int page = req.args().get_as<int>("page").value_or(1);
/// @endcode
class multi_dict {
public:
    using value_type = std::pair<std::string, std::string>;
    using const_iterator = std::vector<value_type>::const_iterator;

    multi_dict() = default;
    multi_dict(std::initializer_list<value_type> items) : items_(items) {}

    /// Appends a value for `key`, keeping the values already there.
    /// @param key the key
    /// @param value the value
    void add(std::string key, std::string value) { items_.emplace_back(std::move(key), std::move(value)); }

    /// Replaces every value of `key` with one value (appended when `key` was absent).
    /// @param key the key
    /// @param value the new value
    void set(std::string_view key, std::string value) {
        erase(key);
        items_.emplace_back(std::string(key), std::move(value));
    }

    /// Removes every value of `key`.
    /// @param key the key
    /// @return how many values were removed
    std::size_t erase(std::string_view key) {
        return std::erase_if(items_, [key](const value_type& item) { return item.first == key; });
    }

    /// @param key the key
    /// @return the first value of `key`, or nullptr when absent (no copy)
    [[nodiscard]] const std::string* find(std::string_view key) const noexcept {
        for (const auto& item : items_)
            if (item.first == key) return &item.second;
        return nullptr;
    }

    /// @param key the key
    /// @return a copy of the first value of `key`, or std::nullopt when absent
    [[nodiscard]] std::optional<std::string> get(std::string_view key) const {
        if (const auto* value = find(key)) return *value;
        return std::nullopt;
    }

    /// @param key the key
    /// @param fallback returned when `key` is absent
    /// @return the first value of `key`, or `fallback`
    [[nodiscard]] std::string get_or(std::string_view key, std::string_view fallback) const {
        if (const auto* value = find(key)) return *value;
        return std::string(fallback);
    }

    /// Converts the first value of `key` to a number (the whole value must parse) or a bool
    /// ("1", "true", "yes", "on" / "0", "false", "no", "off", "" — case-sensitive lowercase).
    /// @param key the key
    /// @return the converted value, or std::nullopt when absent or not convertible
    template <class T>
        requires(std::is_arithmetic_v<T>)
    [[nodiscard]] std::optional<T> get_as(std::string_view key) const {
        const auto* value = find(key);
        if (value == nullptr) return std::nullopt;
        if constexpr (std::same_as<T, bool>) {
            const std::string_view v = *value;
            if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
            if (v.empty() || v == "0" || v == "false" || v == "no" || v == "off") return false;
            return std::nullopt;
        } else {
            T out{};
            const char* first = value->data();
            const char* last = first + value->size();
            if (first != last && *first == '+') ++first;  // from_chars rejects a leading '+'
            const auto [ptr, ec] = std::from_chars(first, last, out);
            if (ec != std::errc{} || ptr != last || first == last) return std::nullopt;
            return out;
        }
    }

    /// Like Flask's `request.args["key"]`: a missing key is the client's mistake.
    /// @param key the key
    /// @return the first value of `key`
    /// @throws vial::http_error 400 "missing required field 'key'" when absent
    [[nodiscard]] const std::string& at(std::string_view key) const {
        if (const auto* value = find(key)) return *value;
        throw http_error(400, "missing required field '" + std::string(key) + "'");
    }

    /// @param key the key
    /// @return every value of `key`, in order (empty when absent)
    [[nodiscard]] std::vector<std::string> get_all(std::string_view key) const {
        std::vector<std::string> out;
        for (const auto& item : items_)
            if (item.first == key) out.push_back(item.second);
        return out;
    }

    /// @return whether `key` has at least one value
    [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
    /// @return how many values `key` has
    [[nodiscard]] std::size_t count(std::string_view key) const noexcept {
        std::size_t n = 0;
        for (const auto& item : items_) n += item.first == key ? 1 : 0;
        return n;
    }
    /// @return the distinct keys, in order of first appearance
    [[nodiscard]] std::vector<std::string> keys() const {
        std::vector<std::string> out;
        for (const auto& item : items_) {
            bool seen = false;
            for (const auto& k : out) seen = seen || k == item.first;
            if (!seen) out.push_back(item.first);
        }
        return out;
    }

    /// @return the number of (key, value) pairs, counting repeats
    [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
    [[nodiscard]] bool empty() const noexcept { return items_.empty(); }
    void clear() noexcept { items_.clear(); }

    /// Iterates every (key, value) pair in order, repeats included.
    [[nodiscard]] const_iterator begin() const noexcept { return items_.begin(); }
    [[nodiscard]] const_iterator end() const noexcept { return items_.end(); }

    friend bool operator==(const multi_dict&, const multi_dict&) = default;

private:
    std::vector<value_type> items_;
};

}  // namespace vial

#endif  // VIAL_HTTP_MULTI_DICT_HPP
