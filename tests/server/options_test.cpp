#include <gtest/gtest.h>
TEST(todo, options_test) {}
