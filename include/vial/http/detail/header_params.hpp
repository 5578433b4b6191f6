#ifndef VIAL_HTTP_DETAIL_HEADER_PARAMS_HPP
#define VIAL_HTTP_DETAIL_HEADER_PARAMS_HPP

/// @file
/// Parsing of header values with parameters: `Content-Type` and `Content-Disposition`.
///
///     header-value = value *( OWS ";" OWS parameter )
///     parameter    = token "=" ( token / quoted-string )
///
/// Lenient: junk parameters are skipped, never thrown on.
///
/// The HTTP layer's helpers live in `vial::detail::http_text`, apart from other layers' `vial::detail`.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial::detail::http_text {

[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = ascii_lower(c);
    return out;
}

[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

[[nodiscard]] constexpr std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// A header value split into its main value (lowercased) and parameters (names lowercased).
struct header_value {
    std::string value;
    std::vector<std::pair<std::string, std::string>> params;

    /// @return the first parameter `name` (lowercase), or nullptr
    [[nodiscard]] const std::string* param(std::string_view name) const noexcept {
        for (const auto& [n, v] : params)
            if (n == name) return &v;
        return nullptr;
    }
};

/// Parses `text/html; charset="utf-8"` into {"text/html", {{"charset", "utf-8"}}}.
/// In quoted strings, only `\"` and `\\` are escapes: other backslashes are kept, because
/// some clients send Windows paths unescaped in `filename="C:\dir\a.txt"`.
[[nodiscard]] inline header_value parse_header_value(std::string_view text) {
    header_value out;
    std::size_t i = 0;
    const auto n = text.size();
    const auto semi = text.find(';');
    out.value = to_lower(trim(text.substr(0, semi)));
    if (semi == std::string_view::npos) return out;
    i = semi + 1;
    while (i < n) {
        // name
        while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == ';')) ++i;
        const auto name_start = i;
        while (i < n && text[i] != '=' && text[i] != ';') ++i;
        const auto name = trim(text.substr(name_start, i - name_start));
        if (i >= n || text[i] == ';') continue;  // a parameter without '=': skipped
        ++i;                                     // '='
        while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
        std::string value;
        if (i < n && text[i] == '"') {
            ++i;
            while (i < n && text[i] != '"') {
                if (text[i] == '\\' && i + 1 < n && (text[i + 1] == '"' || text[i + 1] == '\\')) ++i;
                value += text[i++];
            }
            if (i < n) ++i;  // closing quote; an unterminated string runs to the end
            while (i < n && text[i] != ';') ++i;
        } else {
            const auto value_start = i;
            while (i < n && text[i] != ';') ++i;
            value = trim(text.substr(value_start, i - value_start));
        }
        if (!name.empty()) out.params.emplace_back(to_lower(name), std::move(value));
    }
    return out;
}

}  // namespace vial::detail::http_text

#endif  // VIAL_HTTP_DETAIL_HEADER_PARAMS_HPP
