// A generic lambda has no parameter types for vial to check the route against.
// EXPECT: vial: handler is not callable: .*a lambda whose parameters have types \(not auto\)
#include <vial/route.hpp>

#include <string>

#ifdef VIAL_CONTROL
constexpr auto user = vial::get<"/user/<int:user_id>">([](int user_id) { return std::to_string(user_id); });
#else
constexpr auto user = vial::get<"/user/<int:user_id>">([](auto user_id) { return std::to_string(user_id); });
#endif
