// The static files' safe join (web/static_files.hpp): the file name a URL asks for, joined to
// the folder served.
//
// Properties, for any name (raw bytes, and the same bytes percent-decoded as a URL path is):
// 1. vial::detail::web::safe_relative_path(name) accepts it only when joining it to a root
//    gives a path under the root: lexically normal (no "." or ".." segment, no empty
//    segment), relative, no NUL and no backslash, no dot-file unless allowed.
// 2. vial::send_from_directory(root, name) on a real folder never serves a file from outside
//    it: the folder holds files, a subfolder, a symlink to a file inside and symlinks to a
//    file and a folder outside; whatever the name, the answer is a 404 or the content of a
//    file inside (never the outside file's content, never a 5xx, never an exception).
#include <vial/web/static_files.hpp>

#include <vial/vial.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
namespace w = vial::detail::web;

constexpr std::string_view secret = "OUTSIDE-SECRET";

struct folder {
    fs::path base;
    std::string root;
    folder() {
        char tmpl[] = "/tmp/vial-fuzz-static-XXXXXX";
        if (::mkdtemp(tmpl) == nullptr) std::abort();
        base = tmpl;
        const fs::path r = base / "root";
        fs::create_directories(r / "css");
        fs::create_directories(r / ".well-known");
        fs::create_directories(base / "outside");
        std::ofstream(r / "index.html") << "inside index";
        std::ofstream(r / "css" / "site.css") << "inside css";
        std::ofstream(r / ".well-known" / "x") << "inside dot";
        std::ofstream(base / "secret.txt") << secret;
        std::ofstream(base / "outside" / "s.txt") << secret;
        fs::create_symlink("../secret.txt", r / "leak.txt");
        fs::create_symlink("../outside", r / "out");
        fs::create_symlink("index.html", r / "alias.html");
        fs::create_symlink("../root", r / "css" / "up");
        root = r.string();
    }
    ~folder() { fs::remove_all(base); }
};

[[noreturn]] void fail(const char* what, std::string_view name) {
    std::fprintf(stderr, "static_path: %s\n  name: ", what);
    for (const char c : name) std::fprintf(stderr, (c >= 0x20 && c < 0x7f) ? "%c" : "\\x%02x", static_cast<unsigned char>(c));
    std::fprintf(stderr, "\n");
    std::abort();
}

/// What safe_relative_path promises, checked segment by segment the long way.
void check_join(std::string_view name, bool dotfiles) {
    if (!w::safe_relative_path(name, dotfiles)) return;
    if (name.find('\0') != std::string_view::npos) fail("accepted a NUL", name);
    if (name.find('\\') != std::string_view::npos) fail("accepted a backslash", name);
    const fs::path p{std::string(name)};
    if (p.is_absolute()) fail("accepted an absolute path", name);
    const fs::path joined = fs::path("/srv/root") / p;
    const fs::path normal = joined.lexically_normal();
    if (normal != joined) fail("accepted a name that is not lexically normal", name);
    const std::string n = normal.string();
    if (n.rfind("/srv/root/", 0) != 0 || n.size() <= 10) fail("joined outside the root", name);
    for (const auto& seg : p) {
        const std::string s = seg.string();
        if (s == ".." || s == "." || s.empty()) fail("accepted a dot or empty segment", name);
        if (!dotfiles && s[0] == '.') fail("accepted a dot-file", name);
    }
}

void check_serve(const folder& f, std::string_view name) {
    vial::request req;
    for (const bool dotfiles : {false, true}) {
        vial::response res(500);
        try {
            res = vial::send_from_directory(f.root, name, req, {.allow_dotfiles = dotfiles});
        } catch (const std::exception& e) {
            fail(e.what(), name);
        }
        const int status = res.status();
        const std::string_view body = res.body();
        if (body.find(secret) != std::string_view::npos) fail("served a file from outside the folder", name);
        if (status != 200 && status != 404) fail("answered neither 200 nor 404", name);
        if (status == 200 && body.rfind("inside", 0) != 0) fail("200 with something else than a file inside", name);
    }
}

std::string percent_decoded(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() + 0 && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const folder f;
    if (size > 1024) return 0;
    const std::string_view name(reinterpret_cast<const char*>(data), size);
    const std::string decoded = percent_decoded(name);
    for (const std::string_view n : {name, std::string_view(decoded)}) {
        check_join(n, false);
        check_join(n, true);
        check_serve(f, n);
    }
    return 0;
}
