// The full framework target links Boost and nlohmann through find_package(vial).
#include <vial/vial.hpp>

int main() { return 0; }
