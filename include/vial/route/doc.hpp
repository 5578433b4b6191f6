#ifndef VIAL_ROUTE_DOC_HPP
#define VIAL_ROUTE_DOC_HPP

/// @file
/// What a route says about itself for its documentation (the OpenAPI document): a summary,
/// a description, tags and whether it is deprecated, declared where the route is:
/// @code
/// vial::get<"/todos/<int:id>", get_todo>().doc({.summary = "Get a todo", .tags = {"todos"}})
/// @endcode
/// Standard library only; nothing here changes how a request is matched or dispatched.

#include <array>
#include <cstddef>
#include <string_view>

namespace vial {

/// A route's documentation. Every member is optional; an aggregate, so that designated
/// initializers name what is given.
struct route_doc {
    /// The most tags one route may carry (its blueprint's name is added to them).
    static constexpr std::size_t max_tags = 8;

    std::string_view summary{};      ///< one line: the operation's `summary`
    std::string_view description{};  ///< longer text (CommonMark): its `description`
    std::array<std::string_view, max_tags> tags{};  ///< extra tags, empty ones ignored
    bool deprecated = false;         ///< marks the operation `deprecated: true`
    bool hidden = false;             ///< leaves the route out of the document (FastAPI's include_in_schema=False)

    /// @return the number of non-empty tags.
    [[nodiscard]] constexpr std::size_t tag_count() const noexcept {
        std::size_t n = 0;
        for (std::string_view t : tags) n += t.empty() ? 0 : 1;
        return n;
    }
};

}  // namespace vial

#endif  // VIAL_ROUTE_DOC_HPP
