#ifndef VIAL_TYPED_FORM_INPUT_HPP
#define VIAL_TYPED_FORM_INPUT_HPP

/// @file
/// `vial::form_input<T>`: a form for an HTML page. The handler parameter reads the posted form
/// into a reflected struct `T` exactly as `vial::form<T>` does (same rules, same errors), but
/// never rejects: the handler gets either the valid `T`, or, per field, the error message(s)
/// and the text the user typed, to render the form again with both (Flask-WTF's
/// `form.validate_on_submit()`, `form.errors` and the kept input).
///
/// `vial::field_texts<T>` is one `std::string` per member of `T`, under the member's name: a
/// Hana struct, so a template reads `form.rating` and `errors.rating`, and a misspelt field is
/// a compile error naming the template's line, as any other attribute.
///
/// @par Example
/// @code
/// struct review_input {
///     BOOST_HANA_DEFINE_STRUCT(review_input, (int, rating), (std::string, text));
///     static constexpr auto rules = vial::rules(
///         vial::field<"rating">(vial::minimum(1), vial::maximum(5), vial::message("Choose a rating from 1 to 5.")),
///         vial::field<"text">(vial::min_length(1), vial::max_length(2000)));
/// };
/// struct book_page {
///     BOOST_HANA_DEFINE_STRUCT(book_page, (book, book), (vial::field_texts<review_input>, form),
///                              (vial::field_texts<review_input>, errors));
/// };
/// vial::response post_review(int book_id, vial::form_input<review_input> form, store& db) {
///     if (!form) return render<"book.html">(book_page{db.book(book_id), form.input(), form.errors()}, 422);
///     db.add_review(book_id, form->rating, form->text);
///     return vial::redirect(vial::url_for<"book", app>(book_id), 303);
/// }
/// @endcode

#include <vial/http/multi_dict.hpp>
#include <vial/http/request.hpp>
#include <vial/route/fixed_string.hpp>
#include <vial/typed/diagnostics.hpp>
#include <vial/typed/errors.hpp>
#include <vial/typed/fields.hpp>
#include <vial/typed/params.hpp>
#include <vial/typed/reflect.hpp>

#include <boost/hana/pair.hpp>
#include <boost/hana/tuple.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vial {

namespace diagnostic {

/// `field_texts<T>::get<"Name">()` or `form_input<T>::error<"Name">(...)` names no member of T.
template <class Struct, fixed_string Name>
struct form_field_unknown {
    static_assert(dependent_false<Struct>,
                  "vial: form_input/field_texts: no member of the form's struct has this name (struct and name "
                  "in the instantiation above): use one of the names in its BOOST_HANA_DEFINE_STRUCT");
};

}  // namespace diagnostic

namespace detail {

/// T's members when T can be read from a form (else 0: the mistake is reported once, by
/// read_fields' own check, and nothing else is instantiated for T).
template <class T>
constexpr std::size_t form_field_count() {
    if constexpr (fields_ok<T>()) return member_count<T>;
    else return 0;
}

/// The index of member `name` in T, or form_field_count<T>() when T has none.
template <class T>
constexpr std::size_t form_field_index(std::string_view name) {
    if constexpr (form_field_count<T>() == 0) {
        return 0;
    } else {
        for (std::size_t i = 0; i < member_count<T>; ++i)
            if (member_names_v<T>[i] == name) return i;
        return member_count<T>;
    }
}

/// What the compiled part of form_input sees of T: its member names and vial::message texts.
struct form_layout {
    std::span<const std::string_view> names;
    std::span<const std::string_view> messages;  ///< "" when the member has no vial::message
    std::span<const bool> multiple;              ///< the member is a std::vector (takes every value)
};

template <class T>
constexpr auto form_messages() {
    std::array<std::string_view, form_field_count<T>()> out{};
    if constexpr (form_field_count<T>() != 0) {
        for_each_member<T>([&](auto i) {
            constexpr std::size_t I = decltype(i)::value;
            if constexpr (has_member_rules<T, I>) out[I] = rules_of<T>.fields[member_rule_index<T, I>].message;
        });
    }
    return out;
}

template <class T>
struct form_layout_of {
    static constexpr auto names = [] {
        if constexpr (form_field_count<T>() == 0) return std::array<std::string_view, 0>{};
        else return member_names_v<T>;
    }();
    static constexpr auto messages = form_messages<T>();
    static constexpr auto multiple = [] {
        std::array<bool, form_field_count<T>()> out{};
        if constexpr (form_field_count<T>() != 0)
            for_each_member<T>([&](auto i) {
                constexpr std::size_t I = decltype(i)::value;
                out[I] = is_vector<member_type<T, I>>::value;
            });
        return out;
    }();
    static constexpr form_layout value{names, messages, multiple};
};

/// Fills `input` (the text sent under each member's name: the last value, every value joined
/// by ", " for a std::vector member, "" when absent) and `errors` (each member's messages,
/// joined by "; ", or its vial::message) from a form and the reader's errors; messages about no
/// member (a field that is forbidden) go to `form_errors` as "name: message". Compiled once,
/// in libvial.
void gather_form_input(const multi_dict& form, const std::vector<error_detail>& details, const form_layout& layout,
                       std::span<std::string> input, std::span<std::string> errors,
                       std::vector<std::string>& form_errors);

/// Appends a message to a field's text ("; " between two messages).
void append_field_message(std::string& to, std::string_view message);

/// An error added by the handler (pydantic's type for a validator's error: value_error).
error_detail custom_form_error(std::string_view field, std::string_view input, std::string message);

}  // namespace detail

/// One string per member of `T`, under the member's name: the text typed into each field of a
/// form, or the error message beside each. A Hana struct: templates read `form.rating`, C++
/// reads `texts.get<"rating">()`; both are checked at compile time.
template <class T>
class field_texts {
public:
    /// How many fields (T's members).
    static constexpr std::size_t size = detail::form_field_count<T>();

    /// The text of the field `Name` (a compile error when T has no such member).
    template <fixed_string Name>
    [[nodiscard]] std::string& get() noexcept {
        return texts_[checked_index<Name>()];
    }
    template <fixed_string Name>
    [[nodiscard]] const std::string& get() const noexcept {
        return texts_[checked_index<Name>()];
    }

    /// The text of the field `name`, or nullptr when T has no such member (checked at run time).
    [[nodiscard]] std::string* find(std::string_view name) noexcept {
        const std::size_t i = detail::form_field_index<T>(name);
        return i < size ? &texts_[i] : nullptr;
    }
    [[nodiscard]] const std::string* find(std::string_view name) const noexcept {
        const std::size_t i = detail::form_field_index<T>(name);
        return i < size ? &texts_[i] : nullptr;
    }

    /// Whether every field's text is empty (for errors: no field has one).
    [[nodiscard]] bool empty() const noexcept {
        for (const auto& t : texts_)
            if (!t.empty()) return false;
        return true;
    }

    /// Every field's text, in T's member order.
    [[nodiscard]] std::span<std::string> texts() noexcept { return texts_; }
    [[nodiscard]] std::span<const std::string> texts() const noexcept { return texts_; }

    friend bool operator==(const field_texts&, const field_texts&) = default;

    /// Hana's view of the struct: T's member names, each a std::string.
    struct hana_accessors_impl {
        template <std::size_t I>
        struct text_at {
            constexpr std::string& operator()(field_texts& t) const noexcept { return t.texts_[I]; }
            constexpr const std::string& operator()(const field_texts& t) const noexcept { return t.texts_[I]; }
        };
        static constexpr auto apply() {
            return []<std::size_t... I>(std::index_sequence<I...>) {
                return boost::hana::make_tuple(boost::hana::make_pair(detail::member_key<T, I>{}, text_at<I>{})...);
            }(std::make_index_sequence<size>{});
        }
    };

private:
    template <fixed_string Name>
    static constexpr std::size_t checked_index() noexcept {
        constexpr std::size_t i = detail::form_field_index<T>(Name.view());
        if constexpr (size != 0 && i == size) {
            (void)diagnostic::report_typed<diagnostic::form_field_unknown<T, Name>>;
            return 0;
        } else {
            return i;
        }
    }

    std::array<std::string, size> texts_{};
};

/// A form posted to an HTML page, read into `T` as `vial::form<T>` reads it, that never
/// rejects: the handler runs with the valid `T`, or with each field's error message(s) and
/// the text the user typed, to show the form again (Flask-WTF's `validate_on_submit()`).
///
/// - Reading is `vial::form<T>`'s: urlencoded or multipart fields, files as
///   `vial::uploaded_file` members, the rules' bounds, lengths, one_of, defaults and
///   `forbid_extra`; the same errors (`error_details()` is what form<T>'s 422 body lists).
/// - A body that is not a form (another Content-Type) is read as an empty form: every required
///   field is "missing", as with form<T>; a malformed multipart body is a 400, as with form<T>.
/// - Cross-field checks stay code: `form.error<"password2">("The passwords differ.")`.
template <class T>
class form_input {
public:
    using value_type = T;
    static constexpr param_source source = param_source::form;  ///< for the OpenAPI document

    /// An empty form, with no errors (what a GET renders).
    form_input() = default;

    /// Reads the request's form (what the dispatcher does for a handler parameter).
    /// @throws vial::http_error 400 on a malformed multipart body, as vial::form<T>
    explicit form_input(const request& req) {
        if constexpr (field_texts<T>::size != 0) {
            auto r = detail::read_form<T>(req);
            value_ = std::move(r.value);
            details_ = std::move(r.errors);
            detail::gather_form_input(req.form(), details_, detail::form_layout_of<T>::value, input_.texts(),
                                      errors_.texts(), form_errors_);
        }
    }

    /// Whether the form is valid: no error from the reader, none added with error().
    [[nodiscard]] bool ok() const noexcept { return details_.empty(); }
    explicit operator bool() const noexcept { return ok(); }

    /// The value, as std::optional's: complete only when ok().
    T& operator*() & noexcept { return value_; }
    const T& operator*() const& noexcept { return value_; }
    T* operator->() noexcept { return &value_; }
    const T* operator->() const noexcept { return &value_; }
    /// The value; @throws vial::validation_error (a 422 listing error_details()) when not ok().
    T& value() & {
        if (!ok()) throw validation_error(details_);
        return value_;
    }
    const T& value() const& {
        if (!ok()) throw validation_error(details_);
        return value_;
    }

    /// The text sent for each field, as typed ("" when absent), to put back in the form.
    [[nodiscard]] field_texts<T>& input() & noexcept { return input_; }
    [[nodiscard]] const field_texts<T>& input() const& noexcept { return input_; }
    /// Each field's error message(s) ("" when the field is fine): its vial::message when the
    /// rules give one, else the readers' (pydantic's) messages joined by "; ".
    [[nodiscard]] field_texts<T>& errors() & noexcept { return errors_; }
    [[nodiscard]] const field_texts<T>& errors() const& noexcept { return errors_; }
    /// Messages about no field of T (a forbidden extra field: "name: message"; error(msg)).
    [[nodiscard]] const std::vector<std::string>& form_errors() const noexcept { return form_errors_; }
    /// Every error, as vial::form<T>'s 422 body lists them (type, loc, msg, input, ctx).
    [[nodiscard]] const std::vector<error_detail>& error_details() const noexcept { return details_; }

    /// Adds an error beside field `Name` (a cross-field check, a name already taken...): the
    /// form is no longer ok(). Appended to the field's message ("; " between two).
    template <fixed_string Name>
    void error(std::string message) {
        std::string& text = errors_.template get<Name>();
        details_.push_back(detail::custom_form_error(Name.view(), input_.template get<Name>(), message));
        detail::append_field_message(text, message);
    }
    /// Adds an error about the whole form (not beside a field): see form_errors().
    void error(std::string message) {
        details_.push_back(detail::custom_form_error({}, {}, message));
        form_errors_.push_back(std::move(message));
    }

private:
    T value_{};
    field_texts<T> input_{};
    field_texts<T> errors_{};
    std::vector<std::string> form_errors_;
    std::vector<error_detail> details_;
};

template <class T>
inline constexpr bool is_bound_parameter<form_input<T>> = true;

namespace detail {

template <class T>
struct bind_one<form_input<T>> {
    // Never adds to `errors`: the handler runs, with the form's errors in the parameter.
    static form_input<T> bind(request& req, std::vector<error_detail>&) { return form_input<T>(req); }
};

}  // namespace detail

}  // namespace vial

#endif  // VIAL_TYPED_FORM_INPUT_HPP
