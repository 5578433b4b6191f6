#include <vial/web/session.hpp>

#include <vial/web/csrf.hpp>
#include <vial/vial.hpp>

#include <boost/hana/define_struct.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

using namespace std::chrono_literals;

namespace {

struct visitor {
    BOOST_HANA_DEFINE_STRUCT(visitor, (std::string, name), (int, visits), (std::optional<std::string>, theme));
};

std::chrono::system_clock::time_point fake_now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
std::chrono::system_clock::time_point test_clock() { return fake_now; }

vial::session_options options() {
    vial::session_options o;
    o.now = test_clock;
    o.permanent_lifetime = 3600s;
    return o;
}

const vial::secret_keys keys{"test-key-0123456789abcdef"};

constexpr auto app = vial::web_app(
    vial::get<"/get/<key>">([](std::string_view key, vial::session<>& s) { return s.get(key, "(none)"); }),
    vial::get<"/set/<key>/<value>">([](std::string_view key, std::string_view value, vial::session<>& s) {
        s.set(key, std::string(value));
        return "ok";
    }),
    vial::get<"/permanent">([](vial::session<>& s) {
        s.permanent(true);
        s.set("p", "1");
        return "ok";
    }),
    vial::get<"/clear">([](vial::session<>& s) {
        s.clear();
        return "cleared";
    }),
    vial::get<"/untouched">([] { return "no session"; }),
    vial::get<"/visit">([](vial::session<visitor>& v) {
        ++v->visits;
        return std::to_string(v->visits) + " " + v->name + " " + v->theme.value_or("-");
    }),
    vial::get<"/read-visitor">([](const vial::session<visitor>& v) { return std::to_string(v->visits); }),
    vial::get<"/name/<name>">([](std::string_view name, vial::session<visitor>& v) {
        v->name = std::string(name);
        v->theme = "dark";
        return "ok";
    }),
    vial::get<"/forget">([](vial::session<visitor>& v) {
        v.clear();
        return "ok";
    }),
    vial::get<"/big">([](vial::session<>& s) {
        s.set("big", std::string(5000, 'x'));
        return "ok";
    }),
    vial::get<"/flash/<category>/<text>">([](std::string_view category, std::string_view text) {
        vial::flash(std::string(text), std::string(category));
        return "flashed";
    }),
    vial::get<"/flash-default">([] {
        vial::flash("plain");
        return "flashed";
    }),
    vial::get<"/messages">([] {
        std::string out;
        for (const auto& m : vial::get_flashed_messages()) out += m.category + ":" + m.message + ";";
        // Read once: a second call in the same request sees the same messages.
        if (vial::get_flashed_messages().size() * (out.empty() ? 0 : 1) == 0 && !out.empty()) return std::string("lost");
        return out;
    }),
    vial::get<"/errors-only">([] {
        std::string out;
        for (const auto& m : vial::get_flashed_messages({"error"})) out += m.message + ";";
        return out;
    }));

// The same app without web_app: sessions are a clear error, not someone else's data.
constexpr auto plain_app = vial::app(vial::get<"/get">([](vial::session<>& s) { return s.get("k", "-"); }));

std::string set_cookie(const vial::response& res) { return std::string(res.header("Set-Cookie")); }

}  // namespace

// Each test: a session service with the test clock, and a client.
class web_session : public ::testing::Test {
protected:
    vial::sessions s{keys, options()};
    vial::test_client<decltype(app), vial::sessions&> client{app, s};
};
using web_flash = web_session;

TEST_F(web_session, a_value_set_is_read_back_on_the_next_request) {
    EXPECT_EQ(client.get("/get/user").body(), "(none)");
    auto res = client.get("/set/user/ann");
    const std::string cookie = set_cookie(res);
    EXPECT_TRUE(cookie.starts_with("session=")) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);   // opt-in
    EXPECT_EQ(cookie.find("Max-Age"), std::string::npos);  // not permanent: a browser-session cookie
    EXPECT_EQ(res.header("Vary"), "Cookie");
    EXPECT_EQ(client.get("/get/user").body(), "ann");
}

TEST_F(web_session, an_unchanged_session_sends_no_cookie_and_an_unused_one_is_not_touched) {
    client.get("/set/user/ann");
    auto read = client.get("/get/user");
    EXPECT_EQ(read.body(), "ann");
    EXPECT_TRUE(read.header("Set-Cookie").empty());
    auto untouched = client.get("/untouched");
    EXPECT_TRUE(untouched.header("Set-Cookie").empty());
    EXPECT_TRUE(untouched.header("Vary").empty());
    // A visitor without a session who only reads one gets no cookie either.
    vial::test_client fresh(app, s);
    EXPECT_TRUE(fresh.get("/get/x").header("Set-Cookie").empty());
    EXPECT_TRUE(fresh.get("/read-visitor").header("Set-Cookie").empty());
    EXPECT_TRUE(fresh.get("/messages").header("Set-Cookie").empty());
}

TEST_F(web_session, secure_and_other_attributes_are_options) {
    auto o = options();
    o.secure = true;
    o.cookie_name = "sid";
    o.same_site = "Strict";
    vial::sessions s(keys, o);
    vial::test_client client(app, s);
    const std::string cookie = set_cookie(client.get("/set/a/b"));
    EXPECT_TRUE(cookie.starts_with("sid=")) << cookie;
    EXPECT_NE(cookie.find("; Secure"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
}

TEST(web_session_options, cookie_settings_no_browser_keeps_are_refused_at_startup) {
    auto o = options();
    o.same_site = "None";  // needs Secure
    EXPECT_THROW(vial::sessions(keys, o), std::invalid_argument);
    o.secure = true;
    EXPECT_NO_THROW(vial::sessions(keys, o));
    o.cookie_name = "bad name";
    EXPECT_THROW(vial::sessions(keys, o), std::invalid_argument);
}

TEST_F(web_session, permanent_sessions_get_a_max_age_and_are_refreshed) {
    const std::string cookie = set_cookie(client.get("/permanent"));
    EXPECT_NE(cookie.find("Max-Age=3600"), std::string::npos) << cookie;
    // Used again: sent again, so that it expires an hour after the last visit.
    EXPECT_FALSE(client.get("/get/p").header("Set-Cookie").empty());
}

TEST_F(web_session, clearing_deletes_the_cookie) {
    client.get("/set/user/ann");
    const std::string cookie = set_cookie(client.get("/clear"));
    EXPECT_NE(cookie.find("Max-Age=0"), std::string::npos) << cookie;
    EXPECT_EQ(client.get("/get/user").body(), "(none)");
}

TEST_F(web_session, typed_session_over_a_hana_struct) {
    EXPECT_EQ(client.get("/visit").body(), "1  -");
    EXPECT_EQ(client.get("/visit").body(), "2  -");
    client.get("/name/ann");
    EXPECT_EQ(client.get("/visit").body(), "3 ann dark");
    // The string map sees the same session.
    EXPECT_EQ(client.get("/get/name").body(), "ann");
    client.get("/forget");
    EXPECT_EQ(client.get("/get/name").body(), "(none)");
    EXPECT_EQ(client.get("/visit").body(), "1  -");
}

TEST_F(web_session, fields_of_the_wrong_type_give_a_default_typed_session) {
    client.get("/set/visits/not-a-number");  // a string where visitor::visits is an int
    EXPECT_EQ(client.get("/visit").body(), "1  -");
}

TEST_F(web_session, bad_cookies_give_an_empty_session_never_an_error) {
    vial::sessions s(keys, options());
    vial::test_client good(app, s);
    good.get("/set/user/ann");
    const std::string value = good.cookie("session");
    ASSERT_FALSE(value.empty());
    std::string tampered = value;
    tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
    const std::string other_key =
        vial::session_codec(vial::secret_keys{"another-key-0123456789"}).encode({{"user", "eve"}}, fake_now);
    const std::string expired = vial::session_codec(keys).encode({{"user", "old"}}, fake_now - 7200s);
    for (const std::string& bad : {tampered, value.substr(0, value.size() / 2), value.substr(0, value.size() - 1),
                                   other_key, expired, std::string("garbage"), std::string("a.b.c"), std::string(".."),
                                   std::string(4000, 'A'), value + "x"}) {
        vial::test_client client(app, s);
        auto res = client.get("/get/user", {{"Cookie", "session=" + bad}});
        EXPECT_EQ(res.status(), 200) << bad;
        EXPECT_EQ(res.body(), "(none)") << bad;
        // The bad cookie is dropped.
        EXPECT_NE(set_cookie(res).find("Max-Age=0"), std::string::npos) << bad;
        EXPECT_EQ(client.get("/visit", {{"Cookie", "session=" + bad}}).body(), "1  -") << bad;
    }
}

TEST_F(web_session, cookies_signed_with_a_retired_key_still_verify_until_it_is_dropped) {
    const vial::secret_keys old_keys{"old-key-0123456789abcdef"};
    vial::sessions before(old_keys, options());
    vial::test_client c1(app, before);
    c1.get("/set/user/ann");
    const std::string old_cookie = c1.cookie("session");

    vial::sessions rotated(vial::secret_keys{"new-key-0123456789abcdef", "old-key-0123456789abcdef"}, options());
    vial::test_client c2(app, rotated);
    EXPECT_EQ(c2.get("/get/user", {{"Cookie", "session=" + old_cookie}}).body(), "ann");
    // A change re-signs with the new key, which the new key alone verifies.
    auto res = c2.get("/set/x/y", {{"Cookie", "session=" + old_cookie}});
    const std::string cookie = set_cookie(res);
    const std::string fresh = cookie.substr(8, cookie.find(';') - 8);
    vial::sessions after(vial::secret_keys{"new-key-0123456789abcdef"}, options());
    vial::test_client c3(app, after);
    EXPECT_EQ(c3.get("/get/user", {{"Cookie", "session=" + fresh}}).body(), "ann");
    EXPECT_EQ(c3.get("/get/user", {{"Cookie", "session=" + old_cookie}}).body(), "(none)");
}

TEST_F(web_session, an_expired_session_is_empty) {
    client.get("/set/user/ann");
    const auto saved = fake_now;
    fake_now += 3601s;
    EXPECT_EQ(client.get("/get/user").body(), "(none)");
    fake_now = saved;
}

TEST_F(web_session, a_cookie_over_4kb_is_refused_before_it_is_sent) {
    std::ostringstream log;
    client.settings.log = &log;
    auto res = client.get("/big");
    EXPECT_EQ(res.status(), 500);
    EXPECT_TRUE(res.header("Set-Cookie").empty());
    EXPECT_NE(log.str().find("over the 4093 browsers keep"), std::string::npos) << log.str();
}

TEST_F(web_session, outside_a_web_app_sessions_are_a_clear_error) {
    vial::sessions s(keys, options());
    vial::test_client client(plain_app, s);
    std::ostringstream log;
    client.settings.log = &log;
    EXPECT_EQ(client.get("/get").status(), 500);
    EXPECT_NE(log.str().find("vial::web_app"), std::string::npos) << log.str();
}

TEST_F(web_flash, messages_are_shown_once_with_their_categories) {
    client.get("/flash/success/saved");
    client.get("/flash/error/oops");
    client.get("/flash-default");
    EXPECT_EQ(client.get("/messages").body(), "success:saved;error:oops;message:plain;");
    EXPECT_EQ(client.get("/messages").body(), "");
}

TEST_F(web_flash, filtered_by_category) {
    client.get("/flash/success/saved");
    client.get("/flash/error/oops");
    EXPECT_EQ(client.get("/errors-only").body(), "oops;");
    EXPECT_EQ(client.get("/messages").body(), "");  // read once, whatever the filter
}

TEST(web_secret_keys, from_command_line_takes_its_flags_out_of_argv) {
    const std::string path = testing::TempDir() + "vial_keys.txt";
    {
        std::ofstream f(path);
        f << "# newest first\nfile-key-new-0123456789\n\nfile-key-old-0123456789\r\n";
    }
    std::string a0 = "prog", a1 = "--port", a2 = "0", a3 = "--secret-key-file", a4 = path, a5 = "--debug",
                a6 = "--secret-key=flag-key-0123456789abc";
    char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), a5.data(), a6.data(), nullptr};
    int argc = 7;
    const auto k = vial::secret_keys::from_command_line(argc, argv, [](const char*) -> const char* { return nullptr; });
    ASSERT_EQ(argc, 4);
    EXPECT_STREQ(argv[1], "--port");
    EXPECT_STREQ(argv[3], "--debug");
    EXPECT_EQ(argv[4], nullptr);
    ASSERT_EQ(k.all().size(), 3u);
    EXPECT_EQ(k.newest(), "flag-key-0123456789abc");
    EXPECT_EQ(k.all()[1], "file-key-new-0123456789");
    EXPECT_EQ(k.all()[2], "file-key-old-0123456789");
}

TEST(web_secret_keys, from_the_environment_and_never_a_default) {
    std::string a0 = "prog";
    char* argv[] = {a0.data(), nullptr};
    int argc = 1;
    const auto k = vial::secret_keys::from_command_line(argc, argv, [](const char* name) -> const char* {
        return std::string_view(name) == "VIAL_SECRET_KEY" ? "env-key-0123456789abcdef" : nullptr;
    });
    EXPECT_EQ(k.newest(), "env-key-0123456789abcdef");
    try {
        (void)vial::secret_keys::from_command_line(argc, argv, [](const char*) -> const char* { return nullptr; });
        ADD_FAILURE() << "no key, yet no error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("--secret-key-file"), std::string::npos) << e.what();
    }
    EXPECT_THROW(vial::secret_keys({"short"}), std::invalid_argument);
    EXPECT_THROW(vial::secret_keys::from_file("/nonexistent/vial/keys"), std::invalid_argument);
}
