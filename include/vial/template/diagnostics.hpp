#ifndef VIAL_TEMPLATE_DIAGNOSTICS_HPP
#define VIAL_TEMPLATE_DIAGNOSTICS_HPP

/// @file
/// The compile errors of templates. Each names the template file, the line and column of
/// the mistake and the offending name, in the error line itself:
///   g++:   error: invalid application of 'sizeof' to incomplete type 'vial::template_error<
///          vial::fixed_string<..>{"vial: template book.html:3:14: unknown variable 'usr' ..."}>'
///   clang: error: static_assert failed due to requirement 'vial::template_error_at<
///          vial::template_error::unknown_variable, 3, 14, chars<'b','o','o','k',...>, ...>...'
///          "vial: template error; its kind, line, column, file and name are in the requirement ..."
/// docs/diagnostics.md lists every kind with its cause and fix.

#include <vial/route/fixed_string.hpp>
#include <vial/template/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace vial {

/// What is wrong in a template.
enum class template_error : std::uint8_t {
    unclosed_tag,
    unclosed_block,
    mismatched_end,
    unexpected_end,
    unknown_statement,
    bad_expression,
    unknown_filter,
    misplaced_extends,
    too_deep,
    too_long_name,
    unknown_variable,
    unknown_attribute,
    filter_type,
    filter_arguments,
    not_iterable,
    not_printable,
    not_comparable,
    not_indexable,
    unknown_template,
    unknown_function,
    url_for_unknown_endpoint,
    url_for_missing_argument,
    url_for_argument_type,
    url_for_without_app,
    without_globals,
    macro_arguments,
};

namespace detail::tpl {

constexpr std::string_view error_text(template_error e) noexcept {
    switch (e) {
    case template_error::unclosed_tag: return "unclosed tag: close '{{' with '}}', '{%' with '%}', '{#' with '#}'";
    case template_error::unclosed_block: return "unclosed block: this if/for/block/macro/raw has no end tag";
    case template_error::mismatched_end: return "mismatched end tag: it does not close the innermost open block";
    case template_error::unexpected_end: return "end tag, elif or else with no open block it belongs to";
    case template_error::unknown_statement: return "unknown statement; known: if elif else for set block extends include macro raw and their ends";
    case template_error::bad_expression: return "malformed expression or tag";
    case template_error::unknown_filter: return "unknown filter; known: escape safe upper lower title capitalize trim length default join truncate round int string urlencode tojson";
    case template_error::misplaced_extends: return "extends must be the first tag of a template, once";
    case template_error::too_deep: return "nested too deeply (64 blocks, 32 parentheses, 16 arguments)";
    case template_error::too_long_name: return "name longer than 63 characters";
    case template_error::unknown_variable: return "unknown variable: not a member of the context, nor a loop, set or macro variable";
    case template_error::unknown_attribute: return "unknown attribute: the value's type has no member of this name";
    case template_error::filter_type: return "filter does not take a value of this type";
    case template_error::filter_arguments: return "wrong arguments for filter";
    case template_error::not_iterable: return "for over a value that is not a range";
    case template_error::not_printable: return "cannot print this value (a list, map or struct): use a for loop, join or an attribute";
    case template_error::not_comparable: return "cannot compare or test these values (their types do not go together)";
    case template_error::not_indexable: return "cannot index this value: [ ] takes a list and an integer, or a map and its key";
    case template_error::unknown_template: return "no template of this name in the library (extends/include)";
    case template_error::unknown_function: return "unknown function; templates can call url_for, csrf_token, get_flashed_messages, super, macros and .get/.items";
    case template_error::url_for_unknown_endpoint: return "url_for: unknown endpoint";
    case template_error::url_for_missing_argument: return "url_for: missing argument for a route parameter";
    case template_error::url_for_argument_type: return "url_for: argument type does not match the route's converter";
    case template_error::url_for_without_app: return "url_for needs the app: render_template<name>(templates, context, app)";
    case template_error::without_globals: return "request, session, csrf_token and get_flashed_messages need vial::template_globals passed to render_template";
    case template_error::macro_arguments: return "wrong arguments for macro";
    }
    return "";
}

/// Writes "vial: template <file>:<line>:<column>: <what> '<name>'" to out (or only counts).
constexpr std::size_t write_message(char* out, template_error e, std::string_view file, std::string_view text,
                                    std::size_t pos, std::string_view name) noexcept {
    std::size_t n = 0;
    auto put = [&](std::string_view s) {
        for (char c : s) {
            if (out != nullptr) out[n] = c == '"' ? '\'' : c;
            ++n;
        }
    };
    auto put_number = [&](std::size_t v) {
        char digits[20]{};
        int k = 0;
        do {
            digits[k++] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (k > 0) put(std::string_view(&digits[--k], 1));
    };
    const line_column lc = line_column_of(text, pos);
    put("vial: template ");
    put(file);
    put(":");
    put_number(lc.line);
    put(":");
    put_number(lc.column);
    put(": ");
    put(error_text(e));
    if (!name.empty()) {
        put(" '");
        put(name);
        put("'");
    }
    return n;
}

template <template_error E, class Src, std::size_t Pos, class Name>
constexpr auto error_message = [] {
    constexpr std::string_view name = Name::value;
    constexpr std::size_t n = write_message(nullptr, E, Src::name, Src::text, Pos, name);
    fixed_string<n + 1> out{};
    write_message(out.value_, E, Src::name, Src::text, Pos, name);
    return out;
}();

template <char... C>
struct chars {};

template <std::string_view const& S, std::size_t... I>
chars<S[I]...> chars_of(std::index_sequence<I...>);

template <class Src>
struct source_name {
    static constexpr std::string_view value = Src::name;
};
template <class Src, std::size_t B, std::size_t N>
struct source_text {
    static constexpr std::string_view value = Src::text.substr(B, N);
};

}  // namespace detail::tpl

/// g++ prints a class template argument's characters as a string: the error names the type.
template <fixed_string Message>
struct template_error_message;

/// clang prints the requirement of a failed static_assert with its template arguments.
template <template_error Kind, std::size_t Line, std::size_t Column, class File, class Name>
struct template_error_at {
    static constexpr bool never = false;
};

namespace detail::tpl {

/// No offending name.
struct no_name {
    static constexpr std::string_view value{};
};

/// Reports one template error; see the file's comment. `Name::value` is the offending name
/// (source_text<Src, begin, size> for a piece of the template).
template <template_error E, class Src, std::size_t Pos, class Name = no_name>
struct report_error {
#if defined(__clang__)
    static constexpr line_column lc = line_column_of(Src::text, Pos);
    static_assert(template_error_at<E, lc.line, lc.column,
                                    decltype(chars_of<source_name<Src>::value>(
                                        std::make_index_sequence<Src::name.size()>{})),
                                    decltype(chars_of<Name::value>(std::make_index_sequence<Name::value.size()>{}))>::never,
                  "vial: template error; its kind, line, column, template file and offending name are in the "
                  "requirement; see docs/diagnostics.md");
#else
    static_assert(sizeof(template_error_message<error_message<E, Src, Pos, Name>>) != 0);
#endif
};

template <class D>
inline constexpr bool report = sizeof(D) != 0;

}  // namespace detail::tpl
}  // namespace vial

#endif  // VIAL_TEMPLATE_DIAGNOSTICS_HPP
