// The public server header must compile on its own: it is included first.
#include <vial/server/server.hpp>

#include <gtest/gtest.h>

#include <type_traits>

TEST(server_header, self_contained) {
    static_assert(!std::is_copy_constructible_v<vial::server::server>);
    static_assert(std::is_same_v<vial::server::handler, std::function<void(vial::request&, vial::response&)>>);
    vial::server::options o;
    EXPECT_EQ(o.port, 8080);
    EXPECT_EQ(o.host, "127.0.0.1");
}
