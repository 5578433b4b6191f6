// multipart/form-data bodies (vial::parse_multipart, what request.form() and request.files()
// read): any body and boundary either parse or throw vial::http_error (400, or 413 over the
// part limit), never anything else; what parses, written again with vial::form_data and
// parsed, gives the same fields and files.
//
// Input: one byte of boundary length, the boundary, the body. A Content-Type header built
// around the boundary also goes through vial::multipart_boundary.
#include <vial/http/errors.hpp>
#include <vial/http/multipart.hpp>
#include <vial/testing/form_data.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

bool same(const vial::multipart_data& a, const vial::multipart_data& b) {
    if (!std::equal(a.fields.begin(), a.fields.end(), b.fields.begin(), b.fields.end())) return false;
    if (a.files.size() != b.files.size()) return false;
    for (std::size_t i = 0; i < a.files.size(); ++i) {
        const auto& x = a.files[i];
        const auto& y = b.files[i];
        if (x.field != y.field || x.filename != y.filename || x.content_type != y.content_type || x.content != y.content)
            return false;
    }
    return true;
}

bool header_safe(std::string_view s) { return s.find_first_of("\r\n%") == std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::size_t blen = std::min<std::size_t>(data[0] % 72, size - 1);
    const std::string_view boundary(reinterpret_cast<const char*>(data + 1), blen);
    const std::string_view body(reinterpret_cast<const char*>(data + 1 + blen), size - 1 - blen);
    try {
        (void)vial::multipart_boundary("multipart/form-data; boundary=\"" + std::string(boundary) + "\"");
        (void)vial::multipart_boundary("multipart/form-data; boundary=" + std::string(boundary));
    } catch (const vial::http_error& e) {
        if (e.status() != 400) std::abort();
    }
    vial::multipart_data parsed;
    try {
        parsed = vial::parse_multipart(body, boundary, 20);
    } catch (const vial::http_error& e) {
        if (e.status() != 400 && e.status() != 413) std::abort();
        return 0;
    }
    if (parsed.fields.size() + parsed.files.size() > 20) std::abort();
    // Written again: names and file names that cannot travel as they are in a header line
    // (CR, LF; form_data percent-encodes them) are left out of the comparison.
    vial::form_data again;
    for (const auto& [name, value] : parsed.fields) {
        if (!header_safe(name)) return 0;
        again.field(name, value);
    }
    for (const auto& f : parsed.files) {
        if (!header_safe(f.field) || !header_safe(f.filename) || !header_safe(f.content_type)) return 0;
        again.file(f.field, f.filename, f.content, f.content_type);
    }
    const auto reparsed = vial::parse_multipart(again.body(), again.boundary(), 20);
    if (!same(parsed, reparsed)) std::abort();
    return 0;
}
