#ifndef VIAL_HTTP_DETAIL_OPAQUE_HPP
#define VIAL_HTTP_DETAIL_OPAQUE_HPP

/// @file
/// Storage for an object whose type a public header does not name (the Beast message inside a
/// request or response): the header reserves the bytes, the library constructs, copies and
/// destroys the object in them and checks at compile time that it fits. No allocation, and no
/// Beast header in the programs that include vial's.

#include <cstddef>
#include <new>

namespace vial::detail {

/// `Size` bytes aligned for any standard type, holding one object the library manages.
template <std::size_t Size>
struct opaque {
    static constexpr std::size_t size = Size;
    static constexpr std::size_t alignment = alignof(std::max_align_t);

    template <class T>
    [[nodiscard]] T& as() noexcept {
        return *std::launder(reinterpret_cast<T*>(bytes));
    }
    template <class T>
    [[nodiscard]] const T& as() const noexcept {
        return *std::launder(reinterpret_cast<const T*>(bytes));
    }

    alignas(alignof(std::max_align_t)) unsigned char bytes[Size];
};

}  // namespace vial::detail

#endif  // VIAL_HTTP_DETAIL_OPAQUE_HPP
