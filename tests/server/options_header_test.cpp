// vial/server/options.hpp must compile on its own and must not pull in Asio.
#include <vial/server/options.hpp>

#include <gtest/gtest.h>

#ifdef BOOST_ASIO_VERSION
#error "vial/server/options.hpp must not include Boost.Asio"
#endif

TEST(options_header, self_contained) {
    vial::server::options o;
    EXPECT_EQ(o.max_body, 1024u * 1024u);
}
