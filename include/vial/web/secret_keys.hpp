#ifndef VIAL_WEB_SECRET_KEYS_HPP
#define VIAL_WEB_SECRET_KEYS_HPP

/// @file
/// The secret keys that sign session cookies and CSRF tokens. There is no built-in default:
/// keys come from a flag, the environment or a file, and a program that needs them and has
/// none refuses to start.
///
/// Rotation: several keys may be given, newest first. Cookies are signed with the newest;
/// cookies signed with any of the others still verify (and are re-signed with the newest the
/// next time the session changes), so a key can be retired without signing everyone out.
///
/// | source                          | meaning                                                   |
/// |---------------------------------|-----------------------------------------------------------|
/// | `--secret-key-file PATH`        | one key per line, newest first (blank lines and `#` comments skipped) |
/// | `--secret-key KEY` (repeatable) | a key on the command line (visible to `ps`: prefer a file) |
/// | `VIAL_SECRET_KEY_FILE=PATH`     | as `--secret-key-file`, when no flag gives keys           |
/// | `VIAL_SECRET_KEY=KEY`           | one key, when neither a flag nor VIAL_SECRET_KEY_FILE does |

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial {

/// The keys, newest first. Each is at least `min_size` bytes.
class secret_keys {
public:
    /// The shortest key accepted: 16 bytes (generate one with `openssl rand -hex 32`).
    static constexpr std::size_t min_size = 16;

    /// @param newest_first the keys; the first signs, all verify
    /// @throws std::invalid_argument with no key or a key shorter than `min_size`
    secret_keys(std::initializer_list<std::string_view> newest_first)
        : secret_keys(std::vector<std::string>(newest_first.begin(), newest_first.end())) {}
    explicit secret_keys(std::vector<std::string> newest_first) : keys_(std::move(newest_first)) {
        if (const std::string problem = check(keys_); !problem.empty()) throw std::invalid_argument(problem);
    }

    /// @return the keys, newest (the signing one) first
    [[nodiscard]] const std::vector<std::string>& all() const noexcept { return keys_; }
    /// @return the key that signs
    [[nodiscard]] const std::string& newest() const noexcept { return keys_.front(); }

    /// What is wrong with a list of keys ("" when nothing is).
    [[nodiscard]] static std::string check(const std::vector<std::string>& keys) {
        if (keys.empty())
            return "no secret key: sessions need one to sign cookies; pass --secret-key-file PATH or set "
                   "VIAL_SECRET_KEY (generate one with: openssl rand -hex 32)";
        for (std::size_t i = 0; i < keys.size(); ++i)
            if (keys[i].size() < min_size)
                return "secret key " + std::to_string(i + 1) + " is " + std::to_string(keys[i].size()) +
                       " bytes, under the 16 a key needs (generate one with: openssl rand -hex 32)";
        return {};
    }

    /// Reads keys from a file: one per line, newest first; blank lines and lines starting with
    /// '#' are skipped, and a trailing carriage return is dropped.
    /// @param path the file
    /// @return the keys
    /// @throws std::invalid_argument when the file cannot be read or holds no valid key
    static secret_keys from_file(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::invalid_argument("cannot read secret key file '" + path + "': " + std::strerror(errno));
        std::vector<std::string> keys;
        for (std::string line; std::getline(in, line);) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty() || line.front() == '#') continue;
            keys.push_back(std::move(line));
        }
        if (keys.empty()) throw std::invalid_argument("secret key file '" + path + "' holds no key");
        if (std::string problem = check(keys); !problem.empty())
            throw std::invalid_argument("secret key file '" + path + "': " + problem);
        return secret_keys(std::move(keys));
    }

    /// Takes the keys from the command line or the environment (see the table above), and
    /// removes the flags it read from `argc`/`argv`, so that `vial::run` sees only its own.
    /// @param argc the program's argument count, updated
    /// @param argv the program's arguments, the key flags removed
    /// @param getenv how to read the environment (std::getenv; tests pass their own)
    /// @return the keys
    /// @throws std::invalid_argument with a message for the user when there is no usable key
    static secret_keys from_command_line(int& argc, char** argv, const char* (*getenv)(const char*) = default_getenv) {
        std::vector<std::string> keys;
        std::vector<std::string> files;
        int out = argc > 0 ? 1 : 0;
        for (int i = out; i < argc; ++i) {
            const std::string_view arg = argv[i];
            auto take = [&](std::string_view flag, std::vector<std::string>& into) {
                if (arg == flag) {
                    if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
                    into.emplace_back(argv[++i]);
                    return true;
                }
                if (arg.size() > flag.size() && arg.starts_with(flag) && arg[flag.size()] == '=') {
                    into.emplace_back(arg.substr(flag.size() + 1));
                    return true;
                }
                return false;
            };
            if (take("--secret-key-file", files) || take("--secret-key", keys)) continue;
            argv[out++] = argv[i];
        }
        if (out < argc) argv[out] = nullptr;
        argc = out;
        for (const auto& f : files) {
            auto more = from_file(f).all();
            keys.insert(keys.end(), more.begin(), more.end());
        }
        if (keys.empty()) {
            if (const char* file = getenv("VIAL_SECRET_KEY_FILE"); file != nullptr && *file != '\0') return from_file(file);
            if (const char* key = getenv("VIAL_SECRET_KEY"); key != nullptr && *key != '\0') keys.emplace_back(key);
        }
        return secret_keys(std::move(keys));
    }

private:
    static const char* default_getenv(const char* name) { return std::getenv(name); }

    std::vector<std::string> keys_;
};

}  // namespace vial

#endif  // VIAL_WEB_SECRET_KEYS_HPP
