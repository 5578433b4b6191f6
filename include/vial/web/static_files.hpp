#ifndef VIAL_WEB_STATIC_FILES_HPP
#define VIAL_WEB_STATIC_FILES_HPP

/// @file
/// Static files, as Flask's `static/` folder: a route `<prefix>/<path:filename>` named
/// `static` that serves the files under a directory.
/// @code
/// constexpr auto admin = vial::blueprint<"admin", "/admin">(
///     vial::static_files<"/static">("admin/static"),          // /admin/static/..., endpoint admin.static
///     ...);
/// constexpr auto app = vial::app(
///     vial::static_files("static", {.max_age = 3600}),        // /static/..., endpoint static
///     admin);
/// vial::url_for<"static", app>("css/site.css");               // "/static/css/site.css", checked
/// @endcode
/// A request is answered with the file if its name is safe (else 404: `..`, an absolute
/// path, NUL, a backslash, an empty segment, a dot-file unless allowed, a symlink that leads
/// out of the directory, anything that is not a regular file), with `Content-Type` from the
/// extension (`charset=utf-8` for text), `ETag`, `Last-Modified`, `Cache-Control`,
/// `Accept-Ranges`; `If-None-Match` / `If-Modified-Since` give 304, a single `Range` gives
/// 206 (416 when it cannot be satisfied; `If-Range` honoured), HEAD gives the headers with
/// the length and reads nothing.

#include <vial/http/date.hpp>
#include <vial/http/request.hpp>
#include <vial/http/response.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/route/method.hpp>
#include <vial/route/rule.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vial {

/// How static files are served.
struct static_options {
    /// `Cache-Control: public, max-age=N` when above 0; at 0 (Flask's default) `no-cache`:
    /// the browser revalidates each time, which ETag makes cheap (304).
    int max_age = 0;
    /// Serve files and directories whose name starts with '.' (`.well-known/...`).
    bool allow_dotfiles = false;
};

namespace detail::web {

/// Whether a decoded file name may be joined to a directory: relative, no `.` or `..`
/// segment, no empty segment, no NUL or backslash, and no dot-file unless allowed.
[[nodiscard]] constexpr bool safe_relative_path(std::string_view name, bool allow_dotfiles) noexcept {
    if (name.empty() || name.front() == '/') return false;
    std::size_t begin = 0;
    while (begin <= name.size()) {
        std::size_t end = name.find('/', begin);
        if (end == std::string_view::npos) end = name.size();
        const std::string_view seg = name.substr(begin, end - begin);
        if (seg.empty() || seg == "." || seg == "..") return false;
        if (seg.front() == '.' && !allow_dotfiles) return false;
        for (const char c : seg)
            if (c == '\0' || c == '\\') return false;
        begin = end + 1;
    }
    return true;
}

/// The Content-Type of a file from its extension (lowercased); text types with charset=utf-8.
[[nodiscard]] inline std::string_view content_type_for(std::string_view name) noexcept {
    struct entry {
        std::string_view ext;
        std::string_view type;
    };
    static constexpr entry table[] = {
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"txt", "text/plain; charset=utf-8"},
        {"md", "text/markdown; charset=utf-8"},
        {"csv", "text/csv; charset=utf-8"},
        {"xml", "application/xml; charset=utf-8"},
        {"svg", "image/svg+xml; charset=utf-8"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"avif", "image/avif"},
        {"ico", "image/vnd.microsoft.icon"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"ttf", "font/ttf"},
        {"otf", "font/otf"},
        {"pdf", "application/pdf"},
        {"wasm", "application/wasm"},
        {"zip", "application/zip"},
        {"gz", "application/gzip"},
        {"mp3", "audio/mpeg"},
        {"ogg", "audio/ogg"},
        {"wav", "audio/wav"},
        {"mp4", "video/mp4"},
        {"webm", "video/webm"},
    };
    const std::size_t slash = name.rfind('/');
    const std::size_t dot = name.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "application/octet-stream";
    std::array<char, 8> ext{};
    const std::string_view raw = name.substr(dot + 1);
    if (raw.size() > ext.size()) return "application/octet-stream";
    for (std::size_t i = 0; i < raw.size(); ++i)
        ext[i] = (raw[i] >= 'A' && raw[i] <= 'Z') ? static_cast<char>(raw[i] - 'A' + 'a') : raw[i];
    const std::string_view lower(ext.data(), raw.size());
    for (const auto& e : table)
        if (e.ext == lower) return e.type;
    return "application/octet-stream";
}

/// Files (or ranges) up to this size are read into the response; larger ones are sent from
/// the file by the server (sendfile).
inline constexpr std::uint64_t read_limit = 16 * 1024;

/// A byte range of a file: [first, last].
struct byte_range {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
};

enum class range_kind { none, one, unsatisfiable };

/// Parses a Range header against a file of `size` bytes (RFC 9110 14.1.2). Only a single
/// range is served; several, or a malformed header, are ignored (the whole file is sent).
[[nodiscard]] constexpr range_kind parse_range(std::string_view header, std::uint64_t size, byte_range& out) noexcept {
    auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    header = trim(header);
    if (header.size() < 6 || header.substr(0, 6) != "bytes=") return range_kind::none;
    const std::string_view spec = trim(header.substr(6));
    if (spec.find(',') != std::string_view::npos) return range_kind::none;
    const std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return range_kind::none;
    auto number = [](std::string_view s, std::uint64_t& v) {
        if (s.empty() || s.size() > 19) return false;
        v = 0;
        for (const char c : s) {
            if (c < '0' || c > '9') return false;
            v = v * 10 + static_cast<std::uint64_t>(c - '0');
        }
        return true;
    };
    const std::string_view a = trim(spec.substr(0, dash));
    const std::string_view b = trim(spec.substr(dash + 1));
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    if (a.empty()) {  // suffix: the last N bytes
        if (!number(b, last)) return range_kind::none;
        if (last == 0 || size == 0) return range_kind::unsatisfiable;
        out = {last >= size ? 0 : size - last, size - 1};
        return range_kind::one;
    }
    if (!number(a, first)) return range_kind::none;
    if (b.empty()) last = size == 0 ? 0 : size - 1;
    else if (!number(b, last) || last < first) return range_kind::none;
    if (first >= size) return range_kind::unsatisfiable;
    out = {first, last >= size ? size - 1 : last};
    return range_kind::one;
}

/// Whether an If-None-Match header matches `etag` (weak comparison, `*` matches any).
[[nodiscard]] constexpr bool etag_matches(std::string_view header, std::string_view etag) noexcept {
    auto strip_weak = [](std::string_view s) { return s.substr(0, 2) == "W/" ? s.substr(2) : s; };
    etag = strip_weak(etag);
    std::size_t at = 0;
    while (at < header.size()) {
        std::size_t end = header.find(',', at);
        if (end == std::string_view::npos) end = header.size();
        std::string_view one = header.substr(at, end - at);
        while (!one.empty() && (one.front() == ' ' || one.front() == '\t')) one.remove_prefix(1);
        while (!one.empty() && (one.back() == ' ' || one.back() == '\t')) one.remove_suffix(1);
        if (one == "*" || strip_weak(one) == etag) return true;
        at = end + 1;
    }
    return false;
}

/// A file descriptor closed on scope exit.
struct file_handle {
    int fd = -1;
    file_handle() = default;
    explicit file_handle(int f) noexcept : fd(f) {}
    file_handle(const file_handle&) = delete;
    file_handle& operator=(const file_handle&) = delete;
    ~file_handle() {
        if (fd >= 0) ::close(fd);
    }
    int release() noexcept { return std::exchange(fd, -1); }
};

/// The canonical path of `path`, or "" when it does not exist.
[[nodiscard]] inline std::string real_path(const std::string& path) {
    char* p = ::realpath(path.c_str(), nullptr);
    if (p == nullptr) return {};
    std::string out(p);
    std::free(p);
    return out;
}

}  // namespace detail::web

/// Answers a request for `filename` under `directory` (see the file comment for the rules).
/// Used by `vial::static_files`; call it from a handler to serve files from elsewhere.
/// @param directory the folder (relative paths are taken from the working directory)
/// @param filename the decoded file name from the URL, '/'-separated
/// @param req the request (conditional and range headers, the method)
/// @param options caching and dot-files
/// @return the response: 200, 206, 304, 404 or 416
[[nodiscard]] inline response send_from_directory(std::string_view directory, std::string_view filename,
                                                  const request& req, const static_options& options = {}) {
    namespace w = detail::web;
    const auto not_found = [] { return response(404, "404 Not Found\n"); };
    if (!w::safe_relative_path(filename, options.allow_dotfiles)) return not_found();
    const std::string root = w::real_path(std::string(directory));
    if (root.empty()) return not_found();
    std::string joined = root;
    joined += '/';
    joined += filename;
    // Symlinks are followed, but the file they lead to must lie under the directory.
    const std::string real = w::real_path(joined);
    if (real.size() <= root.size() + 1 || real.compare(0, root.size(), root) != 0 || real[root.size()] != '/')
        return not_found();
    w::file_handle file(::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    struct stat st {};
    if (file.fd < 0 || ::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) return not_found();

    const auto size = static_cast<std::uint64_t>(st.st_size);
    const auto mtime = std::chrono::system_clock::time_point(std::chrono::seconds(st.st_mtim.tv_sec));
    char etag[64];
    const int etag_size = std::snprintf(etag, sizeof etag, "\"%llx-%llx\"",
                                        static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                                            static_cast<unsigned long long>(st.st_mtim.tv_nsec),
                                        static_cast<unsigned long long>(size));
    const std::string_view etag_view(etag, static_cast<std::size_t>(etag_size));
    const std::string last_modified = format_http_date(mtime);

    response res(200);
    res.set_header("ETag", etag_view);
    res.set_header("Last-Modified", last_modified);
    res.set_header("Cache-Control",
                   options.max_age > 0 ? "public, max-age=" + std::to_string(options.max_age) : std::string("no-cache"));
    res.set_header("Accept-Ranges", "bytes");

    // RFC 9110 13.2.2: If-None-Match first; If-Modified-Since only without it.
    const std::string_view inm = req.header("If-None-Match");
    bool not_modified = false;
    if (!inm.empty()) {
        not_modified = w::etag_matches(inm, etag_view);
    } else if (const std::string_view ims = req.header("If-Modified-Since"); !ims.empty()) {
        if (const auto since = parse_http_date(ims)) not_modified = mtime <= *since;
    }
    if (not_modified) {
        res.status(304);
        return res;
    }
    res.content_type(w::content_type_for(filename));

    std::uint64_t first = 0;
    std::uint64_t count = size;
    if (const std::string_view range = req.header("Range"); !range.empty()) {
        // If-Range: the range applies only to the representation the client has.
        const std::string_view if_range = req.header("If-Range");
        bool applies = true;
        if (!if_range.empty()) {
            if (if_range.front() == '"') applies = if_range == etag_view;
            else if (if_range.substr(0, 2) == "W/") applies = false;
            else applies = parse_http_date(if_range) == mtime;
        }
        w::byte_range r;
        const auto kind = applies ? w::parse_range(range, size, r) : w::range_kind::none;
        if (kind == w::range_kind::unsatisfiable) {
            res.status(416);
            res.set_header("Content-Range", "bytes */" + std::to_string(size));
            res.content_type("text/plain; charset=utf-8");
            res.body("416 Range Not Satisfiable\n");
            return res;
        }
        if (kind == w::range_kind::one) {
            res.status(206);
            first = r.first;
            count = r.last - r.first + 1;
            res.set_header("Content-Range", "bytes " + std::to_string(r.first) + '-' + std::to_string(r.last) + '/' +
                                                std::to_string(size));
        }
    }
    if (req.method() == "HEAD") {
        res.set_header("Content-Length", std::to_string(count));
        return res;
    }
    if (count > w::read_limit) {
        // Sent by the server with sendfile(2), never read into memory.
        res.file_body(file.release(), first, count);
        return res;
    }
    std::string body(count, '\0');
    std::uint64_t done = 0;
    while (done < count) {
        const ssize_t n = ::pread(file.fd, body.data() + done, count - done, static_cast<off_t>(first + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the file shrank or failed under us: send what was read, short
        done += static_cast<std::uint64_t>(n);
    }
    body.resize(done);
    res.body(std::move(body));
    return res;
}

namespace detail::web {

/// The handler of a static_files route.
struct static_handler {
    const char* directory;
    static_options options;
    response operator()(std::string_view filename, const request& req) const {
        return send_from_directory(directory, filename, req, options);
    }
};

}  // namespace detail::web

/// A route serving the files under `directory` at `Prefix/<path:filename>`, named `Name`
/// ("static": `url_for<"static", app>("css/site.css")`, or `"<blueprint>.static"` inside a
/// blueprint). GET and HEAD.
/// @tparam Prefix the URL prefix, "/static" as in Flask
/// @tparam Name the endpoint name
/// @param directory a string literal (or other string that outlives the app): the folder,
///        relative to the working directory unless absolute
/// @param options caching and dot-files
template <fixed_string Prefix = "/static", fixed_string Name = "static">
constexpr auto static_files(const char* directory, static_options options = {}) {
    return detail::make_rule<concat<Prefix, "/<path:filename>">, Name, GET>(
        detail::web::static_handler{directory, options});
}

}  // namespace vial

#endif  // VIAL_WEB_STATIC_FILES_HPP
