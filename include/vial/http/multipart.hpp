#ifndef VIAL_HTTP_MULTIPART_HPP
#define VIAL_HTTP_MULTIPART_HPP

/// @file
/// `multipart/form-data` bodies (RFC 7578 over RFC 2046): form fields and uploaded files.
///
///     body      = [preamble CRLF] dash-boundary *LWSP CRLF part
///                 *( CRLF dash-boundary *LWSP CRLF part ) CRLF dash-boundary "--" [epilogue]
///     part      = *( header CRLF ) CRLF content
///     dash-boundary = "--" boundary
///
/// Each part needs `Content-Disposition: form-data; name="..."`; a part with a `filename` (or
/// `filename*`, RFC 5987, which wins) parameter is a file, any other is a field. Line breaks
/// must be CRLF. Anything malformed throws `vial::http_error(400, reason)`.

#include <vial/http/detail/header_params.hpp>
#include <vial/http/errors.hpp>
#include <vial/http/multi_dict.hpp>
#include <vial/http/url.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial {

/// One uploaded file of a multipart/form-data request.
struct uploaded_file {
    /// The form field name (`<input type="file" name="...">`).
    std::string field;
    /// The file name as the client sent it: untrusted, may be empty (no file chosen) or
    /// contain a path; never use it as a path on the server without sanitizing it.
    std::string filename;
    /// The part's Content-Type as sent ("image/png"); "text/plain" when absent (RFC 7578 §4.4).
    std::string content_type;
    /// The file's bytes.
    std::string content;

    /// @return the size of the file in bytes
    [[nodiscard]] std::size_t size() const noexcept { return content.size(); }
};

/// The parsed body: text fields and files, each in the order sent.
struct multipart_data {
    multi_dict fields;
    std::vector<uploaded_file> files;
};

/// Default limit on the number of parts in one body, against denial of service.
inline constexpr std::size_t default_max_multipart_parts = 1000;

/// Extracts the boundary from a multipart Content-Type ("multipart/form-data; boundary=xyz",
/// quoted or not).
/// @param content_type the Content-Type header value
/// @return the boundary
/// @throws vial::http_error 400 when the type is not multipart or the boundary is missing,
///         empty or longer than 70 characters (RFC 2046)
[[nodiscard]] inline std::string multipart_boundary(std::string_view content_type) {
    auto parsed = detail::http_text::parse_header_value(content_type);
    if (!parsed.value.starts_with("multipart/"))
        throw http_error(400, "not a multipart Content-Type: " + std::string(content_type));
    const auto* boundary = parsed.param("boundary");
    if (boundary == nullptr || boundary->empty())
        throw http_error(400, "multipart Content-Type without a boundary parameter");
    if (boundary->size() > 70) throw http_error(400, "multipart boundary longer than 70 characters");
    return *boundary;
}

namespace detail::http_text {

/// Decodes an RFC 5987 ext-value: charset "'" [language] "'" pct-encoded. UTF-8 stays as
/// is, ISO-8859-1 is converted to UTF-8, other charsets are passed through as bytes.
/// @return the decoded value, or std::nullopt when malformed
[[nodiscard]] inline std::optional<std::string> decode_ext_value(std::string_view text) {
    const auto q1 = text.find('\'');
    if (q1 == std::string_view::npos) return std::nullopt;
    const auto q2 = text.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return std::nullopt;
    const auto charset = text.substr(0, q1);
    auto bytes = percent_decode(text.substr(q2 + 1));
    if (!iequals(charset, "iso-8859-1") && !iequals(charset, "latin1")) return bytes;
    std::string utf8;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            utf8 += ch;
        } else {
            utf8 += static_cast<char>(0xC0 | (c >> 6));
            utf8 += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return utf8;
}

}  // namespace detail::http_text

/// Parses a multipart/form-data body.
/// @param body the raw body
/// @param boundary the boundary, see `multipart_boundary`
/// @param max_parts the most parts accepted
/// @return the fields and files
/// @throws vial::http_error 400 on a malformed or truncated body, 413 with more than
///         `max_parts` parts
/// @par Example
/// @code
/// auto data = vial::parse_multipart(req.body(), vial::multipart_boundary(req.header("Content-Type")));
/// @endcode
[[nodiscard]] inline multipart_data parse_multipart(std::string_view body, std::string_view boundary,
                                                    std::size_t max_parts = default_max_multipart_parts) {
    if (boundary.empty()) throw http_error(400, "empty multipart boundary");
    const std::string delimiter = "\r\n--" + std::string(boundary);

    // Finds the delimiter line at or after `from`; `at` is where its CRLF starts (or where
    // "--boundary" starts at offset 0), `next` is past the line, `final` tells "--boundary--".
    struct found {
        std::size_t at = std::string_view::npos;
        std::size_t next = 0;
        bool final = false;
    };
    auto tail = [&](std::size_t at, std::size_t q) -> found {
        if (body.substr(q, 2) == "--") return {at, q + 2, true};
        while (q < body.size() && (body[q] == ' ' || body[q] == '\t')) ++q;
        if (body.substr(q, 2) == "\r\n") return {at, q + 2, false};
        return {};
    };
    auto find_delimiter = [&](std::size_t from) -> found {
        if (from == 0 && body.substr(0, delimiter.size() - 2) == std::string_view(delimiter).substr(2)) {
            if (auto f = tail(0, delimiter.size() - 2); f.at != std::string_view::npos) return f;
        }
        for (auto p = body.find(delimiter, from); p != std::string_view::npos; p = body.find(delimiter, p + 1)) {
            if (auto f = tail(p, p + delimiter.size()); f.at != std::string_view::npos) return f;
        }
        return {};
    };

    multipart_data out;
    auto line = find_delimiter(0);
    if (line.at == std::string_view::npos) throw http_error(400, "multipart body without an opening boundary");
    std::size_t parts = 0;
    while (!line.final) {
        if (++parts > max_parts)
            throw http_error(413, "multipart body with more than " + std::to_string(max_parts) + " parts");
        // Headers, up to the empty line.
        std::size_t pos = line.next;
        std::string_view headers;
        if (body.substr(pos, 2) == "\r\n") {
            pos += 2;
        } else {
            const auto end = body.find("\r\n\r\n", pos);
            if (end == std::string_view::npos) throw http_error(400, "truncated multipart part headers");
            headers = body.substr(pos, end + 2 - pos);
            pos = end + 4;
        }
        std::string disposition, content_type;
        while (!headers.empty()) {
            const auto eol = headers.find("\r\n");
            const auto header = headers.substr(0, eol);
            headers = headers.substr(eol + 2);
            const auto colon = header.find(':');
            if (colon == std::string_view::npos || colon == 0)
                throw http_error(400, "malformed multipart part header: " + std::string(header.substr(0, 100)));
            const auto name = detail::http_text::trim(header.substr(0, colon));
            const auto value = detail::http_text::trim(header.substr(colon + 1));
            if (detail::http_text::iequals(name, "content-disposition")) disposition = value;
            if (detail::http_text::iequals(name, "content-type")) content_type = value;
        }
        // Content, up to the next delimiter.
        const auto next = find_delimiter(pos);
        if (next.at == std::string_view::npos)
            throw http_error(400, "truncated multipart body: closing boundary not found");
        auto content = body.substr(pos, next.at - pos);
        line = next;

        if (disposition.empty()) throw http_error(400, "multipart part without Content-Disposition");
        const auto parsed = detail::http_text::parse_header_value(disposition);
        if (parsed.value != "form-data")
            throw http_error(400, "multipart part with Content-Disposition '" + parsed.value + "', expected form-data");
        const auto* field = parsed.param("name");
        if (field == nullptr) throw http_error(400, "multipart part without a name");
        const auto* filename = parsed.param("filename");
        std::optional<std::string> ext_filename;
        if (const auto* ext = parsed.param("filename*")) ext_filename = detail::http_text::decode_ext_value(*ext);
        if (filename == nullptr && !ext_filename) {
            out.fields.add(*field, std::string(content));
        } else {
            out.files.push_back({*field, ext_filename ? std::move(*ext_filename) : *filename,
                                 content_type.empty() ? std::string("text/plain") : content_type,
                                 std::string(content)});
        }
    }
    return out;
}

}  // namespace vial

#endif  // VIAL_HTTP_MULTIPART_HPP
