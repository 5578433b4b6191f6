// Command-line flags of vial programs (vial/server/options.hpp), compiled once into the vial
// library: every program calls them through vial::run, none needs their code inline.
#include <vial/server/options.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <iterator>
#include <limits>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace vial::server {

namespace detail {

bool parse_unsigned(std::string_view text, unsigned long long max, unsigned long long& out) {
    if (text.empty()) return false;
    unsigned long long v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v > max) return false;
    out = v;
    return true;
}

bool parse_size(std::string_view text, std::size_t& out) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    std::string_view unit = text.substr(digits);
    unsigned long long scale = 1;
    if (!unit.empty()) {
        switch (unit.front()) {
            case 'k': case 'K': scale = 1024ULL; break;
            case 'm': case 'M': scale = 1024ULL * 1024; break;
            case 'g': case 'G': scale = 1024ULL * 1024 * 1024; break;
            default: return false;
        }
        unit.remove_prefix(1);
        if (unit == "iB" || unit == "ib" || unit == "B" || unit == "b") unit = {};
        if (!unit.empty()) return false;
    }
    unsigned long long v = 0;
    if (!parse_unsigned(text.substr(0, digits), ~0ULL / scale, v)) return false;
    v *= scale;
    if (v > static_cast<unsigned long long>(std::numeric_limits<std::size_t>::max())) return false;
    out = static_cast<std::size_t>(v);
    return true;
}

bool parse_duration(std::string_view text, std::chrono::milliseconds& out) {
    std::size_t n = 0;
    while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.')) ++n;
    const std::string_view number = text.substr(0, n);
    const std::string_view unit = text.substr(n);
    double scale = 0;  // milliseconds per unit
    if (unit.empty() || unit == "s") scale = 1000;
    else if (unit == "ms") scale = 1;
    else if (unit == "m" || unit == "min") scale = 60'000;
    else return false;
    const std::size_t dot = number.find('.');
    const bool two_dots = dot != std::string_view::npos && number.find('.', dot + 1) != std::string_view::npos;
    if (number.empty() || number == "." || two_dots) return false;
    double value = 0;
    double place = 1;
    bool fraction = false;
    for (char c : number) {
        if (c == '.') { fraction = true; continue; }
        if (fraction) value += (place /= 10) * (c - '0');
        else value = value * 10 + (c - '0');
        if (value > 1e9) return false;
    }
    const double ms = value * scale;
    if (ms < 1 || ms > 86'400'000.0) return false;
    out = std::chrono::milliseconds(static_cast<long long>(ms + 0.5));
    return true;
}

std::string format_size(std::size_t bytes) {
    if (bytes != 0 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + "M";
    if (bytes != 0 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + "K";
    return std::to_string(bytes);
}

std::string format_duration(std::chrono::milliseconds d) {
    if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
    return std::to_string(d.count()) + "ms";
}


void print_flag(std::ostream& out, std::string_view flag, std::string_view help) {
    constexpr std::size_t width = 30;
    out << "  " << flag;
    if (flag.size() >= width) out << "\n  " << std::string(width, ' ');
    else out << std::string(width - flag.size(), ' ');
    out << help << '\n';
}

}  // namespace detail

void print_usage(std::ostream& out, std::string_view program, std::span<const extra_flag> extra,
                 const options& defaults) {
    out << "usage: " << program << " [options]\n"
        << "  --host H         address to listen on (default 127.0.0.1; 0.0.0.0 for all)\n"
        << "  --port N         TCP port (default 8080; 0 picks a free one)\n"
        << "  --threads N      worker threads (default 0: one per core)\n"
        << "  --reuse-port     set SO_REUSEPORT so several processes can share the port\n"
        << "  --no-access-log  do not log one line per request\n";
    for (const auto& f : extra) {
        out << "  " << f.name;
        for (std::size_t i = f.name.size(); i < 17; ++i) out << ' ';
        out << f.help << '\n';
    }
    out << "  --help           show this help and exit\n"
        << "\nlimits (over one, a request is refused and its connection closed;\n"
        << "SIZE is in bytes, or with K, M or G: 512K, 4M):\n";
    for (const auto& f : detail::size_flags) {
        const std::size_t value = defaults.*f.field;
        detail::print_flag(out, std::string(f.name) + " " + std::string(f.metavar),
                           std::string(f.help) + " (default " +
                               (f.metavar == "N" ? std::to_string(value) : detail::format_size(value)) + ")");
    }
    detail::print_flag(out, "--backlog N", "listen(2) backlog (default " + std::to_string(defaults.backlog) + ")");
    out << "\ntimeouts (T is in seconds, or with ms, s or m: 500ms, 2s, 1m):\n";
    for (const auto& f : detail::duration_flags)
        detail::print_flag(out, std::string(f.name) + " T",
                           std::string(f.help) + " (default " + detail::format_duration(defaults.*f.field) + ")");
    if (!defaults.access_log) out << "\nThe access log is off by default here; --access-log turns it on.\n";
}

parse_result parse_options(int argc, char** argv, options& opts, std::ostream& out, std::ostream& err,
                           std::span<const extra_flag> extra) {
    parse_result result;
    const options defaults = opts;
    const std::string_view program = argc > 0 && argv[0] != nullptr ? argv[0] : "vial";
    auto fail = [&](const std::string& message) {
        err << program << ": " << message << "\n"
            << "try '" << program << " --help' for the list of options\n";
        result.action = parse_action::exit_error;
        return result;
    };
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view value;
        bool has_value = false;
        if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            has_value = true;
        }
        auto needs_value = [&]() -> bool {
            if (has_value) return true;
            if (i + 1 >= argc) return false;
            value = argv[++i];
            has_value = true;
            return true;
        };
        auto no_value = [&]() { return !has_value; };
        const auto size_flag = std::find_if(std::begin(detail::size_flags), std::end(detail::size_flags),
                                            [&](const auto& f) { return f.name == arg; });
        const auto duration_flag = std::find_if(std::begin(detail::duration_flags), std::end(detail::duration_flags),
                                                [&](const auto& f) { return f.name == arg; });

        if (arg == "--help" || arg == "-h") {
            if (!no_value()) return fail("option '--help' takes no value");
            print_usage(out, program, extra, defaults);
            result.action = parse_action::exit_ok;
            return result;
        } else if (arg == "--host") {
            if (!needs_value()) return fail("option '--host' needs a value, e.g. --host 0.0.0.0");
            if (value.empty()) return fail("option '--host' needs a non-empty address");
            opts.host = std::string(value);
        } else if (arg == "--port") {
            unsigned long long v = 0;
            if (!needs_value()) return fail("option '--port' needs a value, e.g. --port 8080");
            if (!detail::parse_unsigned(value, 65535, v))
                return fail("invalid port '" + std::string(value) + "': expected 0 to 65535");
            opts.port = static_cast<unsigned short>(v);
        } else if (arg == "--threads") {
            unsigned long long v = 0;
            if (!needs_value()) return fail("option '--threads' needs a value, e.g. --threads 4");
            if (!detail::parse_unsigned(value, 1024, v))
                return fail("invalid thread count '" + std::string(value) + "': expected 1 to 1024, or 0 for one per core");
            opts.threads = static_cast<unsigned>(v);
        } else if (arg == "--reuse-port") {
            if (!no_value()) return fail("option '--reuse-port' takes no value");
            opts.reuse_port = true;
        } else if (arg == "--no-access-log" || arg == "--access-log") {
            if (!no_value()) return fail("option '" + std::string(arg) + "' takes no value");
            opts.access_log = arg == "--access-log";
        } else if (arg == "--backlog") {
            unsigned long long v = 0;
            if (!needs_value()) return fail("option '--backlog' needs a value, e.g. --backlog 1024");
            if (!detail::parse_unsigned(value, 1'000'000, v) || v == 0)
                return fail("invalid backlog '" + std::string(value) + "': expected 1 to 1000000");
            opts.backlog = static_cast<int>(v);
        } else if (size_flag != std::end(detail::size_flags)) {
            const std::string name(arg);
            const bool count = size_flag->metavar == "N";
            if (!needs_value())
                return fail("option '" + name + "' needs a value, e.g. " + name + (count ? " 100" : " 64K"));
            std::size_t v = 0;
            unsigned long long plain = 0;
            const bool ok = count ? detail::parse_unsigned(value, std::numeric_limits<std::size_t>::max(), plain)
                                  : detail::parse_size(value, v);
            if (count) v = static_cast<std::size_t>(plain);
            if (!ok || v < size_flag->min)
                return fail("invalid value '" + std::string(value) + "' for " + name + ": expected " +
                            (count ? "a whole number" : "a size in bytes, or with K, M or G (64K, 4M)") +
                            (size_flag->min > 0 ? " of at least " + std::to_string(size_flag->min) : std::string()));
            opts.*size_flag->field = v;
        } else if (duration_flag != std::end(detail::duration_flags)) {
            const std::string name(arg);
            if (!needs_value()) return fail("option '" + name + "' needs a value, e.g. " + name + " 5s");
            std::chrono::milliseconds v{};
            if (!detail::parse_duration(value, v))
                return fail("invalid duration '" + std::string(value) + "' for " + name +
                            ": expected seconds, or a number with ms, s or m (500ms, 2s, 1m), from 1ms to a day");
            opts.*duration_flag->field = v;
        } else {
            bool known = false;
            for (const auto& f : extra) {
                if (f.name == arg) {
                    if (!no_value()) return fail("option '" + std::string(arg) + "' takes no value");
                    if (!result.has(f.name)) result.extra.push_back(f.name);
                    known = true;
                    break;
                }
            }
            if (!known) {
                if (arg.starts_with("-")) return fail("unknown option '" + std::string(arg) + "'");
                return fail("unexpected argument '" + std::string(arg) + "'");
            }
        }
    }
    return result;
}

}  // namespace vial::server
