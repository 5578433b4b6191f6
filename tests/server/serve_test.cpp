#include <gtest/gtest.h>
TEST(todo, serve_test) {}
